package explain

import (
	"context"
	"strings"
	"testing"
)

// A prompt's escapes, each with what the shell's manual says of it: the
// installed bash(1) and zshmisc(1).
func TestPromptEscapes(t *testing.T) {
	needPage(t, "bash", "zshmisc")
	checkIn(t, lib, `PS1='\u@\h:\w\$ '`, []want{
		{`PS1='\u@\h:\w\$ '`, KindAssignment, "primary prompt string", "bash(1)", 0},
		{`'\u@\h:\w\$ '`, KindArgument, `the prompt: \u the username of the current user; \h the hostname up to the first`, "bash(1)", 0},
	})
	// In double quotes "\$" is a plain $; "\\$" the escape. Colours go
	// between \[ and \]; \033 is an octal character; an expansion in
	// the value is the shell's, not an escape.
	ex := checkIn(t, lib, `export PS1="\[\033[32m\]\u\[\e[0m\] \D{%H:%M} $(date) \$ \\$ "`, []want{
		{"export", KindProgram, "", "", 0},
		{`PS1="\[\033[32m\]\u\[\e[0m\] \D{%H:%M} $(date) \$ \\$ "`, KindAssignment, "assigns the variable PS1: the value of this parameter is expanded and used", "bash(1)", 0},
		{`"\[\033[32m\]\u\[\e[0m\] \D{%H:%M} $(date) \$ \\$ "`, KindArgument, `the prompt: \[ begin a sequence of non-printing characters`, "bash(1)", 0},
		{"$( … )", KindOperator, "", "", 0}, {"date", KindProgram, "", "", 1},
	})
	doc := ex.Parts[2].Doc
	for _, s := range []string{`\033 the character corresponding to the octal number`, `\e an ASCII escape`, `\] end`, `\D{%H:%M} the format is passed to strftime`, `\$ if the effective UID is 0`} {
		if !strings.Contains(doc, s) {
			t.Errorf("the prompt's doc lacks %q:\n%s", s, doc)
		}
	}
	if strings.Count(doc, `\$ `) != 1 {
		t.Errorf(`"\$" read as the escape, or "\\$" not:\n%s`, doc)
	}

	checkShell(t, lib, "zsh", `PROMPT='%F{green}%n@%m%f %3~ %(?.%#.%F{red}%#%f) '`, []want{
		{`PROMPT='%F{green}%n@%m%f %3~ %(?.%#.%F{red}%#%f) '`, KindAssignment, "the same as $PS1: the primary prompt string", "zshparam(1)", 0},
		{`'%F{green}%n@%m%f %3~ %(?.%#.%F{red}%#%f) '`, KindArgument, "the prompt: %F{green} Start using a different foreground colour", "zshmisc(1)", 0},
	})
	ex = checkShell(t, lib, "zsh", `RPROMPT='%D{%H:%M} %B%?%b %-1d %10<…<%~%<<'`, []want{
		{`RPROMPT='%D{%H:%M} %B%?%b %-1d %10<…<%~%<<'`, KindAssignment, "right-hand side of the screen", "zshparam(1)", 0},
		{`'%D{%H:%M} %B%?%b %-1d %10<…<%~%<<'`, KindArgument, "the prompt: %D{%H:%M} string is formatted using the strftime function", "zshmisc(1)", 0},
	})
	doc = ex.Parts[1].Doc
	for _, s := range []string{"%B Start boldface", "%b Stop boldface", "%? The return status", "%-1d Current working directory", "%10<…< Specifies truncation"} {
		if !strings.Contains(doc, s) {
			t.Errorf("the prompt's doc lacks %q:\n%s", s, doc)
		}
	}
	// bash's PROMPT_COMMAND is commands, explained under it.
	checkIn(t, lib, "export PROMPT_COMMAND='history -a; history -n'", []want{{"export", KindProgram, "", "", 0},
		{"PROMPT_COMMAND='history -a; history -n'", KindAssignment, "executed as a command prior to issuing each primary prompt", "bash(1)", 0},
		{"history", KindProgram, "", "", 1}, {"-a", KindFlag, "append", "", 1}, {";", KindOperator, "", "", 1},
		{"history", KindProgram, "", "", 1}, {"-n", KindFlag, "", "", 1}})
	// print -P expands its words as a prompt does.
	checkShell(t, lib, "zsh", `print -P '%B%n%b'`, []want{{"print", KindProgram, "", "zshbuiltins(1)", 0}, {"-P", KindFlag, "prompt", "zshbuiltins(1)", 0},
		{`'%B%n%b'`, KindArgument, "text with prompt escapes: %B Start boldface mode; %n $USERNAME; %b Stop boldface mode", "zshmisc(1)", 0}})
	// bash knows no PROMPT, zsh no \u.
	checkIn(t, lib, "PROMPT='%n'", []want{{"PROMPT='%n'", KindAssignment, "sets the shell variable PROMPT", "", 0}})
	checkShell(t, lib, "zsh", `PS1='\u %n'`, []want{{`PS1='\u %n'`, KindAssignment, "", "", 0}, {`'\u %n'`, KindArgument, "the prompt: %n $USERNAME", "zshmisc(1)", 0}})
}

