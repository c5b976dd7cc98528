//go:build cgo

package llamacpp

import (
	"context"
	"sync"
	"time"
)

// A request that arrives while a prefill evaluates a batch either waits
// for the batch or aborts it. An aborted llama_decode loses the whole
// batch, and the prefill read the words typed so far, which the request
// shares up to its last word: with 1.5B on two cores a 32-token batch
// takes ~0.4 s, so aborting one near its end threw away work the key
// press then did again. The request keeps the batch when the part of it
// that its own prompt shares is worth more than what is left of it.

// prefillBatch is the batch a prefill is evaluating.
type prefillBatch struct {
	prompt   []int32 // the prefill's whole prompt
	from, to int     // the batch: prompt[from:to]
	start    time.Time
	abort    context.CancelFunc
}

// preemption is the state a request checks before it waits for the
// engine; its own lock, since the slot is held by the prefill.
type preemption struct {
	mu     sync.Mutex
	batch  *prefillBatch // nil when no prefill batch runs
	perTok time.Duration // a prefill token's cost, from the last batch
	closed bool
}

// keepBatch decides whether a request waits for a prefill's batch of size
// tokens, useful of which its prompt shares, elapsed into it: waiting
// costs what is left of the batch, aborting costs evaluating the useful
// tokens again. Without a measured cost it waits only for a batch it
// shares whole.
func keepBatch(size, useful int, elapsed, perTok time.Duration) bool {
	if useful >= size {
		return true
	}
	if perTok <= 0 || useful <= 0 {
		return false
	}
	left := time.Duration(size)*perTok - elapsed
	return time.Duration(useful)*perTok > left
}

// startBatch registers a prefill batch; the returned context aborts it
// when a request decides not to wait, and done unregisters it.
func (e *Engine) startBatch(ctx context.Context, prompt []int32, from, to int) (context.Context, func(ok bool)) {
	bctx, abort := context.WithCancel(ctx)
	t0 := time.Now()
	e.pre.mu.Lock()
	e.pre.batch = &prefillBatch{prompt: prompt, from: from, to: to, start: t0, abort: abort}
	e.pre.mu.Unlock()
	return bctx, func(ok bool) {
		e.pre.mu.Lock()
		e.pre.batch = nil
		if ok {
			e.pre.perTok = time.Since(t0) / time.Duration(to-from)
		}
		e.pre.mu.Unlock()
		abort()
	}
}

// preempt is called by a request before it waits for the engine: it
// aborts the running prefill batch unless keepBatch says to wait for it.
// It returns the request's tokens when it needed them, else nil.
func (e *Engine) preempt(prompt func() ([]int32, error)) []int32 {
	e.pre.mu.Lock()
	defer e.pre.mu.Unlock()
	b := e.pre.batch
	if b == nil || e.pre.closed {
		return nil
	}
	toks, err := prompt()
	if err != nil {
		b.abort()
		return nil
	}
	useful := min(max(commonPrefix(toks, b.prompt[:b.to])-b.from, 0), b.to-b.from)
	if !keepBatch(b.to-b.from, useful, time.Since(b.start), e.pre.perTok) {
		b.abort()
	}
	return toks
}
