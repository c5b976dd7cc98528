package roff

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPlain(t *testing.T) {
	for in, want := range map[string]string{
		`\fBls\fR \- list \fIdirectory\fP contents`:    "ls - list directory contents",
		`\f(CWcode\fP and \f[B]bold\f[]`:               "code and bold",
		`a\(emb \*(lqq\*(rq \s-1SMALL\s0 x\&y`:         `a-b "q" SMALL xy`,
		`"quoted args" kept \" a comment`:              "quoted args kept",
		`back\e slash`:                                 `back\ slash`,
		`\fB\-\-message=\fR\fI<msg>\fR`:                "--message=<msg>",
		`don\*(Aqt \-\^\-ignore\-case \(aqx\(aq \[em]`: "don't --ignore-case 'x' -",
		`setting up \fI\%PATH\fP`:                      "setting up PATH", // no hyphenation: docutils
	} {
		if got := Plain(in); got != want {
			t.Errorf("Plain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadLinesFollowsSo(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "man1"), 0o755)
	f, _ := os.Create(filepath.Join(root, "man1", "gzip.1.gz"))
	zw := gzip.NewWriter(f)
	zw.Write([]byte(".TH GZIP 1\n.SH NAME\ngzip \\- compress\n"))
	zw.Close()
	f.Close()
	os.WriteFile(filepath.Join(root, "man1", "gunzip.1"), []byte(".\\\" alias\n.so man1/gzip.1\n"), 0o644)
	got, err := ReadLines(filepath.Join(root, "man1", "gunzip.1"), root, 1<<20)
	if err != nil || !slices.Equal(got, []string{".TH GZIP 1", ".SH NAME", "gzip \\- compress"}) {
		t.Fatalf("%q %v", got, err)
	}
	// Truncation is a limit, not an error; a loop of redirects ends.
	os.WriteFile(filepath.Join(root, "man1", "a.1"), []byte(".so man1/a.1\n"), 0o644)
	if _, err := ReadLines(filepath.Join(root, "man1", "a.1"), root, 1<<20); err == nil {
		t.Error("a redirect loop was read")
	}
	if _, err := ReadLines(filepath.Join(root, "man1", "none.1"), root, 1<<20); err == nil {
		t.Error("a missing page was read")
	}
}

func TestArgs(t *testing.T) {
	for in, want := range map[string][]string{
		`file " show" x`:           {"file", " show", "x"},
		`"""\-b""" 4`:              {`"\-b"`, "4"},
		`  a   "unclosed`:          {"a", "unclosed"},
		`"" empty`:                 {"", "empty"},
		`\fB\-\-all\fR, \fB\-a\fR`: {`\fB\-\-all\fR,`, `\fB\-a\fR`},
		// An escaped space is part of the argument.
		`[\fB\-d\fP\ \fIexdir\fP] 4`: {`[\fB\-d\fP\ \fIexdir\fP]`, "4"},
		`a\\ b`:                      {`a\\`, "b"},
	} {
		if got := Args(in); !slices.Equal(got, want) {
			t.Errorf("Args(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitRequestAndCutDash(t *testing.T) {
	if m, r := SplitRequest(`.IP "\-name pattern" 4`); m != "IP" || FirstArg(r) != `\-name pattern` {
		t.Errorf("%q %q", m, r)
	}
	if m, _ := SplitRequest(`.\" comment`); m != `\"` {
		t.Errorf("comment: %q", m)
	}
	if m, r := SplitRequest("text line"); m != "" || r != "text line" {
		t.Errorf("text: %q %q", m, r)
	}
	if a, b, ok := CutDash("gzip, gunzip - compress or expand"); !ok || a != "gzip, gunzip" || b != "compress or expand" {
		t.Errorf("%q %q", a, b)
	}
}

func FuzzPlain(f *testing.F) {
	for _, s := range []string{`\fBx\fR`, `\`, `\(`, `\*[`, `\f[`, `\s-`, `"a" \" c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		Plain(s)
		SplitRequest(s)
		FirstArg(s)
	})
}

// Whatever a page holds, resolving its conditionals, definitions and
// strings ends, never panics, and never adds lines.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{".ie n \\{\\\n.ds - x\n.\\}\n.el .B y\n\\*-", ".de X\n..\n. .", ".if \\n(.g .if n a", ".el\\{\\\n'br\\}", `.IP """\-b""" 4`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		if out := Expand(lines); len(out) > len(lines) {
			t.Fatalf("%d lines from %d", len(out), len(lines))
		}
		for _, l := range lines {
			Args(l)
		}
	})
}

// A page's own conditionals, macro definitions and strings, as pod2man,
// zic(8) and groff's own pages write them, are resolved as nroff would.
func TestExpand(t *testing.T) {
	page := `.de Vb \" Begin verbatim text
.ft CW
.nf
..
.de URL
\fI\\$2\fP <\\$1>
..
.if \n[.g] \{\
.  am URL
.    ad l
.  .
.\}
.de Xx yy
text of a macro
.yy
.ie n \{\
.    ds -- \(*W-
.    if (\n(.H=4u)&(1m=24u) .ds -- diablo
'br\}
.el\{\
.    ds -- \|\(em\|
'br\}
.ie \n(.g .ds Aq \(aq
.el       .ds Aq '
.if (\n(rF:(\n(.g==0)) \{\
.    if \nF \{\
.        de IX
.        tm Index:\\$1
..
.    \}
.\}
.ie \n(.g \{\
.  ds - \f(CW-\fP
.\}
.el .ds - \-
.ie '\(la'' .ds < <
.el .ds < \(la
.if t .sp .5v
.if n .sp
.if n \{ .B one line \}
.SH OPTIONS
.ie n .IP """\-b""" 4
.el .IP "\f(CW\-b\fR" 4
Brief\*(Aqs \*-v and \*(-- \*< \*[none]
`
	want := []string{
		`.sp`, `.B one line `, `.SH OPTIONS`, `.IP """\-b""" 4`,
		`Brief\(aqs \f(CW-\fPv and \(*W- \(la \*[none]`,
	}
	got := Expand(strings.Split(strings.TrimSuffix(page, "\n"), "\n"))
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	if m, r := SplitRequest(got[3]); m != "IP" || Plain(FirstArg(r)) != "-b" {
		t.Errorf("pod2man's tag: %q", FirstArg(r))
	}
	if p := Plain(got[4]); p != "Brief's -v and  - <" {
		t.Errorf("text: %q", p)
	}
}

// Motions and marks draw nothing, with their arguments.
func TestPlainMotions(t *testing.T) {
	for in, want := range map[string]string{
		`C\v'-.1v'\h'-1p'\s-2+\h'-1p'+\s0\v'.1v'`: "C++",
		`a\kxb\zc`:    "abc",
		`\w'I'u wide`: "u wide",
	} {
		if got := Plain(in); got != want {
			t.Errorf("Plain(%q) = %q, want %q", in, got, want)
		}
	}
}
