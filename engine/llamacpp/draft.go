//go:build cgo

package llamacpp

import "context"

// Prompt lookup: a command often copies names, paths and flags from the
// request and its context, so the tokens that followed the last few
// generated ones where they occurred earlier in the prompt are a likely
// continuation. They are decoded in the same batch as the next token and
// kept only as far as the model itself would have chosen them, so each
// token of the answer is the model's own choice (only the last bits of a
// batch's logits differ from one token's, which can flip a near tie). A
// batch of k+1 costs less than k+1 single steps, but more than one, so
// the draft length adapts and drafting stops for the request after
// repeated misses. On 2 cores a small batch costs so much that it did not
// pay (docs/BENCHMARKS.md), so it is off unless llamacpp.draft is set.

const (
	draftStart  = 2 // tokens drafted at first
	draftMisses = 3 // batches with nothing accepted before drafting stops
	// draftMatch tokens must match: shorter matches drafted mostly wrong
	// tokens here.
	draftMatch = 3
)

// drafter proposes tokens for one generation: by prompt lookup, or from
// a draft model (draftmodel.go) when it has one.
type drafter struct {
	max, k int // bound and current length of a draft (0: off)
	misses int
	model  *draftModel
	ctx    context.Context // the generation's, for the draft model
}

func newDrafter(max int) *drafter { return &drafter{max: max, k: min(max, draftStart)} }

// propose returns up to room tokens to check after last, hist being the
// sequence before it. Prompt lookup proposes the tokens that followed the
// latest earlier occurrence of the sequence's last draftMatch tokens.
func (d *drafter) propose(hist []int32, last int32, room int) []int32 {
	k := min(d.k, room)
	if k > 0 && d.model != nil {
		return d.model.next(d.ctx, hist, last, k)
	}
	if k <= 0 || len(hist) < draftMatch {
		return nil
	}
	seq := append(hist[:len(hist):len(hist)], last)
	tail := seq[len(seq)-draftMatch:]
	for i := len(seq) - draftMatch - 1; i >= 0; i-- {
		if equal(seq[i:i+draftMatch], tail) {
			return append([]int32(nil), seq[i+draftMatch:min(i+draftMatch+k, len(seq))]...)
		}
	}
	return nil
}

// verified adapts the draft length to a checked batch: ok of drafted
// tokens were what the model chose.
func (d *drafter) verified(ok, drafted int) {
	switch {
	case drafted == 0:
	case ok == drafted:
		d.misses = 0
		d.k = min(d.k*2, d.max)
	case ok > 0:
		d.misses = 0
		d.k = min(max(ok+1, 2), d.max)
	default:
		d.misses++
		d.k = max(d.k/2, 1)
		if d.misses >= draftMisses {
			d.k = 0
		}
	}
}

func equal(a, b []int32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
