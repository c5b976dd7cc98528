//go:build cgo

package llamacpp

/*
#include "helpers.h"
*/
import "C"

import (
	"log/slog"
	"time"
	"unsafe"

	"github.com/cmdr-sh/cmdr/engine"
)

// One context holds one warm prefix, but requests come in families that
// share long prefixes within and little across: suggestions for bash and
// for zsh, explanations. Alternating between them (explain a command, then
// Ctrl-G) would evaluate the whole system prompt, examples and context
// again each time: seconds on 2 cores. So before a request throws away
// part of the stable prefix of the cached one (everything before its last
// message: the system prompt and examples), the KV state is copied to RAM
// (a few ms, ~12 KB a token for a 0.5B model), and a later request that
// shares more with a copy than with the live cache gets it back.

const (
	// minSnapshot: a shorter state is cheaper to evaluate again than to keep.
	minSnapshot = 64
	// minGain: restoring a copy must save at least this many tokens of
	// evaluation over the live cache.
	minGain = 32
	// Bounds on the copies kept, the least recently used dropped first.
	maxSnapshots   = 4
	snapshotBudget = 256 << 20
)

type snapshot struct {
	toks   []int32
	stable int // tokens of toks before the last message
	data   []byte
	used   time.Time
}

// stablePrefix counts the tokens of prompt that come before the last
// message: the part a family of requests shares.
func (e *Engine) stablePrefix(msgs []engine.Message, prompt []int32) int {
	if len(msgs) < 2 {
		return 0
	}
	head, err := e.model.tokenize(e.renderPrompt(msgs[:len(msgs)-1]), true)
	if err != nil {
		return 0
	}
	// The head ends with the assistant's turn opening where the prompt
	// has the last message's: they part there.
	return commonPrefix(head, prompt)
}

// bestSnapshot returns the copy sharing the longest prefix with prompt.
func (e *Engine) bestSnapshot(prompt []int32) (*snapshot, int) {
	var best *snapshot
	m := 0
	for _, s := range e.snaps {
		if n := commonPrefix(s.toks, prompt); n > m {
			best, m = s, n
		}
	}
	return best, m
}

// reuse picks the starting point for prompt, whose stable prefix is
// stable tokens long: the live cache, or a copy restored in its place when
// that saves enough evaluation. Before the live cache loses part of its
// own stable prefix, it is copied. It returns how many of prompt's tokens
// the KV cache holds.
func (e *Engine) reuse(prompt []int32, stable int) int {
	n := commonPrefix(e.cached, prompt)
	best, m := e.bestSnapshot(prompt)
	defer func() { e.stable = stable }()
	if best == nil || m < n+minGain {
		e.spill(n, nil)
		return n
	}
	e.spill(n, best)
	t0 := time.Now()
	if C.cmdr_seq_set(e.lctx.ptr, (*C.uint8_t)(unsafe.Pointer(&best.data[0])), C.size_t(len(best.data))) == 0 ||
		e.lctx.cachedLen() != len(best.toks) {
		// Cannot happen with a copy taken from this context; if it does,
		// start from nothing rather than trust a half-written cache.
		e.dropSnapshot(best)
		e.lctx.keep(0)
		e.cached = e.cached[:0]
		return 0
	}
	e.cached = append(e.cached[:0], best.toks...)
	best.used = time.Now()
	slog.Debug("llama.cpp: restored prompt snapshot", "tokens", len(best.toks), "reused", m, "took", time.Since(t0))
	return m
}

// spill copies the live cache to RAM when a request keeping only n of its
// tokens is about to discard part of its stable prefix. keep is a copy
// about to be restored, which must survive the eviction.
func (e *Engine) spill(n int, keep *snapshot) {
	if n >= e.stable || len(e.cached) < minSnapshot || len(e.cached)-n < minSnapshot {
		return
	}
	t0 := time.Now()
	size := int(C.cmdr_seq_size(e.lctx.ptr))
	if size <= 0 || size > snapshotBudget {
		return
	}
	data := make([]byte, size)
	if int(C.cmdr_seq_get(e.lctx.ptr, (*C.uint8_t)(unsafe.Pointer(&data[0])), C.size_t(size))) != size {
		return
	}
	s := &snapshot{toks: append([]int32(nil), e.cached...), stable: e.stable, data: data, used: time.Now()}
	// A newer copy of the same family (same stable prefix) replaces the older.
	for i := len(e.snaps) - 1; i >= 0; i-- {
		if x := e.snaps[i]; x != keep && commonPrefix(x.toks, s.toks) >= min(x.stable, s.stable) {
			e.dropSnapshot(x)
		}
	}
	e.snaps = append(e.snaps, s)
	for len(e.snaps) > maxSnapshots || e.snapshotBytes() > snapshotBudget {
		var oldest *snapshot
		for _, s := range e.snaps {
			if s != keep && (oldest == nil || s.used.Before(oldest.used)) {
				oldest = s
			}
		}
		e.dropSnapshot(oldest)
	}
	slog.Debug("llama.cpp: kept prompt snapshot", "tokens", len(s.toks), "bytes", size, "kept", len(e.snaps), "took", time.Since(t0))
}

func (e *Engine) dropSnapshot(s *snapshot) {
	for i, x := range e.snaps {
		if x == s {
			e.snaps = append(e.snaps[:i], e.snaps[i+1:]...)
			return
		}
	}
}

func (e *Engine) snapshotBytes() int {
	n := 0
	for _, s := range e.snaps {
		n += len(s.data)
	}
	return n
}
