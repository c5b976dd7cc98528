package explain

import (
	"context"
	"strings"
	"testing"
)

// zshbuiltins(1)'s shapes: a synopsis tag and its continuation, options
// nested in the paragraph, two builtins tagged for one paragraph.
func TestZshBuiltinPage(t *testing.T) {
	page := strings.Split(`.SH "SHELL BUILTIN COMMANDS"
.TP
.PD 0
\fBprint \fP[ \fB\-abcDilmnNoOpPrsSz\fP ] [ \fB\-u\fP \fIn\fP ]
.TP
.PD
\fB      \fP[ \fB\-v\fP \fIname\fP ] [ \fB\-f\fP \fIformat\fP ] [ \fIarg\fP \&.\&.\&. ]
With the BQ\fB\-f\fP\&' option the arguments are printed as described by \fBprintf\fP\&.
With no flags or with the flag BQ\fB\-\fP\&', the arguments are printed on
the standard output as described by \fBecho\fP, with the following differences:
the escape sequence BQ\fB\eM\-\fP\fIx\fP\&' metafies the character\&.
.RS
.PP
.PD 0
.TP
.PD
\fB\-l\fP
Print the arguments separated by newlines instead of spaces\&.
.TP
\fB\-u\fP \fIn\fP
Print the arguments to file descriptor \fIn\fP\&.
.RE
.TP
.PD 0
\fBtest\fP [ \fIarg\fP \&.\&.\&. ]
.TP
.PD
\fB[\fP [ \fIarg\fP \&.\&.\&. ] \fB]\fP
Like the system version of \fBtest\fP\&.
.TP
\fBbg\fP [ \fIjob\fP \&.\&.\&. ]
.TP
\fIjob\fP \&.\&.\&. \fB&\fP
.TP
.I job
Put each specified job in the background\&.
.TP
.B true
Do nothing\&.
`, "\n")
	for i := range page {
		page[i] = strings.ReplaceAll(page[i], "BQ", "`") // a raw string holds none
	}
	p := zshBuiltinPage(page, "print")
	if p == nil || p.summary != "With no flags or with the flag `-', the arguments are printed on the standard output as described by echo" || p.name != "zshbuiltins(1)" {
		t.Fatalf("print: %+v", p)
	}
	if p.entries["-l"].doc != "Print the arguments separated by newlines instead of spaces" || !p.entries["-u"].arg || len(p.entries) != 2 {
		t.Errorf("print's options: %+v", p.entries)
	}
	// -f only in the running text, its value in the synopsis.
	if f := p.prose["-f"]; !strings.Contains(f.doc, "printed as described by printf") || !f.arg || p.prose["-v"].arg {
		t.Errorf("print's options in its text: %+v", p.prose)
	}
	for _, name := range []string{"test", "["} {
		if p := zshBuiltinPage(page, name); p == nil || p.summary != "Like the system version of test" || len(p.entries) != 0 {
			t.Errorf("%s: %+v", name, p)
		}
	}
	// A tag that does not start with a name in bold is another form.
	if p := zshBuiltinPage(page, "bg"); p == nil || p.summary != "Put each specified job in the background" {
		t.Errorf("bg: %+v", p)
	}
	if p := zshBuiltinPage(page, "true"); p == nil || p.summary != "Do nothing" {
		t.Errorf("true: %+v", p)
	}
	for _, name := range []string{"job", "nothing", "-l"} {
		if p := zshBuiltinPage(page, name); p != nil {
			t.Errorf("%s is no builtin: %+v", name, p)
		}
	}
}

