package explain

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var lib = NewLibrary()

// needPage skips when this machine lacks a page; CI's image has them.
func needPage(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if p, _ := find(lib.roots, n); p == "" {
			if os.Getenv("CI") != "" && (n == "tar" || n == "ls" || n == "find" || n == "grep") {
				t.Fatalf("no man page for %s in CI", n)
			}
			t.Skipf("no man page for %s here", n)
		}
	}
}

// want is an expected part: its text, kind, and words its doc contains
// (case-insensitive), and its source.
type want struct {
	text, kind, doc, source string
	depth                   int
}

func check(t *testing.T, cmd string, wants []want) Explanation {
	t.Helper()
	return checkIn(t, lib, cmd, wants)
}

// checkIn is check with a library of the test's own.
func checkIn(t *testing.T, l *Library, cmd string, wants []want) Explanation {
	t.Helper()
	return checkShell(t, l, "bash", cmd, wants)
}

// checkShell is checkIn for another shell's syntax and builtins.
func checkShell(t *testing.T, l *Library, shell, cmd string, wants []want) Explanation {
	t.Helper()
	ex, err := l.Explain(context.Background(), cmd, shell)
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	if len(ex.Parts) != len(wants) {
		var got []string
		for _, p := range ex.Parts {
			got = append(got, p.Kind+":"+p.Text)
		}
		t.Fatalf("%s: %d parts %q, want %d", cmd, len(ex.Parts), got, len(wants))
	}
	for i, w := range wants {
		p := ex.Parts[i]
		if p.Text != w.text || p.Kind != w.kind || p.Depth != w.depth {
			t.Errorf("%s: part %d = %s %q depth %d, want %s %q depth %d", cmd, i, p.Kind, p.Text, p.Depth, w.kind, w.text, w.depth)
		}
		if !strings.Contains(strings.ToLower(p.Doc), strings.ToLower(w.doc)) {
			t.Errorf("%s: %q doc %q lacks %q", cmd, p.Text, p.Doc, w.doc)
		}
		// An argument is never documented anywhere of its own.
		if (w.source != "" || w.kind == KindArgument) && p.Source != w.source {
			t.Errorf("%s: %q source %q, want %q", cmd, p.Text, p.Source, w.source)
		}
		if w.source != "" && !p.Known {
			t.Errorf("%s: %q not known", cmd, p.Text)
		}
	}
	return ex
}

func TestTar(t *testing.T) {
	needPage(t, "tar")
	check(t, "tar -xzvf backup.tgz -C /tmp", []want{
		{"tar", KindProgram, "archiv", "tar(1)", 0},
		{"-x", KindFlag, "extract", "tar(1)", 0},
		{"-z", KindFlag, "gzip", "tar(1)", 0},
		{"-v", KindFlag, "verbose", "tar(1)", 0},
		{"-f", KindFlag, "archive", "tar(1)", 0},
		{"backup.tgz", KindArgument, "value of -f", "", 0},
		{"-C", KindFlag, "dir", "tar(1)", 0},
		{"/tmp", KindArgument, "value of -C", "", 0},
	})
	// Old style, long options with = and abbreviated.
	check(t, "tar xzf a.tgz --exclude=*.o --verbo", []want{
		{"tar", KindProgram, "", "tar(1)", 0},
		{"x", KindFlag, "extract", "tar(1)", 0},
		{"z", KindFlag, "gzip", "tar(1)", 0},
		{"f", KindFlag, "archive", "tar(1)", 0},
		{"a.tgz", KindArgument, "value of -f", "", 0},
		{"--exclude=*.o", KindFlag, "exclude", "tar(1)", 0},
		{"--verbo", KindFlag, "--verbose", "tar(1)", 0},
	})
}

func TestFind(t *testing.T) {
	needPage(t, "find", "rm")
	check(t, `find . -name "*.log" -mtime +7 -exec rm -f {} \; 2>/dev/null`, []want{
		{"find", KindProgram, "search", "find(1)", 0},
		{".", KindArgument, "where the search starts", "", 0},
		{"-name", KindFlag, "pattern", "find(1)", 0},
		{`"*.log"`, KindArgument, "value of -name", "", 0},
		{"-mtime", KindFlag, "modified", "find(1)", 0},
		{"+7", KindArgument, "value of -mtime", "", 0},
		{"-exec", KindFlag, "command", "find(1)", 0},
		{"rm", KindProgram, "remove", "rm(1)", 1},
		{"-f", KindFlag, "", "rm(1)", 1},
		{"{}", KindArgument, "what to delete: the path of the file found", "", 1},
		{`\;`, KindOperator, "once per file", "", 0},
		{"2>/dev/null", KindRedirect, "discards errors", "", 0},
	})
	// Operators take no value (-not used to swallow -perm), parentheses
	// and ! are operators, -newerXY is one documented primary, and an
	// unknown primary stays one word.
	check(t, `find . \( -type d -o ! -name x \) -not -perm -o=w -newermt 2024-01-01 -frob`, []want{
		{"find", KindProgram, "search", "find(1)", 0},
		{".", KindArgument, "where the search starts", "", 0},
		{`\(`, KindOperator, "group", "", 0},
		{"-type", KindFlag, "type", "find(1)", 0},
		{"d", KindArgument, "directory", "find(1)", 0}, // from the list under -type
		{"-o", KindFlag, "or", "find(1)", 0},
		{"!", KindOperator, "false", "", 0},
		{"-name", KindFlag, "pattern", "find(1)", 0},
		{"x", KindArgument, "value of -name", "", 0},
		{`\)`, KindOperator, "ends the group", "", 0},
		{"-not", KindFlag, "", "find(1)", 0},
		{"-perm", KindFlag, "permission", "find(1)", 0},
		{"-o=w", KindArgument, "value of -perm", "", 0},
		{"-newermt", KindFlag, "newer", "find(1)", 0},
		{"2024-01-01", KindArgument, "value of -newermt", "", 0},
		{"-frob", KindFlag, "no documentation found for -frob in find(1)", "", 0},
	})
}

func TestPipelineRedirectsAndOptionValues(t *testing.T) {
	needPage(t, "ps", "grep", "sort", "head")
	check(t, "ps aux | grep -i ssh | sort -k3 -nr > top.txt 2>&1", []want{
		{"ps", KindProgram, "process", "ps(1)", 0},
		{"a", KindFlag, "", "ps(1)", 0},
		{"u", KindFlag, "user", "ps(1)", 0},
		{"x", KindFlag, "", "ps(1)", 0},
		{"|", KindOperator, "pipe", "", 0},
		{"grep", KindProgram, "pattern", "grep(1)", 0},
		{"-i", KindFlag, "case", "grep(1)", 0},
		{"ssh", KindArgument, "the pattern to search for", "", 0},
		{"|", KindOperator, "pipe", "", 0},
		{"sort", KindProgram, "sort", "sort(1)", 0},
		{"-k", KindFlag, "key", "sort(1)", 0},
		{"3", KindArgument, "value of -k", "", 0},
		{"-n", KindFlag, "numeric", "sort(1)", 0},
		{"-r", KindFlag, "reverse", "sort(1)", 0},
		{"> top.txt", KindRedirect, "writes output to top.txt", "", 0},
		{"2>&1", KindRedirect, "errors to the same place as output", "", 0},
	})
	check(t, "LANG=C head -n 5 -- -file <<EOF\nx\nEOF", []want{
		{"LANG=C", KindAssignment, "for this command only", "", 0},
		{"head", KindProgram, "first part", "head(1)", 0},
		{"-n", KindFlag, "lines", "head(1)", 0},
		{"5", KindArgument, "value of -n", "", 0},
		{"--", KindOperator, "end of options", "", 0},
		{"-file", KindArgument, "a file to read", "", 0},
		{"<<EOF", KindRedirect, "here-document", "", 0},
	})
}

func TestSubstitutionsAndLists(t *testing.T) {
	needPage(t, "date", "mkdir")
	check(t, `mkdir -p "dir-$(date +%s)" && (cd /tmp; ls) || echo no`, []want{
		{"mkdir", KindProgram, "director", "mkdir(1)", 0},
		{"-p", KindFlag, "parent", "mkdir(1)", 0},
		{`"dir-$(date +%s)"`, KindArgument, "", "", 0},
		{"$( … )", KindOperator, "output of the commands", "", 0},
		{"date", KindProgram, "date", "date(1)", 1},
		{"+%s", KindArgument, "a format: %s seconds", "date(1)", 1},
		{"&&", KindOperator, "succeeds", "", 0},
		{"( … )", KindOperator, "subshell", "", 0},
		{"cd", KindProgram, "directory", "bash help", 1},
		{"/tmp", KindArgument, "", "", 1},
		{";", KindOperator, "then", "", 1},
		{"ls", KindProgram, "list", "ls(1)", 1},
		{"||", KindOperator, "fails", "", 0},
		{"echo", KindProgram, "", "", 0},
		{"no", KindArgument, "", "", 0},
	})
}

func TestBuiltinsAndDeclarations(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	ex := check(t, "export -n PATH=/bin FOO", []want{
		{"export", KindProgram, "export", "bash help", 0},
		{"-n", KindFlag, "remove", "bash help", 0},
		{"PATH=/bin", KindAssignment, "PATH", "", 0},
		{"FOO", KindArgument, "FOO", "", 0},
	})
	_ = ex
}

// An optional value is only ever attached (sed -i.bak, and sed -i then
// its script); kill's -9 and -HUP name the signal they send, tail's -20
// the lines it keeps.
func TestOptionalValuesAndSignals(t *testing.T) {
	needPage(t, "sed")
	check(t, `sed -i.bak -e "s/a/b/" f`, []want{
		{"sed", KindProgram, "", "sed(1)", 0},
		{"-i", KindFlag, "in place", "sed(1)", 0},
		{".bak", KindArgument, "the value of -i", "", 0},
		{"-e", KindFlag, "", "sed(1)", 0},
		{`"s/a/b/"`, KindArgument, "the value of -e", "", 0},
		{"f", KindArgument, "argument", "", 0},
	})
	check(t, `sed -i -e x f`, []want{
		{"sed", KindProgram, "", "sed(1)", 0},
		{"-i", KindFlag, "in place", "sed(1)", 0},
		{"-e", KindFlag, "", "sed(1)", 0},
		{"x", KindArgument, "the value of -e", "", 0},
		{"f", KindArgument, "argument", "", 0},
	})
	for cmd, doc := range map[string]string{"kill -9 1": "signal 9 (SIGKILL)", "kill -HUP 1": "signal 1 (SIGHUP)", "kill -SIGTERM 1": "signal 15 (SIGTERM)",
		"tail -20 f": "the last 20 lines", "head -5 f": "the first 5 lines"} {
		ex, err := lib.Explain(context.Background(), cmd, "bash")
		if err != nil || len(ex.Parts) != 3 || !strings.Contains(ex.Parts[1].Doc, doc) || !ex.Parts[1].Known {
			t.Errorf("%s: %+v %v", cmd, ex.Parts, err)
		}
	}
}

