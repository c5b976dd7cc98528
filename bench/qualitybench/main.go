// Command qualitybench measures the translation pipeline on the public dev
// set (shared/bench/nl2cmd-dev.jsonl in the workspace, never in the repo):
// tool retrieval recall@5 over this machine's man pages, and `cmdr eval`
// on generated models. `make bench` runs it when the dev set is present.
//
//	qualitybench -dataset ../shared/bench/nl2cmd-dev.jsonl -cmdr bin/cmdr -models .cache/models -out results.jsonl
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
	"github.com/cmdr-sh/cmdr/translate"
)

type item struct {
	NL      string   `json:"nl"`
	Ref     []string `json:"ref"`
	Utility string   `json:"utility"`
}

func main() {
	dataset := flag.String("dataset", "../shared/bench/nl2cmd-dev.jsonl", "nl2cmd JSON lines")
	bin := flag.String("cmdr", "bin/cmdr", "cmdr binary, for cmdr eval")
	models := flag.String("models", ".cache/models", "generated models")
	out := flag.String("out", "", "append JSON lines here")
	flag.Parse()
	recs, err := run(*dataset, *bin, *models)
	if err == nil && *out != "" {
		err = benchfmt.Append(*out, recs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qualitybench:", err)
		os.Exit(1)
	}
}

func run(dataset, bin, models string) ([]benchfmt.Record, error) {
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

	// Retrieval: over the items whose main program is installed here.
	idx := translate.NewToolIndex()
	idx.Rank(context.Background(), "warm up the index", 1)
	hits, n := 0, 0
	var lat []float64
	for _, it := range items {
		want, _, _ := strings.Cut(it.Utility, ",")
		if _, err := exec.LookPath(want); err != nil || want == "" {
			continue
		}
		n++
		t0 := time.Now()
		got := idx.Rank(context.Background(), it.NL, 5)
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		for _, tl := range got {
			if tl.Name == want {
				hits++
				break
			}
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("no dev-set utility is installed here")
	}
	recall := float64(hits) / float64(n)
	fmt.Fprintf(os.Stderr, "bench: tool retrieval recall@5 %.3f over %d items\n", recall, n)
	recs := []benchfmt.Record{
		{Metric: fmt.Sprintf("recall@5 of the reference utility, BM25 over whatis lines (%d items installed here)", n), Unit: "ratio", Median: recall, Min: recall, Max: recall, Runs: 1},
		benchfmt.Stat("retrieval latency per request, index warm", "ms", lat),
	}
	for i := range recs {
		recs[i].Suite, recs[i].Model, recs[i].Build = "quality", "man pages", "native"
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
