package translate

import (
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeSystem is a PATH and MANPATH of its own: programs are executable
// files, manual pages gzipped troff, as a package would install them.
type fakeSystem struct {
	t             *testing.T
	bin, man, dir string
}

func newFakeSystem(t *testing.T) *fakeSystem {
	dir := t.TempDir()
	fs := &fakeSystem{t: t, bin: filepath.Join(dir, "bin"), man: filepath.Join(dir, "man"), dir: dir}
	os.MkdirAll(fs.bin, 0o755)
	os.MkdirAll(filepath.Join(fs.man, "man1"), 0o755)
	t.Setenv("PATH", fs.bin)
	t.Setenv("MANPATH", fs.man)
	t.Setenv("HOME", dir) // no history of the developer's own
	t.Setenv("HISTFILE", filepath.Join(dir, "none"))
	t.Setenv("XDG_DATA_HOME", dir)
	// Unrelated programs, so that word statistics are like a system's.
	for i, s := range []string{"print the system date", "manage network interfaces", "edit text files",
		"show running processes", "change file permissions", "archive files", "send mail", "play music",
		"measure elapsed time", "schedule jobs", "query DNS servers", "format disks"} {
		fs.install(fmt.Sprintf("filler%d", i), fmt.Sprintf(".SH NAME\nfiller%d \\- %s\n", i, s))
	}
	return fs
}

func (fs *fakeSystem) install(name, page string) {
	os.WriteFile(filepath.Join(fs.bin, name), []byte("#!/bin/sh\n"), 0o755)
	if page != "" {
		fs.page(name, page)
	}
}

func (fs *fakeSystem) page(name, troff string) {
	f, err := os.Create(filepath.Join(fs.man, "man1", name+".1.gz"))
	if err != nil {
		fs.t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(troff))
	zw.Close()
	f.Close()
}

func (fs *fakeSystem) uninstall(name string) {
	os.Remove(filepath.Join(fs.bin, name))
	os.Remove(filepath.Join(fs.man, "man1", name+".1.gz"))
}

func names(ts []Tool) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Name)
	}
	return out
}

const fdupesPage = `.\" a comment that says nothing about duplicates
.TH FDUPES 1
.SH NAME
fdupes \- finds duplicate files in a given set of directories
.SH SYNOPSIS
.B fdupes
[ \fIoptions\fP ] \fIDIRECTORY\fP ...
.SH DESCRIPTION
Searches the given path for duplicate files. Such files are found by
comparing file sizes and MD5 signatures, followed by a byte\-by\-byte
comparison.
.SH SEE ALSO
.BR jdupes (1)
`

// "find duplicate files" finds fdupes when it is installed and does not
// once it is removed: the cache notices the change.
func TestToolIndexFindsInstalledTool(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("fdupes", fdupesPage)
	fs.install("ls", ".TH LS 1\n.SH NAME\nls \\- list directory contents\n.SH DESCRIPTION\nList information about the FILEs.\n")
	fs.install("md5sum", ".SH NAME\nmd5sum \\- compute and check MD5 message digest\n")
	fs.install("nopage", "") // a program without a manual is not indexed
	cache := filepath.Join(fs.dir, "cache", "tools.json")
	x := NewToolIndex(IndexOptions{CachePath: cache})
	got := x.Rank(context.Background(), "find duplicate files", 3)
	if len(got) == 0 || got[0].Name != "fdupes" || got[0].Summary != "finds duplicate files in a given set of directories" {
		t.Fatalf("got %+v", got)
	}
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("no cache written: %v", err)
	}

	// A new process reads the cache instead of the pages: rewriting a page
	// in place (its directory is unchanged) shows it.
	fs.page("fdupes", strings.Replace(fdupesPage, "finds duplicate files", "finds twin files", 1))
	y := NewToolIndex(IndexOptions{CachePath: cache})
	if got := y.Rank(context.Background(), "find duplicate files", 3); len(got) == 0 || got[0].Summary != "finds duplicate files in a given set of directories" {
		t.Fatalf("the cache was not used: %+v", got)
	}

	// Uninstalling changes the directories' times: the index is rebuilt.
	time.Sleep(10 * time.Millisecond)
	fs.uninstall("fdupes")
	z := NewToolIndex(IndexOptions{CachePath: cache})
	got = z.Rank(context.Background(), "find duplicate files", 3)
	if slices.Contains(names(got), "fdupes") {
		t.Fatalf("fdupes is gone but ranked: %+v", got)
	}
	if !slices.Contains(names(got), "md5sum") {
		t.Errorf("without fdupes, the lexicon should offer md5sum: %+v", got)
	}
	if got := z.Rank(context.Background(), "zzqx qqzz", 3); len(got) != 0 {
		t.Errorf("nonsense matched %+v", got)
	}
}