func TestUndocumentedIsSaidPlainly(t *testing.T) {
	needPage(t, "ls")
	ex := check(t, "ls --frobnicate --almost", []want{
		{"ls", KindProgram, "list", "ls(1)", 0},
		{"--frobnicate", KindFlag, "no documentation found for --frobnicate in ls(1)", "", 0},
		{"--almost", KindFlag, "--almost-all", "ls(1)", 0},
	})
	if ex.Parts[1].Known {
		t.Error("an unknown option is marked known")
	}
	ex = check(t, "zzfrobozz -x", []want{
		{"zzfrobozz", KindProgram, "no documentation found for zzfrobozz", "", 0},
		{"-x", KindFlag, "no documentation found for -x", "", 0},
	})
	if ex.Parts[0].Known {
		t.Error("an unknown program is marked known")
	}
	if _, err := lib.Explain(context.Background(), `echo "unterminated`, "bash"); err == nil || !strings.Contains(err.Error(), "cannot parse") {
		t.Errorf("unparsable: %v", err)
	}
}

func TestSubcommands(t *testing.T) {
	needPage(t, "git", "git-commit")
	check(t, `git commit -am "fix it"`, []want{
		{"git", KindProgram, "", "git(1)", 0},
		{"commit", KindSubcommand, "record changes", "git-commit(1)", 0},
		{"-a", KindFlag, "", "git-commit(1)", 0},
		{"-m", KindFlag, "message", "git-commit(1)", 0},
		{`"fix it"`, KindArgument, "value of -m", "", 0},
	})
}

// iproute2 takes any abbreviation of an object, the first in its page's
// order: ip a and ip addr are ip address.
func TestAbbreviatedSubcommand(t *testing.T) {
	needPage(t, "ip", "ip-address", "ip-route")
	for cmd, source := range map[string]string{"ip a": "ip-address(8)", "ip -br addr show": "ip-address(8)", "ip r": "ip-route(8)"} {
		ex, err := lib.Explain(context.Background(), cmd, "bash")
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(ex.Parts, func(p Part) bool { return p.Kind == KindSubcommand })
		if i < 0 || ex.Parts[i].Source != source {
			t.Errorf("%s: %+v", cmd, ex.Parts)
		}
	}
}

// A subcommand's page may list commands of its own, with their synopsis
// as the tag: git stash pop, git remote add; an argument after them is
// not taken for another.
func TestNestedSubcommand(t *testing.T) {
	needPage(t, "git", "git-stash")
	check(t, "git stash pop", []want{
		{"git", KindProgram, "", "git(1)", 0},
		{"stash", KindSubcommand, "stash", "git-stash(1)", 0},
		{"pop", KindSubcommand, "remove a single stashed state", "git-stash(1)", 0},
	})
	check(t, "git stash push list", []want{
		{"git", KindProgram, "", "git(1)", 0},
		{"stash", KindSubcommand, "stash", "git-stash(1)", 0},
		{"push", KindSubcommand, "save your local modifications", "git-stash(1)", 0},
		{"list", KindArgument, "argument", "", 0},
	})
}

func TestCommandEntrySubcommand(t *testing.T) {
	needPage(t, "systemctl")
	check(t, "systemctl restart nginx", []want{
		{"systemctl", KindProgram, "", "systemctl(1)", 0},
		{"restart", KindSubcommand, "start", "systemctl(1)", 0},
		{"nginx", KindArgument, "", "", 0},
	})
}

// apt documents its commands in DESCRIPTION, naming them in its
// synopsis; su documents a lone dash as an option.
func TestSynopsisCommandsAndLoneDash(t *testing.T) {
	needPage(t, "apt", "su")
	check(t, "apt install -y vim", []want{
		{"apt", KindProgram, "", "apt(8)", 0},
		{"install", KindSubcommand, "performs the requested action", "apt(8)", 0},
		{"-y", KindFlag, "", "", 0},
		{"vim", KindArgument, "a package to install", "", 0},
	})
	check(t, "apt update", []want{
		{"apt", KindProgram, "", "apt(8)", 0},
		{"update", KindSubcommand, "download package information", "apt(8)", 0},
	})
	check(t, "su - bob", []want{
		{"su", KindProgram, "", "su(1)", 0},
		{"-", KindFlag, "login shell", "su(1)", 0},
		{"bob", KindArgument, "argument", "", 0},
	})
	// A dash no page documents is standard input, an argument.
	check(t, "cat -", []want{
		{"cat", KindProgram, "", "", 0},
		{"-", KindArgument, "standard input", "", 0},
	})
}

