// Command qualitybench measures the translation pipeline on the public dev
// set (shared/bench/nl2cmd-dev.jsonl in the workspace, never in the repo):
// tool retrieval recall@5 over this machine's man pages (each ingredient
// removed in turn, and on tldr examples held out from tuning), and `cmdr
// eval` on generated models. `make bench` runs it when the dev set is
// present.
//
//	qualitybench -dataset ../shared/bench/nl2cmd-dev.jsonl -tldr ../shared/bench/tldr-common-linux.jsonl \
//	    -cmdr bin/cmdr -models .cache/models -out results.jsonl
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cmdr-sh/cmdr/bench/benchfmt"
	"github.com/cmdr-sh/cmdr/explain"
	"github.com/cmdr-sh/cmdr/translate"
)

type item struct {
	NL      string   `json:"nl"`
	Ref     []string `json:"ref"`
	Utility string   `json:"utility"`
}

func main() {
	dataset := flag.String("dataset", "../shared/bench/nl2cmd-dev.jsonl", "nl2cmd JSON lines")
	tldr := flag.String("tldr", "", "tldr examples (JSON lines), held out from tuning tool retrieval")
	explainSet := flag.String("explain", "", "explain dev set (JSON lines with cmd, page, flags)")
	bin := flag.String("cmdr", "bin/cmdr", "cmdr binary, for cmdr eval")
	models := flag.String("models", ".cache/models", "generated models")
	out := flag.String("out", "", "append JSON lines here")
	runs := flag.Int("runs", 5, "runs per timed figure that is not a per-item latency")
	flag.Parse()
	recs, err := run(*dataset, *tldr, *explainSet, *bin, *models, *runs)
	if err == nil && *out != "" {
		err = benchfmt.Append(*out, recs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qualitybench:", err)
		os.Exit(1)
	}
}

func run(dataset, tldr, explainSet, bin, models string, runs int) ([]benchfmt.Record, error) {
	f, err := os.Open(dataset)
	if err != nil {
		return nil, err
	}
	var items []item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for sc.Scan() {
		var it item
		if json.Unmarshal(sc.Bytes(), &it) == nil && it.NL != "" {
			items = append(items, it)
		}
	}
	f.Close()

	recs, err := retrieval(items, tldr, runs)
	if err != nil {
		return nil, err
	}
	if explainSet != "" {
		er, err := explainBench(explainSet, bin)
		if err != nil {
			return nil, err
		}
		recs = append(recs, er...)
	}

	// cmdr eval on the generated models: the harness end to end.
	for _, m := range []string{"tiny", "0.5b-q4_k_m"} {
		path := filepath.Join(models, m+".gguf")
		if _, err := os.Stat(path); err != nil {
			continue
		}
		args := []string{"eval", "--json", "--dataset", dataset, "--engine", "llamacpp", "--model", path}
		if m != "tiny" {
			args = append(args, "--limit", "20")
		}
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "CMDR_MAX_TOKENS=25")
		outb, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("cmdr eval with %s: %v", m, err)
		}
		var rep translate.EvalReport
		if err := json.Unmarshal(outb, &rep); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "bench: cmdr eval %s: %+v\n", m, rep)
		for _, f := range []struct {
			name string
			v    float64
			unit string
		}{
			{"syntax_valid", rep.SyntaxValid, "ratio"}, {"utility_match", rep.UtilityMatch, "ratio"},
			{"exact_match", rep.ExactMatch, "ratio"}, {"risk_flagged", rep.RiskFlagged, "ratio"},
			{"p50 latency", rep.P50MS, "ms"}, {"p95 latency", rep.P95MS, "ms"},
		} {
			recs = append(recs, benchfmt.Record{Suite: "quality", Model: m, Build: "native",
				Metric: fmt.Sprintf("cmdr eval %s (%d items)", f.name, rep.N), Unit: f.unit, Median: f.v, Min: f.v, Max: f.v, Runs: 1})
		}
	}
	return recs, nil
}

// query is one retrieval question: the request and the program wanted.
type query struct{ text, want string }