// The lexicon names what a page's words do not: docker(1) never says
// "container" in its summary, kubectl's "pods" are not in its page.
func TestToolIndexLexicon(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("docker", ".SH NAME\ndocker \\- a self-sufficient runtime for software\n")
	fs.install("kubectl", ".SH NAME\nkubectl \\- controls the cluster manager\n")
	fs.install("ls", ".SH NAME\nls \\- list directory contents\n")
	x := NewToolIndex(IndexOptions{CachePath: filepath.Join(fs.dir, "cache", "tools.json")})
	for req, want := range map[string]string{"stop the container named web": "docker", "show the pods that crashed": "kubectl"} {
		if got := x.Rank(context.Background(), req, 2); len(got) == 0 || got[0].Name != want {
			t.Errorf("%q: %v, want %s first", req, names(got), want)
		}
	}
}

// git-stash(1) documents git's subcommand: it ranks git, summarized by
// the subcommand that matched; a .so alias page reads its target.
func TestToolIndexSubcommandsAndAliases(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("git", ".SH NAME\ngit \\- the stupid content tracker\n")
	fs.page("git-stash", ".SH NAME\ngit-stash \\- Stash the changes in a dirty working directory away\n")
	fs.page("git-bisect", ".SH NAME\ngit-bisect \\- Use binary search to find the commit that introduced a bug\n")
	fs.install("gzip", ".SH NAME\ngzip, gunzip, zcat \\- compress or expand files\n")
	fs.install("gunzip", ".so man1/gzip.1\n")
	x := NewToolIndex(IndexOptions{NoUsage: true})
	got := x.Rank(context.Background(), "stash my dirty changes away", 3)
	if len(got) == 0 || got[0].Name != "git" || !strings.HasPrefix(got[0].Summary, "git stash: Stash the changes") {
		t.Fatalf("got %+v", got)
	}
	got = x.Rank(context.Background(), "expand a compressed file", 3)
	if !slices.Contains(names(got), "gunzip") || !slices.Contains(names(got), "gzip") {
		t.Fatalf("alias page not followed: %+v", got)
	}
}

// A toolchain's target-prefixed copy (x86_64-linux-gnu-size) is the same
// tool again and takes no hint's place; one that says something of its
// own stays.
func TestToolIndexSkipsTargetCopies(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("size", ".SH NAME\nsize \\- list section sizes and total size of binary files\n")
	fs.install("x86_64-linux-gnu-size", ".SH NAME\nsize \\- list section sizes and total size of binary files\n")
	fs.install("arm-none-eabi-size", ".SH NAME\narm-none-eabi-size \\- list section sizes of ARM binary files\n")
	x := NewToolIndex(IndexOptions{NoUsage: true})
	got := names(x.Rank(context.Background(), "section sizes of binary files", 5))
	if !slices.Contains(got, "size") || slices.Contains(got, "x86_64-linux-gnu-size") || !slices.Contains(got, "arm-none-eabi-size") {
		t.Fatalf("got %v", got)
	}
}

// Usage frequency breaks ties toward what the user runs.
func TestToolIndexUsage(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("aaa", ".SH NAME\naaa \\- convert images between formats\n")
	fs.install("bbb", ".SH NAME\nbbb \\- convert images between formats\n")
	for _, c := range []struct {
		usage map[string]int
		want  string
	}{{map[string]int{"bbb": 40}, "bbb"}, {map[string]int{"aaa": 3}, "aaa"}} {
		x := NewToolIndex(IndexOptions{Usage: func() map[string]int { return c.usage }})
		if got := x.Rank(context.Background(), "convert an image", 2); len(got) != 2 || got[0].Name != c.want {
			t.Errorf("usage %v: got %+v", c.usage, got)
		}
	}
}