// pagesLibrary is a library of the test's own manual pages, by name,
// read without running anything.
func pagesLibrary(t *testing.T, pages map[string]string) *Library {
	t.Helper()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "man1"), 0o755)
	for name, page := range pages {
		if err := os.WriteFile(filepath.Join(root, "man1", name+".1"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := NewLibrary()
	l.roots, l.NoProcesses = []string{root}, true
	return l
}

// An option of a dash and a word takes its value attached: java's
// -Xmx2g is -Xmx with 2g, not six letters; a bundle of letters beside
// it is still one.
func TestAttachedValues(t *testing.T) {
	page := ".TH JAVAX 1\n.SH NAME\njavax \\- launch\n.SH OPTIONS\n" +
		".TP\n.B \\f[CB]\\-agentlib:\\f[R]\\f[I]libname\\f[R][\\f[CB]=\\f[R]\\f[I]options\\f[R]]\nLoads the specified native agent library.\n" +
		".TP\n.B \\f[CB]\\-Xmx\\f[R] \\f[I]size\\f[R]\nSpecifies the maximum size of the heap.\n" +
		".TP\n.B \\f[CB]\\-jar\\f[R] \\f[I]filename\\f[R]\nExecutes a program in a JAR file.\n" +
		".TP\n.B \\-v\nVerbose.\n.TP\n.B \\-x\nExtra.\n.TP\n.B \\-\\-filetype=\\fItype\\fR\nChoose an output file type.\n" +
		".TP\n.B \\-\\-vx\nVery extra.\n"
	l := pagesLibrary(t, map[string]string{"javax": page})
	// A long option with one dash, as LLVM's tools take them, where the
	// word cannot be letters; -vx, whose letters are options, stays them.
	checkIn(t, l, "javax -filetype=obj -filetype asm -vx", []want{
		{"javax", KindProgram, "launch", "javax(1)", 0},
		{"-filetype=obj", KindFlag, "output file type", "javax(1)", 0},
		{"-filetype", KindFlag, "output file type", "javax(1)", 0},
		{"asm", KindArgument, "the value of -filetype", "", 0},
		{"-v", KindFlag, "verbose", "javax(1)", 0},
		{"-x", KindFlag, "extra", "javax(1)", 0},
	})
	checkIn(t, l, "javax -Xmx2g -agentlib:jdwp=transport=dt_socket -vx -jar f.jar", []want{
		{"javax", KindProgram, "launch", "javax(1)", 0},
		{"-Xmx2g", KindFlag, "maximum size of the heap", "javax(1)", 0},
		{"-agentlib:jdwp=transport=dt_socket", KindFlag, "native agent library", "javax(1)", 0},
		{"-v", KindFlag, "verbose", "javax(1)", 0},
		{"-x", KindFlag, "extra", "javax(1)", 0},
		{"-jar", KindFlag, "jar file", "javax(1)", 0},
		{"f.jar", KindArgument, "the value of -jar", "", 0},
	})
}

// Compression levels: a page documents them once, as "-#" (gzip, zstd)
// or a range (xz's "-0 ... -9"), and -9 is one of them, alone or with
// letters after it; zstd's -T# takes its number attached. A count given
// to an option is not the page's list entry of that number (find
// -maxdepth 1 is not find's optimisation level 1); find's -O2 is its
// -Olevel.
func TestDigitOptions(t *testing.T) {
	pages := map[string]string{
		"gz": ".SH NAME\ngz \\- compress\n.SH OPTIONS\n.TP\n.B \\-# --fast --best\nRegulate the speed of compression.\n" +
			".TP\n.B \\-v\nVerbose.\n.TP\n\\fB\\-T#\\fR, \\fB\\-\\-threads=#\\fR\nCompress using # working threads.\n",
		// xz's COMMAND ALIASES name programs: the "file" line of its
		// ROBOT MODE is no command.
		"xzz": ".SH NAME\nxzz \\- compress\n.SH COMMAND ALIASES\n.B unxzz\nis xzz -d.\n.SH OPTIONS\n.TP\n.BR \\-0 \" ... \" \\-9\nSelect a compression preset level.\n.TP\n.B \\-e\nExtreme.\n" +
			".SH ROBOT MODE\n.TP\n.B file\nThis line contains overall information about the file.\n",
		"fnd": ".SH NAME\nfnd \\- search\n.SH OPTIONS\n.IP \\-Olevel\nEnables query optimisation.\n.RS\n.IP 1\nThe default optimisation level.\n.RE\n" +
			".IP \"\\-maxdepth \\fIlevels\\fR\"\nDescend at most levels levels.\n",
	}
	l := pagesLibrary(t, pages)
	checkIn(t, l, "gz -9 -1v -T0 --threads 2 x", []want{
		{"gz", KindProgram, "compress", "gz(1)", 0},
		{"-9", KindFlag, "speed of compression", "gz(1)", 0},
		{"-1", KindFlag, "speed of compression", "gz(1)", 0},
		{"-v", KindFlag, "verbose", "gz(1)", 0},
		{"-T", KindFlag, "threads", "gz(1)", 0},
		{"0", KindArgument, "the value of -T", "", 0},
		{"--threads", KindFlag, "threads", "gz(1)", 0},
		{"2", KindArgument, "the value of --threads", "", 0},
		{"x", KindArgument, "argument", "", 0},
	})
	checkIn(t, l, "xzz -9e file", []want{
		{"xzz", KindProgram, "compress", "xzz(1)", 0},
		{"-9", KindFlag, "preset level", "xzz(1)", 0},
		{"-e", KindFlag, "extreme", "xzz(1)", 0},
		{"file", KindArgument, "argument", "", 0},
	})
	ex := checkIn(t, l, "fnd -maxdepth 1", []want{
		{"fnd", KindProgram, "search", "fnd(1)", 0},
		{"-maxdepth", KindFlag, "descend", "fnd(1)", 0},
		{"1", KindArgument, "the value of -maxdepth", "", 0},
	})
	if doc := ex.Parts[2].Doc; doc != "the value of -maxdepth" {
		t.Errorf("fnd -maxdepth 1: the value reads %q", doc)
	}
	// -Olevel's level is the number in the place of the word; a word
	// for anything else is no level (-m5 is not -maxdepth 5).
	checkIn(t, l, "fnd -O2 -m5", []want{
		{"fnd", KindProgram, "search", "fnd(1)", 0},
		{"-O2", KindFlag, "optimisation", "fnd(1)", 0},
		{"-m", KindFlag, "no documentation found for -m", "", 0},
		{"-5", KindFlag, "no documentation found for -5", "", 0},
	})
}

// arp(8)'s MODES: a paragraph that opens with the program and an option
// in bold, its operand in italics, then what the form does; not a
// sentence that names the form in passing, nor an option listed as one.
func TestModeParagraphs(t *testing.T) {
	l := pagesLibrary(t, map[string]string{"arpx": ".TH ARPX 1\n.SH NAME\narpx \\- manipulate the cache\n.SH MODES\n" +
		".B arpx\nwith no mode prints the table.\n\n.B arpx -d\n.I address\nwill delete an entry. Root is required.\n\n" +
		".B arpx -s\n.I address hw_addr\nis used to set up a new entry.\n\nTo see more, use\n.B arpx -v\nwhich is verbose.\n\n" +
		".B arpx -a\nprints it in BSD style.\n" +
		".SH OPTIONS\n.TP\n.B \\-a\nUse the alternate BSD style output format.\n"})
	checkIn(t, l, "arpx -d 10.0.0.1 -s h 0:1 -v -a", []want{
		{"arpx", KindProgram, "manipulate", "arpx(1)", 0},
		{"-d", KindFlag, "will delete an entry", "arpx(1)", 0},
		{"10.0.0.1", KindArgument, "the value of -d", "", 0},
		{"-s", KindFlag, "is used to set up a new entry", "arpx(1)", 0},
		{"h", KindArgument, "the value of -s", "", 0},
		{"0:1", KindArgument, "argument", "", 0},
		{"-v", KindFlag, "no documentation found", "", 0},
		{"-a", KindFlag, "use the alternate bsd style", "arpx(1)", 0},
	})
}

// iproute2's pages: ip-route(8) tags its commands with the whole path
// ("ip route add"), ip-address(8) titles subsections with them; ip takes
// any abbreviation, matched in ip's own order of objects (ip l is link,
// not l2tp) and in the page's order of commands (ip a s is show, not
// the scope parameter the page also tags); an example is no command.
func TestIproute2Commands(t *testing.T) {
	l := pagesLibrary(t, map[string]string{
		"ip": ".SH NAME\nip \\- show / manipulate routing\n.SH SYNOPSIS\n.B ip\nOBJECT COMMAND\n.SH COMMANDS\n.TP\n.B l2tp\ntunnel ethernet over IP.\n" +
			".TP\n.B link\nnetwork device configuration.\n.TP\n.B address\nprotocol address management.\n.TP\n.B route\nrouting table management.\n",
		"ip-route": ".SH NAME\nip-route \\- routing table management\n.SH SYNOPSIS\n.B ip route\n{ add | show }\n.SH DESCRIPTION\n.TP\nip route add\nadd new route\n" +
			".TP\nip route show\nlist routes\n.SH EXAMPLES\n.TP\nip route flush\nFlushes them.\n",
		"ip-address": ".SH NAME\nip-address \\- protocol address management\n.SH SYNOPSIS\n.B ip address\n{ add | show } [ scope SCOPE ]\n.SH DESCRIPTION\n" +
			".TP\n.B scope\nthe scope of the area.\n.SS ip address add - add new protocol address\nMore.\n.SS ip address show - look at protocol addresses\nMore.\n",
		"ip-link": ".SH NAME\nip-link \\- network device configuration\n.SH SYNOPSIS\n.B ip link\n{ set | show }\n.SH DESCRIPTION\n" +
			".SS ip link set - change device attributes\nMore.\n.SS ip link show - display device attributes\nMore.\n",
	})
	for cmd, wants := range map[string][]want{
		"ip l s eth0 up": {{"ip", KindProgram, "routing", "ip(1)", 0}, {"l", KindSubcommand, "network device", "ip-link(1)", 0},
			{"s", KindSubcommand, "change device attributes", "ip-link(1)", 0}, {"eth0", KindArgument, "", "", 0}, {"up", KindArgument, "", "", 0}},
		"ip a s": {{"ip", KindProgram, "", "", 0}, {"a", KindSubcommand, "protocol address", "ip-address(1)", 0},
			{"s", KindSubcommand, "look at protocol addresses", "ip-address(1)", 0}},
		"ip route add default": {{"ip", KindProgram, "", "", 0}, {"route", KindSubcommand, "routing table", "ip-route(1)", 0},
			{"add", KindSubcommand, "add new route", "ip-route(1)", 0}, {"default", KindArgument, "", "", 0}},
		"ip route flush": {{"ip", KindProgram, "", "", 0}, {"route", KindSubcommand, "routing table", "ip-route(1)", 0},
			{"flush", KindArgument, "argument", "", 0}},
	} {
		checkIn(t, l, cmd, wants)
	}
}

// A format's % sequences are read from the page that lists them: date's
// +FORMAT, stat -c, find -printf, git log --format.
func TestFormatSequences(t *testing.T) {
	needPage(t, "date", "stat", "find", "ls")
	check(t, `date +%Y-%m-%d`, []want{
		{"date", KindProgram, "date", "date(1)", 0},
		{"+%Y-%m-%d", KindArgument, "a format: %Y year; %m month (01..12); %d day of month", "date(1)", 0},
	})
	check(t, `stat -c '%s %n' f`, []want{
		{"stat", KindProgram, "status", "stat(1)", 0},
		{"-c", KindFlag, "format", "stat(1)", 0},
		{"'%s %n'", KindArgument, "the value of -c, a format: %s total size, in bytes; %n file name", "stat(1)", 0},
		{"f", KindArgument, "argument", "", 0},
	})
	check(t, `find . -printf '%f %TY\n'`, []want{
		{"find", KindProgram, "search", "find(1)", 0},
		{".", KindArgument, "where the search starts", "", 0},
		{"-printf", KindFlag, "print format", "find(1)", 0},
		{`'%f %TY\n'`, KindArgument, "a format: %f ", "find(1)", 0},
	})
	// ls leaves its +FORMAT to date(1).
	check(t, `ls --time-style=+%F`, []want{
		{"ls", KindProgram, "list", "ls(1)", 0},
		{"--time-style=+%F", KindFlag, "its format: %F full date", "ls(1)", 0},
	})
	// Not every % is a sequence.
	check(t, `date -d '50% of x'`, []want{
		{"date", KindProgram, "date", "date(1)", 0},
		{"-d", KindFlag, "string", "date(1)", 0},
		{"'50% of x'", KindArgument, "the value of -d", "", 0},
	})
}

// A +argument is the form of it the page's options document: vim's line
// number, search and command, less's bare +, which covers them all; not
// a "+" listed outside the options (date's flag for its format).
func TestPlusArguments(t *testing.T) {
	pages := map[string]string{
		"vimx": ".SH NAME\nvimx \\- editor\n.SH OPTIONS\n.TP 12\n+[num]\nThe cursor goes to line num.\n.TP\n+/{pat}\nThe cursor goes to the first pat.\n" +
			".TP\n+{command}\n.TP\n\\-c {command}\nThe command is run after the first file is read.\n",
		"lessx": ".SH NAME\nlessx \\- pager\n.SH COMMANDS\n.IP +cmd\nRuns cmd for each new file.\n.SH OPTIONS\n.IP +\nThe rest of the option is an initial command.\n",
		"datex": ".SH NAME\ndatex \\- date\n.SH DESCRIPTION\n.TP\n+\nput '+' before future years.\n",
		"lsofx": ".SH NAME\nlsofx \\- files\n.SH OPTIONS\n.TP\n+D D\nSearches directory D.\n.TP\n+|-L [l]\nLists link counts.\n",
	}
	l := pagesLibrary(t, pages)
	checkIn(t, l, "vimx +10 a; vimx +/TODO b; vimx '+set nu' -c x c; vimx + d", []want{
		{"vimx", KindProgram, "editor", "vimx(1)", 0}, {"+10", KindFlag, "line num", "vimx(1)", 0}, {"a", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"vimx", KindProgram, "editor", "vimx(1)", 0}, {"+/TODO", KindFlag, "first pat", "vimx(1)", 0}, {"b", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"vimx", KindProgram, "editor", "vimx(1)", 0}, {"'+set nu'", KindFlag, "command is run", "vimx(1)", 0},
		{"-c", KindFlag, "command is run", "vimx(1)", 0}, {"x", KindArgument, "the value of -c", "", 0}, {"c", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"vimx", KindProgram, "editor", "vimx(1)", 0}, {"+", KindFlag, "line num", "vimx(1)", 0}, {"d", KindArgument, "argument", "", 0},
	})
	checkIn(t, l, "lsofx +L1 +D", []want{
		{"lsofx", KindProgram, "files", "lsofx(1)", 0}, {"+L1", KindFlag, "link counts", "lsofx(1)", 0}, {"+D", KindFlag, "directory", "lsofx(1)", 0},
	})
	checkIn(t, l, "lessx +G a; datex +x", []want{
		{"lessx", KindProgram, "pager", "lessx(1)", 0}, {"+G", KindFlag, "initial command", "lessx(1)", 0}, {"a", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"datex", KindProgram, "date", "datex(1)", 0}, {"+x", KindArgument, "argument", "", 0},
	})
}

// A file mode says what it allows: chmod's, where -x is a mode and no
// option, install -m's and umask's.
func TestModes(t *testing.T) {
	needPage(t, "chmod", "install")
	check(t, "chmod -R 755 d; chmod -- -x f; install -m 0644 a b; umask 027", []want{
		{"chmod", KindProgram, "mode", "chmod(1)", 0},
		{"-R", KindFlag, "recursively", "chmod(1)", 0},
		{"755", KindArgument, "rwxr-xr-x: the owner may read, write and run", "", 0},
		{"d", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"chmod", KindProgram, "mode", "chmod(1)", 0},
		{"--", KindOperator, "end of options", "", 0},
		{"-x", KindArgument, "removes run", "", 0},
		{"f", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"install", KindProgram, "", "install(1)", 0},
		{"-m", KindFlag, "mode", "install(1)", 0},
		{"0644", KindArgument, "the value of -m, the mode rw-r--r--", "", 0},
		{"a", KindArgument, "argument", "", 0},
		{"b", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"umask", KindProgram, "", "", 0},
		{"027", KindArgument, "new files get rw-r-----, new directories rwxr-x---", "", 0},
	})
}

// dd's operands are documented by key: bs=4M is bs=BYTES, and conv's
// symbols are entries of the page (but for one it lists twice, sync).
// find's -size +100M says what it selects.
func TestOperandsAndFindValues(t *testing.T) {
	needPage(t, "dd", "find")
	check(t, "dd if=a bs=4M conv=notrunc,fsync oflag=sync; find . -size +100M", []want{
		{"dd", KindProgram, "copy", "dd(1)", 0},
		{"if=a", KindArgument, "read from", "dd(1)", 0},
		{"bs=4M", KindArgument, "bytes at a time", "dd(1)", 0},
		{"conv=notrunc,fsync", KindArgument, "symbol list; notrunc: do not truncate the output file; fsync: ", "dd(1)", 0},
		{"oflag=sync", KindArgument, "", "dd(1)", 0},
		{";", KindOperator, "", "", 0},
		{"find", KindProgram, "search", "find(1)", 0},
		{".", KindArgument, "where the search starts", "", 0},
		{"-size", KindFlag, "space", "find(1)", 0},
		{"+100M", KindArgument, "the value of -size: more than 100 MiB", "", 0},
	})
	ex, _ := lib.Explain(context.Background(), "dd oflag=sync", "bash")
	if doc := ex.Parts[1].Doc; strings.Contains(doc, "sync:") {
		t.Errorf("oflag=sync read as the conv symbol: %q", doc)
	}
}

// sed's script, first operand or -e's value, is read command by
// command; after -f the first operand is a file.
func TestSedScripts(t *testing.T) {
	needPage(t, "sed")
	check(t, "sed -i 's/foo/bar/g' f; sed -ne '/x/p' g; sed -f s.sed h", []want{
		{"sed", KindProgram, "stream editor", "sed(1)", 0},
		{"-i", KindFlag, "in place", "sed(1)", 0},
		{"'s/foo/bar/g'", KindArgument, "the script: replaces 'foo' with 'bar', every match", "", 0},
		{"f", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"sed", KindProgram, "stream editor", "sed(1)", 0},
		{"-n", KindFlag, "suppress", "sed(1)", 0},
		{"-e", KindFlag, "script", "sed(1)", 0},
		{"'/x/p'", KindArgument, "the value of -e: prints lines matching 'x'", "", 0},
		{"g", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"sed", KindProgram, "stream editor", "sed(1)", 0},
		{"-f", KindFlag, "script-file", "sed(1)", 0},
		{"s.sed", KindArgument, "the value of -f", "", 0},
		{"h", KindArgument, "argument", "", 0},
	})
}

// awk's program is its first operand, unless -f gives it; -v's value
// of any letters is no program file.
func TestAwkPrograms(t *testing.T) {
	needPage(t, "awk")
	check(t, "awk -vfoo=1 -F: '{print $1, $NF}' p; awk -f x.awk q", []want{
		{"awk", KindProgram, "", "", 0},
		{"-v", KindFlag, "", "", 0},
		{"foo=1", KindArgument, "the value of -v", "", 0},
		{"-F", KindFlag, "", "", 0},
		{":", KindArgument, "the value of -F", "", 0},
		{"'{print $1, $NF}'", KindArgument, "the program: prints field 1 and the last field of each line", "", 0},
		{"p", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"awk", KindProgram, "", "", 0},
		{"-f", KindFlag, "", "", 0},
		{"x.awk", KindArgument, "the value of -f", "", 0},
		{"q", KindArgument, "argument", "", 0},
	})
}

// An option's value in a notation its page describes in prose says
// what it means.
func TestValueNotations(t *testing.T) {
	needPage(t, "ssh", "sort")
	check(t, "ssh -NL 8080:localhost:80 h; sort -k2,2n f", []want{
		{"ssh", KindProgram, "ssh", "ssh(1)", 0},
		{"-N", KindFlag, "remote command", "ssh(1)", 0},
		{"-L", KindFlag, "forwarded", "ssh(1)", 0},
		{"8080:localhost:80", KindArgument, "the value of -L: local port 8080 leads to localhost:80", "", 0},
		{"h", KindArgument, "the host to log in to", "", 0},
		{";", KindOperator, "", "", 0},
		{"sort", KindProgram, "sort", "sort(1)", 0},
		{"-k", KindFlag, "key", "sort(1)", 0},
		{"2,2n", KindArgument, "the value of -k: field 2, as numbers", "", 0},
		{"f", KindArgument, "a file to read", "", 0},
	})
}

// A revision given to a git subcommand says which commits it names;
// checkout's - is the branch before.
func TestGitRevisions(t *testing.T) {
	needPage(t, "git", "git-reset", "git-checkout")
	check(t, "git reset --hard HEAD~1; git checkout -", []want{
		{"git", KindProgram, "", "git(1)", 0},
		{"reset", KindSubcommand, "", "git-reset(1)", 0},
		{"--hard", KindFlag, "", "git-reset(1)", 0},
		{"HEAD~1", KindArgument, "the commit before HEAD", "", 0},
		{";", KindOperator, "", "", 0},
		{"git", KindProgram, "", "git(1)", 0},
		{"checkout", KindSubcommand, "", "git-checkout(1)", 0},
		{"-", KindArgument, "the branch checked out before this one", "", 0},
	})
}

// Plain arguments get their role from their place, as the synopsis
// says: grep's pattern (not after -e), cp's sources and destination (not
// with -t), ln's target and link, kill's process IDs, chown's owner,
// ssh's host and command.
func TestOperandRoles(t *testing.T) {
	needPage(t, "grep", "cp", "mv", "ln", "kill", "chown", "ssh", "find", "apt-get", "systemctl", "man", "which", "tar", "curl", "rm", "unzip", "xargs", "tee", "gzip", "basename", "dirname", "du", "join")
	for cmd, wants := range map[string][]string{
		"grep -r TODO src lib":               {"the pattern to search for", "where to search", "where to search"},
		"grep -e TODO src":                   {"where to search"},
		"cp a b dest":                        {"what to copy", "what to copy", "the destination"},
		"cp -t dest a":                       {"what to copy"},
		"mv x":                               {"argument"},
		"ln -s /opt/app current":             {"what the link points to", "the link to make (or the directory to make it in)"},
		"kill 1234 %2":                       {"the process ID to signal", "a job of this shell (%2)"},
		"kill $(pgrep x) \"$pid\"":           {"the process IDs to signal, the output of the command inside", "the process ID to signal, from a variable", "the pattern to search for"},
		"chown :staff f":                     {"the new group, staff", "a file whose owner to change"},
		"chown bob: f":                       {"the new owner, bob, and the owner's login group", "a file whose owner to change"},
		"ssh alice@db uptime -a":             {"the host to log in to: db, as the user alice", "the command to run there", "the command to run there"},
		"find . /tmp -name x":                {"where the search starts", "where the search starts"},
		"find . -newer ref -print":           {"where the search starts"},
		"find -L /a b -O2 x":                 {"where the search starts", "where the search starts", "argument"},
		"find -O2 -P . -name x":              {"where the search starts"},
		"apt-get install -y nginx":           {"a package to install"},
		"systemctl restart nginx ssh.socket": {"a unit (nginx means nginx.service)", "a unit"},
		"man 5 crontab":                      {"the manual's section 5: file formats", "the page to show"},
		"which python3":                      {"a command to look for"},
		"tar -czf b.tgz src docs":            {"what to put in the archive", "what to put in the archive"},
		"gzip -k a b":                        {"a file to compress", "a file to compress"},
		"basename a/b.txt .txt":              {"the path to strip", "a suffix to remove as well"},
		"dirname a/b":                        {"a path whose directory part to print"},
		"du -sh a":                           {"a file or directory to measure"},
		"join -t, a b":                       {"the first file", "the second file"},
		"gzip -d a.gz":                       {"a file to decompress (replaced by the result)"},
		"tar xzf a.tgz etc/x":                {"what to take out of the archive (all of it without one)"},
		"curl -fsSL https://x.y/z":           {"the URL to fetch"},
		"cd -":                               {"the directory before the last cd ($OLDPWD)"},
		"rm -rf build":                       {"what to delete"},
		"ls | xargs -I{} mv {} {}.bak":       {"what to move: each line of the input, put here by xargs", "the destination: with each line of the input in place of {}"},
		"echo x | tee -a log":                {"argument", "a file to add the input to, as well as to the output"},
		"exit 3":                             {"the exit status (0 means success)"},
		"echo $((x + 1))":                    {"the result of the arithmetic x + 1"},
		"shred -u secret.txt":                {"what to overwrite, then delete"},
		"nc example.com 22":                  {"the host", "the port"},
		"unzip a.zip -d out":                 {"the archive"},
	} {
		ex, err := lib.Explain(context.Background(), cmd, "bash")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ex.Parts {
			if p.Kind == KindArgument && !strings.HasPrefix(p.Doc, "the value of") {
				got = append(got, p.Doc)
			}
		}
		if !slices.Equal(got, wants) {
			t.Errorf("%s: roles %q, want %q", cmd, got, wants)
		}
	}
}

// A command line given as one word is explained under it: a shell's -c
// operand (the words after it its $0, $1, ...), su -c's value, a
// wrapper's program, ssh's remote command.
func TestCommandLines(t *testing.T) {
	needPage(t, "sh", "su", "watch", "ssh", "df", "uptime")
	check(t, "sh -c 'df -h' x; su -c 'df' root; watch -n 2 'df -h'; ssh h 'uptime'", []want{
		{"sh", KindProgram, "", "sh(1)", 0},
		{"-c", KindFlag, "", "sh(1)", 0},
		{"'df -h'", KindArgument, "the commands to run, read by sh:", "", 0},
		{"df", KindProgram, "file system", "df(1)", 1},
		{"-h", KindFlag, "", "df(1)", 1},
		{"x", KindArgument, "$0 of the commands (the name they run under)", "", 0},
		{";", KindOperator, "", "", 0},
		{"su", KindProgram, "", "su(1)", 0},
		{"-c", KindFlag, "", "su(1)", 0},
		{"'df'", KindArgument, "the value of -c: the commands to run", "", 0},
		{"df", KindProgram, "file system", "df(1)", 1},
		{"root", KindArgument, "argument", "", 0},
		{";", KindOperator, "", "", 0},
		{"watch", KindProgram, "", "watch(1)", 0},
		{"-n", KindFlag, "", "watch(1)", 0},
		{"2", KindArgument, "the value of -n", "", 0},
		{"'df -h'", KindArgument, "the commands to run:", "", 0},
		{"df", KindProgram, "file system", "df(1)", 1},
		{"-h", KindFlag, "", "df(1)", 1},
		{";", KindOperator, "", "", 0},
		{"ssh", KindProgram, "", "ssh(1)", 0},
		{"h", KindArgument, "the host to log in to", "", 0},
		{"'uptime'", KindArgument, "the command to run there:", "", 0},
		{"uptime", KindProgram, "", "uptime(1)", 1},
	})
}

// git's common subcommands give their operands roles; before --, a word
// of git diff may be a commit as well as a path.
func TestGitOperandRoles(t *testing.T) {
	needPage(t, "git-clone", "git-push", "git-rm", "git-diff")
	for cmd, wants := range map[string][]string{
		"git clone https://x/y.git z": {"the repository to clone", "the directory to clone into"},
		"git push origin main":        {"the remote", "a branch (or refspec: local:remote)"},
		"git rm --cached build":       {"what to stop tracking (the file stays)"},
		"git diff main feat -- a.go":  {"argument", "argument", "a path to limit it to"},
	} {
		ex, err := lib.Explain(context.Background(), cmd, "bash")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ex.Parts {
			if p.Kind == KindArgument {
				got = append(got, p.Doc)
			}
		}
		if !slices.Equal(got, wants) {
			t.Errorf("%s: roles %q, want %q", cmd, got, wants)
		}
	}
}

// zgrep hands its options to grep, whose page documents them.
func TestPassedOptions(t *testing.T) {
	needPage(t, "zgrep", "grep")
	check(t, "zgrep -i -e p f.gz", []want{
		{"zgrep", KindProgram, "", "zgrep(1)", 0},
		{"-i", KindFlag, "case", "grep(1)", 0},
		{"-e", KindFlag, "patterns", "grep(1)", 0},
		{"p", KindArgument, "the value of -e", "", 0},
		{"f.gz", KindArgument, "where to search", "", 0},
	})
}

// A quoted value attached to its letter is shown as typed: cut -d' '
// shows ' ', not a blank.
func TestAttachedQuotedValue(t *testing.T) {
	needPage(t, "cut", "awk")
	check(t, `cut -d' ' -f3 | awk -F"[ :]+" 1`, []want{
		{"cut", KindProgram, "sections", "cut(1)", 0},
		{"-d", KindFlag, "delimiter", "cut(1)", 0},
		{"' '", KindArgument, "the value of -d", "", 0},
		{"-f", KindFlag, "fields", "cut(1)", 0},
		{"3", KindArgument, "the value of -f", "", 0},
		{"|", KindOperator, "pipe", "", 0},
		{"awk", KindProgram, "", "", 0},
		{"-F", KindFlag, "field separator", "", 0},
		{`"[ :]+"`, KindArgument, "the value of -F", "", 0},
		{"1", KindArgument, "", "", 0},
	})
}

// A wrapper without a manual page (sudo in many containers) still knows
// which of its options take a value, so the wrapped program is the one
// after them, not the value.
func TestWrapperWithoutPage(t *testing.T) {
	l := NewLibrary()
	l.roots, l.NoProcesses = []string{t.TempDir()}, true
	for cmd, wants := range map[string][]want{
		"sudo -u www-data ls -la": {{"sudo", KindProgram, "", "", 0}, {"-u", KindFlag, "", "", 0},
			{"www-data", KindArgument, "the value of -u", "", 0}, {"ls", KindProgram, "", "", 0},
			{"-la", KindFlag, "no documentation found for -la (ls has no manual here)", "", 0}},
		// Without documentation, nothing says -Wall is letters.
		"g++ -Wall -O2 x.cpp": {{"g++", KindProgram, "", "", 0}, {"-Wall", KindFlag, "no documentation found for -Wall (g++ has no manual here)", "", 0},
			{"-O2", KindFlag, "", "", 0}, {"x.cpp", KindArgument, "argument", "", 0}},
		"sudo -iu root id": {{"sudo", KindProgram, "", "", 0}, {"-i", KindFlag, "", "", 0}, {"-u", KindFlag, "", "", 0},
			{"root", KindArgument, "the value of -u", "", 0}, {"id", KindProgram, "", "", 0}},
		"xargs -n 1 -P4 echo": {{"xargs", KindProgram, "", "", 0}, {"-n", KindFlag, "", "", 0},
			{"1", KindArgument, "the value of -n", "", 0}, {"-P", KindFlag, "", "", 0},
			{"4", KindArgument, "the value of -P", "", 0}, {"echo", KindProgram, "", "", 0}},
		"env --unset=HOME -C /tmp ls x": {{"env", KindProgram, "", "", 0}, {"--unset=HOME", KindFlag, "", "", 0},
			{"-C", KindFlag, "", "", 0}, {"/tmp", KindArgument, "the value of -C", "", 0},
			{"ls", KindProgram, "", "", 0}, {"x", KindArgument, "argument", "", 0}},
		// Variables set for the command, which comes after them.
		"env -i FOO='a b' PATH=/bin ls x": {{"env", KindProgram, "", "", 0}, {"-i", KindFlag, "", "", 0},
			{"FOO='a b'", KindArgument, `sets FOO to "a b" in the environment of the command it runs`, "", 0},
			{"PATH=/bin", KindArgument, `sets PATH to "/bin"`, "", 0}, {"ls", KindProgram, "", "", 0}, {"x", KindArgument, "argument", "", 0}},
		"sudo LANG=C make": {{"sudo", KindProgram, "", "", 0}, {"LANG=C", KindArgument, `sets LANG to "C"`, "", 0}, {"make", KindProgram, "", "", 0}},
	} {
		checkIn(t, l, cmd, wants)
	}
}

// A program without a page is documented by its --help when it is an
// ELF binary that knows the flag; a script is never run.
func TestHelpFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	os.WriteFile(src, []byte(`package main
import ("fmt"; "os")
func main() {
	if len(os.Args) > 1 && os.Args[1] == "--help" {
		fmt.Println("Usage: zzhelpful [OPTION]... FILE")
		fmt.Println("  -q, --quiet        say nothing at all")
		fmt.Println("  -o, --output=FILE  write the result to FILE")
		fmt.Println("      --long-only    an option with a meaning that goes on")
		fmt.Println("                       over a second line")
		return
	}
	// As GNU programs do; it puts "--help" in the binary.
	fmt.Fprintln(os.Stderr, "Try 'zzhelpful --help' for more information.")
	os.WriteFile("RAN", nil, 0o644)
}
`), 0o644)
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "zzhelpful"), src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	os.WriteFile(filepath.Join(dir, "zzscript"), []byte("#!/bin/sh\ntouch "+filepath.Join(dir, "SCRIPT-RAN")+"\necho '  -q  quiet'\n"), 0o755)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	l := NewLibrary()
	ex, err := l.Explain(context.Background(), "zzhelpful -qo out.txt --long-only in", "bash")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Part{}
	for _, p := range ex.Parts {
		got[p.Text] = p
	}
	if p := got["-q"]; p.Doc != "say nothing at all" || p.Source != "zzhelpful --help" {
		t.Errorf("-q: %+v", p)
	}
	if p := got["out.txt"]; p.Doc != "the value of -o" {
		t.Errorf("out.txt: %+v", p)
	}
	if p := got["--long-only"]; p.Doc != "an option with a meaning that goes on over a second line" {
		t.Errorf("--long-only: %+v", p)
	}
	ex, _ = l.Explain(context.Background(), "zzscript -q", "bash")
	if _, err := os.Stat(filepath.Join(dir, "SCRIPT-RAN")); err == nil {
		t.Fatal("a script was run for its --help")
	}
	if ex.Parts[1].Known {
		t.Errorf("script option documented: %+v", ex.Parts[1])
	}
	l.AllowHelpRun = false
	l.help = map[string]*page{}
	if ex, _ := l.Explain(context.Background(), "zzhelpful -q", "bash"); ex.Parts[1].Known {
		t.Error("--help was run though not allowed")
	}
}

