//go:build cgo

package llamacpp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
)

func TestKeepBatch(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		size, useful    int
		elapsed, perTok time.Duration
		want            bool
	}{
		{32, 32, 0, 0, true},              // shared whole: always worth the wait
		{32, 32, 0, 13 * ms, true},        //
		{32, 0, 400 * ms, 13 * ms, false}, // shares nothing: abort, even near its end
		{32, 20, 0, 0, false},             // no measured cost: wait only for a whole batch
		{32, 20, 10 * ms, 13 * ms, false}, // 400 ms left against 260 to redo
		{32, 20, 300 * ms, 13 * ms, true}, // 116 ms left against 260 to redo
		{32, 1, 410 * ms, 13 * ms, true},  // 6 ms left against 13
	} {
		if got := keepBatch(c.size, c.useful, c.elapsed, c.perTok); got != c.want {
			t.Errorf("keepBatch(%d, %d, %v, %v) = %v", c.size, c.useful, c.elapsed, c.perTok, got)
		}
	}
}

// preempt compares the request's prompt with the batch in progress, the
// tokens before the batch included.
func TestPreemptComparesPrompts(t *testing.T) {
	e := open(t, nil)
	msgs := chat("find big files in my home directory and compress them")
	prompt, err := e.model.tokenize(e.renderPrompt(msgs), true)
	if err != nil {
		t.Fatal(err)
	}
	other := chat("show the ten largest directories under var log")
	for _, c := range []struct {
		name     string
		req      []engine.Message
		from, to int
		abort    bool
	}{
		{"the request's own prompt, a batch inside it", msgs, 4, 12, false},
		{"another request, a batch after where they part", other, len(prompt) - 8, len(prompt), true},
		{"another system prompt, the batch at the start", []engine.Message{{Role: engine.RoleSystem, Content: "Explain."}, msgs[1]}, 0, 8, true},
	} {
		aborted := false
		e.pre.batch = &prefillBatch{prompt: prompt, from: c.from, to: c.to, start: time.Now(), abort: func() { aborted = true }}
		e.pre.perTok = 0
		e.preempt(func() ([]int32, error) { return e.model.tokenize(e.renderPrompt(c.req), true) })
		if aborted != c.abort {
			t.Errorf("%s: aborted %v, want %v", c.name, aborted, c.abort)
		}
	}
	e.pre.batch = nil
}

// A prefill whose batch a request aborts ends without an error and leaves
// a cache that is exact, and a request that waits for it finds it cached.
func TestPrefillAbortedByRequest(t *testing.T) {
	msgs := chat("find big files in my home directory")
	want, err := open(t, engine.Settings{"llamacpp.prefix_cache": "false"}).Generate(context.Background(), engine.Request{Messages: msgs, MaxTokens: 8}, nil)
	if err != nil {
		t.Fatal(err)
	}
	long := chat(strings.Repeat("find big files in my home directory and then some more words ", 40))
	e := open(t, nil)
	cut := 0
	for i := 0; i < 5; i++ {
		done := make(chan error, 1)
		var p engine.Result
		go func() {
			var err error
			p, err = e.Generate(context.Background(), engine.Request{Messages: long, PromptOnly: true}, nil)
			done <- err
		}()
		// Abort whatever batch runs, as preempt does for a request that
		// shares none of it, until the prefill ends.
	loop:
		for {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("a prefill whose batch was aborted: %v", err)
				}
				break loop
			default:
				e.pre.mu.Lock()
				if b := e.pre.batch; b != nil {
					b.abort()
				}
				e.pre.mu.Unlock()
				time.Sleep(time.Duration(i) * 100 * time.Microsecond)
			}
		}
		if have := e.lctx.cachedLen(); have != len(e.cached) {
			t.Fatalf("the cache holds %d tokens, the engine thinks %d", have, len(e.cached))
		}
		if len(e.cached) < p.TokensIn {
			cut++
		}
		got, err := e.Generate(context.Background(), engine.Request{Messages: msgs, MaxTokens: 8}, nil)
		if err != nil || got.Text != want.Text {
			t.Fatalf("after an aborted prefill: %q, want %q (%v)", got.Text, want.Text, err)
		}
	}
	if cut == 0 {
		t.Fatal("no prefill was cut short: the aborts never landed")
	}

	// The request's own prompt: it waits for the batch in progress, and
	// finds every token the prefill evaluated cached.
	yield := make(chan struct{})
	done := make(chan engine.Result, 1)
	go func() {
		r, _ := e.Generate(context.Background(), engine.Request{Messages: long, PromptOnly: true, Yield: yield}, nil)
		done <- r
	}()
	for e.pre.mu.Lock(); e.pre.batch == nil; e.pre.mu.Lock() {
		e.pre.mu.Unlock()
		time.Sleep(50 * time.Microsecond)
	}
	e.pre.mu.Unlock()
	close(yield)
	got, err := e.Generate(context.Background(), engine.Request{Messages: long, MaxTokens: 2}, nil)
	p := <-done
	if err != nil || got.TokensCached < p.TokensCached+prefillChunk && got.TokensCached != p.TokensIn {
		t.Fatalf("a request for the prefill's own prompt: %v, %d cached; the prefill started at %d", err, got.TokensCached, p.TokensCached)
	}
}