// The history a real user has: the index counts it from their files.
func TestToolIndexReadsHistory(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("aaa", ".SH NAME\naaa \\- convert images between formats\n")
	fs.install("bbb", ".SH NAME\nbbb \\- convert images between formats\n")
	hist := filepath.Join(fs.dir, "bash_history")
	os.WriteFile(hist, []byte(strings.Repeat("sudo bbb -q x.png | cat\n", 20)), 0o600)
	t.Setenv("HISTFILE", hist)
	x := NewToolIndex(IndexOptions{})
	if got := x.Rank(context.Background(), "convert an image", 2); len(got) != 2 || got[0].Name != "bbb" {
		t.Errorf("got %+v", got)
	}
}

func TestCountPrograms(t *testing.T) {
	c := map[string]int{}
	for _, cmd := range []string{
		"sudo -E apt-get install x && LANG=C /usr/bin/sort -u f | uniq -c",
		"find . -name '*.go' | xargs grep -n foo; (cd /tmp && ls)",
		"if true; then echo hi; fi",
		"time nice -n 5 make",
		"ls | xargs -a list.txt cp -t /tmp; sudo -u www-data php x",
		"$(weird",
	} {
		CountPrograms(cmd, c)
	}
	// xargs runs grep, the program that counts; "$(weird" is broken
	// syntax, counted as best it can be.
	want := map[string]int{"apt-get": 1, "sort": 1, "uniq": 1, "find": 1, "grep": 1, "cd": 1, "ls": 2,
		"true": 1, "echo": 1, "fi": 1, "make": 1, "weird": 1, "cp": 1, "php": 1}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %v\nwant %v", c, want)
	}
}

// A page's NAME summary may wrap; SYNOPSIS and SEE ALSO are not indexed;
// mdoc pages (BSD style) work too.
func TestReadManPage(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.1")
	os.WriteFile(p, []byte(fdupesPage), 0o644)
	m, err := readManPage(p, dir)
	if err != nil || m.Summary != "finds duplicate files in a given set of directories" {
		t.Fatalf("%+v %v", m, err)
	}
	if !strings.HasPrefix(m.Text, "Searches the given path for duplicate files.") || strings.Contains(m.Text, "jdupes") || strings.Contains(m.Text, "DIRECTORY") {
		t.Errorf("text %q", m.Text)
	}
	os.WriteFile(p, []byte(".Dd 2020\n.Dt X 1\n.Sh NAME\n.Nm xo\n.Nd output structured data\n.Sh DESCRIPTION\nThe\n.Nm\nutility formats.\n"), 0o644)
	if m, err := readManPage(p, dir); err != nil || m.Summary != "output structured data" || m.Text != "The utility formats." {
		t.Errorf("mdoc: %+v %v", m, err)
	}
	os.WriteFile(p, []byte(".SH NAME\nfoo \\- a summary that\ngoes on\n"), 0o644)
	if m, _ := readManPage(p, dir); m.Summary != "a summary that goes on" {
		t.Errorf("wrapped summary %q", m.Summary)
	}
	if _, err := readManPage(filepath.Join(dir, "missing.1.gz"), dir); err == nil {
		t.Error("missing page read")
	}
}