// helpProgram builds a stand-in program, named names[0] and linked as
// the rest, that prints help[call] for the calls it knows ("zzctl run
// --help": the name it was called by, then its arguments); the test
// fails if it is called any other way, which would have run a command.
// Its directory goes first on PATH.
func helpProgram(t *testing.T, help map[string]string, names ...string) {
	t.Helper()
	dir, ran := t.TempDir(), t.TempDir()
	var table strings.Builder
	for call, text := range help {
		fmt.Fprintf(&table, "\t%q: %q,\n", call, text)
	}
	src := filepath.Join(dir, "main.go")
	os.WriteFile(src, []byte(`package main
import ("fmt"; "os"; "path/filepath"; "strings")
var help = map[string]string{
`+table.String()+`}
func main() {
	call := strings.Join(append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...), " ")
	if h, ok := help[call]; ok {
		fmt.Print(h)
		return
	}
	os.WriteFile(filepath.Join(`+fmt.Sprintf("%q", ran)+`, call), nil, 0o644)
	os.Exit(1)
}
`), 0o644)
	bin := filepath.Join(dir, names[0])
	cmd := exec.Command("go", "build", "-o", bin, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	for _, n := range names[1:] {
		if err := os.Symlink(bin, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Cleanup(func() {
		if runs, _ := os.ReadDir(ran); len(runs) > 0 {
			t.Errorf("ran more than the help its program names: %s", runs[0].Name())
		}
	})
}

// A program documented by its --help (docker, kubectl, gh) lists its
// subcommands there; their options are read from the subcommand's own
// help, asked for the way the program's help says (`zzctl run --help`,
// `zzgo help build`), and never from a program whose help does not say.
func TestHelpSubcommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	helpProgram(t, map[string]string{
		"zzctl --help":        "\nUsage:  zzctl [OPTIONS] COMMAND\n\nA runtime for the tests\n\nCommon Commands:\n  run         Create and run a thing\n  plugin*     A plugin\n\nManagement Commands:\n  box         Manage boxes\n\nGlobal Options:\n  -v, --version   Print version information and quit\n\nRun 'zzctl COMMAND --help' for more information on a command.\n",
		"zzctl run --help":    "\nUsage:  zzctl run [OPTIONS] IMAGE\n\nCreate and run a thing\n\nOptions:\n  -v, --volume list   Bind mount a volume\n      --rm            Remove it when it exits\n",
		"zzctl box --help":    "\nUsage:  zzctl box COMMAND\n\nManage boxes\n\nCommands:\n  ls          List boxes\n\nRun 'zzctl box COMMAND --help' for more information on a command.\n",
		"zzctl box ls --help": "\nUsage:  zzctl box ls [OPTIONS]\n\nList boxes\n\nOptions:\n  -a, --all   Show all boxes\n",
		"zzgo --help":         "Zzgo is a tool for the tests.\n\nUsage:\n\n\tzzgo <command> [arguments]\n\nThe commands are:\n\n\tbuild       compile packages\n\tvet         report likely mistakes\n\nUse \"zzgo help <command>\" for more information about a command.\n",
		"zzgo help build":     "usage: zzgo build [-o output]\n\n  -o file   write the result to file\n",
		"zzplain --help":      "Usage: zzplain COMMAND\n\nCommands:\n  wipe    wipe everything\n\nOptions:\n  -q  quiet\n",
	}, "zzctl", "zzgo", "zzplain")
	l := NewLibrary()
	for cmd, wants := range map[string][]want{
		"zzctl run --rm -v a:/b img sh": {
			{"zzctl", KindProgram, "a runtime for the tests", "zzctl --help", 0},
			{"run", KindSubcommand, "create and run a thing", "zzctl --help", 0},
			{"--rm", KindFlag, "remove it when it exits", "zzctl run --help", 0},
			{"-v", KindFlag, "bind mount a volume", "zzctl run --help", 0},
			{"a:/b", KindArgument, "the value of -v", "", 0},
			{"img", KindArgument, "argument", "", 0},
			{"sh", KindArgument, "argument", "", 0},
		},
		"zzctl -v": {
			{"zzctl", KindProgram, "", "zzctl --help", 0},
			{"-v", KindFlag, "print version", "zzctl --help", 0},
		},
		"zzctl box ls -a": {
			{"zzctl", KindProgram, "", "zzctl --help", 0},
			{"box", KindSubcommand, "manage boxes", "zzctl --help", 0},
			{"ls", KindSubcommand, "list boxes", "zzctl box --help", 0},
			{"-a", KindFlag, "show all boxes", "zzctl box ls --help", 0},
		},
		"zzgo build -o out": {
			{"zzgo", KindProgram, "zzgo is a tool for the tests", "zzgo --help", 0},
			{"build", KindSubcommand, "compile packages", "zzgo --help", 0},
			{"-o", KindFlag, "write the result to file", "zzgo help build", 0},
			{"out", KindArgument, "the value of -o", "", 0},
		},
		"zzplain wipe -q now": {
			{"zzplain", KindProgram, "", "zzplain --help", 0},
			{"wipe", KindSubcommand, "wipe everything", "zzplain --help", 0},
			{"-q", KindFlag, "quiet", "zzplain --help", 0},
			{"now", KindArgument, "argument", "", 0},
		},
	} {
		checkIn(t, l, cmd, wants)
	}
}

// fish's parts are shown as typed, though read as POSIX: and, or, not,
// (date); && typed in fish stays &&. fish's set takes the variable, then
// the items of its value.
func TestFishTextsAsTyped(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	checkShell(t, l, "fish", "test -f x; and echo (date); or not true", []want{
		{"test", KindProgram, "", "", 0}, {"-f", KindFlag, "", "", 0}, {"x", KindArgument, "", "", 0},
		{"and", KindOperator, "only if this one succeeds", "", 0}, {"echo", KindProgram, "", "", 0}, {"(date)", KindArgument, "", "", 0},
		{"( … )", KindOperator, "command substitution", "", 0}, {"date", KindProgram, "", "", 1},
		{"or", KindOperator, "only if this one fails", "", 0}, {"not", KindOperator, "", "", 0}, {"true", KindProgram, "", "", 0},
	})
	// set's variable and the items of its value; with -e, names.
	checkShell(t, l, "fish", "set -gx PATH ~/bin $x; set -e y", []want{
		{"set", KindProgram, "", "", 0}, {"-g", KindFlag, "", "", 0}, {"-x", KindFlag, "", "", 0},
		{"PATH", KindArgument, "the variable to set", "", 0}, {"~/bin", KindArgument, "an item of its new value", "", 0},
		{"$x", KindArgument, "an item of its new value", "", 0}, {";", KindOperator, "", "", 0}, {"set", KindProgram, "", "", 0},
		{"-e", KindFlag, "", "", 0}, {"y", KindArgument, "a variable", "", 0},
	})
	checkShell(t, l, "fish", "true && false", []want{{"true", KindProgram, "", "", 0}, {"&&", KindOperator, "", "", 0}, {"false", KindProgram, "", "", 0}})
}

// (( … )) is shown whole where it is short.
func TestArithmeticCommand(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	checkIn(t, l, "(( i++ )) && (( "+strings.Repeat("x + ", 12)+"1 ))", []want{
		{"(( i++ ))", KindOperator, "succeeds when the result is not zero", "", 0}, {"&&", KindOperator, "", "", 0},
		{"(( … ))", KindOperator, "arithmetic evaluation", "", 0},
	})
}

// The builtins that name variables: read's, mapfile's array, getopts'
// option string and variable; shift's count; autoload's functions;
// alias's definitions.
func TestBuiltinOperands(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	for cmd, wants := range map[string][]want{
		"read -r first rest": {{"read", KindProgram, "", "", 0}, {"-r", KindFlag, "", "", 0},
			{"first", KindArgument, "the line's next word", "", 0}, {"rest", KindArgument, "the rest of the line", "", 0}},
		"read line":       {{"read", KindProgram, "", "", 0}, {"line", KindArgument, "the variable the line goes in", "", 0}},
		"mapfile -t rows": {{"mapfile", KindProgram, "", "", 0}, {"-t", KindFlag, "", "", 0}, {"rows", KindArgument, "the array to fill", "", 0}},
		`getopts ":ab:" opt`: {{"getopts", KindProgram, "", "", 0},
			{`":ab:"`, KindArgument, "the options it accepts: -a, -b with a value (errors left to the script", "", 0},
			{"opt", KindArgument, "the variable each option's letter goes in", "", 0}},
		"shift 2": {{"shift", KindProgram, "", "", 0}, {"2", KindArgument, "how many positional parameters to drop", "", 0}},
		// The words after sh -c's command line are its $0, $1, ...
		"bash -c 'echo $1' x a": {{"bash", KindProgram, "", "", 0}, {"-c", KindFlag, "", "", 0},
			{"'echo $1'", KindArgument, "the commands to run, read by bash:", "", 0}, {"echo", KindProgram, "", "", 1},
			{"$1", KindArgument, "positional parameter 1", "", 1}, {"x", KindArgument, "$0 of the commands", "", 0},
			{"a", KindArgument, "$1 of the commands", "", 0}},
		// An alias's body is a command line, explained under it.
		"alias ll='ls -la' L='| less'": {{"alias", KindProgram, "", "", 0},
			{"ll='ls -la'", KindArgument, "defines the alias ll, which stands for:", "", 0}, {"ls", KindProgram, "", "", 1}, {"-la", KindFlag, "", "", 1},
			{"L='| less'", KindArgument, `defines the alias L, which stands for "| less"`, "", 0}},
	} {
		checkIn(t, l, cmd, wants)
	}
	for cmd, wants := range map[string][]want{
		// zsh's autoload: a function's name, or its file.
		"autoload -U compinit /opt/f/zfoo": {{"autoload", KindProgram, "", "", 0}, {"-U", KindFlag, "", "", 0},
			{"compinit", KindArgument, "a function to read from a directory in $fpath when first called", "", 0},
			{"/opt/f/zfoo", KindArgument, "a function's file", "", 0}},
		// promptinit's prompt.
		"prompt adam2 8bit": {{"prompt", KindProgram, "", "", 0}, {"adam2", KindArgument, "the prompt theme to use", "", 0},
			{"8bit", KindArgument, "an argument for the theme", "", 0}},
		"prompt -p adam1 walters": {{"prompt", KindProgram, "", "", 0}, {"-p", KindFlag, "", "", 0},
			{"adam1", KindArgument, "a theme to preview", "", 0}, {"walters", KindArgument, "a theme to preview", "", 0}},
	} {
		checkShell(t, l, "zsh", cmd, wants)
	}
	if ex, _ := l.Explain(context.Background(), "prompt adam1", "zsh"); len(ex.Parts) != 2 || ex.Parts[1].Doc != "the prompt theme to use" {
		t.Errorf("prompt adam1: %+v", ex.Parts)
	}
}

// bindkey's key, by name, and the widget it runs, from zshzle(1).
func TestBindkey(t *testing.T) {
	for seq, want := range map[string]string{"^R": "Ctrl-R", "^X^E": "Ctrl-X Ctrl-E", `\e.`: "Alt-.", "^[b": "Alt-b",
		"^[[A": "Up", `\e[3~`: "Delete", "^[[1;5C": "Ctrl-Right", "^?": "Backspace", "jk": "j k", "\x01": ""} {
		if got := keyDoc(seq); got != want {
			t.Errorf("keyDoc(%q) = %q, want %q", seq, got, want)
		}
	}
	l := pagesLibrary(t, map[string]string{"zshzle": ".SH WIDGETS\n.TP\n\\fBhistory\\-incremental\\-search\\-backward\\fP (\\fB^R ^Xr\\fP) (unbound) (unbound)\n" +
		"Search backward incrementally for a specified string.\n"})
	checkShell(t, l, "zsh", "bindkey '^R' history-incremental-search-backward", []want{{"bindkey", KindProgram, "", "", 0},
		{"'^R'", KindArgument, "the key: Ctrl-R", "", 0},
		{"history-incremental-search-backward", KindArgument, "the widget the key runs: Search backward incrementally", "", 0}})
}

// An interpreter's script, and what follows it, are the script's: its
// options are not the interpreter's (python3 app.py --port, python3 -m
// pytest -x); perl -n's operands are files it reads.
func TestInterpreterOperands(t *testing.T) {
	l := pagesLibrary(t, map[string]string{"python3": ".SH NAME\npython3 \\- an interpreter\n.SH OPTIONS\n.TP\n.BI \"\\-m \" module\nRun a module.\n" +
		".TP\n.B \\-x\nSkip the first line.\n"})
	for cmd, wants := range map[string][]want{
		"python3 app.py --port 8080": {{"python3", KindProgram, "", "", 0}, {"app.py", KindArgument, "the script to run", "", 0},
			{"--port", KindArgument, "an argument the script is given", "", 0}, {"8080", KindArgument, "an argument the script is given", "", 0}},
		"python3 -m pytest -x t": {{"python3", KindProgram, "", "", 0}, {"-m", KindFlag, "run a module", "python3(1)", 0},
			{"pytest", KindArgument, "the value of -m", "", 0}, {"-x", KindArgument, "an argument the module is given", "", 0},
			{"t", KindArgument, "an argument the module is given", "", 0}},
		"bash run.sh -v": {{"bash", KindProgram, "", "", 0}, {"run.sh", KindArgument, "the script to run", "", 0},
			{"-v", KindArgument, "an argument the script is given", "", 0}},
		// No page for python: -m and -c are still what they are.
		"python -m pip install x": {{"python", KindProgram, "", "", 0}, {"-m", KindFlag, "", "", 0}, {"pip", KindArgument, "the module to run", "", 0},
			{"install", KindArgument, "an argument the module is given", "", 0}, {"x", KindArgument, "an argument the module is given", "", 0}},
		"python -c 'print(1)'": {{"python", KindProgram, "", "", 0}, {"-c", KindFlag, "", "", 0}, {"'print(1)'", KindArgument, "the code to run", "", 0}},
	} {
		checkIn(t, l, cmd, wants)
	}
}

// tr's sets, read by the forms its page documents.
func TestTrSets(t *testing.T) {
	l := pagesLibrary(t, map[string]string{"tr": ".SH NAME\ntr \\- translate or delete characters\n.SH OPTIONS\n.TP\n\\fB\\-d\\fR\ndelete characters\n" +
		".TP\n\\en\nnew line\n.TP\n[:lower:]\nall lower case letters\n.TP\n[:upper:]\nall upper case letters\n"})
	checkIn(t, l, "tr '[:lower:]' A-Z; tr -d '\\n'", []want{
		{"tr", KindProgram, "", "", 0}, {"'[:lower:]'", KindArgument, "the characters to replace: all lower case letters", "", 0},
		{"A-Z", KindArgument, "what they become, in order: A to Z", "", 0}, {";", KindOperator, "", "", 0},
		{"tr", KindProgram, "", "", 0}, {"-d", KindFlag, "delete", "tr(1)", 0}, {`'\n'`, KindArgument, "the characters to delete: new line", "", 0},
	})
}

// trap's commands are explained under it, then when they run; "-"
// resets.
func TestTrap(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	checkIn(t, l, `trap 'rm -f "$tmp"' EXIT INT 15; trap - ERR`, []want{
		{"trap", KindProgram, "", "", 0}, {`'rm -f "$tmp"'`, KindArgument, "the commands to run then:", "", 0},
		{"rm", KindProgram, "", "", 1}, {"-f", KindFlag, "", "", 1}, {`"$tmp"`, KindArgument, "what to delete", "", 1},
		{"EXIT", KindArgument, "when the shell exits", "", 0}, {"INT", KindArgument, "on signal 2, SIGINT (Ctrl-C)", "", 0},
		{"15", KindArgument, "on signal 15, SIGTERM", "", 0}, {";", KindOperator, "", "", 0}, {"trap", KindProgram, "", "", 0},
		{"-", KindArgument, "resets", "", 0}, {"ERR", KindArgument, "when a command fails", "", 0},
	})
}

// dig's operands by their form: @server, +option, a record type, names.
func TestDigOperands(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	checkIn(t, l, "dig @1.1.1.1 +short example.com MX", []want{
		{"dig", KindProgram, "", "", 0}, {"@1.1.1.1", KindArgument, "the DNS server to ask", "", 0},
		{"+short", KindArgument, "a query option", "", 0}, {"example.com", KindArgument, "the name to look up", "", 0},
		{"MX", KindArgument, "the record type", "", 0},
	})
}

// timeout's limit, shutdown's time and message, mkfs's device.
func TestTimeAndDeviceOperands(t *testing.T) {
	l := pagesLibrary(t, map[string]string{})
	checkIn(t, l, "timeout 1.5m make", []want{{"timeout", KindProgram, "", "", 0}, {"1.5m", KindArgument, "the time limit: 1.5 minutes", "", 0},
		{"make", KindProgram, "", "", 0}})
	checkIn(t, l, "shutdown -r +5 back soon", []want{{"shutdown", KindProgram, "", "", 0}, {"-r", KindFlag, "", "", 0},
		{"+5", KindArgument, "when: in 5 minutes", "", 0}, {"back", KindArgument, "the message sent to the users logged in", "", 0},
		{"soon", KindArgument, "the message sent", "", 0}})
	checkIn(t, l, "shutdown 23:30", []want{{"shutdown", KindProgram, "", "", 0}, {"23:30", KindArgument, "when: at 23:30", "", 0}})
	checkIn(t, l, "mkfs.ext4 /dev/sdb1", []want{{"mkfs.ext4", KindProgram, "", "", 0}, {"/dev/sdb1", KindArgument, "the device (or file) to make it on", "", 0}})
}

// docker run's first operand is the image, exec's the container, and
// what follows is the command run in it (a stand-in docker, its help as
// docker's own is laid out).
func TestDockerOperandRoles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	helpProgram(t, map[string]string{
		"docker --help":      "\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n  run         Create and run a new container from an image\n  exec        Execute a command in a running container\n\nRun 'docker COMMAND --help' for more information on a command.\n",
		"docker run --help":  "\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nOptions:\n      --rm        Automatically remove the container\n  -w, --workdir string   Working directory inside the container\n",
		"docker exec --help": "\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nOptions:\n  -i, --interactive   Keep STDIN open\n",
	}, "docker")
	l := NewLibrary()
	l.roots = []string{t.TempDir()}
	checkIn(t, l, "docker run --rm -w /app node:20 npm test", []want{
		{"docker", KindProgram, "runtime", "docker --help", 0}, {"run", KindSubcommand, "create and run", "docker --help", 0},
		{"--rm", KindFlag, "remove", "docker run --help", 0}, {"-w", KindFlag, "working directory", "docker run --help", 0},
		{"/app", KindArgument, "the value of -w", "", 0}, {"node:20", KindArgument, "the image to make the container from", "", 0},
		{"npm", KindArgument, "the command to run in the container", "", 0}, {"test", KindArgument, "the command to run in the container", "", 0},
	})
	checkIn(t, l, "docker exec -i web sh", []want{
		{"docker", KindProgram, "", "", 0}, {"exec", KindSubcommand, "execute", "docker --help", 0}, {"-i", KindFlag, "keep stdin open", "docker exec --help", 0},
		{"web", KindArgument, "the container to run the command in", "", 0}, {"sh", KindArgument, "the command to run in the container", "", 0},
	})
}

// A subcommand's help that sends its reader elsewhere for the global
// options (kubectl get --help to kubectl options) is followed there.
func TestHelpGlobalOptions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	helpProgram(t, map[string]string{
		"zzkube --help":     "zzkube controls the clusters.\n\nBasic Commands:\n  get   Display resources\n\nUse \"zzkube <command> --help\" for more information about a given command.\n",
		"zzkube get --help": "Display resources.\n\nOptions:\n    -o, --output='':\n\tOutput format.\n\nUse \"zzkube options\" for a list of global command-line options (applies to all commands).\n",
		"zzkube options":    "The following options can be passed to any command:\n\n    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n",
	}, "zzkube")
	l := NewLibrary()
	l.roots = []string{t.TempDir()}
	checkIn(t, l, "zzkube get pods -n prod -o wide", []want{
		{"zzkube", KindProgram, "controls the clusters", "zzkube --help", 0}, {"get", KindSubcommand, "display resources", "zzkube --help", 0},
		{"pods", KindArgument, "", "", 0}, {"-n", KindFlag, "the namespace scope", "zzkube options", 0}, {"prod", KindArgument, "the value of -n", "", 0},
		{"-o", KindFlag, "output format", "zzkube get --help", 0}, {"wide", KindArgument, "the value of -o", "", 0},
	})
}

