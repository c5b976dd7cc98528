//go:build cgo

// Command enginebench measures the llama.cpp engine on generated models:
// prompt evaluation and decode speed, and time to first token with and
// without the system prompt's KV cache reused. `make bench` runs it for
// each model, thread count and build (native, portable) and renders the
// results into docs/BENCHMARKS.md.
//
//	enginebench -models DIR -threads 1,2 -runs 5 -build native -out results.jsonl
//	enginebench -render results.jsonl -template bench/BENCHMARKS.tmpl.md -md docs/BENCHMARKS.md -json bench/results.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cmdr-sh/cmdr/bench/benchfmt"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/buildinfo"
	"github.com/cmdr-sh/cmdr/model"
	"github.com/cmdr-sh/cmdr/translate"
)

func main() {
	models := flag.String("models", ".cache/models", "directory of generated models (*.gguf, tiny excluded)")
	threads := flag.String("threads", "1,2", "thread counts to measure")
	runs := flag.Int("runs", 5, "runs per figure")
	build := flag.String("build", buildinfo.Target, "build label for the records")
	out := flag.String("out", "", "append JSON lines to this file (default stdout)")
	only := flag.String("only", "", "measure only models whose file name contains this")
	levers := flag.String("levers", "", "instead: measure this model file under each runtime setting tried (KV cache type, batch, mlock, flash attention)")
	draft := flag.String("draft", "", "with -levers: instead, answers of that model with and without this draft model")
	render := flag.String("render", "", "render this results file (JSON lines) and exit")
	tmpl := flag.String("template", "bench/BENCHMARKS.tmpl.md", "with -render: Markdown template")
	md := flag.String("md", "docs/BENCHMARKS.md", "with -render: Markdown output")
	js := flag.String("json", "bench/results.json", "with -render: JSON output")
	flag.Parse()
	benchfmt.Machine = machine
	if *render != "" {
		if err := benchfmt.Render(*render, *tmpl, *md, *js); err != nil {
			fmt.Fprintln(os.Stderr, "enginebench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*models, *threads, *runs, *build, *out, *only, *levers, *draft); err != nil {
		fmt.Fprintln(os.Stderr, "enginebench:", err)
		os.Exit(1)
	}
}

// run measures the models in dir, or with levers set that model file
// under each setting tried, appending the records to out (or stdout).
func run(dir, threadList string, runs int, build, out, only, levers, draft string) error {
	if len(llamacpp.BuildFeatures()) == 0 {
		return fmt.Errorf("refusing to benchmark a baseline build (no -march flags); use make bench")
	}
	w := os.Stdout
	if out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	enc := json.NewEncoder(w)
	if levers != "" && draft != "" {
		return measureDraft(enc, levers, draft, runs, build)
	}
	if levers != "" {
		return measureLevers(enc, levers, runs, build)
	}
	return measureAll(enc, dir, threadList, runs, build, only)
}

// measureAll writes each model's records as soon as they are measured, so
// a run cut short keeps them.
func measureAll(enc *json.Encoder, dir, threadList string, runs int, build, only string) error {
	files, _ := filepath.Glob(filepath.Join(dir, "*.gguf"))
	sort.Strings(files)
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".gguf")
		if strings.HasPrefix(name, "tiny") || (only != "" && !strings.Contains(name, only)) {
			continue
		}
		for _, ts := range strings.Split(threadList, ",") {
			th, err := strconv.Atoi(strings.TrimSpace(ts))
			if err != nil {
				return fmt.Errorf("bad thread count %q", ts)
			}
			fmt.Fprintf(os.Stderr, "bench: %s, %d thread(s), %s build\n", name, th, build)
			recs, err := measure(path, th, runs)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for _, r := range recs {
				r.Suite, r.Model, r.Build, r.Threads = "engine", name, build, th
				if err := enc.Encode(r); err != nil {
					return err
				}
				fmt.Fprintf(os.Stderr, "  %-28s %9.1f %s (min %.1f, max %.1f)\n", r.Metric, r.Median, r.Unit, r.Min, r.Max)
			}
		}
	}
	return nil
}