// Type-ahead evaluates the prompt at each space, and the finished request
// reuses what it evaluated only where its tool hints, which come before
// the request, are the same: as a request is typed, the hints seen at
// each space are the start of the hints the request gets with one more
// word, and a last word that brings a tool adds a line at the end.
func TestToolHintsHoldStillWhileTyping(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("fdupes", fdupesPage)
	fs.install("ls", ".SH NAME\nls \\- list directory contents\n")
	fs.install("md5sum", ".SH NAME\nmd5sum \\- compute and check MD5 message digest\n")
	fs.install("gzip", ".SH NAME\ngzip \\- compress or expand files\n")
	x := NewToolIndex(IndexOptions{NoUsage: true})
	ctx := context.Background()
	o := ContextOptions{Tools: true}
	words := strings.Fields("# list duplicate files by checksum and compress them")
	// The prompt of the request typed so far (a prefill: the line before
	// the space) begins the prompt of the request with one more word.
	for k := 2; k < len(words); k++ {
		typed := strings.Join(words[:k], " ")
		done := strings.Join(words[:k+1], " ")
		a := userMessage(typed, Gather(ctx, GatherInput{Text: typed, Typing: true}, o, x))
		b := userMessage(done, Gather(ctx, GatherInput{Text: done}, o, x))
		if !strings.HasPrefix(b, a) {
			t.Errorf("typed %q:\n%s\nthen %q:\n%s", typed, a, done, b)
		}
	}
	// The last word brings gzip, the best tool for the whole request: it
	// follows the others, after the request, and is the one a tight
	// budget keeps.
	text := "# show checksums then compress"
	hints, best, after := ToolHints(ctx, x, text, false, nil)
	if n := names(hints); len(n) < 2 || n[len(n)-1] != "gzip" || best != len(n)-1 || after != 1 || slices.Contains(n[:len(n)-1], "gzip") {
		t.Fatalf("hints %v, best %d, %d after the request", n, best, after)
	}
	prompt := userMessage(text, Gather(ctx, GatherInput{Text: text}, o, x))
	if !strings.HasSuffix(prompt, "Request: show checksums then compress\nAlso installed:\n- gzip: compress or expand files") ||
		strings.Count(prompt, "gzip") != 1 || !strings.Contains(prompt, "Installed tools that may help:\n- ") {
		t.Errorf("the last word's tool does not follow the request:\n%s", prompt)
	}
	// Pasted or typed, the request gets the same hints; a request ending
	// in a space is one whose words are all typed.
	if again, _, _ := ToolHints(ctx, x, text, false, nil); !reflect.DeepEqual(again, hints) {
		t.Errorf("%v, then %v", names(hints), names(again))
	}
	spaced, _, _ := ToolHints(ctx, x, text+" ", false, nil)
	if typing, _, _ := ToolHints(ctx, x, text, true, nil); !reflect.DeepEqual(spaced, typing) {
		t.Errorf("ending in a space %v, being typed %v", names(spaced), names(typing))
	}
	c := Gather(ctx, GatherInput{Text: text}, ContextOptions{Tools: true, Budget: 60}, x)
	if !reflect.DeepEqual(c.Tools, []string{"gzip"}) || c.Render() != "" ||
		c.RenderAfter() != "\nInstalled tools that may help:\n- gzip: compress or expand files" {
		t.Errorf("within a tight budget: %v, before the request %q, after %q", c.Tools, c.Render(), c.RenderAfter())
	}
	c = Gather(ctx, GatherInput{Text: "# compress then show checksums"}, ContextOptions{Tools: true, Budget: 60}, x)
	if !reflect.DeepEqual(c.Tools, []string{"gzip"}) || c.After != 0 || c.RenderAfter() != "" {
		t.Errorf("within a tight budget, the best tool before the last word: %v, %d after", c.Tools, c.After)
	}
	// What the budget cuts earlier in the prompt (here the listing) does
	// not depend on the lines the last word adds.
	for i := range 12 {
		os.WriteFile(filepath.Join(fs.dir, fmt.Sprintf("file%02d.txt", i)), nil, 0o644)
	}
	o = cuttingBudget(fs.dir)
	typed := strings.TrimSuffix(text, " compress")
	a := userMessage(typed, Gather(ctx, GatherInput{Text: typed, Cwd: fs.dir, Typing: true}, o, x))
	bc := Gather(ctx, GatherInput{Text: text, Cwd: fs.dir}, o, x)
	b := userMessage(text, bc)
	if !strings.HasPrefix(b, a) || !strings.Contains(bc.RenderAfter(), "gzip") || len(bc.Listing) >= 13 {
		t.Errorf("within a budget that cuts, the typed request fits:\n%s\nthen:\n%s", a, b)
	}
	// Nor on the request's words at all: under a budget that cuts, the
	// line before its first word, a request with one short hint and one
	// with three keep the same listing and commands, and the first's
	// context begins each of the others'.
	for i := range 40 {
		os.WriteFile(filepath.Join(fs.dir, fmt.Sprintf("a-longer-file-name-%02d.txt", i)), nil, 0o644)
	}
	o = ContextOptions{Listing: true, History: true, MaxListing: 20}
	recent := []string{"make test", "git status --short", "go vet ./..."}
	// Room for the whole listing, not for the hints too.
	o.Budget = len(Gather(ctx, GatherInput{Cwd: fs.dir, Recent: recent}, o, nil).Render()) + 50
	o.Tools = true
	none := Gather(ctx, GatherInput{Text: "# ", Cwd: fs.dir, Recent: recent, Typing: true}, o, x)
	if len(none.Listing) == 20 || len(none.Tools) != 0 {
		t.Fatalf("the budget cut nothing (%d names) or an empty line got hints %v", len(none.Listing), none.Tools)
	}
	for _, text := range []string{"# compress", "# list files by checksum then compress"} {
		c := Gather(ctx, GatherInput{Text: text, Cwd: fs.dir, Recent: recent}, o, x)
		if !reflect.DeepEqual(c.Listing, none.Listing) || !reflect.DeepEqual(c.Recent, none.Recent) ||
			len(c.Tools) == 0 || !strings.HasPrefix(c.Render(), none.Render()) {
			t.Errorf("%q (hints %v) changed the context before its hints:\n%s\nagainst:\n%s", text, c.Tools, c.Render(), none.Render())
		}
	}
}