// retrieval measures tool retrieval recall@5 with all ingredients and with
// each removed, on the dev set and on held-out tldr examples.
//
// The usage ingredient needs a shell history, and this machine's is not a
// user's. So the dev set stands in for one, two-fold: the items of one
// half are answered with the reference commands of the other half as the
// history, like a user whose past commands resemble their requests.
func retrieval(items []item, tldrPath string, runs int) ([]benchfmt.Record, error) {
	var dev [2][]query
	usage := [2]map[string]int{{}, {}}
	n := 0
	for i, it := range items {
		if len(it.Ref) > 0 {
			translate.CountPrograms(it.Ref[0], usage[1-i%2])
		}
		want, _, _ := strings.Cut(it.Utility, ",")
		if _, err := exec.LookPath(want); err != nil || want == "" {
			continue
		}
		dev[i%2] = append(dev[i%2], query{it.NL, want})
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("no dev-set utility is installed here")
	}
	held, err := tldrQueries(tldrPath)
	if err != nil {
		return nil, err
	}
	cache := filepath.Join(os.TempDir(), fmt.Sprintf("cmdr-bench-tools-%d.json", os.Getpid()))
	defer os.Remove(cache)

	// The index from nothing, then from its cache: what the agent's first
	// request and each later process pay.
	// Each build starts without the cache file; the man pages themselves
	// stay in the OS page cache after the first, as they do on a machine
	// in use.
	var recs []benchfmt.Record
	for _, c := range []struct {
		what string
		cold bool
	}{{"tool index build, cold (reads every installed command's man page)", true}, {"tool index load from its cache", false}} {
		var ms []float64
		for range runs {
			if c.cold {
				os.Remove(cache)
			}
			t0 := time.Now()
			translate.NewToolIndex(translate.IndexOptions{CachePath: cache, NoUsage: true}).Rank(context.Background(), "warm up", 1)
			ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
		}
		recs = append(recs, benchfmt.Stat(c.what, "ms", ms))
	}

	variants := []struct {
		name string
		opts translate.IndexOptions
	}{
		{"all ingredients", translate.IndexOptions{}},
		{"without usage frequency", translate.IndexOptions{NoUsage: true}},
		{"without the lexicon", translate.IndexOptions{NoLexicon: true}},
		{"without man page text", translate.IndexOptions{NoManText: true}},
		{"whatis lines only (BM25, the old ranking)", translate.IndexOptions{NoUsage: true, NoLexicon: true, NoManText: true}},
	}
	var lat []float64
	for _, v := range variants {
		hits := 0
		for fold := range 2 {
			o := v.opts
			o.CachePath = cache
			u := usage[fold]
			o.Usage = func() map[string]int { return u }
			x := translate.NewToolIndex(o)
			x.Warm(context.Background())
			for _, q := range dev[fold] {
				t0 := time.Now()
				got := x.Rank(context.Background(), q.text, 5)
				if v.name == "all ingredients" {
					lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
				}
				hits += hit(got, q.want)
			}
		}
		r := float64(hits) / float64(n)
		fmt.Fprintf(os.Stderr, "bench: tool retrieval recall@5, dev set, %s: %.3f\n", v.name, r)
		recs = append(recs, benchfmt.Record{Metric: fmt.Sprintf("recall@5 on the dev set (%d items installed here), %s", n, v.name),
			Unit: "ratio", Median: r, Min: r, Max: r, Runs: 1})
	}
	recs = append(recs, benchfmt.Stat("retrieval latency per request, index warm", "ms", lat))
	// The hints a prompt gets (translate.ToolHints: the best three for
	// the words before the last, then those of the whole request's best
	// three not among them), against the whole request's best three:
	// held still for type-ahead, do they still name the program, and at
	// what length? And the same request typed a word at a time, with the
	// hints of each prefill kept for the next (what the agent does) and
	// without: how many hint lines the prefills and the key press read
	// again.
	var c hintCounts
	for fold := range 2 {
		u := usage[fold]
		x := translate.NewToolIndex(translate.IndexOptions{CachePath: cache, Usage: func() map[string]int { return u }})
		c = countHints(x, dev[fold], c)
	}
	recs = append(recs, hintRecords(fmt.Sprintf("the dev set (%d items installed here)", n), c)...)
	if len(held) > 0 {
		c := countHints(translate.NewToolIndex(translate.IndexOptions{CachePath: cache, NoUsage: true}), held, hintCounts{})
		recs = append(recs, hintRecords(fmt.Sprintf("held-out tldr examples (%d)", len(held)), c)...)
	}
	if len(held) > 0 {
		// No history stands in for these: usage is off throughout.
		for _, v := range variants[1:] {
			o := v.opts
			o.CachePath, o.NoUsage = cache, true
			x := translate.NewToolIndex(o)
			hits := 0
			for _, q := range held {
				hits += hit(x.Rank(context.Background(), q.text, 5), q.want)
			}
			r := float64(hits) / float64(len(held))
			name := strings.Replace(v.name, "without usage frequency", "all but usage", 1)
			fmt.Fprintf(os.Stderr, "bench: tool retrieval recall@5, held-out tldr, %s: %.3f\n", name, r)
			recs = append(recs, benchfmt.Record{Metric: fmt.Sprintf("recall@5 on held-out tldr examples (%d), %s", len(held), name),
				Unit: "ratio", Median: r, Min: r, Max: r, Runs: 1})
		}
	}
	for i := range recs {
		recs[i].Suite, recs[i].Model, recs[i].Build = "quality", "man pages", "native"
	}
	return recs, nil
}