// The list's shapes, on a page of its own: tags in a row share the
// paragraph after them, "%B (%b)" is two escapes, a list nested under
// an escape is another list, but for the tests of %(x.a.b).
func TestReadEscapes(t *testing.T) {
	l := pagesLibrary(t, map[string]string{"zshmisc": `.TH ZSHMISC 1
.SH "SIMPLE PROMPT ESCAPES"
.SS "Login information"
.PD 0
.TP
.PD
\fB%n\fP
\fB$USERNAME\fP\&.
.TP
.PD 0
\fB%d\fP
.TP
.PD
\fB%/\fP
Current working directory\&.  More.
.TP
\fB%B\fP (\fB%b\fP)
Start (stop) boldface mode\&.
.TP
\fB%D{\fP\fIstring\fP\fB}\fP
\fIstring\fP is formatted using the \fBstrftime\fP function\&.
.RS
.TP
\fB%K\fP
the hour of the day on the 24\-hour clock
.RE
.SH "CONDITIONAL SUBSTRINGS IN PROMPTS"
.TP
\fB%(\fP\fIx\fP\fB\&.\fP\fItrue\-text\fP\fB\&.\fP\fIfalse\-text\fP\fB)\fP
Specifies a ternary expression\&.
.RS
The test character \fIx\fP may be any of the following:
.TP
\fB!\fP
True if the shell is running with privileges\&.
.TP
\fB?\fP
True if the exit status of the last command was \fIn\fP\&.
.RE
.SH "OTHER"
.TP
\fB%q\fP
Not a prompt escape here\&.
`})
	p := l.promptEscapes(context.Background(), "zsh")
	if p == nil {
		t.Fatal("no escapes read")
	}
	for value, want := range map[string]string{
		"%n %d %/":    "%n $USERNAME; %d Current working directory; %/ Current working directory",
		"%B%b":        "%B Start boldface mode; %b Stop boldface mode",
		"%D{%K} %K":   "%D{%K} string is formatted using the strftime function",
		"%(!.#.$)":    "%(!.#.$) Specifies a ternary expression, the first text if the shell is running with privileges, else the second (n is 0)",
		"%3(?.%n.x)":  "%3(?.%n.x) Specifies a ternary expression, the first text if the exit status of the last command was n, else the second (n is 3); %n $USERNAME",
		"%(2?.a.b)":   "(n is 2)",
		"%q 100% %%)": "",
	} {
		if got := promptDoc(p, value); !strings.Contains(got, want) || want == "" && got != "" {
			t.Errorf("%q: %q, want %q", value, got, want)
		}
	}
	if l.promptEscapes(context.Background(), "fish") != nil {
		t.Error("fish's prompt is a function: no escapes")
	}
}