// With the hints of each prefill kept for the next (the agent passes them
// as Prior), a line typed word by word never changes a hint line it has
// evaluated: new tools follow the old ones, until the list would outgrow
// maxKept and starts again; the finished request appends past the cap,
// since starting again would be read at the key press.
func TestToolHintsKeptForTheLine(t *testing.T) {
	fs := newFakeSystem(t)
	fs.install("fdupes", fdupesPage)
	for name, what := range map[string]string{"ls": "list directory contents", "md5sum": "compute and check MD5 message digest",
		"gzip": "compress or expand files", "find": "search for files in a directory hierarchy", "rm": "remove files or directories",
		"du": "estimate file space usage", "sort": "sort lines of text files", "tar": "an archiving utility"} {
		fs.install(name, fmt.Sprintf(".SH NAME\n%s \\- %s\n", name, what))
	}
	x := NewToolIndex(IndexOptions{NoUsage: true})
	ctx := context.Background()
	o := ContextOptions{Tools: true}
	words := strings.Fields("# list duplicate files by checksum then compress them and sort by disk usage into a tar archive and remove the originals")
	var prior []Tool
	grew, restarted := false, false
	for k := 2; k < len(words); k++ {
		typed := strings.Join(words[:k], " ") + " "
		c := Gather(ctx, GatherInput{Text: typed, Typing: true, Prior: prior}, o, x)
		fresh, _, _ := ToolHints(ctx, x, typed, true, nil)
		switch {
		case len(c.ToolInfo) > maxKept:
			t.Fatalf("%q: %d hints", typed, len(c.ToolInfo))
		case len(prior) > 0 && reflect.DeepEqual(c.ToolInfo[:min(len(prior), len(c.ToolInfo))], prior):
			grew = grew || len(c.ToolInfo) > len(prior)
		case reflect.DeepEqual(names(c.ToolInfo), names(fresh)):
			restarted = restarted || len(prior) > 0
		default:
			t.Fatalf("%q: hints %v after %v, neither kept nor afresh (%v)", typed, names(c.ToolInfo), names(prior), names(fresh))
		}
		prior = c.ToolInfo
	}
	if !grew || !restarted {
		t.Errorf("the line never grew the list (%v) or never started it again (%v)", grew, restarted)
	}
	// A typed line's prompt begins with the prompt before.
	typed, done := "# list duplicate files ", "# list duplicate files by checksum"
	a := Gather(ctx, GatherInput{Text: typed, Typing: true}, o, x)
	b := Gather(ctx, GatherInput{Text: done, Prior: a.ToolInfo}, o, x)
	if !strings.HasPrefix(strings.TrimSuffix(b.Render(), "\n"), strings.TrimSuffix(a.Render(), "\n")) {
		t.Errorf("%q then %q:\n%s\n%s", typed, done, a.Render(), b.Render())
	}

	// A full list: typing that brings another tool starts again, the
	// finished request keeps it and appends.
	full := []Tool{{"du", "x"}, {"find", "x"}, {"ls", "x"}, {"rm", "x"}, {"tar", "x"}}
	text := "# show checksums then compress"
	h, _, _ := ToolHints(ctx, x, text+" ", true, full)
	if fresh, _, _ := ToolHints(ctx, x, text+" ", true, nil); !reflect.DeepEqual(h, fresh) {
		t.Errorf("typing past the cap: %v, want %v", names(h), names(fresh))
	}
	h, best, after := ToolHints(ctx, x, text, false, full)
	if len(h) <= maxKept || !reflect.DeepEqual(h[:len(full)], full) || h[best].Name != "gzip" || after != len(h)-len(full) {
		t.Errorf("the request past the cap: %v, best %d, %d after the request", names(h), best, after)
	}
	// Whatever the prefills did not read follows the request, so the
	// request's prompt continues the last prefill's, even when that
	// prefill was words behind.
	for _, k := range []int{3, 5} {
		typed, done := strings.Join(words[:k], " "), strings.Join(words, " ")
		a := Gather(ctx, GatherInput{Text: typed, Typing: true}, o, x)
		b := Gather(ctx, GatherInput{Text: done, Prior: a.ToolInfo}, o, x)
		if pa, pb := userMessage(typed, a), userMessage(done, b); b.After == 0 || !strings.HasPrefix(pb, pa) {
			t.Errorf("%q then %q (%d hints after the request):\n%s\n%s", typed, done, b.After, pa, pb)
		}
	}

	// Kept hints are not charged against the budget beyond the first
	// three, so a growing list never cuts the listing before it.
	for i := range 12 {
		os.WriteFile(filepath.Join(fs.dir, fmt.Sprintf("file%02d.txt", i)), nil, 0o644)
	}
	o = cuttingBudget(fs.dir)
	plain := Gather(ctx, GatherInput{Text: text + " ", Cwd: fs.dir, Typing: true}, o, x)
	kept := Gather(ctx, GatherInput{Text: text + " ", Cwd: fs.dir, Typing: true, Prior: full[:2]}, o, x)
	if len(kept.ToolInfo) <= 3 || !reflect.DeepEqual(kept.Listing, plain.Listing) || len(plain.Listing) >= 13 {
		t.Errorf("within a budget that cuts, kept hints %v cut the listing to %v (from %v)", kept.Tools, kept.Listing, plain.Listing)
	}
}

