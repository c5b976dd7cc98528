package explain

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
)

// A help text that lists an option's values under it, as bash's `help
// set` lists set -o's names: a value's meaning may wrap, and a long
// value has its meaning on the next line.
func TestHelpValueTable(t *testing.T) {
	p := parseHelp(`set: set [-abe] [-o option-name] [--] [arg ...]
    Set or unset values of shell options.

    Options:
      -a  Mark variables for export.
      -o option-name
          Set the variable corresponding to option-name:
              allexport    same as -a
              interactive-comments
                           allow comments to appear in interactive commands
              pipefail     the return value of a pipeline is the status of
                           the last command to exit with a non-zero status
      -x  Print commands as they are executed.
          More about -x.
      -n STRING
         STRING      True if string is not empty.
`, "bash help", "", true)
	o := p.entries["-o"]
	if o.doc != "Set the variable corresponding to option-name" || !o.arg {
		t.Errorf("-o: %+v", o)
	}
	wantValues := map[string]string{
		"allexport":            "same as -a",
		"interactive-comments": "allow comments to appear in interactive commands",
		"pipefail":             "the return value of a pipeline is the status of the last command to exit with a non-zero status",
	}
	if len(o.values) != len(wantValues) {
		t.Errorf("-o's values: %q", o.values)
	}
	for v, doc := range wantValues {
		if o.values[v] != doc {
			t.Errorf("-o %s = %q, want %q", v, o.values[v], doc)
		}
	}
	// Without a colon, deeper lines go on with the meaning.
	if x := p.entries["-x"]; x.doc != "Print commands as they are executed" || x.values != nil || x.arg {
		t.Errorf("-x: %+v", x)
	}
	// The form said again before its meaning (help test's -n).
	if n := p.entries["-n"]; n.doc != "True if string is not empty" || !n.arg {
		t.Errorf("-n: %+v", n)
	}
	if !p.builtin || p.entries["-a"].doc != "Mark variables for export" {
		t.Errorf("page: %+v", p)
	}
}

// bash's set -o and shopt take option names, documented in set's help
// and in bash(1); +x is the opposite of -x for a builtin, and an
// argument elsewhere.
func TestBashShellOptions(t *testing.T) {
	for cmd, wants := range map[string][]want{
		"set -euo pipefail": {{"set", KindProgram, "shell options", "bash help", 0}, {"-e", KindFlag, "exit immediately", "bash help", 0},
			{"-u", KindFlag, "unset variables", "bash help", 0}, {"-o", KindFlag, "option-name", "bash help", 0},
			{"pipefail", KindArgument, "the return value of a pipeline", "bash help", 0}},
		"set +o pipefail": {{"set", KindProgram, "shell options", "bash help", 0}, {"+o", KindFlag, "the opposite of -o", "bash help", 0},
			{"pipefail", KindArgument, "the return value of a pipeline", "bash help", 0}},
		"set -o allexport": {{"set", KindProgram, "shell options", "bash help", 0}, {"-o", KindFlag, "option-name", "bash help", 0},
			{"allexport", KindArgument, "same as -a: mark variables", "bash help", 0}},
		"set +ex": {{"set", KindProgram, "shell options", "bash help", 0}, {"+e", KindFlag, "the opposite of -e: exit immediately", "bash help", 0},
			{"+x", KindFlag, "the opposite of -x: print commands", "bash help", 0}},
		"shopt -so pipefail": {{"shopt", KindProgram, "shell options", "bash help", 0}, {"-s", KindFlag, "enable", "bash help", 0},
			{"-o", KindFlag, "set -o", "bash help", 0}, {"pipefail", KindArgument, "the return value of a pipeline", "bash help", 0}},
		"date +%s": {{"date", KindProgram, "date", "date(1)", 0}, {"+%s", KindArgument, "a format: %s seconds since the epoch", "date(1)", 0}},
	} {
		check(t, cmd, wants)
	}
	needPage(t, "bash")
	check(t, "shopt -s globstar nosuchopt", []want{{"shopt", KindProgram, "shell options", "bash help", 0}, {"-s", KindFlag, "enable", "bash help", 0},
		{"globstar", KindArgument, "the pattern ** used in a pathname expansion context will match all files", "bash(1)", 0},
		{"nosuchopt", KindArgument, "argument", "", 0}})
	if p := lib.shoptOptions(context.Background()); p == nil || len(p.entries) < 30 || !strings.Contains(p.entries["sourcepath"].doc, "(on by default)") ||
		strings.Contains(p.entries["globstar"].doc, "by default") || p.entries["suspend"].doc != "" {
		t.Errorf("shopt's options: %+v", p)
	}
}