// levers are the runtime settings tried against the defaults (f16 KV
// cache, flash attention off, batch 512, no mlock).
var levers = []struct {
	name string
	set  engine.Settings
}{
	{"defaults", nil},
	{"flash attention on", engine.Settings{"llamacpp.flash_attn": "true"}},
	{"KV cache q8_0 (flash attention on)", engine.Settings{"llamacpp.kv_type": "q8_0"}},
	{"KV cache q4_0 (flash attention on)", engine.Settings{"llamacpp.kv_type": "q4_0"}},
	{"batch 64", engine.Settings{"llamacpp.batch": "64"}},
	{"batch 128", engine.Settings{"llamacpp.batch": "128"}},
	{"mlock", engine.Settings{"llamacpp.mlock": "true"}},
}

// measureLevers times each lever's setting with as many threads as
// physical cores. The settings take turns within each run, each on a newly
// loaded engine, so this VM's drift over minutes spreads over all of them
// instead of skewing one.
func measureLevers(enc *json.Encoder, path string, runs int, build string) error {
	ctx := context.Background()
	threads := engine.PhysicalCores()
	name := strings.TrimSuffix(filepath.Base(path), ".gguf")
	type series struct{ load, prompt, ttft, decode, answer []float64 }
	got := make([]series, len(levers))
	for i := 0; i < runs; i++ {
		for j, l := range levers {
			fmt.Fprintf(os.Stderr, "bench: %s, %s, run %d of %d\n", name, l.name, i+1, runs)
			s := settings(path, threads)
			for k, v := range l.set {
				s[k] = v
			}
			t0 := time.Now()
			e, err := llamacpp.Open(ctx, s)
			if err != nil {
				return fmt.Errorf("%s: %w", l.name, err)
			}
			load := time.Since(t0)
			sys := systemPrompt(e, i)
			cold, err := generate(ctx, e, sys, requests[i%len(requests)], 1, "")
			var warm engine.Result
			if err == nil {
				warm, err = generate(ctx, e, sys, requests[(i+1)%len(requests)], 30, "")
			}
			e.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", l.name, err)
			}
			g := &got[j]
			g.load = append(g.load, ms(load))
			g.prompt = append(g.prompt, promptRate(cold))
			g.ttft = append(g.ttft, ms(warm.Timings.FirstToken))
			g.decode = append(g.decode, decodeRate(warm))
			g.answer = append(g.answer, ms(warm.Timings.Total))
		}
	}
	for j, l := range levers {
		g := got[j]
		for _, r := range []benchfmt.Record{
			benchfmt.Stat("load", "ms", g.load),
			benchfmt.Stat("prompt_eval", "tok/s", g.prompt),
			benchfmt.Stat("ttft_prefix_cached", "ms", g.ttft),
			benchfmt.Stat("decode", "tok/s", g.decode),
			benchfmt.Stat("answer_30_tokens_cached", "ms", g.answer),
		} {
			r.Suite, r.Model, r.Build, r.Threads = "levers", name, build+", "+l.name, threads
			if err := enc.Encode(r); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "  %-36s %-24s %9.1f %s\n", l.name, r.Metric, r.Median, r.Unit)
		}
	}
	return nil
}