// hintCount tallies hint lists: how many named the program, how many
// hints they held, out of how many requests; for typed requests, how
// many hint lines the prefills and the key press read again.
type hintCount struct{ hits, hints, n, reread, rereadKey int }

func (c *hintCount) add(got []translate.Tool, want string) {
	c.hits += hit(got, want)
	c.hints += len(got)
	c.n++
}

// hintCounts are the ways of choosing hints the bench compares.
type hintCounts struct{ top3, pasted, typed, kept hintCount }

func countHints(x *translate.ToolIndex, qs []query, c hintCounts) hintCounts {
	ctx := context.Background()
	for _, q := range qs {
		c.top3.add(x.Rank(ctx, q.text, 3), q.want)
		p, _, _ := translate.ToolHints(ctx, x, q.text, false, nil)
		c.pasted.add(p, q.want)
		words := strings.Fields(translate.StripHash(q.text))
		if len(words) < 2 {
			continue
		}
		for _, keep := range []bool{false, true} {
			// A prefill at each space, then the request.
			var prev, prior []translate.Tool
			var reread int
			for k := 1; k < len(words); k++ {
				h, _, _ := translate.ToolHints(ctx, x, strings.Join(words[:k], " ")+" ", true, prior)
				reread += changed(prev, h)
				prev = h
				if keep {
					prior = h
				}
			}
			h, _, _ := translate.ToolHints(ctx, x, q.text, false, prior)
			key := changed(prev, h)
			tc := &c.typed
			if keep {
				tc = &c.kept
			}
			tc.add(h, q.want)
			tc.reread += reread + key
			tc.rereadKey += key
		}
	}
	return c
}

// changed counts the lines of the hints now that the model reads again
// after the hints before: from the first that differs to the end.
func changed(before, now []translate.Tool) int {
	i := 0
	for i < len(before) && i < len(now) && before[i].Name == now[i].Name {
		i++
	}
	return len(now) - i
}

// hintRecords reports, for each way of choosing hints, how often the
// program is among them and how many there are, and for typed requests
// how many hint lines were read again.
func hintRecords(set string, c hintCounts) []benchfmt.Record {
	var recs []benchfmt.Record
	rec := func(metric, unit string, v float64) {
		recs = append(recs, benchfmt.Record{Metric: metric, Unit: unit, Median: v, Min: v, Max: v, Runs: 1})
	}
	for _, r := range []struct {
		what  string
		c     hintCount
		typed bool
	}{
		{"the whole request's best three", c.top3, false},
		{"the prompt's hints (the best three before the last word, then the rest of the whole request's)", c.pasted, false},
		{"the prompt's hints, typed a word at a time, each prefill's hints chosen afresh", c.typed, true},
		{"the prompt's hints, typed a word at a time, each prefill's hints kept for the next", c.kept, true},
	} {
		share, mean := float64(r.c.hits)/float64(r.c.n), float64(r.c.hints)/float64(r.c.n)
		fmt.Fprintf(os.Stderr, "bench: tool hints, %s, %s: %.3f, %.2f hints", set, r.what, share, mean)
		rec(fmt.Sprintf("program among the hints on %s, %s", set, r.what), "ratio", share)
		rec(fmt.Sprintf("hints per request on %s, %s", set, r.what), "hints", mean)
		if r.typed {
			all, key := float64(r.c.reread)/float64(r.c.n), float64(r.c.rereadKey)/float64(r.c.n)
			fmt.Fprintf(os.Stderr, ", %.2f hint lines read again per request, %.2f at the key press", all, key)
			rec(fmt.Sprintf("hint lines read again per typed request on %s, %s", set, r.what), "lines", all)
			rec(fmt.Sprintf("hint lines read again at the key press on %s, %s", set, r.what), "lines", key)
		}
		fmt.Fprintln(os.Stderr)
	}
	return recs
}

