//go:build cgo

package llamacpp

/*
#include "llama.h"
*/
import "C"

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
)

// A draft model is a smaller model with the same vocabulary (Qwen2.5-0.5B
// for a 7B): it proposes the next few tokens one at a time, greedily, and
// the model checks them in one batch as it checks prompt lookup's, so
// each token of the answer is still the model's choice. It pays only
// where the draft's steps and the bigger batch cost less than the model's
// steps it saves: on 2 cores it did not (docs/BENCHMARKS.md), so it is
// off unless llamacpp.draft_model is set.

// draftDefault bounds a draft model's drafts when llamacpp.draft is 0.
const draftDefault = 4

// vocabSlack is how many more tokens one vocabulary may have than the
// other: model families pad their embedding tables to different widths
// (Qwen2.5-7B's has 128 more rows than 0.5B's) without adding tokens a
// tokenizer produces.
const vocabSlack = 128

// draftModel is a loaded draft model with its own context. Its KV cache
// follows the model's token sequence lazily: it catches up when asked for
// a draft, and during prefills.
type draftModel struct {
	model  *model
	lctx   *llctx
	greedy *sampler
	cached []int32
	// limit is the number of tokens both vocabularies share: a draft
	// stops before any other.
	limit int
}

// openDraft loads the draft model named by o.draftModel for main, with a
// context of main's size (at most) and the same threads.
func openDraft(o options, main *model, nCtx int) (*draftModel, error) {
	path, err := engine.ResolveModel(o.draftModel)
	if err != nil {
		return nil, fmt.Errorf("llamacpp.draft_model: %w", err)
	}
	info, err := inspect(path)
	if err != nil {
		return nil, fmt.Errorf("llamacpp.draft_model: %w", err)
	}
	start := time.Now()
	m, err := loadModel(path, loadParams{mmap: o.mapFile(info), mlock: o.mlock})
	if err != nil {
		return nil, fmt.Errorf("llamacpp.draft_model: %w", err)
	}
	limit, err := sharedVocab(main, m)
	if err != nil {
		m.free()
		return nil, fmt.Errorf("llamacpp.draft_model %s cannot draft for this model: %w", path, err)
	}
	// Flash attention and a quantized cache slow short prompts on a CPU;
	// the model's settings are for its own context.
	lctx, err := newContext(m, ctxParams{nCtx: info.fitCtx(nCtx), nBatch: o.batch, threads: o.threads, kvType: "f16"})
	if err != nil {
		m.free()
		return nil, fmt.Errorf("llamacpp.draft_model: %w", err)
	}
	greedy, err := newSampler(m, "", 0, 0, 0, 0)
	if err != nil {
		lctx.free()
		m.free()
		return nil, err
	}
	slog.Info("llama.cpp draft model loaded", "path", path, "desc", m.describe(), "n_ctx", lctx.nCtx, "load", time.Since(start))
	return &draftModel{model: m, lctx: lctx, greedy: greedy, limit: limit}, nil
}

// sharedVocab checks that draft spells every token as main does, up to
// the smaller vocabulary (at most vocabSlack apart), whose size it returns.
func sharedVocab(main, draft *model) (int, error) {
	n := min(main.nVoc, draft.nVoc)
	if abs(main.nVoc-draft.nVoc) > vocabSlack {
		return 0, fmt.Errorf("its vocabulary has %d tokens, the model's %d", draft.nVoc, main.nVoc)
	}
	for id := range n {
		a := C.llama_vocab_get_text(main.vocab, C.llama_token(id))
		b := C.llama_vocab_get_text(draft.vocab, C.llama_token(id))
		if C.GoString(a) != C.GoString(b) {
			return 0, fmt.Errorf("token %d is %q in its vocabulary, %q in the model's", id, C.GoString(b), C.GoString(a))
		}
	}
	return n, nil
}

func abs(x int) int { return max(x, -x) }

func (d *draftModel) free() {
	d.greedy.free()
	d.lctx.free()
	d.model.free()
}

// sync makes the draft's KV cache hold seq, or as much of it as it
// evaluated before ctx ended or yield closed, in prefill-sized batches so
// that a request waits for one at most. It keeps at most upto tokens of
// what it held.
func (d *draftModel) sync(ctx context.Context, seq []int32, upto int, yield <-chan struct{}) error {
	n := min(commonPrefix(d.cached, seq), upto)
	if !d.lctx.keep(n) {
		n = 0
	}
	d.cached = d.cached[:n]
	for n < len(seq) && !closed(yield) {
		end := min(n+prefillChunk, len(seq))
		if err := d.lctx.decode(ctx, seq[n:end], n, false); err != nil {
			d.resync(seq)
			return err
		}
		d.cached = append(d.cached, seq[n:end]...)
		n = end
	}
	return nil
}

// next returns up to k tokens the draft model predicts after hist and
// last, the model's sequence so far.
func (d *draftModel) next(ctx context.Context, hist []int32, last int32, k int) []int32 {
	seq := append(hist[:len(hist):len(hist)], last)
	k = min(k, d.lctx.nCtx-len(seq))
	if k <= 0 {
		return nil
	}
	// The last token is evaluated again at least, for its logits.
	if err := d.sync(ctx, seq, len(seq)-1, nil); err != nil {
		return nil
	}
	var out []int32
	for {
		t := d.greedy.sample(d.lctx, -1)
		if t < 0 || int(t) >= d.limit || d.model.isEOG(t) {
			return out
		}
		if out = append(out, t); len(out) == k {
			return out
		}
		d.cached = append(d.cached, t)
		if err := d.lctx.decode(ctx, d.cached[len(d.cached)-1:], len(d.cached)-1, false); err != nil {
			d.resync(d.cached)
			return out
		}
	}
}

// resync makes d.cached agree with what the KV cache holds after a decode
// that stopped part-way (as Engine.syncCache does); want is the sequence
// being evaluated.
func (d *draftModel) resync(want []int32) {
	have := min(d.lctx.cachedLen(), len(want))
	d.cached = append(d.cached[:0], want[:have]...)
}
