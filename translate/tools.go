package translate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cmdr-sh/cmdr/history"
)

// Tool is an installed program with its one-line manual summary.
type Tool struct {
	Name    string `json:"name"`
	Summary string `json:"summary"`
}

// IndexOptions choose the ingredients of tool retrieval. The zero value
// uses them all; the benchmark turns them off one at a time to report
// what each adds.
type IndexOptions struct {
	// CachePath keeps the parsed manual pages between processes ("" for
	// none). The cache is rebuilt when a manual or PATH directory changes.
	CachePath string
	// NoManText ranks by the NAME lines alone (whatis), not the pages'
	// DESCRIPTION text.
	NoManText bool
	// NoUsage drops the prior from how often the user runs a tool.
	NoUsage bool
	// NoLexicon drops the everyday-words lexicon (lexicon.go).
	NoLexicon bool
	// Usage counts runs of each program; nil reads the user's bash, zsh
	// and fish history files.
	Usage func() map[string]int
}

// ToolIndex ranks the installed programs for a request. Each program's
// manual page (and, for programs like git, its subcommands' pages) is
// indexed by its NAME line and the opening of its DESCRIPTION. BM25 over
// those, with the request's everyday words mapped to the pages' words, is
// combined with what a user knows and a bag of words lacks: the programs
// usually meant by words like "unzip" or "permission" (lexicon.go), and
// how often the user's shell history runs each program.
type ToolIndex struct {
	opts IndexOptions

	mu      sync.Mutex
	key     string    // fingerprint of the manual and PATH directories
	checked time.Time // when key was last compared with the directories
	docs    []toolDoc
	tools   map[string]*toolInfo
	name    bm25
	text    bm25
	usage   map[string]int
}

// toolDoc is one indexed manual page.
type toolDoc struct {
	Tool    string `json:"tool"` // the program it documents: "git" for git-reset(1)
	Page    string `json:"page"`
	Summary string `json:"summary"`
	Text    string `json:"text,omitempty"`
}

type toolInfo struct {
	summary string
	page    int // index of its own page in docs
	// copy: a toolchain's target-prefixed copy of another tool with the
	// same summary (x86_64-linux-gnu-size beside size), never a hint.
	copy bool
}

// indexVersion changes whenever what the cache holds changes meaning.
const indexVersion = 3

// recheckEvery bounds how often a warm index stats the directories that
// tell whether it is stale.
const recheckEvery = 30 * time.Second

// NewToolIndex returns an empty index; it builds itself on first use.
func NewToolIndex(opts IndexOptions) *ToolIndex { return &ToolIndex{opts: opts} }

// Warm builds or loads the index now, so the first request does not wait.
func (x *ToolIndex) Warm(ctx context.Context) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.ensure(ctx)
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
	lex := theLexicon()
	words := q
	if !x.opts.NoLexicon {
		q = lex.expand(q)
	}
	best := map[string]float64{}
	bestPage := map[string]int{}
	byName, byText := make([]float64, len(x.docs)), make([]float64, len(x.docs))
	x.name.add(q, byName)
	if !x.opts.NoManText {
		x.text.add(q, byText)
	}
	for i, d := range x.docs {
		s := byName[i]
		if !x.opts.NoManText {
			s += textWeight * byText[i]
		}
		// A program with dozens of subcommand pages would otherwise win
		// on the luck of its best-matching one.
		if d.Page != d.Tool {
			s *= subcommandDiscount
		}
		if s > best[d.Tool] {
			best[d.Tool], bestPage[d.Tool] = s, i
		}
	}
	if !x.opts.NoLexicon {
		seen := map[string]bool{}
		for _, w := range words {
			if seen[w] {
				continue
			}
			seen[w] = true
			for _, t := range lex.intents[w] {
				if x.tools[t] != nil {
					best[t] += intentWeight
					if _, ok := bestPage[t]; !ok {
						bestPage[t] = x.tools[t].page
					}
				}
			}
		}
	}
	type scored struct {
		name string
		s    float64
	}
	res := make([]scored, 0, len(best))
	for name, s := range best {
		if s <= minScore {
			continue
		}
		if x.tools[name].copy {
			continue // x86_64-linux-gnu-size is size again: a hint that says nothing new
		}
		if !x.opts.NoUsage {
			s += usageWeight * math.Log1p(float64(x.usage[name]))
		}
		res = append(res, scored{name, s})
	}
	sort.Slice(res, func(a, b int) bool {
		if res[a].s != res[b].s {
			return res[a].s > res[b].s
		}
		return res[a].name < res[b].name
	})
	out := make([]Tool, 0, min(k, len(res)))
	for _, r := range res[:min(k, len(res))] {
		d := x.docs[bestPage[r.name]]
		sum := x.tools[r.name].summary
		if d.Page != d.Tool {
			// The subcommand that matched says more than the program.
			sum = strings.Replace(d.Page, "-", " ", 1) + ": " + d.Summary
		}
		out = append(out, Tool{Name: r.name, Summary: sum})
	}
	return out
}

