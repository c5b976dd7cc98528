package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/bench/benchfmt"
)

// requests are new each time, as a user's are: each evaluates its own
// context tail (tool hints, the request) after the cached system prompt.
// About 20 tokens each in a trained tokenizer (Llama 3's), the request
// length the speed targets name.
var requests = []string{
	"find all jpg files in my photos folder modified in the last two days and copy them to backup",
	"show the ten largest files anywhere in this directory tree, sorted by size with the biggest first",
	"count how many unique ip addresses appear in access.log and show the five most frequent ones",
	"list every running process that uses more than one gigabyte of memory, with its pid and owner",
	"delete all the empty directories below this one without touching any of the files inside them",
	"print the total size of the log files older than thirty days in var log, human readable",
	"show which process is listening on port 8080 and the user it runs as, then its full command line",
	"compress every csv file in this folder and its subfolders with gzip, keeping the original files",
	"rename all the txt files in this directory to md, keeping their names otherwise the same",
	"show the git commits of the last week by anyone on the team, one line each with the author",
}

// sideBySide times warm answers for new requests through the cmdr client
// and agent: with the model in process, after type-ahead (the request's
// prompt evaluated while it was typed, up to its last word), and, when an
// ollama binary is given, with Ollama serving the same GGUF as the agent's
// OpenAI-compatible backend, so the prompt, the answer length and the
// client are the same and only the engine differs. This VM's speed drifts
// by tens of percent over minutes, so the three are interleaved, request
// by request. It runs twice: at the targets' 25-token answers, and at the
// dev set's mean command length, where decoding (the same llama.cpp
// kernels on both sides) is a smaller part of each answer.
func sideBySide(bin, model, ollama string, runs int) ([]benchfmt.Record, error) {
	name := strings.TrimSuffix(filepath.Base(model), ".gguf")
	w, err := newWorld(bin, model)
	if err != nil {
		return nil, err
	}
	defer w.close()
	var ow *world
	if ollama != "" {
		var stop func()
		ow, stop, err = ollamaWorld(bin, model, ollama)
		if err != nil {
			return nil, err
		}
		defer stop()
		defer ow.close()
	}
	var recs []benchfmt.Record
	for _, limit := range []int{maxTokens, typicalTokens} {
		fmt.Fprintf(os.Stderr, "bench: warm answers to new requests, %s, %d-token answers\n", name, limit)
		plain, typed, olla, err := pairs(w, ow, limit, max(runs, 5)*2)
		if err != nil {
			return nil, err
		}
		suffix := ""
		if limit != maxTokens {
			suffix = fmt.Sprintf(", %d-token answers", limit)
		}
		recs = append(recs,
			benchfmt.Stat("warm answer to a new request, in-process llama.cpp, CLI wall time"+suffix, "ms", plain),
			benchfmt.Stat("the same after type-ahead (prompt evaluated while typed, up to the last word)"+suffix, "ms", typed))
		if ow != nil {
			recs = append(recs, benchfmt.Stat("the same through Ollama serving the same GGUF (cmdr's OpenAI backend)"+suffix, "ms", olla),
				benchfmt.Ratio("Ollama ÷ in-process (medians)"+suffix, olla, plain),
				benchfmt.Ratio("Ollama ÷ in-process after type-ahead (medians)"+suffix, olla, typed))
		}
	}
	for i := range recs {
		recs[i].Suite, recs[i].Model, recs[i].Build = "agent", name, "native"
		fmt.Fprintf(os.Stderr, "  %-58s %8.1f %s\n", recs[i].Metric, recs[i].Median, recs[i].Unit)
	}
	return recs, nil
}

// pairs restarts w's agent (and ow's, when there is Ollama) with answers
// capped at limit tokens and times n new requests each way.
func pairs(w, ow *world, limit, n int) (plain, typed, olla []float64, err error) {
	for _, x := range []*world{w, ow} {
		if x == nil {
			continue
		}
		if _, err := x.run("stop"); err != nil {
			return nil, nil, nil, err
		}
		x.limit(limit)
		if _, _, err := x.suggestOnce("warm up"); err != nil {
			return nil, nil, nil, err
		}
	}
	dropped := 0
	for i := 0; len(plain) < n; i++ {
		if i >= 8*n {
			return nil, nil, nil, fmt.Errorf("the answer through Ollama needed cmdr's syntax retry for %d of %d requests", dropped, i)
		}
		req := requests[i%len(requests)] + fmt.Sprintf(" (%d)", i)
		d, _, err := w.suggestOnce(req)
		if err != nil {
			return nil, nil, nil, err
		}
		var od time.Duration
		if ow != nil {
			// Without a grammar (Ollama takes none), a random model's
			// answer cut at the cap often does not parse (an open
			// quote), and cmdr then asks once more: two generations
			// against the in-process side's one. Such requests are left
			// out on all three sides, which stay paired; what a request
			// costs does not depend on the answer's text.
			var retried bool
			if od, retried, err = ow.suggestOnce(req); err != nil {
				return nil, nil, nil, err
			}
			if retried {
				dropped++
				continue
			}
		}
		plain = append(plain, ms(d))
		if ow != nil {
			olla = append(olla, ms(od))
		}
		// Another request after type-ahead, worded differently so nothing
		// of the previous answer is reused.
		req = fmt.Sprintf("please %s (%d)", requests[(i+3)%len(requests)], i)
		head := req[:strings.LastIndex(req, " ")]
		if _, err := w.run("suggest", "--prefill", "--", head); err != nil {
			return nil, nil, nil, err
		}
		if d, _, err = w.suggestOnce(req); err != nil {
			return nil, nil, nil, err
		}
		typed = append(typed, ms(d))
	}
	if dropped > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d requests left out: Ollama's answer needed a syntax retry\n", dropped)
	}
	return plain, typed, olla, nil
}

