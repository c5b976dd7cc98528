// Command soak holds the agent under load: many clients sending requests
// at once, against a local OpenAI-compatible server (whose answers name
// their request, so a mixed-up answer is caught) and against the tiny
// llama.cpp model. It checks that no request is lost or mixed up and that
// the agent's goroutines, open files and memory do not grow, and writes
// the figures to docs/SOAK.md. `make soak` runs it.
//
//	soak -cmdr bin/cmdr -tiny .cache/models/tiny.gguf -clients 20 -requests 200
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/agent/wire"
)

func main() {
	bin := flag.String("cmdr", "bin/cmdr", "cmdr binary")
	tiny := flag.String("tiny", ".cache/models/tiny.gguf", "tiny generated model")
	clients := flag.Int("clients", 20, "concurrent clients")
	requests := flag.Int("requests", 200, "requests per client")
	out := flag.String("out", "docs/SOAK.md", "write the results table here")
	flag.Parse()
	var rows []result
	for _, backend := range []string{"openai", "llamacpp"} {
		fmt.Fprintf(os.Stderr, "soak: %d clients × %d requests, %s\n", *clients, *requests, backend)
		r, err := soak(*bin, *tiny, backend, *clients, *requests)
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "  %+v\n", r)
		rows = append(rows, r)
	}
	if err := write(*out, rows, *clients, *requests); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	for _, r := range rows {
		if !r.ok() {
			fmt.Fprintf(os.Stderr, "soak: %s failed: %+v\n", r.Backend, r)
			os.Exit(1)
		}
	}
}

type result struct {
	Backend                    string
	Sent, Answered, Lost       int
	Mixed, Busy                int
	P50, P99, Max              float64 // ms
	GoroutinesStart, GorEnd    int
	FDsStart, FDsEnd           int
	RSSStartMiB, RSSEndMiB     float64
	Seconds                    float64
	AgentRequests, AgentErrors int64
}

// ok: nothing lost or mixed up, and no growth beyond noise (a connection
// more or less in a pool, a few MiB of heap churn).
func (r result) ok() bool {
	return r.Lost == 0 && r.Mixed == 0 && r.Answered+r.Busy == r.Sent &&
		r.GorEnd <= r.GoroutinesStart+2 && r.FDsEnd <= r.FDsStart+2 && r.RSSEndMiB <= r.RSSStartMiB*1.25+16
}