// crossPrefix is the target triplet binutils and compilers put before
// their names (x86_64-linux-gnu-gcc-12, aarch64-linux-gnu-objdump).
var crossPrefix = regexp.MustCompile(`^[a-z0-9_]+-(?:[a-z0-9]+-)?(?:linux|none|w64|elf)-?[a-z0-9_]*-`)

// The weights were tuned on the public dev set, and checked on tldr
// examples held out from tuning (`make bench` reports recall@5 of both,
// with each ingredient removed in turn).
const (
	textWeight         = 0.6
	usageWeight        = 2.0
	intentWeight       = 8.0
	subcommandDiscount = 0.6
	minScore           = 0.5
)

func (x *ToolIndex) ensure(ctx context.Context) {
	if len(x.docs) > 0 && time.Since(x.checked) < recheckEvery {
		return
	}
	x.checked = time.Now()
	roots := ManRoots()
	key := fingerprint(roots)
	if key == x.key && len(x.docs) > 0 {
		return
	}
	docs, ok := x.loadCache(key)
	if !ok {
		docs = scanManPages(ctx, roots)
		x.saveCache(key, docs)
	}
	x.key, x.docs = key, docs
	x.index()
	if !x.opts.NoUsage {
		usage := x.opts.Usage
		if usage == nil {
			usage = historyUsage
		}
		x.usage = usage()
	}
}

// index builds the BM25 statistics.
func (x *ToolIndex) index() {
	x.tools = map[string]*toolInfo{}
	names := make([][]string, len(x.docs))
	texts := make([][]string, len(x.docs))
	for i, d := range x.docs {
		// The page name counts twice: "tar" in a request is a strong signal.
		names[i] = tokens(strings.ReplaceAll(d.Page, "-", " ") + " " + d.Page + " " + d.Summary)
		texts[i] = tokens(d.Text)
		if _, ok := x.tools[d.Tool]; !ok || d.Page == d.Tool {
			t := x.tools[d.Tool]
			if t == nil {
				t = &toolInfo{}
				x.tools[d.Tool] = t
			}
			if d.Page == d.Tool || t.summary == "" {
				t.summary, t.page = d.Summary, i
			}
		}
	}
	for name, t := range x.tools {
		if base := crossPrefix.ReplaceAllString(name, ""); base != name && x.tools[base] != nil && x.tools[base].summary == t.summary {
			t.copy = true
		}
	}
	x.name = newBM25(names)
	x.text = newBM25(texts)
}

// ManRoots are the manual trees, in man's search order: MANPATH, or
// what manpath(1) says.
func ManRoots() []string {
	var roots []string
	mp := os.Getenv("MANPATH")
	if mp == "" || strings.HasPrefix(mp, ":") || strings.HasSuffix(mp, ":") || strings.Contains(mp, "::") {
		// An empty element means "and the system's": ask manpath.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "manpath", "-q").Output(); err == nil {
			mp = strings.TrimSpace(string(out))
		}
	}
	if mp == "" {
		mp = "/usr/local/share/man:/usr/share/man"
	}
	seen := map[string]bool{}
	for _, r := range filepath.SplitList(mp) {
		if r != "" && !seen[r] {
			seen[r] = true
			roots = append(roots, r)
		}
	}
	return roots
}

