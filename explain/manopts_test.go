package explain

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// Each way pages tag their options, as the generators write them.
func TestParsePageForms(t *testing.T) {
	for _, c := range []struct {
		name, roff string
		want       map[string]entry
	}{
		{"help2man", ".SH OPTIONS\n.TP\n\\fB\\-a\\fR, \\fB\\-\\-all\\fR\ndo not ignore entries starting with .\n.TP\n\\fB\\-w\\fR, \\fB\\-\\-width\\fR=\\fI\\,COLS\\/\\fR\nset output width to COLS.  0 means no limit\n.TP\n\\fB\\-\\-color\\fR[=\\fI\\,WHEN\\/\\fR]\ncolorize the output\n",
			map[string]entry{"-a": {doc: "do not ignore entries starting with ."}, "--all": {doc: "do not ignore entries starting with ."},
				"-w": {doc: "set output width to COLS", arg: true}, "--width": {doc: "set output width to COLS", arg: true},
				"--color": {doc: "colorize the output", arg: true, optional: true}}},
		{"docbook", ".SH OPTIONS\n.PP\n\\-m <msg>, \\-\\-message=<msg>\n.RS 4\nUse the given <msg> as the commit message\\&. More text.\n.RE\n.PP\n\\fBrestart \\fR\\fB\\fIPATTERN\\fR\\fR\n.RS 4\nStop and then start units\\&.\n.RE\n",
			map[string]entry{"-m": {doc: "Use the given <msg> as the commit message", arg: true}, "--message": {doc: "Use the given <msg> as the commit message", arg: true},
				"restart": {doc: "Stop and then start units"}}},
		{"asciidoctor", ".SH \"OPTIONS\"\n.sp\nThe options below are mutually exclusive.\n.sp\n\\fB\\-l\\fP, \\fB\\-\\-level\\fP \\fIlist\\fP\n.RS 4\nRestrict output to the given levels.\n.sp\nFor example: dmesg.\n.RE\n.sp\n\\fB\\-C\\fP\n.RS 4\nClear the ring buffer.\n.RE\n",
			map[string]entry{"-l": {doc: "Restrict output to the given levels", arg: true}, "--level": {doc: "Restrict output to the given levels", arg: true},
				"-C": {doc: "Clear the ring buffer"}}},
		{"mdoc", ".Sh NAME\n.Nm ssh\n.Nd remote login client\n.Sh DESCRIPTION\n.Bl -tag -width Ds\n.It Fl p Ar port\nPort to connect to on the remote host.\n.It Fl o Ar option\nGive options:\n.Bl -tag -compact\n.It XAuthLocation\n.El\n.Pp\n.It Fl q\nQuiet mode.\n.El\n",
			map[string]entry{"-p": {doc: "Port to connect to on the remote host", arg: true}, "-o": {doc: "Give options:", arg: true}, "-q": {doc: "Quiet mode"}}},
		{"mdoc Xo", ".Sh DESCRIPTION\n.Bl -tag -width Ds\n.It Fl L Xo\n.Sm off\n.Oo Ar bind_address : Oc\n.Ar port : host : hostport\n.Sm on\n.Xc\n.It Fl L Xo\n.Sm off\n.Ar local_socket : remote_socket\n.Sm on\n.Xc\nSpecifies that connections to the given TCP port\nare forwarded.\n.It Fl N\nDo not execute a remote command.\n.It Fl x\nDisables X11 forwarding.\n.El\n",
			map[string]entry{"-L": {doc: "Specifies that connections to the given TCP port are forwarded", arg: true}, "-N": {doc: "Do not execute a remote command"},
				"-x": {doc: "Disables X11 forwarding"}}},
		{"a command's synopsis", ".SH COMMANDS\n.PP\npush [-p|--patch] [-S|--staged] [-k|--[no-]keep-index] [-u|--include-untracked] [-a|--all] [-q|--quiet] [(-m|--message) <message>] [--] [<pathspec>...]\n.RS 4\nSave your local modifications to a new stash entry\\&.\n.RE\n.PP\nThis sentence is long enough to be more than four words\n.RS 4\nand is not a command\\&.\n.RE\n",
			map[string]entry{"push": {doc: "Save your local modifications to a new stash entry"}}},
		{"operators", ".SH OPERATORS\n.IP \"\\fIexpr1\\fR \\-o \\fIexpr2\\fR\"\nOr; expr2 is not evaluated if expr1 is true.\n.IP \"\\-not \\fIexpr\\fR\"\nSame as ! expr.\n.IP \"\\-e \\fIexpr\\fR\"\nA qualifying expression.\n.SH EXAMPLES\n.TP\n\\fBkill \\-9 \\-1\\fR\nKill all processes you can kill.\n",
			map[string]entry{"-o": {doc: "Or; expr2 is not evaluated if expr1 is true"}, "-not": {doc: "Same as ! expr"}, "-e": {doc: "A qualifying expression", arg: true}, "kill": {doc: "Kill all processes you can kill"}}},
		{"IP and bare words", ".SH EXPRESSION\n.IP \"\\-name \\fIpattern\\fR\"\nBase of file name matches shell pattern.\n.SH OPTIONS\n.TP\n.B \\-c --stdout\nCompress to standard output.\n.TP\n.BR a\nLift the BSD-style restriction.\n",
			map[string]entry{"-name": {doc: "Base of file name matches shell pattern", arg: true}, "-c": {doc: "Compress to standard output"},
				"--stdout": {doc: "Compress to standard output"}, "a": {doc: "Lift the BSD-style restriction"}}},
		{"aliases, subsections, bullets, hanging", ".SH OPTIONS\n.TP\n.PD 0\n.B \\-sf\n.TP\n.PD\n.B \\-\\-show\\-files\nShow the files.\n.SS \"\\-\\-route, \\-r\"\nDisplay the routing tables.\n.IP \"\\[ci]\" 4\n\\fB\\-k\\fR, \\fB\\-\\-keep\\fR: keep the source file\\.\n.HP\n\\fB\\-s\\fR, \\fB\\-\\-signal\\fR=\\fI\\,SIGNAL\\/\\fR\n.IP\nspecify the signal to be sent\n",
			map[string]entry{"-sf": {doc: "Show the files"}, "--show-files": {doc: "Show the files"}, "--route": {doc: "Display the routing tables"},
				"-r": {doc: "Display the routing tables"}, "-k": {doc: "keep the source file"}, "--keep": {doc: "keep the source file"},
				"-s": {doc: "specify the signal to be sent", arg: true}, "--signal": {doc: "specify the signal to be sent", arg: true}}},
		// keytool's: an option and its value in the braces of the command's
		// synopsis; jps's: an option, then what it does.
		{"bullets in braces", ".SH COMMANDS\n.RS\n.IP \\[bu] 2\n{\\f[CB]\\-alias\\f[R] \\f[I]alias\\f[R]}: Alias name of the entry to process\n.IP \\[bu] 2\n{\\f[CB]\\-v\\f[R]}: Verbose output\n.IP \\[bu] 2\n[\\f[CB]\\-q\\f[R]]: Quiet\n.IP \\[bu] 2\n\\f[CB]\\-l\\f[R] displays the full package name\n.IP \\[bu] 2\n\\-x an option, then no verb\n.RE\n",
			map[string]entry{"-alias": {doc: "Alias name of the entry to process", arg: true}, "-v": {doc: "Verbose output"}, "-q": {doc: "Quiet"},
				"-l": {doc: "displays the full package name"}}},
		{"docbook, forms on lines of their own", ".SH OPTIONS\n.PP\n\\fB\\-U \\fR\\fB\\fIusername\\fR\\fR\n.br\n\\fB\\-\\-username=\\fR\\fB\\fIusername\\fR\\fR\n.RS 4\nUser name to connect as\\&.\n.RE\n.PP\n\\fB\\-w\\fR\n.br\n\\fB\\-\\-no\\-password\\fR\n.RS 4\nNever issue a password prompt\\&.\n.RE\n",
			map[string]entry{"-U": {doc: "User name to connect as", arg: true}, "--username": {doc: "User name to connect as", arg: true},
				"-w": {doc: "Never issue a password prompt"}, "--no-password": {doc: "Never issue a password prompt"}}},
		{"pod2man", ".de IX\n..\n.SH OPTIONS\n.ie n .IP \"\"\"\\-b\"\"\" 4\n.el .IP \"\\f(CW\\-b\\fR\" 4\n.IX Item \"-b\"\n.PD 0\n.ie n .IP \"\"\"\\-\\-brief\"\"\" 4\n.el .IP \"\\f(CW\\-\\-brief\\fR\" 4\n.PD\nDo not print the blurbs.\n",
			map[string]entry{"-b": {doc: "Do not print the blurbs"}, "--brief": {doc: "Do not print the blurbs"}}},
		{"a value only attached", ".SH OPTIONS\n.IP \"\\fB\\-d\\fR\" 4\n.PD 0\n.IP \"\\fB\\-\\-disassemble\\fR\" 4\n.IP \"\\fB\\-\\-disassemble=\\fR\\fIsymbol\\fR\" 4\n.PD\nDisplay the assembler mnemonics.\n",
			map[string]entry{"-d": {doc: "Display the assembler mnemonics", arg: true, optional: true}, "--disassemble": {doc: "Display the assembler mnemonics", arg: true, optional: true}}},
		{"command lists, a lone dash", ".SH SYNOPSIS\n\\fBapt\\fR {install | remove}\n.SH DESCRIPTION\n.PP\n\\fBinstall\\fR, \\fBremove\\fR (\\fBapt-get\\fR(8))\n.RS 4\nPerforms the requested action\\&.\n.RE\n" +
			".PP\n\\fBenable \\fR\\fB\\fIUNIT\\fR\\fR\\fB\\&...\\fR, \\fBenable \\fR\\fB\\fIPATH\\fR\\fR\\fB\\&...\\fR\n.RS 4\nEnable one or more units\\&.\n.RE\n.PP\nlock-session [ID...], unlock-session [ID...]\n.RS 4\nLocks the screen\\&.\n.RE\n.PP\nexpr1 , expr2\n.RS 4\nNot commands\\&.\n.RE\n.SH OPTIONS\n.sp\n\\fB\\-\\fP, \\fB\\-l\\fP, \\fB\\-\\-login\\fP\n.RS 4\nStart a login shell\\&.\n.RE\n",
			map[string]entry{"install": {doc: "Performs the requested action"}, "remove": {doc: "Performs the requested action"},
				"enable": {doc: "Enable one or more units"}, "lock-session": {doc: "Locks the screen"}, "unlock-session": {doc: "Locks the screen"},
				"-": {doc: "Start a login shell"}, "-l": {doc: "Start a login shell"}, "--login": {doc: "Start a login shell"}}},
		{"TQ, a meaning on the tag's line", ".SH OPTIONS\n.TP\n.B \\-T\n.TQ\n.BR \\-\\-syscall\\-times [= \\fIprecision\\fR ]\nShow the time spent in system calls.\n.TP\n.B  --receive-keys \\fIkeyIDs\\fR\n.TQ\n.B  --recv-keys \\fIkeyIDs\\fR\nImport the keys from a keyserver.\n.HP\n\\fB\\-\\-disassemble\\fR                 \\- Disassemble strings of hex bytes\n.HP\n\\fB\\-o=\\fR\\fI<filename>\\fR              \\- Output filename\n",
			map[string]entry{"--receive-keys": {doc: "Import the keys from a keyserver", arg: true}, "--recv-keys": {doc: "Import the keys from a keyserver", arg: true},
				"--disassemble": {doc: "Disassemble strings of hex bytes"}, "-o": {doc: "Output filename", arg: true},
				"-T": {doc: "Show the time spent in system calls", arg: true, optional: true}, "--syscall-times": {doc: "Show the time spent in system calls", arg: true, optional: true}}},
		// docutils' (LLVM's): a term, then its meaning in an indented
		// block of the page's own macros; "--" typeset as an en dash.
		{"docutils' indented blocks", ".SH OPTIONS\n.sp\n\\fB\u2013prefix\\fP\n.INDENT 0.0\n.INDENT 3.5\nPrint the prefix; see \u2013libs.\n.UNINDENT\n.UNINDENT\n.sp\n\\fB\\-help\\fP\n.INDENT 0.0\n.INDENT 3.5\nPrint a summary.\n.UNINDENT\n.UNINDENT\n",
			map[string]entry{"--prefix": {doc: "Print the prefix; see --libs"}, "-help": {doc: "Print a summary"}}},
		// A value-taking option's list of its values, nested under it
		// after a colon; not a list under an option without a value
		// (objdump -t's output flags), nor after one whose text ends
		// otherwise; a tag without text still joins the next. A value
		// "May also be specified as -a" is what -a means.
		{"values nested under an option", ".SH OPTIONS\n.TP\n\\fB\\-A\\fP \\fIaction\\fP\nThe action may be one of the following:\n.RS\n.TP 8\n.B alias\nAlias names. May also be specified as \\fB\\-a\\fP.\n.TP\n.B file\nFile names.\n.RE\n.TP\n.B \\-t\nPrint the symbols:\n.RS\n.IP l\nlocal\n.RE\n.TP\n.B \\-r\n.TP\n.B \\-\\-recurse\nRecurse, for example:\n.RS\n.IP x\nnot a value\n.RE\n",
			map[string]entry{"-A": {doc: "The action may be one of the following", arg: true, values: map[string]string{"alias": "Alias names", "file": "File names"}},
				"-a": {doc: "the same as -A alias: Alias names"}, "-t": {doc: "Print the symbols:"}, "l": {doc: "local"},
				"-r": {doc: "Recurse, for example:"}, "--recurse": {doc: "Recurse, for example:"}, "x": {doc: "not a value"}}},
		// Compression levels, as gzip, bzip2, xz, zip and zstd tag them:
		// "-#" for any digit, a range ("to", "..."), alternatives in
		// brackets (after a bullet .IP that a .TP ends), "-T#" for a
		// number attached to the letter; "(alias -b)" is another name,
		// and ld's "-( archives -)" is still no option.
		{"digit options", ".SH OPTIONS\n.TP\n.B \\-# --fast --best\nRegulate the speed of compression.\n" +
			".TP\n\\fB\\-T#\\fR, \\fB\\-\\-threads=#\\fR\nCompress using # working threads.\n" +
			".IP \"\\fB\\-\\-basename\\fR (alias \\-b)\" 4\nIgnore the directory path.\n" +
			".TP\n\\fB\\-(\\fR \\fIarchives\\fR \\fB\\-)\\fR\nThe archives should be a list of archive files.\n",
			map[string]entry{"-#": {doc: "Regulate the speed of compression"}, "--fast": {doc: "Regulate the speed of compression"},
				"--best": {doc: "Regulate the speed of compression"},
				"-T":     {doc: "Compress using # working threads", arg: true, optional: true}, "--threads": {doc: "Compress using # working threads", arg: true},
				"--basename": {doc: "Ignore the directory path"}, "-b": {doc: "Ignore the directory path"}}},
		// diff's: -U's value is required, --unified's optional; git
		// log's alternatives in brackets are no required value.
		{"a value required by one name only", ".SH OPTIONS\n.TP\n\\fB\\-U\\fR NUM, \\fB\\-\\-unified\\fR[=\\fINUM\\fR]\noutput NUM lines of unified context\n" +
			".TP\n\\-\\-decorate[=short|full|auto|no]\nPrint out the ref names.\n",
			map[string]entry{"-U": {doc: "output NUM lines of unified context", arg: true}, "--unified": {doc: "output NUM lines of unified context", arg: true, optional: true, digits: true},
				"--decorate": {doc: "Print out the ref names", arg: true, optional: true}}},
		{"a range of digit options", ".SH OPTIONS\n.TP\n.B \\-1 (or \\-\\-fast) to \\-3 (or \\-\\-best)\nSet the block size to 100 k ...  300 k when compressing.  More.\n",
			map[string]entry{"-1": {doc: "Set the block size to 100 k ... 300 k when compressing"}, "-2": {doc: "Set the block size to 100 k ... 300 k when compressing"},
				"-3": {doc: "Set the block size to 100 k ... 300 k when compressing"}, "--fast": {doc: "Set the block size to 100 k ... 300 k when compressing"},
				"--best": {doc: "Set the block size to 100 k ... 300 k when compressing"}}},
		{"an ellipsis of digit options", ".SH OPTIONS\n.TP\n.BR \\-0 \" ... \" \\-2\nSelect a preset.\n",
			map[string]entry{"-0": {doc: "Select a preset"}, "-1": {doc: "Select a preset"}, "-2": {doc: "Select a preset"}}},
		// unzip's optional operand, tagged as its synopsis writes it; not
		// help2man's usage lines.
		{"a tag in brackets", ".SH OPTIONS\n.IP [\\fB\\-d\\fP\\ \\fIexdir\\fP]\nAn optional directory.\n.TP\n[\\-\\-no\\-defaults]\n[\\-\\-complete\\-arguments ...]\n",
			map[string]entry{"-d": {doc: "An optional directory", arg: true}}},
		{"digit options in brackets", ".SH OPTIONS\n.IP\n.TP\n.PD 0\n.BI \\-#\n.TP\n.PD\n.B (\\-0, \\-1)\nRegulate the speed.\n",
			map[string]entry{"-#": {doc: "Regulate the speed"}, "-0": {doc: "Regulate the speed"}, "-1": {doc: "Regulate the speed"}}},
	} {
		p := parsePage(roff.Expand(strings.Split(c.roff, "\n")), "x(1)")
		for k, w := range c.want {
			if got, ok := p.entries[k]; !ok || !reflect.DeepEqual(got, w) {
				t.Errorf("%s: %q = %+v (found %v), want %+v", c.name, k, got, ok, w)
			}
		}
		for k := range p.entries {
			if _, ok := c.want[k]; !ok {
				t.Errorf("%s: unexpected entry %q", c.name, k)
			}
		}
	}
}