// declare and its kin: a bundle of letters, +x, and the options local
// and typeset take from declare.
func TestDeclarationFlags(t *testing.T) {
	for cmd, wants := range map[string][]want{
		"declare -gA m": {{"declare", KindProgram, "attributes", "bash help", 0}, {"-g", KindFlag, "global", "bash help", 0},
			{"-A", KindFlag, "associative", "bash help", 0}, {"m", KindArgument, "the variable m", "", 0}},
		"declare +x v": {{"declare", KindProgram, "attributes", "bash help", 0}, {"+x", KindFlag, "the opposite of -x: to make names export", "bash help", 0},
			{"v", KindArgument, "the variable v", "", 0}},
		"local -r x=1": {{"local", KindProgram, "local variables", "bash help", 0}, {"-r", KindFlag, "readonly", "bash help", 0},
			{"x=1", KindAssignment, "assigns the variable x", "", 0}},
		"typeset -a x": {{"typeset", KindProgram, "attributes", "bash help", 0}, {"-a", KindFlag, "indexed arrays", "bash help", 0},
			{"x", KindArgument, "the variable x", "", 0}},
		"readarray -t lines": {{"readarray", KindProgram, "array", "bash help", 0}, {"-t", KindFlag, "trailing", "bash help", 0},
			{"lines", KindArgument, "the array to fill", "", 0}},
		"declare -p": {{"declare", KindProgram, "attributes", "bash help", 0}, {"-p", KindFlag, "display the attributes", "bash help", 0}},
		"fc -l -20":  {{"fc", KindProgram, "history", "bash help", 0}, {"-l", KindFlag, "list", "bash help", 0}, {"-20", KindArgument, "argument", "", 0}},
	} {
		check(t, cmd, wants)
	}
}

// The lists of a page's paragraphs that document shell options: tags
// in bold with a marker after the name, text nested in them, and the
// list's end where its nesting closes.
func TestTagList(t *testing.T) {
	lines := strings.Split(`.PD 0
.TP
.PD
\fBAUTO_CD\fP (\fB\-J\fP)
If a command is the name of a directory, perform the \fBcd\fP
command to that directory\&.
.TP
\fBBEEP\fP (\fB+B\fP) <D>
Beep on error in ZLE\&.
.RS
.nf
an example
.fi
.RE
.SS "Completion"
.TP
\fBALWAYS_LAST_PROMPT\fP <D>
Return to the last prompt\&.
.SH "OPTION ALIASES"
.TP
\fBNOT_THIS\fP
Nor this\&.`, "\n")
	got := tagList(lines, true)
	if len(got) != 3 || got[0].tag != "AUTO_CD (-J)" || got[1].tag != "BEEP (+B) <D>" || got[2].tag != "ALWAYS_LAST_PROMPT <D>" ||
		strings.Join(got[1].text, " ") != "Beep on error in ZLE. an example" {
		t.Errorf("zshoptions' shape: %q", got)
	}
	lines = strings.Split(`.PD 0
.TP 8
.B autocd
If set, a name that is a directory is a cd.
.TP 8
.B checkhash
If set, check the hash table.
.RS
.TP
.B nested
Not a tag of the list.
.RE
.RE
.PD
.TP
\fBsuspend\fP [\fB\-f\fP]
Suspend the shell.`, "\n")
	got = tagList(lines, false)
	if len(got) != 2 || got[0].tag != "autocd" || got[1].tag != "checkhash" || len(got[1].text) != 3 {
		t.Errorf("bash's shopt list: %q", got)
	}
}