// measureDraft times answers of the model at path with and without the
// draft model at draft, both loaded, new requests taking turns between
// them. Each request is prefilled first, as type-ahead does, so that the
// timed answer holds what drafting changes: the draft model reading the
// request's last tokens, its drafts, and the bigger batches that check
// them.
func measureDraft(enc *json.Encoder, path, draft string, runs int, build string) error {
	ctx := context.Background()
	threads := engine.PhysicalCores()
	name := strings.TrimSuffix(filepath.Base(path), ".gguf")
	dname := strings.TrimSuffix(filepath.Base(draft), ".gguf")
	plain, err := llamacpp.Open(ctx, settings(path, threads))
	if err != nil {
		return err
	}
	defer plain.Close()
	s := settings(path, threads)
	s["llamacpp.draft_model"] = draft
	drafting, err := llamacpp.Open(ctx, s)
	if err != nil {
		return err
	}
	defer drafting.Close()
	var times [2][]float64
	var drafted, kept []float64
	// One tokenizer: the same prompt serves both.
	sys := systemPrompt(plain, -1)
	for i := -1; i < runs; i++ { // the first pages the weights in: not timed
		for j, e := range []*llamacpp.Engine{plain, drafting} {
			msgs := []engine.Message{{Role: engine.RoleSystem, Content: sys},
				{Role: engine.RoleUser, Content: requests[(i+len(requests))%len(requests)]}}
			if _, err := e.Generate(ctx, engine.Request{Messages: msgs, PromptOnly: true}, nil); err != nil {
				return err
			}
			r, err := e.Generate(ctx, engine.Request{Messages: msgs, MaxTokens: 25}, nil)
			if err != nil {
				return err
			}
			if i < 0 {
				continue
			}
			times[j] = append(times[j], ms(r.Timings.Total))
			if j == 1 {
				drafted = append(drafted, float64(r.Drafted))
				kept = append(kept, float64(r.Accepted))
			}
		}
		fmt.Fprintf(os.Stderr, "bench: %s with and without %s drafting, run %d of %d\n", name, dname, i+2, runs+1)
	}
	for _, r := range []benchfmt.Record{
		benchfmt.Stat("25-token answer after a prefill, no drafting", "ms", times[0]),
		benchfmt.Stat("the same, "+dname+" drafting", "ms", times[1]),
		benchfmt.Stat("  tokens it drafted per answer", "tokens", drafted),
		benchfmt.Stat("  of them kept", "tokens", kept),
	} {
		r.Suite, r.Model, r.Build, r.Threads = "draft", name, build, threads
		if err := enc.Encode(r); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "  %-48s %9.1f %s\n", r.Metric, r.Median, r.Unit)
	}
	return nil
}

// settings are the engine settings every measurement starts from: no
// saved prompt state, so every uncached figure is uncached, and drafting
// off, so decode figures are the kernels' speed (drafting is measured on
// its own).
func settings(path string, threads int) engine.Settings {
	return engine.Settings{"model": path, "llamacpp.threads": strconv.Itoa(threads), "llamacpp.ctx_size": "2048",
		"llamacpp.state_dir": "off", "llamacpp.draft": "0"}
}

// generate answers user after the system prompt sys.
func generate(ctx context.Context, e *llamacpp.Engine, sys, user string, maxTok int, grammar string) (engine.Result, error) {
	return e.Generate(ctx, engine.Request{
		Messages:  []engine.Message{{Role: engine.RoleSystem, Content: sys}, {Role: engine.RoleUser, Content: user}},
		MaxTokens: maxTok, Grammar: grammar,
	}, nil)
}

// systemPrompt is about 300 tokens, like a real prompt with a few
// examples: it is the part the prefix cache saves. The salt comes first,
// so that a new one leaves nothing of it cached (until 2026-11-26 it came
// after cmdr's system prompt, whose first 78 tokens then stayed cached).
func systemPrompt(e *llamacpp.Engine, salt int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Session %d.\n%s\nExamples:\n", salt, translate.SystemPrompt("bash"))
	examples := []string{
		"list all files including hidden ones => ls -la",
		"find files larger than 100 MB under the home directory => find ~ -type f -size +100M",
		"count lines in every go file => find . -name '*.go' -exec wc -l {} +",
		"show disk usage of each directory here => du -sh */",
		"kill the process listening on port 8080 => fuser -k 8080/tcp",
		"compress the logs directory => tar -czf logs.tgz logs/",
		"show the last 50 lines of syslog and follow => tail -n 50 -f /var/log/syslog",
		"replace foo with bar in all txt files => sed -i 's/foo/bar/g' *.txt",
		"show git commits of the last week => git log --since='1 week ago' --oneline",
		"find duplicate files by checksum => find . -type f -exec md5sum {} + | sort | uniq -w32 -d",
		"list open network ports => ss -tulpn",
		"search recursively for TODO in python files => grep -rn TODO --include='*.py' .",
	}
	for i := 0; ; i++ {
		ids, _ := e.Tokenize(b.String(), false)
		if len(ids) >= 300 {
			break
		}
		fmt.Fprintf(&b, "- %s\n", examples[i%len(examples)])
	}
	return b.String()
}