// A NAME line split after the program's name still gives the summary.
func TestSummaryOnItsOwnLine(t *testing.T) {
	p := parsePage(strings.Split(".SH NAME\n.B gpg\n\\- OpenPGP encryption and signing tool\n.SH SYNOPSIS\n", "\n"), "gpg(1)")
	if p.summary != "OpenPGP encryption and signing tool" {
		t.Errorf("summary %q", p.summary)
	}
}

func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Extract files from an archive.  Arguments are optional.":  "Extract files from an archive",
		"do not ignore entries starting with .":                    "do not ignore entries starting with .",
		"filter through gzip (1), e.g. to save space. More.":       "filter through gzip(1), e.g. to save space",
		"Travel the directory structure recursively; for example:": "Travel the directory structure recursively",
		"Explicitly exclude the specified files, as in:":           "Explicitly exclude the specified files",
		"Give options:": "Give options:",
		"Set the size to 100 k, 200 k ...  900 k here.  More.": "Set the size to 100 k, 200 k ... 900 k here",
		"The parameters are renamed to $1 .... Parameters go.": "The parameters are renamed to $1 ...",
		strings.Repeat("long ", 50):                            strings.TrimSpace(strings.Repeat("long ", 50)[:157]) + "...",
	} {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever a page holds, parsing it never panics and every entry has a
// name that is a word.
// FuzzParseHelp feeds parseHelp what a program may print for --help:
// anything.
func FuzzParseHelp(f *testing.F) {
	for _, s := range []string{
		"Usage: perl [switches]\n  -0[octal/hexadecimal] specify record separator\n  -l[octnum]            enable line ending processing\n",
		"Usage: gcc [options] file...\nOptions:\n  -O<number>   Set level.\n  -L           This option lacks documentation.\n  (Use '-v --help' to display command line options of sub-processes).\nUsage: as [option...]\n  -L  keep locals\n",
		"  --eval-command=COMMAND, -ex\n\t\t     Execute a single GDB command.\n  --init-eval-command=COMMAND, -iex\n",
		"\nUsage:  docker [OPTIONS] COMMAND\n\nCommon Commands:\n  run   Create and run\n\nRun 'docker COMMAND --help' for more.\n",
		"Usage: ", "  -", "\t-x\t\t", "Usage: x\nUsage: as\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p := parseHelp(text, "x --help", "x", false)
		for n := range p.entries {
			if n == "" {
				t.Fatalf("%q: an entry without a name", text)
			}
		}
	})
}

