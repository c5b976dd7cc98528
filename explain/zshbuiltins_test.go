package explain

import (
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
\fB      \fP[ \fB\-v\fP \fIname\fP ] [ \fIarg\fP \&.\&.\&. ]
With the BQ\fB\-f\fP\&' option the arguments are printed as described by \fBprintf\fP\&.
More about escapes\&.
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
	if p == nil || p.summary != "With the `-f' option the arguments are printed as described by printf" || p.name != "zshbuiltins(1)" {
		t.Fatalf("print: %+v", p)
	}
	if p.entries["-l"].doc != "Print the arguments separated by newlines instead of spaces" || !p.entries["-u"].arg || len(p.entries) != 2 {
		t.Errorf("print's options: %+v", p.entries)
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
			{"x", KindArgument, "the value of -f", "", 0}, {"]", KindArgument, "argument", "", 0}},
		// zsh/stat's builtin exists only once the module is loaded.
		"stat -c %s f": {{"stat", KindProgram, "status", "stat(1)", 0}, {"-c", KindFlag, "format", "stat(1)", 0},
			{"%s", KindArgument, "the value of -c", "", 0}, {"f", KindArgument, "argument", "", 0}},
		"cd -P /tmp": {{"cd", KindProgram, "change the current directory", "zshbuiltins(1)", 0}, {"-P", KindFlag, "physical", "bash help", 0},
			{"/tmp", KindArgument, "argument", "", 0}},
	} {
		checkShell(t, lib, "zsh", cmd, wants)
	}
}