// What a program's page leaves out, its own help may say: the program's
// --help for its options, its subcommand's help asked the way that help
// says (gdbus's "Use “gdbus COMMAND --help”"), the page's entries first.
func TestHelpForWhatThePageLeavesOut(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	helpProgram(t, map[string]string{
		"zzman --help":         "Usage:\n  zzman COMMAND\n\nCommands:\n  monitor   Watch the bus\n\n  -q, --quiet   not this meaning\n  -x, --extra   an option the page leaves out\n\nUse “zzman COMMAND --help” to get help on each command.\n",
		"zzman monitor --help": "Usage:\n  zzman monitor [OPTION…]\n\n  -e, --session   Connect to the session bus\n",
	}, "zzman")
	l := pagesLibrary(t, map[string]string{"zzman": ".TH ZZMAN 1\n.SH NAME\nzzman \\- talk to the bus\n.SH COMMANDS\n.TP\n.B monitor\nWatch the bus.\n" +
		".SH OPTIONS\n.TP\n.B \\-q\nSay nothing.\n"})
	l.NoProcesses = false
	checkIn(t, l, "zzman -q --extra monitor --session", []want{
		{"zzman", KindProgram, "talk to the bus", "zzman(1)", 0},
		{"-q", KindFlag, "say nothing", "zzman(1)", 0},
		{"--extra", KindFlag, "an option the page leaves out", "zzman --help", 0},
		{"monitor", KindSubcommand, "watch the bus", "zzman(1)", 0},
		{"--session", KindFlag, "connect to the session bus", "zzman monitor --help", 0},
	})
	l = pagesLibrary(t, map[string]string{"zzman": ".TH ZZMAN 1\n.SH NAME\nzzman \\- talk to the bus\n.SH OPTIONS\n.TP\n.B \\-q\nSay nothing.\n"})
	l.NoProcesses = false
	l.AllowHelpRun = false
	checkIn(t, l, "zzman --extra", []want{{"zzman", KindProgram, "", "", 0}, {"--extra", KindFlag, "no documentation found for --extra in zzman(1)", "", 0}})
}

