package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cmdr-sh/cmdr/bench/benchfmt"
)

// requests are new each time, as a user's are: each evaluates its own
// context tail (tool hints, the request) after the cached system prompt.
var requests = []string{
	"find all jpg files modified in the last two days",
	"show the ten largest files in this directory tree",
	"count the unique ip addresses in access.log",
	"list processes using more than one gigabyte of memory",
	"delete empty directories below this one",
	"print the total size of log files older than thirty days",
	"show which process listens on port 8080",
	"compress every csv file here with gzip",
	"rename all txt files to md",
	"show the git commits of the last week",
}

// sideBySide times warm answers for new requests through the cmdr client
// and agent: with the model in process, after type-ahead (the request's
// prompt evaluated while it was typed, up to its last word), and, when an
// ollama binary is given, with Ollama serving the same GGUF as the agent's
// OpenAI-compatible backend, so the prompt, the answer length (25 tokens)
// and the client are the same and only the engine differs. This VM's speed
// drifts by tens of percent over minutes, so the three are interleaved,
// request by request.
func sideBySide(bin, model, ollama string, runs int) ([]benchfmt.Record, error) {
	name := strings.TrimSuffix(filepath.Base(model), ".gguf")
	w, err := newWorld(bin, model)
	if err != nil {
		return nil, err
	}
	defer w.close()
	fmt.Fprintf(os.Stderr, "bench: warm answers to new requests, %s\n", name)
	if _, err := w.run("suggest", "--", "warm up"); err != nil {
		return nil, err
	}
	var ow *world
	if ollama != "" {
		var stop func()
		ow, stop, err = ollamaWorld(bin, model, ollama)
		if err != nil {
			return nil, err
		}
		defer stop()
		defer ow.close()
		if _, err := ow.run("suggest", "--", "warm up"); err != nil {
			return nil, err
		}
	}
	n := max(runs, 5) * 2
	var plain, typed, olla []float64
	for i := 0; i < n; i++ {
		req := requests[i%len(requests)] + fmt.Sprintf(" (%d)", i)
		d, err := w.run("suggest", "--", req)
		if err != nil {
			return nil, err
		}
		plain = append(plain, ms(d))
		if ow != nil {
			d, err := ow.run("suggest", "--", req)
			if err != nil {
				return nil, err
			}
			olla = append(olla, ms(d))
		}
		// Another request after type-ahead, worded differently so nothing
		// of the previous answer is reused.
		req = fmt.Sprintf("please %s (%d)", requests[(i+3)%len(requests)], i)
		head := req[:strings.LastIndex(req, " ")]
		if _, err := w.run("suggest", "--prefill", "--", head); err != nil {
			return nil, err
		}
		d, err = w.run("suggest", "--", req)
		if err != nil {
			return nil, err
		}
		typed = append(typed, ms(d))
	}
	recs := []benchfmt.Record{
		benchfmt.Stat("warm answer to a new request, in-process llama.cpp, CLI wall time", "ms", plain),
		benchfmt.Stat("the same after type-ahead (prompt evaluated while typed, up to the last word)", "ms", typed),
	}
	if ow != nil {
		recs = append(recs, benchfmt.Stat("the same through Ollama serving the same GGUF (cmdr's OpenAI backend)", "ms", olla),
			benchfmt.Ratio("Ollama ÷ in-process (medians)", olla, plain),
			benchfmt.Ratio("Ollama ÷ in-process after type-ahead (medians)", olla, typed))
	}
	for i := range recs {
		recs[i].Suite, recs[i].Model, recs[i].Build = "agent", name, "native"
		fmt.Fprintf(os.Stderr, "  %-58s %8.1f %s\n", recs[i].Metric, recs[i].Median, recs[i].Unit)
	}
	return recs, nil
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