// requests are about 20 tokens each in a trained tokenizer (Llama 3's),
// the length the speed targets name.
var requests = []string{
	"find all jpg files in my photos folder modified in the last two days and copy them to the backup disk",
	"show the ten largest files anywhere in this directory tree, sorted by size with the biggest one first please",
	"count how many unique ip addresses appear in the nginx access log file and show the top five of them",
	"list every running process that uses more than one gigabyte of resident memory, with its pid and owner",
	"delete all the empty directories below the current one without touching any of the files that are in them",
	"print the total size of all the log files older than thirty days in var log, in a human readable form",
}

func measure(path string, threads, runs int) ([]benchfmt.Record, error) {
	ctx := context.Background()
	e, err := llamacpp.Open(ctx, settings(path, threads))
	if err != nil {
		return nil, err
	}
	defer e.Close()
	info, err := model.Inspect(path)
	if err != nil {
		return nil, err
	}
	gen := func(sys, user string, maxTok int, grammar string) (engine.Result, error) {
		return generate(ctx, e, sys, user, maxTok, grammar)
	}
	// Warm-up: page the weights in and let repacking finish.
	if _, err := gen(systemPrompt(e, -1), requests[0], 4, ""); err != nil {
		return nil, err
	}
	var promptTPS, ttftCold, ttftWarm, ttftBack, decodeTPS, grammarTPS, answer30, bw, bound, batch8, draftTPS, draftOK []float64
	for i := 0; i < runs; i++ {
		sys := systemPrompt(e, i) // a new salt: nothing of it is cached
		req := requests[i%len(requests)]
		cold, err := gen(sys, req, 1, "")
		if err != nil {
			return nil, err
		}
		promptTPS = append(promptTPS, promptRate(cold))
		ttftCold = append(ttftCold, ms(cold.Timings.FirstToken))
		// Same system prompt, another request: only the request's tokens
		// are evaluated.
		warm, err := gen(sys, requests[(i+1)%len(requests)], 30, "")
		if err != nil {
			return nil, err
		}
		if warm.TokensCached < 250 {
			return nil, fmt.Errorf("prefix cache missed: %d of %d tokens cached", warm.TokensCached, warm.TokensIn)
		}
		ttftWarm = append(ttftWarm, ms(warm.Timings.FirstToken))
		answer30 = append(answer30, ms(warm.Timings.Total))
		tps := decodeRate(warm)
		decodeTPS = append(decodeTPS, tps)
		// This VM's bandwidth drifts, so each decode figure gets its own
		// bandwidth pass: a token reads every weight once, so bandwidth ÷
		// weight bytes bounds the token rate.
		b := bandwidth(threads)
		bw = append(bw, b/1e9)
		bound = append(bound, tps*float64(info.WeightsBytes)/b)
		// Draft verification's price: a batch of 8 against a single token,
		// each decoded right after the cached prompt.
		// The first decode after the bandwidth pass pays for waking the
		// threads and refilling caches: warm up, then take the best of 3.
		e.BatchCost(ctx, 1)
		one, eight := batchCost(ctx, e, 1), batchCost(ctx, e, 8)
		if one > 0 && eight > 0 {
			batch8 = append(batch8, float64(eight)/float64(one))
		}
		gr, err := gen(sys, requests[(i+2)%len(requests)], 30, translate.CommandGrammar("bash"))
		if err != nil {
			return nil, err
		}
		grammarTPS = append(grammarTPS, decodeRate(gr))
		// A request of another family (another system prompt, as explain
		// or another shell has) and back: the family's KV state comes back
		// from its copy in RAM.
		if _, err := gen(systemPrompt(e, 1000+i), req, 1, ""); err != nil {
			return nil, err
		}
		back, err := gen(sys, requests[(i+3)%len(requests)], 1, "")
		if err != nil {
			return nil, err
		}
		if back.TokensCached < 250 {
			return nil, fmt.Errorf("prompt snapshot missed: %d of %d tokens cached", back.TokensCached, back.TokensIn)
		}
		ttftBack = append(ttftBack, ms(back.Timings.FirstToken))
		// Prompt lookup on: the same decode, drafts checked in batches.
		e.SetDraft(8)
		dr, err := gen(sys, requests[(i+4)%len(requests)], 30, translate.CommandGrammar("bash"))
		e.SetDraft(0)
		if err != nil {
			return nil, err
		}
		draftTPS = append(draftTPS, decodeRate(dr))
		if dr.Drafted > 0 {
			draftOK = append(draftOK, float64(dr.Accepted)/float64(dr.TokensOut))
		} else {
			draftOK = append(draftOK, 0)
		}
	}
	return []benchfmt.Record{
		benchfmt.Stat("prompt_eval", "tok/s", promptTPS),
		benchfmt.Stat("decode", "tok/s", decodeTPS),
		benchfmt.Stat("decode_grammar", "tok/s", grammarTPS),
		benchfmt.Stat("ttft_cold_300", "ms", ttftCold),
		benchfmt.Stat("ttft_prefix_cached", "ms", ttftWarm),
		benchfmt.Stat("ttft_family_back", "ms", ttftBack),
		benchfmt.Stat("answer_30_tokens_cached", "ms", answer30),
		benchfmt.Stat("bandwidth", "GB/s", bw),
		benchfmt.Stat("decode_of_bound", "ratio", bound),
		benchfmt.Stat("batch8_over_1", "×", batch8),
		benchfmt.Stat("decode_draft", "tok/s", draftTPS),
		benchfmt.Stat("draft_share", "ratio", draftOK),
	}, nil
}