// What `help` leaves out comes from bash(1)'s entry for the builtin:
// complete's options and their values, compgen's (complete's, by
// reference), wait -n in prose, and the builtin printf's -v where the
// program's page comes first.
func TestBashBuiltinsInBashPage(t *testing.T) {
	needPage(t, "bash", "printf")
	for cmd, wants := range map[string][]want{
		"complete -o nospace -F _f f": {{"complete", KindProgram, "completed", "bash help", 0},
			{"-o", KindFlag, "comp-option", "bash(1)", 0}, {"nospace", KindArgument, "not to append a space", "bash(1)", 0},
			{"-F", KindFlag, "shell function", "bash(1)", 0}, {"_f", KindArgument, "the value of -F", "", 0},
			{"f", KindArgument, "argument", "", 0}},
		"compgen -A function": {{"compgen", KindProgram, "completions", "bash help", 0},
			{"-A", KindFlag, "the action may be one of the following to generate a list of possible completions", "bash(1)", 0},
			{"function", KindArgument, "names of shell functions", "bash(1)", 0}},
		// "file File names. May also be specified as -f."
		"complete -f -X '!*.txt' edit": {{"complete", KindProgram, "completed", "bash help", 0},
			{"-f", KindFlag, "the same as -A file: file names", "bash(1)", 0}, {"-X", KindFlag, "filterpat", "bash(1)", 0},
			{"'!*.txt'", KindArgument, "the value of -X", "", 0}, {"edit", KindArgument, "argument", "", 0}},
		"compgen -c": {{"compgen", KindProgram, "completions", "bash help", 0}, {"-c", KindFlag, "-A command: command names", "bash(1)", 0}},
		"compgen -W x": {{"compgen", KindProgram, "completions", "bash help", 0}, {"-W", KindFlag, "wordlist", "bash(1)", 0},
			{"x", KindArgument, "the value of -W", "", 0}},
		"wait -n": {{"wait", KindProgram, "job completion", "bash help", 0}, {"-n", KindFlag, "waits for a single job", "bash(1)", 0}},
		"printf -v x %s y": {{"printf", KindProgram, "format", "printf(1)", 0}, {"-v", KindFlag, "shell variable", "bash help", 0},
			{"x", KindArgument, "the value of -v", "", 0}, {"%s", KindArgument, "the format", "", 0}, {"y", KindArgument, "a value for the format", "", 0}},
	} {
		check(t, cmd, wants)
	}
	if p := lib.bashBuiltin(context.Background(), "compgen"); p == nil || p.ref != "complete" {
		t.Errorf("compgen refers to complete: %+v", p)
	}
	// Only options: set's list of -o names is no command of set's.
	if p := lib.bashBuiltin(context.Background(), "set"); p == nil || len(p.entries) == 0 || p.entries["pipefail"].doc != "" || len(p.commands) != 0 {
		t.Errorf("set in bash(1): %+v", p)
	}
}

func TestRedirectsAndKeywords(t *testing.T) {
	for cmd, wants := range map[string][]want{
		"exec 3>&- 4<&- 2>&-": {{"exec", KindProgram, "replace", "bash help", 0}, {"3>&-", KindRedirect, "closes file descriptor 3", "", 0},
			{"4<&-", KindRedirect, "closes file descriptor 4", "", 0}, {"2>&-", KindRedirect, "closes errors", "", 0}},
		"exec 3<in 4>out 5>>log <&3": {{"exec", KindProgram, "replace", "bash help", 0},
			{"3<in", KindRedirect, "opens in as file descriptor 3 for reading", "", 0},
			{"4>out", KindRedirect, "opens out as file descriptor 4 for writing, replacing its contents", "", 0},
			{"5>>log", KindRedirect, "opens log as file descriptor 5 for appending", "", 0},
			{"<&3", KindRedirect, "reads input from file descriptor 3", "", 0}},
		"let x++":                     {{"let …", KindOperator, "arithmetic expression", "", 0}},
		"coproc cat":                  {{"coproc …", KindOperator, "two pipes", "", 0}, {"cat", KindProgram, "concatenate", "cat(1)", 1}},
		"time sleep 1":                {{"time …", KindOperator, "the time it took", "", 0}, {"sleep", KindProgram, "delay", "sleep(1)", 1}, {"1", KindArgument, "argument", "", 1}},
		"select f in a b; do :; done": {{"select …", KindOperator, "a menu", "", 0}, {":", KindProgram, "", "bash help", 1}},
	} {
		check(t, cmd, wants)
	}
}