// In zsh, a builtin is zsh's, and what its entry leaves in prose comes
// from bash's help or the program's page.
func TestZshBuiltins(t *testing.T) {
	needPage(t, "zshbuiltins", "[", "stat")
	for cmd, wants := range map[string][]want{
		"print -l a": {{"print", KindProgram, "printed", "zshbuiltins(1)", 0}, {"-l", KindFlag, "newlines", "zshbuiltins(1)", 0},
			{"a", KindArgument, "argument", "", 0}},
		"[ -f x ]": {{"[", KindProgram, "like the system version of test", "zshbuiltins(1)", 0}, {"-f", KindFlag, "regular file", "[(1)", 0},
			{"x", KindArgument, "the value of -f", "", 0}, {"]", KindOperator, "ends the test", "", 0}},
		// zsh/stat's builtin exists only once the module is loaded.
		"stat -c %s f": {{"stat", KindProgram, "status", "stat(1)", 0}, {"-c", KindFlag, "format", "stat(1)", 0},
			{"%s", KindArgument, "the value of -c, a format: %s total size", "stat(1)", 0}, {"f", KindArgument, "argument", "", 0}},
		// zsh's own page first, where it says it only in prose.
		"cd -P /tmp": {{"cd", KindProgram, "change the current directory", "zshbuiltins(1)", 0}, {"-P", KindFlag, "symbolic links are resolved", "zshbuiltins(1)", 0},
			{"/tmp", KindArgument, "the directory to go to", "", 0}},
	} {
		checkShell(t, lib, "zsh", cmd, wants)
	}
}

// zsh's options as setopt, unsetopt and set -o take them: any case,
// underscores anywhere, "no" inverting, and the aliases.
func TestZshOptions(t *testing.T) {
	needPage(t, "zshbuiltins", "zshoptions")
	for cmd, wants := range map[string][]want{
		"setopt no_beep extendedglob AUTO_CD nosuch": {{"setopt", KindProgram, "set the options", "zshbuiltins(1)", 0},
			{"no_beep", KindArgument, "turns off BEEP (on by default): beep on error", "zshoptions(1)", 0},
			{"extendedglob", KindArgument, "EXTENDED_GLOB: treat the", "zshoptions(1)", 0},
			{"AUTO_CD", KindArgument, "AUTO_CD: if a command is issued", "zshoptions(1)", 0},
			{"nosuch", KindArgument, "argument", "", 0}},
		"unsetopt beep": {{"unsetopt", KindProgram, "unset the options", "zshbuiltins(1)", 0}, {"beep", KindArgument, "BEEP (on by default)", "zshoptions(1)", 0}},
		"setopt dotglob": {{"setopt", KindProgram, "set the options", "zshbuiltins(1)", 0},
			{"dotglob", KindArgument, "DOT_GLOB, another name for GLOB_DOTS: do not require a leading", "zshoptions(1)", 0}},
		"setopt brace_expand": {{"setopt", KindProgram, "set the options", "zshbuiltins(1)", 0},
			{"brace_expand", KindArgument, "another name for NO_IGNORE_BRACES: turns off IGNORE_BRACES: do not perform brace expansion", "zshoptions(1)", 0}},
		// The letter is zsh's, in prose; whether it takes a value, bash's
		// help says; the value is zsh's option.
		"set -o vi": {{"set", KindProgram, "set the options", "zshbuiltins(1)", 0}, {"-o", KindFlag, "by name", "zshbuiltins(1)", 0},
			{"vi", KindArgument, "VI: ", "zshoptions(1)", 0}},
		"set +o nomatch": {{"set", KindProgram, "set the options", "zshbuiltins(1)", 0}, {"+o", KindFlag, "the opposite of -o", "zshbuiltins(1)", 0},
			{"nomatch", KindArgument, "NOMATCH (on by default): if a pattern", "zshoptions(1)", 0}},
	} {
		checkShell(t, lib, "zsh", cmd, wants)
	}
}