func FuzzParsePage(f *testing.F) {
	for _, s := range []string{".TP\n\\fB\\-a\\fR\nall\n", ".PP\n-x, --y=Z\n.RS 4\nd\n.RE\n", ".It Fl q\nquiet\n", ".IP \"\\[ci]\" 4\n\\-k: keep\n", ".HP\n-s\n.IP\nsig\n",
		".TP\n\\fB\\-A\\fP \\fIa\\fP\nOne of:\n.RS\n.TP\n.B f\nFiles.\n.RE\n", ".TP\n\\fBx\\fP [ \\fB\\-a\\fP ]\nDo it\\&.  With \\fB\\-a\\fP flag, all of them\\&.\n.RS\n.TP\n\\fBx \\-b\\fP\nB\\&.\n.RE\n",
		".SH SYNOPSIS\n\\fBx\\fP [\\fB\\-a\\fP | \\fB\\-\\-all\\fP] [(\\fB\\-m\\fP | \\fB\\-\\-max\\fP) \\fIMAX\\fP] \\fBy\\fP\n.SH \"Y\" SUBCOMMAND\n.nf\nx [\\-e | \\-\\-erase] NAME\n.fi\n.sp\n\\fB\\-\\-s=v\\fP sets it to v\\&.\n",
		".sp\n\\fB\u2013p\\fP\n.INDENT 0.0\n.INDENT 3.5\nP, as \u2013q.\n.UNINDENT\n.UNINDENT\n", ".TP\n\\fB\\-A\\fP \\fIa\\fP\nOne of:\n.RS\n.TP\n.B f\nF. May also be specified as \\-f.\n.RE\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		p := parsePage(lines, "x(1)")
		for k, e := range p.entries {
			if k == "" || strings.ContainsAny(k, " \t\n") {
				t.Fatalf("entry %q from %q", k, s)
			}
			for v := range e.values {
				if v == "" || strings.ContainsAny(v, " \t\n") {
					t.Fatalf("%s's value %q from %q", k, v, s)
				}
			}
		}
		// A builtin's entry, as zsh's and bash's pages shape them, and
		// fish's pages: options in prose are options.
		prose := func(m map[string]entry) {
			for k := range m {
				if len(k) < 2 || k[0] != '-' && k[0] != '+' || strings.ContainsAny(k, " \t\n=") {
					t.Fatalf("prose option %q from %q", k, s)
				}
			}
		}
		if b, _ := builtinEntry(lines, "x"); b != nil {
			prose(b.prose)
		}
		p.subcommandSections(lines)
		p.prose = proseOptions(lines, "x", true)
		p.proseAliases(lines)
		prose(p.prose)
		_ = tagList(lines, len(s)%2 == 0)
	})
}