// Forms of help text: a name longer than the gap before the meanings'
// column (perl's -0, gcc's -print-sysroot-headers-suffix), a value
// attached in angle brackets (gcc's -O<number>), an optional number
// (perl's -l[octnum], so -lane is four letters), gcc's entries without
// a meaning, its pointer to -v --help, and the assembler's help within
// it, whose options gcc does not take; kubectl's meanings on the line
// after.
func TestParseHelpForms(t *testing.T) {
	text := "Usage: gcc [options] file...\nOptions:\n" +
		"  -0[octal/hexadecimal] specify record separator\n" +
		"  -l[octnum]            enable line ending processing\n" +
		"  -i[extension]         edit files in place\n" +
		"  -O<number>            Set optimization level to <number>.\n" +
		"  -K                    This option lacks documentation.\n" +
		"  -print-sysroot-headers-suffix Display the sysroot suffix.\n" +
		"  (Use '-v --help' to display command line options of sub-processes).\n" +
		"Usage: as [option...] [asmfile...]\nOptions:\n  -K                      keep local symbols\n" +
		"Usage: /usr/bin/ld [options] file...\nOptions:\n  -L DIRECTORY, --library-path DIRECTORY\n                              Add DIRECTORY to library search path\n"
	p := parseHelp(text, "gcc --help", "gcc", false)
	for name, w := range map[string]entry{
		"-0":                            {doc: "specify record separator", arg: true, optional: true, digits: true},
		"-l":                            {doc: "enable line ending processing", arg: true, optional: true, digits: true},
		"-i":                            {doc: "edit files in place", arg: true, optional: true},
		"-O":                            {doc: "Set optimization level to <number>", arg: true, optional: true},
		"-print-sysroot-headers-suffix": {doc: "Display the sysroot suffix"},
		"-L":                            {doc: "Add DIRECTORY to library search path", arg: true},
		"--library-path":                {doc: "Add DIRECTORY to library search path", arg: true},
	} {
		if got, ok := p.entries[name]; !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %+v (found %v), want %+v", name, got, ok, w)
		}
	}
	if e, ok := p.entries["-K"]; ok {
		t.Errorf("-K: %+v, want no entry (gcc's lacks a meaning, the assembler's is not gcc's)", e)
	}
	if !reflect.DeepEqual(p.moreHelp, []string{"-v", "--help"}) {
		t.Errorf("moreHelp = %q", p.moreHelp)
	}
	// kubectl's (cobra's): the meaning on the next line, after a tab;
	// "=false" a switch's default, "=''" and "=[]" a value's.
	p = parseHelp("Options:\n    -f, --follow=false:\n\tSpecify if the logs should be streamed.\n\n    -c, --container='':\n\tPrint the logs of this container\n\n"+
		"    --filename=[]:\n\tThe files that contain the configurations\n", "kubectl logs --help", "kubectl logs", false)
	for name, w := range map[string]entry{
		"-f": {doc: "Specify if the logs should be streamed"}, "--follow": {doc: "Specify if the logs should be streamed"},
		"-c": {doc: "Print the logs of this container", arg: true}, "--container": {doc: "Print the logs of this container", arg: true},
		"--filename": {doc: "The files that contain the configurations", arg: true},
	} {
		if got, ok := p.entries[name]; !ok || !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %+v (found %v), want %+v", name, got, ok, w)
		}
	}
}