// What zshbuiltins(1) says only in prose, elsewhere, or of another
// builtin.
func TestZshBuiltinsElsewhere(t *testing.T) {
	needPage(t, "zshbuiltins", "zshzle", "zshmodules", "zshmisc")
	for cmd, wants := range map[string][]want{
		// Prose: "With the -U flag, ...", "The flags -z and -k mark...".
		"autoload -Uz compinit": {{"autoload", KindProgram, "fpath", "zshbuiltins(1)", 0},
			{"-U", KindFlag, "alias expansion is suppressed", "zshbuiltins(1)", 0}, {"-z", KindFlag, "zsh or ksh style", "zshbuiltins(1)", 0},
			{"compinit", KindArgument, "a function to read from a directory in $fpath", "", 0}},
		"emulate -L zsh": {{"emulate", KindProgram, "emulation", "zshbuiltins(1)", 0}, {"-L", KindFlag, "LOCAL_OPTIONS", "zshbuiltins(1)", 0},
			{"zsh", KindArgument, "argument", "", 0}},
		"alias -g L=less": {{"alias", KindProgram, "alias", "zshbuiltins(1)", 0}, {"-g", KindFlag, "global alias", "zshbuiltins(1)", 0},
			{"L=less", KindArgument, "defines the alias L, which stands for:", "", 0}, {"less", KindProgram, "", "", 1}},
		// An option described by its absence is left to bash's help.
		"echo -n x": {{"echo", KindProgram, "standard output", "zshbuiltins(1)", 0}, {"-n", KindFlag, "newline", "bash help", 0},
			{"x", KindArgument, "argument", "", 0}},
		// "See the section `Zle Builtins' in zshzle(1)", whose opening
		// names what each does.
		"bindkey -v": {{"bindkey", KindProgram, "manipulates keymaps and key bindings", "zshzle(1)", 0}, {"-v", KindFlag, "viins", "zshzle(1)", 0}},
		// Its options are tagged as forms of the command: "zstyle -d".
		"zstyle -d": {{"zstyle", KindProgram, "styles", "zshmodules(1)", 0}, {"-d", KindFlag, "delete style definitions", "zshmodules(1)", 0}},
		"vared -p x v": {{"vared", KindProgram, "invokes ZLE", "zshzle(1)", 0}, {"-p", KindFlag, "prompt", "zshzle(1)", 0},
			{"x", KindArgument, "the value of -p", "", 0}, {"v", KindArgument, "argument", "", 0}},
		// A precommand modifier runs the command after it.
		"noglob rm -rf x": {{"noglob", KindProgram, "globbing", "zshmisc(1)", 0}, {"rm", KindProgram, "remove", "rm(1)", 0},
			{"-r", KindFlag, "recursively", "rm(1)", 0}, {"-f", KindFlag, "never prompt", "rm(1)", 0}, {"x", KindArgument, "what to delete", "", 0}},
		// local is "Same as typeset"; functions's own -x is in prose and
		// comes before typeset's. Their values ("[ -x num ]", vared's "[
		// -p prompt ]") are in the synopses.
		"local -a arr": {{"local", KindProgram, "same as typeset", "zshbuiltins(1)", 0}, {"-a", KindFlag, "array parameters", "zshbuiltins(1)", 0},
			{"arr", KindArgument, "the variable arr", "", 0}},
		"functions -x 2 f": {{"functions", KindProgram, "typeset -f", "zshbuiltins(1)", 0}, {"-x", KindFlag, "indentation", "zshbuiltins(1)", 0},
			{"2", KindArgument, "the value of -x", "", 0}, {"f", KindArgument, "argument", "", 0}},
		"typeset -gA map": {{"typeset", KindProgram, "attributes", "zshbuiltins(1)", 0}, {"-g", KindFlag, "global", "zshbuiltins(1)", 0},
			{"-A", KindFlag, "associative", "zshbuiltins(1)", 0}, {"map", KindArgument, "the variable map", "", 0}},
		"typeset -Z2 +x n": {{"typeset", KindProgram, "attributes", "zshbuiltins(1)", 0}, {"-Z", KindFlag, "", "zshbuiltins(1)", 0},
			{"2", KindArgument, "the value of -Z", "", 0}, {"+x", KindFlag, "the opposite of -x: mark for automatic export", "zshbuiltins(1)", 0},
			{"n", KindArgument, "the variable n", "", 0}},
		"history -10": {{"history", KindProgram, "same as fc -l", "zshbuiltins(1)", 0}, {"-10", KindArgument, "argument", "", 0}},
	} {
		checkShell(t, lib, "zsh", cmd, wants)
	}
	// Not a module's builtin once followed: stat still gives way.
	if p := lib.zshBuiltin(context.Background(), "zstyle"); p == nil || !p.module {
		t.Errorf("zstyle is zsh/zutil's: %+v", p)
	}
	if p := lib.zshBuiltin(context.Background(), "bindkey"); p == nil || p.module {
		t.Errorf("bindkey is zle's, no module's: %+v", p)
	}
}