// commandSections hold user commands, games and administration commands.
var commandSections = []string{"man1", "man6", "man8"}

// fingerprint changes when a page or a program is installed or removed:
// it covers the modification times of the manual section directories and
// of PATH's directories.
func fingerprint(roots []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "v%d\n", indexVersion)
	stamp := func(d string) {
		if st, err := os.Stat(d); err == nil {
			fmt.Fprintf(h, "%s %d\n", d, st.ModTime().UnixNano())
		}
	}
	for _, r := range roots {
		for _, s := range commandSections {
			stamp(filepath.Join(r, s))
		}
	}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		stamp(d)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

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

// scanManPages reads the command pages of installed programs. A page
// whose name is not a program but starts with one and a dash (git-rebase,
// apt-get's siblings are programs themselves) documents a subcommand of
// that program.
func scanManPages(ctx context.Context, roots []string) []toolDoc {
	installed := executables()
	seen := map[string]bool{}
	var docs []toolDoc
	for _, root := range roots {
		for _, sec := range commandSections {
			ents, err := os.ReadDir(filepath.Join(root, sec))
			if err != nil {
				continue
			}
			for _, e := range ents {
				if ctx.Err() != nil {
					return docs
				}
				page := pageName(e.Name())
				if page == "" || seen[page] {
					continue
				}
				tool := page
				if !installed[page] {
					parent, _, ok := strings.Cut(page, "-")
					if !ok || !installed[parent] {
						continue
					}
					tool = parent
				}
				p, err := readManPage(filepath.Join(root, sec, e.Name()), root)
				if err != nil || (p.Summary == "" && p.Text == "") {
					continue
				}
				seen[page] = true
				docs = append(docs, toolDoc{Tool: tool, Page: page, Summary: p.Summary, Text: p.Text})
			}
		}
	}
	return docs
}

// pageName turns "ls.1.gz" or "openssl-enc.1ssl.gz" into the page name.
func pageName(file string) string {
	file = strings.TrimSuffix(file, ".gz")
	i := strings.LastIndexByte(file, '.')
	if i <= 0 || i+1 >= len(file) || file[i+1] < '0' || file[i+1] > '9' {
		return ""
	}
	return file[:i]
}