// fish's pages describe most options in their running text: "If
// --regex or -r is given", "abbr --add creates", "--style=url ensures",
// a usage block then what it does, a subcommand in a section of its own;
// the synopsis pairs short and long forms and says which take a value.
func TestFishProse(t *testing.T) {
	if _, err := os.Stat("/usr/share/fish/man/man1/string-match.1"); err != nil {
		t.Skip("fish's pages are not installed")
	}
	for cmd, wants := range map[string][]want{
		"string match -rq x y": {{"string", KindProgram, "strings", "string(1)", 0}, {"match", KindSubcommand, "match substrings", "string-match(1)", 0},
			{"-r", KindFlag, "perl-compatible regular expression", "string-match(1)", 0},
			{"-q", KindFlag, "the short form of --quiet", "string-match(1)", 0},
			{"x", KindArgument, "argument", "", 0}, {"y", KindArgument, "argument", "", 0}},
		"string split -m1 = a": {{"string", KindProgram, "strings", "string(1)", 0}, {"split", KindSubcommand, "split", "string-split(1)", 0},
			{"-m", KindFlag, "at most MAX splits", "string-split(1)", 0}, {"1", KindArgument, "the value of -m", "", 0},
			{"=", KindArgument, "argument", "", 0}, {"a", KindArgument, "argument", "", 0}},
		"string escape --style=url x": {{"string", KindProgram, "strings", "string(1)", 0}, {"escape", KindSubcommand, "escape", "string-escape(1)", 0},
			{"--style=url", KindFlag, "used as a URL", "string-escape(1)", 0}, {"x", KindArgument, "argument", "", 0}},
		// The synopsis pairs -a with --add; NAME after --erase is an
		// operand, not its value.
		"abbr -a gco git checkout": {{"abbr", KindProgram, "abbreviations", "abbr(1)", 0}, {"-a", KindFlag, "creates a new abbreviation", "abbr(1)", 0},
			{"gco", KindArgument, "the abbreviation", "", 0}, {"git", KindProgram, "", "", 1}, {"checkout", KindSubcommand, "", "", 1}},
		"abbr --erase gco": {{"abbr", KindProgram, "abbreviations", "abbr(1)", 0}, {"--erase", KindFlag, "erases the abbreviation", "abbr(1)", 0},
			{"gco", KindArgument, "argument", "", 0}},
		"path basename /a/b": {{"path", KindProgram, "paths", "path(1)", 0}, {"basename", KindSubcommand, "last path component", "path(1)", 0},
			{"/a/b", KindArgument, "argument", "", 0}},
		"status is-interactive": {{"status", KindProgram, "runtime information", "status(1)", 0},
			{"is-interactive", KindSubcommand, "fish is interactive", "status(1)", 0}},
		"status -i": {{"status", KindProgram, "runtime information", "status(1)", 0}, {"-i", KindFlag, "fish is interactive", "status(1)", 0}},
		// "(-q | --query) (-e | --erase) [-flgU]": names follow, no value;
		// complete's "((-c | --command) | (-p | --path)) COMMAND" takes one.
		"set -q VAR": {{"set", KindProgram, "variables", "set(1)", 0}, {"-q", KindFlag, "defined", "set(1)", 0}, {"VAR", KindArgument, "a variable", "", 0}},
		"complete -c foo": {{"complete", KindProgram, "completions", "complete(1)", 0}, {"-c", KindFlag, "name of the command", "complete(1)", 0},
			{"foo", KindArgument, "the value of -c", "", 0}},
		"path filter -d x": {{"path", KindProgram, "paths", "path(1)", 0}, {"filter", KindSubcommand, "match the given checks", "path(1)", 0},
			{"-d", KindFlag, "short for --type=dir", "path(1)", 0}, {"x", KindArgument, "argument", "", 0}},
	} {
		checkShell(t, lib, "fish", cmd, wants)
	}
	// abbr's "ADD" SUBCOMMAND is --add, no word of its synopsis.
	checkShell(t, lib, "fish", "abbr add x", []want{{"abbr", KindProgram, "abbreviations", "abbr(1)", 0},
		{"add", KindArgument, "argument", "", 0}, {"x", KindArgument, "argument", "", 0}})
}