// A synopsis's literal words name commands; its italic ones are
// placeholders, however they are set in italics.
func TestSynopsisWords(t *testing.T) {
	page := ".SH SYNOPSIS\n\\fBcreateuser\\fR [\\fIconnection\\-option\\fR...] [\\fIusername\\fR]\n.B apt\n{list | \\f(CIpkg\\fP | \\f(CBupdate\\fP}\n.IR file \" show\"\n.I path\n.SH DESCRIPTION\nNot list-ed here\n"
	p := parsePage(strings.Split(page, "\n"), "x(1)")
	for w, want := range map[string]bool{"createuser": true, "list": true, "update": true, "show": true,
		"username": false, "connection-option": false, "pkg": false, "file": false, "path": false, "here": false} {
		if p.synopsis[w] != want {
			t.Errorf("%q in the synopsis: %v, want %v", w, p.synopsis[w], want)
		}
	}
}

// Every % sequence of a word must be one the page lists, with date's
// flags and width allowed, and find's %Ak standing for %A and a letter.
func TestFormatDoc(t *testing.T) {
	p := parsePage(roff.Expand(strings.Split(".SH DESCRIPTION\n.TP\n%%\na literal %\n.TP\n%d\nday of month\n.TP\n%:z\nzone\n"+
		".TP\n%::z\nzone with seconds\n.TP\n%A\\fIk\\fP\nAccess time in the format k\n", "\n")), "x(1)")
	for word, want := range map[string]string{
		"+%d":         "%d day of month",
		"%-d/%_5d":    "%-d day of month; %_5d day of month",
		"%::z %:z":    "%::z zone with seconds; %:z zone",
		"%AY%%":       "%AY Access time in the format k; %% a literal %",
		"%d %s":       "",
		"50% off":     "",
		"no sequence": "",
	} {
		if got := p.formatDoc(word); got != want {
			t.Errorf("formatDoc(%q) = %q, want %q", word, got, want)
		}
	}
	if len(p.entries) != 0 {
		t.Errorf("sequences became options: %v", p.entries)
	}
}