// ToolIndexFresh reports whether the cache at path matches the manual and
// PATH directories as they are now; an error says why there is none.
func ToolIndexFresh(path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var c struct {
		Version int    `json:"version"`
		Key     string `json:"key"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return false, fmt.Errorf("%s is damaged", path)
	}
	return c.Version == indexVersion && c.Key == fingerprint(ManRoots()), nil
}

type indexCache struct {
	Version int       `json:"version"`
	Key     string    `json:"key"`
	Docs    []toolDoc `json:"docs"`
}

func (x *ToolIndex) loadCache(key string) ([]toolDoc, bool) {
	if x.opts.CachePath == "" {
		return nil, false
	}
	b, err := os.ReadFile(x.opts.CachePath)
	if err != nil {
		return nil, false
	}
	var c indexCache
	if json.Unmarshal(b, &c) != nil || c.Version != indexVersion || c.Key != key || len(c.Docs) == 0 {
		return nil, false
	}
	return c.Docs, true
}

// saveCache writes atomically, so a reader never sees half a file.
func (x *ToolIndex) saveCache(key string, docs []toolDoc) {
	if x.opts.CachePath == "" || len(docs) == 0 {
		return
	}
	b, err := json.Marshal(indexCache{Version: indexVersion, Key: key, Docs: docs})
	if err != nil {
		return
	}
	dir := filepath.Dir(x.opts.CachePath)
	if os.MkdirAll(dir, 0o700) != nil {
		return
	}
	f, err := os.CreateTemp(dir, ".tools-*")
	if err != nil {
		return
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil && cerr == nil {
		err = os.Rename(f.Name(), x.opts.CachePath)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// historyUsage counts the programs in the user's bash, zsh and fish
// histories: a tool used every day should outrank a namesake never run.
func historyUsage() map[string]int {
	counts := map[string]int{}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		entries, err := history.Read(sh)
		if err != nil {
			continue
		}
		for _, e := range entries {
			CountPrograms(e.Command, counts)
		}
	}
	return counts
}

// CountPrograms adds one for each program cmd runs to counts. It splits
// on the shell's command separators instead of parsing: histories hold
// tens of thousands of lines, some of them not valid syntax, and only the
// first word of each command matters here.
func CountPrograms(cmd string, counts map[string]int) {
	for _, part := range strings.FieldsFunc(cmd, func(r rune) bool {
		return r == '|' || r == ';' || r == '&' || r == '\n' || r == '(' || r == ')' || r == '`' || r == '{' || r == '}'
	}) {
		fields := strings.Fields(part)
		for len(fields) > 0 {
			w := fields[0]
			if wrappers[w] {
				fields = fields[1+WrapperPrefix(w, fields[1:]):] // sudo -u x, xargs -n 1 ...
				continue
			}
			if strings.Contains(w, "=") && !strings.HasPrefix(w, "=") || keywords[w] || strings.HasPrefix(w, "-") {
				fields = fields[1:] // VAR=x, if, while ... and stray flags
				continue
			}
			w = filepath.Base(strings.Trim(w, `"'\`))
			if !strings.ContainsFunc(w, func(r rune) bool { return r > '9' }) {
				fields = fields[1:] // a wrapper's argument: nice -n 5, timeout 10
				continue
			}
			if isProgramName(w) {
				counts[w]++
			}
			break
		}
	}
}

// keywords start a command without being its program.
var keywords = map[string]bool{"then": true, "do": true, "else": true, "elif": true, "if": true, "while": true,
	"until": true, "!": true, "and": true, "or": true, "not": true, "begin": true}

func isProgramName(w string) bool {
	for i := 0; i < len(w); i++ {
		if !isNameByte(w[i]) {
			return false
		}
	}
	return w != "." && w != ".."
}

// bm25 scores documents of one field against a query. It keeps, for
// each word, the documents holding it, so a query reads only those:
// scoring every document took a map lookup per document and query word,
// ~10 ms for a long request over 1,600 manual pages, paid by every
// prefill and every key press before the model could start.
type bm25 struct {
	postings map[string][]posting
	length   []int
	avg      float64
}

// posting is a document holding a word, and how many times.
type posting struct{ doc, tf int32 }

func newBM25(docs [][]string) bm25 {
	b := bm25{postings: map[string][]posting{}, length: make([]int, len(docs))}
	total := 0
	for i, d := range docs {
		tf := make(map[string]int32, len(d))
		for _, w := range d {
			tf[w]++
		}
		for w, f := range tf {
			b.postings[w] = append(b.postings[w], posting{int32(i), f})
		}
		b.length[i] = len(d)
		total += len(d)
	}
	if len(docs) > 0 {
		b.avg = float64(total) / float64(len(docs))
	}
	return b
}

// add adds each document's score for q to scores (one per document). A
// document's terms are added in q's order, as a loop over its words
// would, so its sum is the same to the last bit, and so are the ranks.
func (b bm25) add(q []string, scores []float64) {
	const k1, bb = 1.2, 0.75
	if b.avg == 0 {
		return
	}
	n := float64(len(b.length))
	for _, w := range q {
		ps := b.postings[w]
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for _, p := range ps {
			f := float64(p.tf)
			scores[p.doc] += idf * f * (k1 + 1) / (f + k1*(1-bb+bb*float64(b.length[p.doc])/b.avg))
		}
	}
}

var stopwords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true, "in": true, "on": true,
	"for": true, "with": true, "from": true, "by": true, "at": true, "as": true, "is": true, "are": true, "be": true,
	"all": true, "that": true, "this": true, "it": true, "its": true, "my": true, "me": true, "i": true,
	"what": true, "how": true, "into": true, "which": true, "command": true, "commands": true, "using": true, "use": true,
	"current": true, "then": true, "them": true, "their": true, "there": true, "these": true, "those": true, "named": true,
	"can": true, "will": true, "do": true, "does": true, "not": true, "no": true, "if": true, "than": true, "only": true,
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