// The programs whose help says more than their pages here: git's commands
// list their aliases for -h (clone --recursive), perl lists its switches
// for -h (Debian's perl(1) leaves them to perl-doc's perlrun(1)), and gcc's
// --help sends its reader to -v --help for -Wall, -O2 and the linker's -L
// (not the assembler's). git's external commands are not asked: a -h may
// be anything to them.
func TestHelpOfRealPrograms(t *testing.T) {
	l := NewLibrary()
	for prog, c := range map[string]struct {
		cmd   string
		wants []want
	}{
		"git": {"git clone --recursive u; git stash push -m wip", []want{{"git", KindProgram, "", "", 0}, {"clone", KindSubcommand, "", "", 0},
			{"--recursive", KindFlag, "--recurse-submodules", "git clone -h", 0}, {"u", KindArgument, "", "", 0},
			// git answers a subcommand's -h only in a repository.
			{";", KindOperator, "", "", 0}, {"git", KindProgram, "", "", 0}, {"stash", KindSubcommand, "", "", 0},
			{"push", KindSubcommand, "", "", 0}, {"-m", KindFlag, "message", "git stash push -h", 0}, {"wip", KindArgument, "", "", 0}}},
		"perl": {"perl -lane 'print $F[0]' f", []want{{"perl", KindProgram, "", "", 0}, {"-l", KindFlag, "line ending", "", 0},
			{"-a", KindFlag, "autosplit", "", 0}, {"-n", KindFlag, "loop", "", 0}, {"-e", KindFlag, "program", "", 0},
			{"'print $F[0]'", KindArgument, "the value of -e", "", 0}, {"f", KindArgument, "", "", 0}}},
		"gcc": {"gcc -Wall -O2 -L lib x.c", []want{{"gcc", KindProgram, "", "", 0}, {"-Wall", KindFlag, "warning", "gcc -v --help", 0},
			{"-O", KindFlag, "optimization level", "gcc -v --help", 0}, {"2", KindArgument, "the value of -O", "", 0},
			{"-L", KindFlag, "library search path", "gcc -v --help", 0}, {"lib", KindArgument, "the value of -L", "", 0},
			{"x.c", KindArgument, "", "", 0}}},
	} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Logf("%s not installed", prog)
			continue
		}
		if prog == "gcc" && l.page(context.Background(), "gcc") != nil {
			continue // gcc(1) documents them itself
		}
		checkIn(t, l, c.cmd, c.wants)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return
	}
	dir := t.TempDir()
	ran := filepath.Join(dir, "RAN")
	os.WriteFile(filepath.Join(dir, "git-zzext"), []byte("#!/bin/sh\ntouch "+ran+"\n"), 0o755)
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	if p := l.optionHelp(context.Background(), "git", "zzext"); p != nil {
		t.Errorf("an external git command's -h was asked: %+v", p)
	}
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("git zzext -h was run")
	}
	// As the test above reads it: git would have run it.
	exec.Command("git", "zzext", "-h").Run()
	if _, err := os.Stat(ran); err != nil {
		t.Fatal("git did not run its external command")
	}
}