// A page whose options are a usage message set verbatim (shasum's, made
// by pod2man; prove's, with a second name after two spaces) has them read
// as --help output; an example set verbatim among the options adds none,
// and a tagged paragraph comes first.
func TestUsageOptions(t *testing.T) {
	src := ".de Vb\n.nf\n..\n.de Ve\n.fi\n..\n.SH \"SYNOPSIS\"\n.Vb 3\n\\& Usage: x [OPTION]... [FILE]...\n\\&\n" +
		"\\&   \\-c, \\-\\-check       read sums from the FILEs and check them\n" +
		"\\& \\-v,  \\-\\-verbose         Print all test lines.\n" +
		"\\&       \\-\\-strict      exit non\\-zero for improperly formatted lines\n\\&   \\-q         quiet\n.Ve\n" +
		".SH OPTIONS\n.TP\n.B \\-q\nThe tagged meaning.\n.Vb 2\n\\&   \\-Wl,\\-\\-start\\-group   foo.o   bar.o\n\\&   \\-\\-\\-\\-\\-BEGIN  armour\n.Ve\n" +
		".SH EXAMPLES\n.Vb 1\n\\&   \\-n   not an option of this page\n.Ve\n"
	lines := roff.Expand(strings.Split(src, "\n"))
	p := parsePage(lines, "x(1)")
	p.usageOptions(lines)
	want := map[string]entry{"-c": {doc: "read sums from the FILEs and check them"}, "--check": {doc: "read sums from the FILEs and check them"},
		"-v": {doc: "Print all test lines"}, "--verbose": {doc: "Print all test lines"},
		"--strict": {doc: "exit non-zero for improperly formatted lines"}, "-q": {doc: "The tagged meaning"}}
	if !reflect.DeepEqual(p.entries, want) {
		t.Errorf("entries %+v\nwant %+v", p.entries, want)
	}
	if !slices.Contains(p.longs, "--check") || !slices.Contains(p.longs, "--strict") {
		t.Errorf("long options %v lack the usage's", p.longs)
	}
}