// ollamaWorld starts `ollama serve` in a scratch directory, imports model,
// and returns a cmdr world whose agent uses it as its backend.
func ollamaWorld(bin, model, ollama string) (*world, func(), error) {
	dir, err := os.MkdirTemp("", "cmdr-ollama")
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	host := ln.Addr().String()
	ln.Close()
	abs, _ := filepath.Abs(model)
	env := append(os.Environ(), "OLLAMA_HOST="+host, "OLLAMA_MODELS="+filepath.Join(dir, "models"),
		"OLLAMA_KEEP_ALIVE=-1", "OLLAMA_NUM_PARALLEL=1", "HOME="+dir)
	srv := exec.Command(ollama, "serve")
	srv.Env = env
	logf, _ := os.Create(filepath.Join(dir, "serve.log"))
	srv.Stdout, srv.Stderr = logf, logf
	// Its own process group, so that stopping it also stops the model
	// runner it starts (left running, it held the model and took CPU from
	// later benchmarks).
	srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := srv.Start(); err != nil {
		return nil, nil, err
	}
	stop := func() {
		syscall.Kill(-srv.Process.Pid, syscall.SIGKILL)
		srv.Wait()
		os.RemoveAll(dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		if resp, err := http.Get("http://" + host + "/api/version"); err == nil {
			resp.Body.Close()
			break
		}
		if ctx.Err() != nil {
			stop()
			return nil, nil, fmt.Errorf("ollama serve did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	os.WriteFile(filepath.Join(dir, "Modelfile"), []byte("FROM "+abs+"\n"), 0o644)
	create := exec.Command(ollama, "create", "cmdrbench", "-f", filepath.Join(dir, "Modelfile"))
	create.Env = env
	if out, err := create.CombinedOutput(); err != nil {
		stop()
		return nil, nil, fmt.Errorf("ollama create: %v: %s", err, out)
	}
	w, err := newWorld(bin, model)
	if err != nil {
		stop()
		return nil, nil, err
	}
	w.env = append(w.env, "CMDR_ENGINE=openai", "CMDR_OPENAI_URL=http://"+host+"/v1", "CMDR_OPENAI_MODEL=cmdrbench")
	return w, stop, nil
}

// limit caps the answers of w's next agent at n tokens.
func (w *world) limit(n int) {
	env := w.env[:0:0]
	for _, kv := range w.env {
		if !strings.HasPrefix(kv, "CMDR_MAX_TOKENS=") {
			env = append(env, kv)
		}
	}
	w.env = append(env, "CMDR_MAX_TOKENS="+strconv.Itoa(n))
	w.maxTokens = n
}

// suggestOnce asks for a command through w and reports whether cmdr may
// have asked the model twice: its syntax retry, which shows as more
// tokens than one answer may have, or as the error that follows a failed
// one. An answer cut short into nothing that parses (see cutShort) may
// follow a retry too; the in-process side, whose grammar needs none,
// counts it, as it did a whole answer's work.
func (w *world) suggestOnce(req string) (time.Duration, bool, error) {
	cmd := exec.Command(w.bin, "suggest", "--json", "--", req)
	cmd.Env = w.env
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(t0)
	if err != nil {
		if strings.Contains(string(out), "even after a retry") || cutShort(string(out)) {
			return d, true, nil
		}
		return 0, false, fmt.Errorf("cmdr suggest -- %s: %v: %s", req, err, out)
	}
	var s wire.Suggestion
	if err := json.Unmarshal(out, &s); err != nil {
		return 0, false, fmt.Errorf("cmdr suggest --json: %v: %s", err, out)
	}
	return d, s.Timings.TokensOut > w.maxTokens, nil
}