func FuzzExplain(f *testing.F) {
	for _, s := range []string{"tar -xzvf a.tgz -C /tmp", "find . -exec rm {} +", "a=1 b=$(c) d | e > f 2>&1 &",
		"ps aux", "git commit -m x", "for i in 1 2; do echo $i; done", "cat <<EOF\nx\nEOF", "-", "--", "x -", "sort -k",
		"set +o pipefail", "declare -gA +x m", "setopt no_beep", "exec 3>&- 4<x", "autoload -Uz x", "bindkey -M vicmd k",
		"[[ ! -f x && ( $a == b* || $n -gt 1 ) ]]", "string match -rq x y", "path filter -d x",
		// zsh (the shell is the length modulo 3): its functions.
		"compinit -u x", "compdef -d fo", "prompt -lc",
		// Parameters, formats and levels.
		`echo $? "$HOME" ${x:-$PWD} $1; x=$PATH; $EDITOR f`, "date +%-d%%%Ak; stat -c %s f; gzip -9v x; xz -0 ... -9",
		"chmod -- -x,u=rw,g=u f; umask 0777; install -m +x a b; vim +/x '+set nu' +",
		"sed -ne '/a/,$!s|x|y|gIp;5q' f; find -size -9k -perm /7777; dd conv=sync,x bs=",
		`x=${a%b} ${#c} "${d:-$(e)}" ${!f} ${g:1} ${h/i} ${j,,}; ps -p ${k:?}; awk '{print $1","$NF}'; sort -k1.2,3nr`,
		"git log ^a b~2^3..@{-2} HEAD@{1}...; git checkout -",
		`sh -c "bash -c 'zsh -c \"sh -c x\"'"; watch 'a; b'; ssh h 'c | d'; su -c 'e &&' f`,
		// A crontab line.
		`0-/ */ 1,,- * mon-#L x; ls `,
		// bash's bind.
		`bind '"\C-\M-x": "y'; bind -x '"a": b'; bind 'set x'; bind -r  `,
		// Prompts: bash's, then zsh's.
		`PS1='\D{%H \033\[\]\\$ \D{'; PROMPT_COMMAND='a; b' `,
		`PROMPT='%(?.%F{r}.%-3(!.%{x%}.%10<..<))%D{%H}%(x'; print -P '%B'`} {
		f.Add(s)
	}
	l := NewLibrary()
	l.NoProcesses = true
	f.Fuzz(func(t *testing.T, cmd string) {
		// Each shell's builtins and pages, by turns.
		ex, err := l.Explain(context.Background(), cmd, []string{"bash", "zsh", "fish"}[len(cmd)%3])
		if err != nil {
			return
		}
		for _, p := range ex.Parts {
			if p.Kind == "" || p.Doc == "" {
				t.Fatalf("%q: empty part %+v", cmd, p)
			}
		}
	})
}

// In fish, set is fish's builtin, documented by fish's own page.
func TestFishBuiltins(t *testing.T) {
	if _, err := os.Stat("/usr/share/fish/man/man1/set.1"); err != nil {
		t.Skip("fish's pages are not installed")
	}
	ex, err := lib.Explain(context.Background(), "set -gx EDITOR vim", "fish")
	if err != nil {
		t.Fatal(err)
	}
	if p := ex.Parts[0]; p.Source != "set(1)" || !strings.Contains(strings.ToLower(p.Doc), "variable") {
		t.Errorf("set: %+v", p)
	}
	if p := ex.Parts[1]; !p.Known || !strings.Contains(strings.ToLower(p.Doc), "global") {
		t.Errorf("-g: %+v", p)
	}
	if p := ex.Parts[2]; p.Text != "-x" || !p.Known || p.Kind != KindFlag {
		t.Errorf("-x is a flag of its own: %+v", p)
	}
	// fish's syntax: a block, (command substitution), and a subcommand
	// page beside fish's own string(1).
	ex, err = lib.Explain(context.Background(), "for f in *.txt; string replace .txt .md (basename $f); end", "fish")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Part{}
	for _, p := range ex.Parts {
		kinds[p.Text] = p
	}
	if p := kinds["replace"]; p.Kind != KindSubcommand || p.Source != "string-replace(1)" {
		t.Errorf("string replace: %+v", p)
	}
	if p := kinds["basename"]; p.Kind != KindProgram || p.Depth < 2 {
		t.Errorf("basename inside the substitution inside the loop: %+v", p)
	}
}