// batchCost is the best of 3 timings of an n-token batch (0 on error).
func batchCost(ctx context.Context, e *llamacpp.Engine, n int) time.Duration {
	var best time.Duration
	for i := 0; i < 3; i++ {
		d, err := e.BatchCost(ctx, n)
		if err != nil {
			return 0
		}
		if best == 0 || d < best {
			best = d
		}
	}
	return best
}

// bandwidth measures memory read bandwidth with threads goroutines
// copying 256 MiB each, counting the bytes read (what a decode step does
// with the weights). STREAM would count the writes too, doubling it.
func bandwidth(threads int) float64 {
	const size = 256 << 20
	src, dst := make([][]byte, threads), make([][]byte, threads)
	for i := range src {
		src[i], dst[i] = make([]byte, size), make([]byte, size)
		for j := 0; j < size; j += 4096 { // fault the pages in
			src[i][j], dst[i][j] = 1, 1
		}
	}
	best := 0.0
	for rep := 0; rep < 3; rep++ {
		var wg sync.WaitGroup
		t0 := time.Now()
		for i := range src {
			wg.Add(1)
			go func() {
				defer wg.Done()
				copy(dst[i], src[i])
			}()
		}
		wg.Wait()
		best = max(best, float64(size*threads)/time.Since(t0).Seconds())
	}
	return best
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// promptRate is the tokens per second res evaluated in its prompt.
func promptRate(res engine.Result) float64 {
	return float64(res.TokensIn-res.TokensCached) / res.Timings.PromptEval.Seconds()
}

// decodeRate is the tokens per second res generated after its first.
func decodeRate(res engine.Result) float64 {
	return float64(res.TokensOut-1) / (res.Timings.Total - res.Timings.FirstToken).Seconds()
}

func machine() map[string]string {
	m := map[string]string{"rendered": time.Now().UTC().Format("2006-01-02 15:04 UTC"), "go": runtime.Version(),
		"cores":     fmt.Sprintf("%d logical, %d physical", runtime.NumCPU(), engine.PhysicalCores()),
		"llama.cpp": llamacpp.SystemInfo()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if l, _, ok := strings.Cut(string(b), "\n"); ok {
			m["memory"] = strings.Join(strings.Fields(l)[1:], " ")
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m["kernel"] = strings.TrimSpace(string(b))
	}
	return m
}
