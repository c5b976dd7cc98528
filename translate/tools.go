package translate

import (
	"bufio"
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Tool is an installed program with its one-line manual summary.
type Tool struct {
	Name    string `json:"name"`
	Summary string `json:"summary"`
}

// ToolIndex ranks the installed programs for a request by their manual
// summaries (BM25 over the whatis lines of sections 1 and 8). It is built
// once from `man -k .` and kept until the manual directories change.
type ToolIndex struct {
	mu     sync.Mutex
	tools  []Tool
	docs   [][]string
	df     map[string]int
	avgLen float64
	built  time.Time
}

// NewToolIndex returns an empty index; it builds itself on first use.
func NewToolIndex() *ToolIndex { return &ToolIndex{} }

// executables lists the program names on PATH: one directory read each,
// rather than a lookup per manual page.
func executables() map[string]bool {
	set := map[string]bool{}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
				set[e.Name()] = true
			}
		}
	}
	return set
}

// manDirs are where installed manual pages live; their modification times
// tell when the index is stale (a package was installed or removed).
var manDirs = []string{"/usr/share/man/man1", "/usr/share/man/man8", "/usr/local/share/man/man1", "/usr/local/man/man1"}

func newestManChange() time.Time {
	var t time.Time
	for _, d := range manDirs {
		if st, err := os.Stat(d); err == nil && st.ModTime().After(t) {
			t = st.ModTime()
		}
	}
	return t
}

func (x *ToolIndex) ensure(ctx context.Context) {
	if !x.built.IsZero() && !newestManChange().After(x.built) {
		return
	}
	x.built = time.Now()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "man", "-k", ".").Output()
	if err != nil && len(out) == 0 {
		return
	}
	x.tools, x.docs, x.df = nil, nil, map[string]int{}
	installed := executables()
	seen := map[string]bool{}
	total := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		t, ok := parseWhatis(sc.Text())
		if !ok || seen[t.Name] {
			continue
		}
		if !installed[t.Name] {
			continue // documented but not installed as a command
		}
		seen[t.Name] = true
		doc := tokens(t.Name + " " + t.Summary)
		// The name counts twice: "tar" in a request is a strong signal.
		doc = append(doc, tokens(t.Name)...)
		x.tools = append(x.tools, t)
		x.docs = append(x.docs, doc)
		total += len(doc)
		uniq := map[string]bool{}
		for _, w := range doc {
			if !uniq[w] {
				uniq[w] = true
				x.df[w]++
			}
		}
	}
	if len(x.docs) > 0 {
		x.avgLen = float64(total) / float64(len(x.docs))
	}
}

// parseWhatis reads "name (1) - summary" for commands (sections 1, 6, 8).
func parseWhatis(line string) (Tool, bool) {
	head, summary, ok := strings.Cut(line, " - ")
	if !ok {
		return Tool{}, false
	}
	name, sec, ok := strings.Cut(strings.TrimSpace(head), " (")
	if !ok || name == "" || strings.ContainsAny(name, " /") {
		return Tool{}, false
	}
	sec = strings.TrimSuffix(sec, ")")
	if sec == "" || (sec[0] != '1' && sec[0] != '8' && sec[0] != '6') {
		return Tool{}, false
	}
	return Tool{Name: name, Summary: strings.TrimSpace(summary)}, true
}

var stopwords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true, "on": true,
	"for": true, "with": true, "from": true, "by": true, "at": true, "as": true, "is": true, "are": true, "be": true,
	"all": true, "that": true, "this": true, "it": true, "its": true, "my": true, "me": true, "i": true, "show": true,
	"what": true, "how": true, "into": true, "which": true, "command": true, "commands": true, "file": true, "files": true,
	"print": true, "display": true, "list": true, "get": true, "using": true, "use": true, "current": true, "directory": true,
}

// tokens lower-cases, splits on non-alphanumerics, drops stopwords and
// strips a plural or -ing ending so "duplicates" meets "duplicate".
func tokens(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) < 2 || stopwords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// stem is a light suffix stripper: archive, archives and archiving all
// become "archiv"; compress and compresses stay "compress".
func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) && !(suf == "s" && strings.HasSuffix(w, "ss")) {
			w = strings.TrimSuffix(w, suf)
			break
		}
	}
	if len(w) > 4 {
		w = strings.TrimSuffix(w, "e")
	}
	return w
}

// Rank returns up to k installed tools for text, best first.
func (x *ToolIndex) Rank(ctx context.Context, text string, k int) []Tool {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.ensure(ctx)
	q := tokens(text)
	if len(q) == 0 || len(x.docs) == 0 {
		return nil
	}
	const k1, b = 1.2, 0.75
	n := float64(len(x.docs))
	type scored struct {
		i int
		s float64
	}
	var res []scored
	for i, doc := range x.docs {
		tf := map[string]int{}
		for _, w := range doc {
			tf[w]++
		}
		s := 0.0
		for _, w := range q {
			f := float64(tf[w])
			if f == 0 {
				continue
			}
			idf := math.Log(1 + (n-float64(x.df[w])+0.5)/(float64(x.df[w])+0.5))
			s += idf * f * (k1 + 1) / (f + k1*(1-b+b*float64(len(doc))/x.avgLen))
		}
		if s > 0 {
			res = append(res, scored{i, s})
		}
	}
	sort.SliceStable(res, func(a, c int) bool { return res[a].s > res[c].s })
	var out []Tool
	for _, r := range res[:min(k, len(res))] {
		out = append(out, x.tools[r.i])
	}
	return out
}