// userMessage is the prompt's last message for text with context c.
func userMessage(text string, c Context) string {
	m := Messages(Request{Text: text, Shell: "bash", Context: &c})
	return m[len(m)-1].Content
}

// cuttingBudget is context options for dir whose budget halves its
// listing and leaves the hints room for three.
func cuttingBudget(dir string) ContextOptions {
	o := ContextOptions{Listing: true, MaxListing: 20}
	o.Budget = len(Gather(context.Background(), GatherInput{Cwd: dir}, o, nil).Render()) + hintsReserve(maxTools) - 1
	o.Tools = true
	return o
}

// Scoring by postings gives each document the very score that scoring
// every document word by word gives (ranks, and the quality figures,
// depend on it), for queries with repeated, unknown and no words.
func TestBM25Postings(t *testing.T) {
	docs := [][]string{{"list", "file", "list"}, {"file", "copy"}, {}, {"remov", "file", "dir", "dir"}, {"copy", "dir"}}
	b := newBM25(docs)
	total := 0
	for _, d := range docs {
		total += len(d)
	}
	avg, n := float64(total)/float64(len(docs)), float64(len(docs))
	direct := func(d, q []string) float64 {
		s := 0.0
		for _, w := range q {
			f, df := 0.0, 0.0
			for _, x := range d {
				if x == w {
					f++
				}
			}
			for _, o := range docs {
				if slices.Contains(o, w) {
					df++
				}
			}
			if f > 0 {
				s += math.Log(1+(n-df+0.5)/(df+0.5)) * f * 2.2 / (f + 1.2*(0.25+0.75*float64(len(d))/avg))
			}
		}
		return s
	}
	for _, q := range [][]string{{"list"}, {"file", "dir", "file"}, {"copy", "nothing", "list"}, nil} {
		got := make([]float64, len(docs))
		b.add(q, got)
		for i, d := range docs {
			if want := direct(d, q); got[i] != want {
				t.Errorf("%q in %q: %v, want %v", q, d, got[i], want)
			}
		}
	}
}