// Any string is a prompt some user may write: escapes cut short, tests
// never closed, braces left open.
func FuzzPromptDoc(f *testing.F) {
	for _, s := range []string{`\u@\h \D{%H} \033\`, "%(?.%F{r}.%3(!.x.y))%10<..<%{x%}%D{%H}%", "%-", "%(", "%2(?", `\D{`} {
		f.Add(s)
	}
	pages := []*page{lib.promptEscapes(context.Background(), "bash"), lib.promptEscapes(context.Background(), "zsh")}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range pages {
			promptDoc(p, s)
		}
	})
}

// The variables whose value is a command line or a program's options,
// and bash's HISTTIMEFORMAT.
func TestVariableValues(t *testing.T) {
	needPage(t, "bash", "less", "date")
	for cmd, wants := range map[string][]want{
		"export PAGER='less -R'": {{"export", KindProgram, "", "", 0}, {"PAGER='less -R'", KindAssignment, "", "", 0},
			{"less", KindProgram, "", "less(1)", 1}, {"-R", KindFlag, "ANSI", "less(1)", 1}},
		"export LESS='-R -i'": {{"export", KindProgram, "", "", 0}, {"LESS='-R -i'", KindAssignment, "", "", 0},
			{"-R", KindFlag, "ANSI", "less(1)", 1}, {"-i", KindFlag, "ignore case", "less(1)", 1}},
		"HISTTIMEFORMAT='%F %T '": {{"HISTTIMEFORMAT='%F %T '", KindAssignment, "strftime", "bash(1)", 0},
			{"'%F %T '", KindArgument, "a format: %F full date", "date(1)", 0}},
		// Not a command: a value with an expansion, another variable.
		`EDITOR="$HOME/bin/ed"`: {{`EDITOR="$HOME/bin/ed"`, KindAssignment, "", "", 0}, {"$HOME", KindVariable, "", "", 0}},
		"X='less -R'":           {{"X='less -R'", KindAssignment, "sets the shell variable X", "", 0}},
		"ulimit -c unlimited": {{"ulimit", KindProgram, "", "", 0}, {"-c", KindFlag, "core", "", 0},
			{"unlimited", KindArgument, "the new limit: none", "", 0}},
		"complete -F _git g": {{"complete", KindProgram, "", "", 0}, {"-F", KindFlag, "", "", 0}, {"_git", KindArgument, "", "", 0},
			{"g", KindArgument, "a command whose arguments are completed as the options say", "", 0}},
	} {
		checkIn(t, lib, cmd, wants)
	}
}

// bash reads >&word, a word that is no number, as &>word; unset's
// names are what it removes.
func TestDupToFileAndUnset(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	checkIn(t, l, `tput setaf 1 >&/dev/null; ls >& out.txt; echo x >&2; echo y >&"$fd"; unset a; unset -f g`, []want{
		{"tput", KindProgram, "", "", 0}, {"setaf", KindArgument, "", "", 0}, {"1", KindArgument, "", "", 0},
		{">&/dev/null", KindRedirect, "discards output and errors", "", 0}, {";", KindOperator, "", "", 0},
		{"ls", KindProgram, "", "", 0}, {">& out.txt", KindRedirect, "writes output and errors to out.txt, replacing its contents (as &> does)", "", 0},
		{";", KindOperator, "", "", 0},
		{"echo", KindProgram, "", "", 0}, {"x", KindArgument, "", "", 0}, {">&2", KindRedirect, "sends output to the same place as errors", "", 0},
		{";", KindOperator, "", "", 0},
		{"echo", KindProgram, "", "", 0}, {"y", KindArgument, "", "", 0}, {`>&"$fd"`, KindRedirect, `the same place as file descriptor "$fd"`, "", 0},
		{";", KindOperator, "", "", 0},
		{"unset", KindProgram, "", "", 0}, {"a", KindArgument, "a variable to remove", "", 0}, {";", KindOperator, "", "", 0},
		{"unset", KindProgram, "", "", 0}, {"-f", KindFlag, "", "", 0}, {"g", KindArgument, "a function to remove", "", 0},
	})
}

// HISTCONTROL's values, each as bash(1)'s paragraph on it says.
func TestListedValues(t *testing.T) {
	needPage(t, "bash")
	checkIn(t, lib, "HISTCONTROL=ignoreboth:erasedups", []want{
		{"HISTCONTROL=ignoreboth:erasedups", KindAssignment, "colon-separated list of values", "bash(1)", 0},
		{"ignoreboth:erasedups", KindArgument, "ignoreboth: is shorthand for ignorespace and ignoredups; erasedups: causes all previous lines", "bash(1)", 0}})
	checkIn(t, lib, "export HISTCONTROL=ignorespace", []want{{"export", KindProgram, "", "", 0},
		{"HISTCONTROL=ignorespace", KindAssignment, "", "bash(1)", 0},
		{"ignorespace", KindArgument, "ignorespace: lines which begin with a space character are not saved", "bash(1)", 0}})
	// A value it does not list: nothing said of the values.
	checkIn(t, lib, "HISTCONTROL=ignoreboth:foo", []want{{"HISTCONTROL=ignoreboth:foo", KindAssignment, "", "bash(1)", 0}})
}