func soak(bin, tiny, backend string, clients, requests int) (result, error) {
	res := result{Backend: backend}
	home, err := os.MkdirTemp("", "cmdr-soak")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(home)
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "XDG_RUNTIME_DIR=" + filepath.Join(home, "run"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"CMDR_ENGINE=" + backend, "CMDR_QUEUE=64", "CMDR_MAX_TOKENS=4", "CMDR_CONTEXT_TOOLS=false"}
	if backend == "openai" {
		// Answers name their request; a little delay keeps requests
		// overlapping in the agent.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/v1/models" {
				fmt.Fprint(w, `{"data":[{"id":"soak"}]}`)
				return
			}
			var req struct{ Messages []struct{ Content string } }
			json.NewDecoder(r.Body).Decode(&req)
			user := req.Messages[len(req.Messages)-1].Content
			id := user[strings.LastIndex(user, "request ")+len("request "):]
			time.Sleep(2 * time.Millisecond)
			fmt.Fprintf(w, `{"choices":[{"message":{"content":"echo %s"},"finish_reason":"stop"}]}`, strings.TrimSpace(id))
		}))
		defer srv.Close()
		env = append(env, "CMDR_OPENAI_URL="+srv.URL+"/v1", "CMDR_OPENAI_STREAM=false", "CMDR_OPENAI_RETRIES=0")
	} else {
		abs, _ := filepath.Abs(tiny)
		env = append(env, "CMDR_MODEL="+abs, "CMDR_THREADS=1")
	}
	start := exec.Command(bin, "status")
	start.Env = env
	if out, err := start.CombinedOutput(); err != nil {
		return res, fmt.Errorf("starting the agent: %v: %s", err, out)
	}
	defer func() {
		stop := exec.Command(bin, "stop")
		stop.Env = env
		stop.Run()
	}()
	c := client.New(client.Options{Socket: filepath.Join(home, "run", "cmdr", "agent.sock")})
	ctx := context.Background()
	// Warm up with the same concurrency, so connection pools and buffers
	// reach their steady size before the baseline: growth after it is a
	// leak, not a pool filling.
	var warm sync.WaitGroup
	var warmErr error
	var warmMu sync.Mutex
	for g := 0; g < clients; g++ {
		warm.Add(1)
		go func() {
			defer warm.Done()
			for i := 0; i < 5; i++ {
				if _, err := c.Suggest(ctx, wire.SuggestRequest{Text: fmt.Sprintf("request warm-%d-%d", g, i), Shell: "bash"}, nil); err != nil {
					warmMu.Lock()
					warmErr = err
					warmMu.Unlock()
				}
			}
		}()
	}
	warm.Wait()
	if warmErr != nil {
		return res, fmt.Errorf("warm-up: %w", warmErr)
	}
	time.Sleep(2 * time.Second)
	st0, err := c.Status(ctx)
	if err != nil {
		return res, err
	}
	res.GoroutinesStart, res.FDsStart, res.RSSStartMiB = st0.Goroutines, st0.OpenFDs, float64(st0.RSSBytes)/(1<<20)

	var mu sync.Mutex
	var lat []float64
	var wg sync.WaitGroup
	t0 := time.Now()
	for g := 0; g < clients; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < requests; i++ {
				id := fmt.Sprintf("%d-%d", g, i)
				t := time.Now()
				s, err := c.Suggest(ctx, wire.SuggestRequest{Text: "request " + id, Shell: "bash"}, nil)
				d := float64(time.Since(t).Microseconds()) / 1000
				mu.Lock()
				res.Sent++
				var ce *client.Error
				switch {
				case err == nil:
					res.Answered++
					lat = append(lat, d)
					if backend == "openai" && s.Command != "echo "+id {
						res.Mixed++
					}
				case errorsAs(err, &ce) && ce.Code == wire.CodeBusy:
					res.Busy++
				default:
					res.Lost++
					fmt.Fprintf(os.Stderr, "  request %s: %v\n", id, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Seconds = time.Since(t0).Seconds()
	sort.Float64s(lat)
	if n := len(lat); n > 0 {
		res.P50, res.P99, res.Max = lat[n/2], lat[min(n-1, n*99/100)], lat[n-1]
	}
	// Idle connections close, buffers return: then look again.
	time.Sleep(2 * time.Second)
	st1, err := c.Status(ctx)
	if err != nil {
		return res, err
	}
	res.GorEnd, res.FDsEnd, res.RSSEndMiB = st1.Goroutines, st1.OpenFDs, float64(st1.RSSBytes)/(1<<20)
	res.AgentRequests, res.AgentErrors = st1.Requests, st1.Errors
	return res, nil
}

func write(path string, rows []result, clients, requests int) error {
	var b strings.Builder
	fmt.Fprintf(&b, `# cmdr under load

Generated by `+"`make soak`"+` (bench/soak) on %s. %d clients send %d requests
each at once to one agent over its unix socket: against a local
OpenAI-compatible server whose answers name their request (so a mixed-up
answer would be caught), and against the tiny generated llama.cpp model (4
tokens per answer, one at a time in the model). Goroutines, open files and
resident memory are read from the agent after a warm-up and again after
the load, once idle. Busy answers (a full queue) would count as refused,
not lost; none happened.

| backend | sent | answered | lost | mixed up | busy | p50 ms | p99 ms | max ms | goroutines before → after | open fds before → after | RSS MiB before → after | seconds |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|
`, time.Now().UTC().Format("2006-01-02 15:04 UTC"), clients, requests)
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d → %d | %d → %d | %.1f → %.1f | %.1f |\n",
			r.Backend, r.Sent, r.Answered, r.Lost, r.Mixed, r.Busy, r.P50, r.P99, r.Max,
			r.GoroutinesStart, r.GorEnd, r.FDsStart, r.FDsEnd, r.RSSStartMiB, r.RSSEndMiB, r.Seconds)
	}
	b.WriteString(`
Faults and hostile input are covered by tests (` + "`make test`" + `), listed in
docs/SECURITY.md.
`)
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func errorsAs(err error, target **client.Error) bool { return errors.As(err, target) }
