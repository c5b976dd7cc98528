// Command agentbench measures the agent end to end through the real cmdr
// binary: cold start (spawn, load, first answer) against a warm answer,
// a process per request (what peers do) against the warm agent, at the
// targets' answer length and at a typical command's, the client round
// trip on top of the model's own time, the agent's memory idle and under
// load, and new requests plain, after type-ahead and (with -ollama)
// through Ollama, side by side. `make bench` runs it.
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
	maxTokens int // the answers' cap in env
}

// maxTokens caps every answer: a random model never ends its own, and 25
// tokens is the command length the speed targets name.
const maxTokens = 25

// typicalTokens is the mean length of the public dev set's reference
// commands in a trained tokenizer (docs/BENCHMARKS.md, Engine).
const typicalTokens = 13

// unrelated are requests with little in common, as a session's are.
var unrelated = []string{
	"show the ten largest files under the current directory",
	"count the lines of every go file in this repository",
	"kill the process listening on port 8080",
	"make a compressed archive of the logs folder",
	"find which package owns the file /usr/bin/ssh",
	"replace tabs with four spaces in notes.txt",
	"list the git branches merged into main",
}

func newWorld(bin, model string) (*world, error) {
	home, err := os.MkdirTemp("", "cmdrb")
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(model)
	w := &world{bin: bin, home: home, maxTokens: maxTokens}
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

	// The same comparison at the length of a typical command rather than
	// the targets' 25 tokens: the public dev set's reference commands
	// average 13 tokens (Llama 3's tokenizer), and a warm answer is mostly
	// decoding, so the ratio depends on the length. The cap is the
	// agent's, so a new agent; the requests are unrelated to each other
	// (each one's tool hints and words are new), unlike the warm answer
	// above, whose request shares its first words with the one before.
	var warmShort, typedShort, spawnShort []float64
	short := append(append([]string{}, w.env...), "CMDR_MAX_TOKENS="+strconv.Itoa(typicalTokens))
	if _, err := w.run("stop"); err != nil {
		return nil, err
	}
	if _, err := timed(short, w.bin, "suggest", "--", "print the current date"); err != nil {
		return nil, err
	}
	for i := 0; i < runs; i++ {
		d, err := timed(short, w.bin, "suggest", "--", unrelated[i%len(unrelated)])
		if err != nil {
			return nil, fmt.Errorf("warm answer: %v", err)
		}
		warmShort = append(warmShort, d)
		// Another one after type-ahead, as sideBySide does it.
		typed := "please " + unrelated[(i+3)%len(unrelated)]
		if _, err := timed(short, w.bin, "suggest", "--prefill", "--", typed[:strings.LastIndex(typed, " ")]); err != nil {
			return nil, fmt.Errorf("type-ahead: %v", err)
		}
		if d, err = timed(short, w.bin, "suggest", "--", typed); err != nil {
			return nil, fmt.Errorf("warm answer after type-ahead: %v", err)
		}
		typedShort = append(typedShort, d)
		d, err = timed(append(append([]string{}, short...), "CMDR_STATE_CACHE=off"),
			w.bin, "suggest", "--no-agent", "--", unrelated[(i+1)%len(unrelated)])
		if err != nil {
			return nil, fmt.Errorf("spawn per request: %v", err)
		}
		spawnShort = append(spawnShort, d)
	}

	// Memory: idle before each pass, then the peak while four clients
	// keep it busy.
	ctx := context.Background()
	c := w.client()
	var idle, peak []float64
	for i := 0; i < runs; i++ {
		st, err := c.Status(ctx)
		if err != nil {
			return nil, err
		}
		idle = append(idle, float64(st.RSSBytes)/(1<<20))
		p, err := loadPeak(ctx, c, i)
		if err != nil {
			return nil, err
		}
		peak = append(peak, p)
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
		benchfmt.Stat(fmt.Sprintf("warm answer, %d-token answers (the dev set's mean command)", typicalTokens), "ms", warmShort),
		benchfmt.Stat(fmt.Sprintf("spawn per request, %d-token answers", typicalTokens), "ms", spawnShort),
		benchfmt.Ratio(fmt.Sprintf("spawn per request ÷ warm agent, %d-token answers (medians)", typicalTokens), spawnShort, warmShort),
		benchfmt.Stat(fmt.Sprintf("warm answer after type-ahead, %d-token answers", typicalTokens), "ms", typedShort),
		benchfmt.Ratio(fmt.Sprintf("spawn per request ÷ warm agent after type-ahead, %d-token answers (medians)", typicalTokens), spawnShort, typedShort),
		benchfmt.Stat("agent RSS idle, model loaded", "MiB", idle),
		benchfmt.Stat("agent RSS peak, 4 clients", "MiB", peak),
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

// loadPeak is the agent's largest resident size while four clients each
// send two new requests at once (pass makes them new on every pass).
func loadPeak(ctx context.Context, c *client.Client, pass int) (float64, error) {
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
				text := fmt.Sprintf("find files changed %d days ago", 10*pass+2*g+i)
				if _, err := c.Suggest(ctx, wire.SuggestRequest{Text: text, Shell: "bash"}, nil); err != nil && !cutShort(err.Error()) {
					mu.Lock()
					loadErr = err
					mu.Unlock()
				}
			}
		}()
	}
	go func() { wg.Wait(); close(stop) }()
	for {
		select {
		case <-stop:
			return peak, loadErr
		case <-time.After(50 * time.Millisecond):
			if st, err := c.Status(ctx); err == nil {
				peak = max(peak, float64(st.RSSBytes)/(1<<20))
			}
		}
	}
}

// cutShort reports an answer that random weights began inside a word the
// token cap then cut, leaving nothing that parses: the request did all
// its work (the prompt and every token up to the cap), so it counts for
// time and memory alike. Trained models end their commands themselves.
func cutShort(msg string) bool { return strings.Contains(msg, "the model produced no command") }

// timed runs cmdr with env and returns its wall time in milliseconds.
func timed(env []string, bin string, args ...string) (float64, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	d := ms(time.Since(t0))
	if err != nil && !cutShort(string(out)) {
		return 0, fmt.Errorf("%v: %s", err, out)
	}
	return d, nil
}
