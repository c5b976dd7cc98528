// Command agentbench measures the agent end to end through the real cmdr
// binary: cold start (spawn, load, first answer) against a warm answer,
// the client round trip on top of the model's own time, and the agent's
// memory idle and under load. `make bench` runs it.
//
//	agentbench -cmdr bin/cmdr -model M.gguf -tiny T.gguf -runs 5 -out results.jsonl
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/bench/benchfmt"
)

func main() {
	bin := flag.String("cmdr", "bin/cmdr", "cmdr binary")
	model := flag.String("model", ".cache/models/0.5b-q4_k_m.gguf", "model for cold/warm and memory figures")
	tiny := flag.String("tiny", ".cache/models/tiny.gguf", "tiny model for the round-trip overhead")
	runs := flag.Int("runs", 5, "runs per figure")
	out := flag.String("out", "", "append JSON lines here")
	ollama := flag.String("ollama", "", "an ollama binary (bench/ollama.sh builds one): compare warm answers side by side")
	flag.Parse()
	recs, err := measure(*bin, *model, *tiny, *runs)
	if err == nil {
		var more []benchfmt.Record
		more, err = sideBySide(*bin, *model, *ollama, *runs)
		recs = append(recs, more...)
	}
	if err == nil && *out != "" {
		err = benchfmt.Append(*out, recs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "agentbench:", err)
		os.Exit(1)
	}
}

type world struct {
	bin, home string
	env       []string
}

// maxTokens caps every answer: a random model never ends its own, and 25
// tokens is the command length the speed targets name.
const maxTokens = 25

func newWorld(bin, model string) (*world, error) {
	home, err := os.MkdirTemp("", "cmdrb")
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(model)
	w := &world{bin: bin, home: home}
	w.env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "CMDR_MODEL=" + abs,
		"CMDR_MAX_TOKENS=" + strconv.Itoa(maxTokens)}
	return w, nil
}

func (w *world) run(args ...string) (time.Duration, error) {
	cmd := exec.Command(w.bin, args...)
	cmd.Env = w.env
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("cmdr %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return time.Since(t0), nil
}

func (w *world) client() *client.Client {
	return client.New(client.Options{Socket: filepath.Join(w.home, "run", "cmdr", "agent.sock")})
}

func (w *world) close() {
	w.run("stop")
	os.RemoveAll(w.home)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func measure(bin, model, tiny string, runs int) ([]benchfmt.Record, error) {
	name := strings.TrimSuffix(filepath.Base(model), ".gguf")
	w, err := newWorld(bin, model)
	if err != nil {
		return nil, err
	}
	defer w.close()
	var cold, coldSaved, warm, spawn []float64
	fmt.Fprintf(os.Stderr, "bench: agent cold start and warm answers, %s\n", name)
	kvDir := filepath.Join(w.home, ".cache", "cmdr", "kv")
	for i := 0; i < runs; i++ {
		// A cold start with nothing saved, then one that restores the
		// prompt state the previous agent saved.
		for _, saved := range []bool{false, true} {
			if _, err := w.run("stop"); err != nil {
				return nil, err
			}
			if !saved {
				os.RemoveAll(kvDir)
			}
			d, err := w.run("suggest", "--", "list all files in this directory by size")
			if err != nil {
				return nil, err
			}
			if saved {
				coldSaved = append(coldSaved, ms(d))
			} else {
				cold = append(cold, ms(d))
			}
			d, err = w.run("suggest", "--", "list all files in the home directory by date")
			if err != nil {
				return nil, err
			}
			warm = append(warm, ms(d))
		}
		// What peers do: a process per request that loads the model and
		// evaluates the whole prompt.
		cmd := exec.Command(w.bin, "suggest", "--no-agent", "--", "list all files in /tmp by size")
		cmd.Env = append(append([]string{}, w.env...), "CMDR_STATE_CACHE=off")
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("spawn per request: %v: %s", err, out)
		}
		spawn = append(spawn, ms(time.Since(t0)))
	}

	// Memory: idle after a warm answer, then the peak while four clients
	// keep it busy.
	ctx := context.Background()
	c := w.client()
	st, err := c.Status(ctx)
	if err != nil {
		return nil, err
	}
	idle := float64(st.RSSBytes) / (1 << 20)
	var peak float64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var loadErr error
	var mu sync.Mutex
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2; i++ {
				if _, err := c.Suggest(ctx, wire.SuggestRequest{Text: fmt.Sprintf("find files changed %d days ago", g+i), Shell: "bash"}, nil); err != nil {
					mu.Lock()
					loadErr = err
					mu.Unlock()
				}
			}
		}()
	}
	go func() { wg.Wait(); close(stop) }()
poll:
	for {
		select {
		case <-stop:
			break poll
		case <-time.After(50 * time.Millisecond):
			if st, err := c.Status(ctx); err == nil {
				peak = max(peak, float64(st.RSSBytes)/(1<<20))
			}
		}
	}
	if loadErr != nil {
		return nil, loadErr
	}

	// Round trip beyond the model's own time, on the tiny model so that
	// many requests fit: client wall time minus the agent's own total.
	tw, err := newWorld(bin, tiny)
	if err != nil {
		return nil, err
	}
	// One llama.cpp thread: idle worker threads spin for a while after
	// each step and would compete with the client for the two cores.
	tw.env = append(tw.env, "CMDR_THREADS=1")
	defer tw.close()
	tc := tw.client()
	if _, err := tw.run("status"); err != nil {
		return nil, err
	}
	var overhead []float64
	for i := 0; i < 20*runs; i++ {
		t0 := time.Now()
		s, err := tc.Suggest(ctx, wire.SuggestRequest{Text: "x", Shell: "bash"}, nil)
		if err != nil {
			return nil, err
		}
		overhead = append(overhead, ms(time.Since(t0))-s.Timings.TotalMS)
	}
	ratio := benchfmt.Ratio("spawn per request ÷ warm agent (medians)", spawn, warm)
	recs := []benchfmt.Record{
		benchfmt.Stat("client round trip beyond the model's time", "ms", overhead),
		benchfmt.Stat("cold start: spawn + load + first answer, nothing saved, CLI wall time", "ms", cold),
		benchfmt.Stat("cold start, prompt state saved by an earlier agent", "ms", coldSaved),
		benchfmt.Stat("warm answer, CLI wall time (process start included)", "ms", warm),
		benchfmt.Stat("spawn per request (suggest --no-agent, no saved state), as peers do", "ms", spawn),
		ratio,
		{Metric: "agent RSS idle, model loaded", Unit: "MiB", Median: idle, Min: idle, Max: idle, Runs: 1},
		{Metric: "agent RSS peak, 4 clients", Unit: "MiB", Median: peak, Min: peak, Max: peak, Runs: 1},
	}
	for i := range recs {
		recs[i].Suite, recs[i].Model, recs[i].Build = "agent", name, "native"
		if i == 0 {
			recs[i].Model = "tiny"
		}
		fmt.Fprintf(os.Stderr, "  %-58s %8.1f %s\n", recs[i].Metric, recs[i].Median, recs[i].Unit)
	}
	return recs, nil
}