// Other pages' prose is not read: perl(1) mentions -e in a sentence
// about compilation errors.
func TestProseOnlyFromShells(t *testing.T) {
	needPage(t, "perl")
	p := lib.page(context.Background(), "perl")
	if p == nil || p.prose != nil {
		t.Errorf("perl(1)'s prose: %+v", p)
	}
}

// The pieces fish's pages are read with, on a page of their shapes.
func TestFishPageShapes(t *testing.T) {
	lines := strings.Split(`.SH SYNOPSIS
.nf
\fBtool\fP [\fB\-a\fP | \fB\-\-add\fP] \fINAME\fP [(\fB\-m\fP | \fB\-\-max\fP) \fIMAX\fP] [\fB\-q\fP | \fB\-\-quiet\fP]
\fBtool\fP \fBshow\fP [\fB\-s\fP | \fB\-\-style\fP]
.fi
.SH DESCRIPTION
.sp
\fBtool \-\-add\fP creates a thing for the NAME given\&. If \fB\-m\fP or \fB\-\-max\fP is given, at most MAX things are made\&.
.sp
\fB\-\-style=wide\fP shows each thing on a wide line of its own\&.
\fB\-w\fP and \fB\-n\fP are short for \fB\-\-style=wide\fP and \fB\-\-style=narrow\fP, respectively\&.
.INDENT 0.0
.nf
tool [\-e | \-\-erase] NAME
.fi
.UNINDENT
.sp
Erases the thing with the given name, if there is one\&.
.SH "SHOW" SUBCOMMAND
.nf
tool show
.fi
.sp
\fBtool show\fP prints every thing there is\&.
.SH "HIDE" SUBCOMMAND
.sp
Not a subcommand of the synopsis\&.
.SH EXAMPLES
.nf
tool \-\-add x \-\-max 3
.fi
.sp
Makes one thing called x, quite an example sentence for -x\&.`, "\n")
	p := parsePage(lines, "tool(1)")
	p.subcommandSections(lines)
	p.prose = proseOptions(withoutSections(lines, "NAME", "SYNOPSIS", "EXAMPLES"), "tool", true)
	p.proseAliases(withoutSections(lines, "NAME", "EXAMPLES"))
	for key, want := range map[string]entry{
		"--add":   {doc: "tool --add creates a thing for the NAME given"},
		"-a":      {doc: "tool --add creates a thing for the NAME given"},
		"-m":      {doc: "If -m or --max is given, at most MAX things are made", arg: true},
		"--max":   {doc: "If -m or --max is given, at most MAX things are made", arg: true},
		"-q":      {doc: "the short form of --quiet (described nowhere else)"},
		"--style": {doc: "--style=wide shows each thing on a wide line of its own", arg: true, values: map[string]string{"wide": "--style=wide shows each thing on a wide line of its own"}},
		"-e":      {doc: "Erases the thing with the given name, if there is one"},
		"-w":      {doc: "short for --style=wide"},
		"-n":      {doc: "short for --style=narrow"},
		"--erase": {doc: "Erases the thing with the given name, if there is one"},
	} {
		if got := p.prose[key]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, want %+v", key, got, want)
		}
	}
	if _, ok := p.prose["-x"]; ok {
		t.Error("an example's sentence documents nothing")
	}
	if e, ok := p.entries["show"]; !ok || e.doc != "tool show prints every thing there is" || !p.isCommand("show") {
		t.Errorf("show: %+v", p.entries)
	}
	if _, ok := p.entries["hide"]; ok {
		t.Error("hide is no word of the synopsis")
	}
}