// Options in running text: the first sentence that speaks of each as a
// flag, option or switch; not a list of them, a heading, an example, or
// a sentence about its absence.
func TestProseOptions(t *testing.T) {
	got := proseOptions(strings.Split(`Run it\&.  With the \fB\-U\fP flag, aliases are not expanded\&.
The flags \fB\-z\fP and \fB\-k\fP pick a style, i\&.e\&. zsh or ksh\&.
Later, the \fB\-U\fP flag is mentioned again in another sentence\&.
.PP
Equivalent to \fBtypeset \-f\fP, with the exception of the \fB\-c\fP, \fB\-x\fP,
\fB\-M\fP and \fB\-W\fP options\&.
.PP
\fIThe \fP\fB\-M\fP\fI and \fP\fB+M\fP\fI flags\fP
.PP
If the \fB\-n\fP flag is not present, print a newline at the end\&.
.RS
.nf
\fBthe \-q\fP flag in an example, \fB\-q\fP as well
.fi
.RE
If the \fB\-r\fP switch is given
.PP
the function is searched for at once\&.
.PP
The file is in your home (i\&.e\&. \fB$HOME\fP); another can be given as \fBx \-d\fP \fIfile\fP\&.
With \fB\-\-key=\fP only part is compared, e\&.g\&. \fB\-\-key=dirname\fP compares dirnames,
\fB\-\-key=base\fP basenames and \fB\-\-key=path\fP whole paths\&.`, "\n"), "x", false)
	want := map[string]string{
		// "can be given" speaks of an option; "i.e." and "e.g." end no
		// sentence; one option with its values is not a list of options.
		"-d":    "The file is in your home (i.e. $HOME); another can be given as x -d file",
		"--key": "With --key= only part is compared, e.g. --key=dirname compares dirnames, --key=base basenames and --key=path whole paths",
		"-U":    "With the -U flag, aliases are not expanded",
		"-z":    "The flags -z and -k pick a style, i.e. zsh or ksh",
		"-k":    "The flags -z and -k pick a style, i.e. zsh or ksh",
		// A paragraph ends the sentence.
		"-r": "If the -r switch is given",
	}
	if len(got) != len(want) {
		t.Errorf("got %d options, want %d: %+v", len(got), len(want), got)
	}
	for k, doc := range want {
		if got[k].doc != doc || got[k].arg != (k == "--key") {
			t.Errorf("%s = %+v, want %q", k, got[k], doc)
		}
	}
	if v := got["--key"].values; len(v) != 3 || v["base"] == "" {
		t.Errorf("--key's values: %+v", v)
	}
}

func TestSectionAndIntro(t *testing.T) {
	lines := strings.Split(`.SH "KEYMAPS"
\fBbindkey\fP can be used here\&.
.SH "ZLE BUILTINS"
The ZLE module has builtins\&. The \fBbindkey\fP
command manipulates keymaps; the \fBvared\fP command edits a value; and the \fBzle\fP command
manipulates widgets\&.
.SS "Within"
.TP
\fBbindkey\fP [ \fIoptions\fP ]
Binds keys\&.
.SH "ZLE WIDGETS"
.TP
\fBzle\fP
Not here\&.`, "\n")
	sec := section(lines, "Zle Builtins")
	if len(sec) != 7 || !strings.HasPrefix(sec[0], "The ZLE module") {
		t.Fatalf("section: %q", sec)
	}
	if got := section(lines, "Within"); len(got) != 3 {
		t.Errorf("a subsection ends at the next heading: %q", got)
	}
	if section(lines, "Nowhere") != nil {
		t.Error("a missing section is nil")
	}
	for name, want := range map[string]string{"bindkey": "Manipulates keymaps", "vared": "Edits a value", "zle": "Manipulates widgets", "print": ""} {
		if got := introClause(sec, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if p := zshBuiltinPage(sec, "bindkey"); p == nil || p.summary != "Binds keys" {
		t.Errorf("bindkey in its section: %+v", p)
	}
	if p := zshBuiltinPage(sec, "zle"); p != nil {
		t.Errorf("zle is in another section: %+v", p)
	}
}