func hit(got []translate.Tool, want string) int {
	for _, t := range got {
		if t.Name == want {
			return 1
		}
	}
	return 0
}

// tldrQueries samples every seventh tldr example whose command starts with
// its page's program, installed here: the description is the request.
func tldrQueries(path string) ([]query, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []query
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for i := 0; sc.Scan(); i++ {
		var ex struct{ Page, Description, Command string }
		if i%7 != 6 || json.Unmarshal(sc.Bytes(), &ex) != nil {
			continue
		}
		if f := strings.Fields(ex.Command); len(f) == 0 || f[0] != ex.Page {
			continue
		}
		if _, err := exec.LookPath(ex.Page); err != nil {
			continue
		}
		out = append(out, query{ex.Description, ex.Page})
	}
	return out, sc.Err()
}

// explainBench measures, on the explain dev set's items whose program has
// a man page here, the share of flags that get a documented meaning, and
// how long `cmdr explain --no-llm` takes: in a warm library (as the agent
// holds one) and as a whole process (what a person waits for).
func explainBench(path, bin string) ([]benchfmt.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type exItem struct {
		Cmd   string            `json:"cmd"`
		Page  string            `json:"page"`
		Flags map[string]string `json:"flags"`
	}
	var items []exItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for sc.Scan() {
		var it exItem
		if json.Unmarshal(sc.Bytes(), &it) != nil || it.Cmd == "" {
			continue
		}
		if out, err := exec.Command("man", "-w", it.Page).Output(); err != nil || len(out) == 0 {
			continue
		}
		items = append(items, it)
	}
	lib := explain.NewLibrary()
	lib.AllowHelpRun = false // every item has a page: measure the pages
	total, known := 0, 0
	for _, it := range items {
		ex, err := lib.Explain(context.Background(), it.Cmd, "bash")
		if err != nil {
			continue
		}
		for k := range it.Flags {
			total++
			if documented(ex.Parts, k) {
				known++
			}
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("explain: no item's man page is installed here")
	}
	cover := float64(known) / float64(total)
	fmt.Fprintf(os.Stderr, "bench: explain: %d of %d flags documented (%.3f) over %d items\n", known, total, cover, len(items))
	var warm, proc []float64
	for _, it := range items {
		t0 := time.Now()
		lib.Explain(context.Background(), it.Cmd, "bash")
		warm = append(warm, float64(time.Since(t0).Microseconds())/1000)
		t0 = time.Now()
		cmd := exec.Command(bin, "explain", "--no-llm", "--shell", "bash", "--", it.Cmd)
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("cmdr explain --no-llm -- %q: %v: %s", it.Cmd, err, out)
		}
		proc = append(proc, float64(time.Since(t0).Microseconds())/1000)
	}
	recs := []benchfmt.Record{
		{Metric: fmt.Sprintf("explain: flags with a documented meaning (%d flags, %d items with a man page here)", total, len(items)),
			Unit: "ratio", Median: cover, Min: cover, Max: cover, Runs: 1},
		benchfmt.Stat("explain --no-llm latency, library warm (pages parsed)", "ms", warm),
		benchfmt.Stat("explain --no-llm latency, whole cmdr process", "ms", proc),
	}
	for i := range recs {
		recs[i].Suite, recs[i].Model, recs[i].Build = "quality", "man pages", "native"
	}
	return recs, nil
}

// documented: a part documents flag k as written, as --k=value, or inside
// a multi-letter single-dash word (zip -sf) the data splits into letters.
func documented(parts []explain.Part, k string) bool {
	for _, p := range parts {
		if p.Kind != explain.KindFlag || !p.Known {
			continue
		}
		if p.Text == k || strings.HasPrefix(p.Text, k+"=") {
			return true
		}
		if len(k) == 2 && k[0] == '-' && len(p.Text) > 2 && p.Text[0] == '-' && p.Text[1] != '-' && strings.Contains(p.Text[1:], k[1:]) {
			return true
		}
	}
	return false
}