// Inside [[ ]], each test: its operators from test's documentation, and
// what [[ does otherwise (patterns, regular expressions, && and ||).
func TestTestClause(t *testing.T) {
	needPage(t, "test")
	check(t, `[[ ! -d "$d" || $n -gt 3 && $s == b* ]]`, []want{
		{"[[ … ]]", KindOperator, "a test", "", 0},
		{"!", KindFlag, "true when the test after it is false", "", 1},
		{"-d", KindFlag, "directory", "test(1)", 1},
		{`"$d"`, KindArgument, "argument", "", 1},
		{"||", KindOperator, "either side", "", 1},
		{"$n", KindArgument, "argument", "", 1},
		{"-gt", KindOperator, "greater than", "test(1)", 1},
		{"3", KindArgument, "argument", "", 1},
		{"&&", KindOperator, "both sides", "", 1},
		{"$s", KindArgument, "argument", "", 1},
		{"==", KindOperator, "matches the pattern", "", 1},
		{"b*", KindArgument, "argument", "", 1},
	})
	check(t, `if [[ $(uname) =~ ^Linux ]]; then :; fi`, []want{
		{"if …", KindOperator, "branch", "", 0},
		{"[[ … ]]", KindOperator, "a test", "", 1},
		{"$(uname)", KindArgument, "argument", "", 2},
		{"$( … )", KindOperator, "output of the commands", "", 2},
		{"uname", KindProgram, "system information", "uname(1)", 3},
		{"=~", KindOperator, "regular expression", "", 2},
		{"^Linux", KindArgument, "argument", "", 2},
		{":", KindProgram, "null command", "bash help", 1},
	})
}

// test's and ['s words that are no options: =, !=, !, and [ ending at ].
func TestTestWords(t *testing.T) {
	needPage(t, "test", "[")
	check(t, `[ ! "$a" = b ]`, []want{{"[", KindProgram, "compare values", "[(1)", 0}, {"!", KindOperator, "false", "", 0},
		{`"$a"`, KindArgument, "argument", "", 0}, {"=", KindOperator, "strings are equal", "", 0}, {"b", KindArgument, "argument", "", 0},
		{"]", KindOperator, "ends the test", "", 0}})
	check(t, `test "$a" != ]`, []want{{"test", KindProgram, "compare values", "test(1)", 0}, {`"$a"`, KindArgument, "argument", "", 0},
		{"!=", KindOperator, "strings differ", "", 0}, {"]", KindArgument, "argument", "", 0}})
}

// A value documented elsewhere on the page or in another: mount's
// options listed in a section of their own, ssh's -o keywords from
// ssh_config(5); not a word that only shares a name with an entry
// outside the options (xargs -n 1 is no exit status 1).
func TestValuesDocumentedElsewhere(t *testing.T) {
	needPage(t, "mount", "xargs")
	check(t, "mount -o ro,noatime /dev/sda1 /mnt", []want{{"mount", KindProgram, "mount", "mount(8)", 0},
		{"-o", KindFlag, "mount options", "mount(8)", 0},
		{"ro,noatime", KindArgument, "ro: mount the filesystem read-only; noatime: do not update inode access times", "mount(8)", 0},
		{"/dev/sda1", KindArgument, "what to mount", "", 0}, {"/mnt", KindArgument, "where to mount it", "", 0}})
	check(t, "mount -o ro,nosuchoption x", []want{{"mount", KindProgram, "mount", "mount(8)", 0},
		{"-o", KindFlag, "mount options", "mount(8)", 0}, {"ro,nosuchoption", KindArgument, "the value of -o", "", 0},
		{"x", KindArgument, "a mount point or what is mounted there", "", 0}})
	check(t, "xargs -n 1 echo", []want{{"xargs", KindProgram, "", "xargs(1)", 0}, {"-n", KindFlag, "", "xargs(1)", 0},
		{"1", KindArgument, "the value of -n", "", 0}, {"echo", KindProgram, "", "echo(1)", 0}})
	if p, _ := findIn(lib.roots, "ssh_config", "5"); p == "" {
		t.Skip("no ssh_config(5) here")
	}
	needPage(t, "ssh")
	check(t, "ssh -o StrictHostKeyChecking=no -o 'ServerAliveInterval 60' host", []want{{"ssh", KindProgram, "ssh", "ssh(1)", 0},
		{"-o", KindFlag, "configuration file", "ssh(1)", 0},
		{"StrictHostKeyChecking=no", KindArgument, "StrictHostKeyChecking: if this flag is set to yes, ssh(1) will never automatically add host keys", "ssh_config(5)", 0},
		{"-o", KindFlag, "configuration file", "ssh(1)", 0},
		{"'ServerAliveInterval 60'", KindArgument, "ServerAliveInterval: sets a timeout interval", "ssh_config(5)", 0},
		{"host", KindArgument, "the host to log in to", "", 0}})
}

// renice's priority may be negative without -n before it.
func TestRenicePriority(t *testing.T) {
	needPage(t, "renice")
	check(t, "renice -5 -p 1234", []want{{"renice", KindProgram, "priority", "renice(1)", 0},
		{"-5", KindFlag, "the new priority, -5", "", 0}, {"-p", KindFlag, "", "renice(1)", 0}, {"1234", KindArgument, "argument", "", 0}})
}

// git's configuration variables, from git-config(1)'s list: the key
// git config sets or reads, and git -c's; patterns stand for names.
func TestGitVariables(t *testing.T) {
	needPage(t, "git", "git-config", "git-commit")
	for cmd, wants := range map[string][]want{
		`git config --global user.name "Me"`: {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"--global", KindFlag, "global", "git-config(1)", 0}, {"user.name", KindArgument, "user.name: the user.name and user.email variables", "git-config(1)", 0},
			{`"Me"`, KindArgument, "argument", "", 0}},
		"git -c core.editor=vim commit": {{"git", KindProgram, "", "git(1)", 0}, {"-c", KindFlag, "configuration parameter", "git(1)", 0},
			{"core.editor=vim", KindArgument, "core.editor: commands such as commit and tag", "git-config(1)", 0},
			{"commit", KindSubcommand, "record changes", "git-commit(1)", 0}},
		"git config branch.main.remote origin": {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"branch.main.remote", KindArgument, "branch.<name>.remote: when on branch <name>", "git-config(1)", 0},
			{"origin", KindArgument, "argument", "", 0}},
		"git config no.such": {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"no.such", KindArgument, "argument", "", 0}},
		// An alias's command, or an editor's, explained under it.
		`git config --global alias.lg "log --oneline"`: {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"--global", KindFlag, "global", "git-config(1)", 0}, {"alias.lg", KindArgument, "alias.*", "git-config(1)", 0},
			{`"log --oneline"`, KindArgument, "what git lg stands for:", "", 0}, {"git", KindProgram, "", "git(1)", 1},
			{"log", KindSubcommand, "", "git-log(1)", 1}, {"--oneline", KindFlag, "", "git-log(1)", 1}},
		`git config alias.t '!make test'`: {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"alias.t", KindArgument, "alias.*", "git-config(1)", 0}, {`'!make test'`, KindArgument, "what git t runs, a shell command:", "", 0},
			{"make", KindProgram, "", "", 1}, {"test", KindArgument, "", "", 1}},
		`git config core.editor "vim -u NONE"`: {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"core.editor", KindArgument, "core.editor", "git-config(1)", 0}, {`"vim -u NONE"`, KindArgument, "the command git runs:", "", 0},
			{"vim", KindProgram, "", "", 1}, {"-u", KindFlag, "", "", 1}, {"NONE", KindArgument, "", "", 1}},
		"git config set pull.rebase true": {{"git", KindProgram, "", "git(1)", 0}, {"config", KindSubcommand, "", "git-config(1)", 0},
			{"set", KindArgument, "argument", "", 0}, {"pull.rebase", KindArgument, "pull.rebase: when true, rebase", "git-config(1)", 0},
			{"true", KindArgument, "argument", "", 0}},
	} {
		check(t, cmd, wants)
	}
}

func TestVariableMatch(t *testing.T) {
	for _, c := range []struct {
		pat, name string
		want      bool
	}{
		{"alias.*", "alias.co", true},
		{"alias.*", "alias.", false},
		{"branch.<name>.remote", "branch.main.remote", true},
		{"branch.<name>.remote", "branch.a.b.remote", true},
		{"branch.<name>.remote", "branch..remote", false},
		{"url.<base>.insteadof", "url.https://x.org/.insteadof", true},
		{"core.editor", "core.editor", true},
		{"core.editor", "core.pager", false},
		{"a<b.*", "a<b.c", true},
		{"a<b.*", "axb.c", false},
	} {
		if got := variableMatch(c.pat, c.name); got != c.want {
			t.Errorf("variableMatch(%q, %q) = %v, want %v", c.pat, c.name, got, c.want)
		}
	}
}
