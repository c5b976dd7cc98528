//go:build cgo

package llamacpp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
)

func init() {
	engine.Register(engine.Backend{
		Name:     Name,
		Doc:      "llama.cpp in-process (GGUF models, CPU)",
		Params:   Params,
		Open:     func(ctx context.Context, s engine.Settings) (engine.Engine, error) { return Open(ctx, s) },
		Validate: Validate,
		Check:    checkSettings,
	})
}

// Engine is a loaded GGUF model with one llama.cpp context. Requests are
// served one at a time: on a laptop CPU a second concurrent sequence would
// halve both requests' speed, and one context keeps one warm prefix.
type Engine struct {
	opts  options
	model *model
	lctx  *llctx
	tmpl  string // chat template in use: the model's own or a builtin name
	// closing counts the tokens the template puts after the last
	// message's content: its end of turn and the assistant's header.
	closing int
	name    string

	// slot is the one-request-at-a-time lock; a channel so a waiting
	// request can give up when its context ends.
	slot chan struct{}
	// cached are the tokens whose keys and values sit in the KV cache, in
	// order. A request that starts with them skips evaluating them.
	cached []int32
	// statePath is where the shared prefix's KV state is saved ("" for
	// nowhere); savedLen is how many tokens the saved state holds.
	statePath string
	savedLen  int
	// snaps are KV states of other prompt families kept in RAM, and
	// stable is how much of cached is its request's stable prefix
	// (snapshot.go).
	snaps  []*snapshot
	stable int
	// pre lets a request decide about a prefill batch in progress
	// (preempt.go).
	pre preemption
	// draft is the draft model, when one is configured (draftmodel.go).
	draft *draftModel

	closeOnce sync.Once
}

// Open loads the model named by s and creates its context.
func Open(ctx context.Context, s engine.Settings) (*Engine, error) {
	o, err := parseOptions(s)
	if err != nil {
		return nil, err
	}
	if o.model == "" {
		// The model store, when installed, knows what is on this machine
		// and says what to do.
		if _, err := engine.ResolveModel(""); err != nil {
			return nil, engine.Unavailable(err)
		}
		return nil, engine.Unavailable(errors.New("no model configured: run `cmdr model pull`, set CMDR_MODEL=/path/to/model.gguf (or model in config.toml), or use CMDR_ENGINE=openai"))
	}
	path, err := engine.ResolveModel(o.model)
	if err != nil {
		return nil, err
	}
	info, err := inspect(path)
	if err != nil {
		return nil, err
	}
	// A quantized cache stores each head's keys and values in 32-wide
	// blocks; llama.cpp aborts the process on any other width.
	if o.kvType != "f16" && (info.headK%32 != 0 || info.headV%32 != 0) {
		return nil, fmt.Errorf("llamacpp.kv_type %s needs attention heads a multiple of 32 wide; this model's are %d: use f16", o.kvType, info.headK)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mmap := o.mapFile(info)
	start := time.Now()
	m, err := loadModel(path, loadParams{mmap: mmap, mlock: o.mlock})
	if err != nil {
		return nil, err
	}
	lctx, err := newContext(m, ctxParams{nCtx: info.fitCtx(o.ctxSize), nBatch: o.batch, threads: o.threads, flashAttn: o.flashAttn, kvType: o.kvType})
	if err != nil {
		m.free()
		return nil, err
	}
	e := &Engine{opts: o, model: m, lctx: lctx, name: filepath.Base(path), slot: make(chan struct{}, 1),
		statePath: stateFile(o.stateDir, path, lctx.nCtx, o)}
	if o.draftModel != "" {
		if e.draft, err = openDraft(o, m, lctx.nCtx); err != nil {
			lctx.free()
			m.free()
			return nil, err
		}
	}
	e.tmpl = e.pickTemplate()
	e.closing = e.closingLen()
	e.restoreState()
	slog.Debug("llama.cpp model loaded", "path", path, "desc", m.describe(), "mmap", mmap,
		"threads", o.threads, "n_ctx", lctx.nCtx, "template", templateName(e.tmpl), "load", time.Since(start))
	return e, nil
}

// mapFile reports whether to map a model file rather than read it.
func (o options) mapFile(info modelInfo) bool {
	if !o.mmapAuto {
		return o.mmap
	}
	// Repacked weights are copied out of the file at load; with mmap the
	// file's pages would stay resident beside the copy.
	return !(repackBuild && info.repackable)
}

// pickTemplate prefers the model's own chat template, then ChatML when the
// vocabulary has its control tokens (Qwen, and most instruct GGUFs), then
// a plain transcript format any model can continue.
func (e *Engine) pickTemplate() string {
	own := e.model.meta("tokenizer.chat_template")
	probe := []msg{{"system", "s"}, {"user", "u"}}
	if own != "" {
		if _, ok := chatTemplate(own, probe); ok {
			return own
		}
	}
	if e.model.hasToken("<|im_start|>") {
		return "chatml"
	}
	return ""
}

func templateName(t string) string {
	switch {
	case t == "":
		return "plain"
	case len(t) < 32:
		return t
	default:
		return "model"
	}
}

// renderPrompt applies the chat template; special reports whether the
// result holds control tokens to parse.
func (e *Engine) renderPrompt(msgs []engine.Message) string {
	ms := make([]msg, len(msgs))
	for i, m := range msgs {
		ms[i] = msg{string(m.Role), m.Content}
	}
	if e.tmpl != "" {
		if s, ok := chatTemplate(e.tmpl, ms); ok {
			return s
		}
	}
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "### %s:\n%s\n\n", strings.ToUpper(m.role[:1])+m.role[1:], m.content)
	}
	b.WriteString("### Assistant:\n")
	return b.String()
}

// Info describes the engine.
func (e *Engine) Info() engine.Info {
	return engine.Info{Backend: Name, Model: e.name, Grammar: true, ContextSize: e.lctx.nCtx, Threads: e.opts.threads}
}

// Tokenize implements engine.Tokenizer.
func (e *Engine) Tokenize(text string, special bool) ([]int32, error) {
	if e.model.ptr == nil {
		return nil, errClosed
	}
	return e.model.tokenize(text, special)
}

// Detokenize implements engine.Tokenizer.
func (e *Engine) Detokenize(ids []int32) (string, error) {
	if e.model.ptr == nil {
		return "", errClosed
	}
	return e.model.detokenize(ids)
}

var errClosed = errors.New("llama.cpp engine is closed")

func (e *Engine) acquire(ctx context.Context) error {
	select {
	case e.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *Engine) release() { <-e.slot }

// Generate implements engine.Engine.
func (e *Engine) Generate(ctx context.Context, req engine.Request, fn engine.TokenFunc) (engine.Result, error) {
	t0 := time.Now()
	var res engine.Result
	tokenize := func() ([]int32, error) { return e.model.tokenize(e.renderPrompt(req.Messages), true) }
	var prompt []int32
	if !req.PromptOnly {
		// preempt tokenizes the prompt only when a prefill batch runs;
		// its tokens then serve below.
		prompt = e.preempt(tokenize)
	}
	if err := e.acquire(ctx); err != nil {
		return res, err
	}
	defer e.release()
	if e.lctx.ptr == nil {
		return res, errClosed
	}
	res.Timings.Queue = time.Since(t0)

	if prompt == nil {
		var err error
		if prompt, err = tokenize(); err != nil {
			return res, err
		}
	}
	res.TokensIn = len(prompt)
	maxTok := req.MaxTokens
	if maxTok <= 0 {
		maxTok = engine.DefaultMaxTokens
	}
	if len(prompt)+1 > e.lctx.nCtx {
		return res, fmt.Errorf("prompt of %d tokens does not fit the %d-token context (raise CMDR_CTX_SIZE)", len(prompt), e.lctx.nCtx)
	}
	if req.PromptOnly {
		return e.prefill(ctx, req.Messages, prompt, req.Yield, res, t0)
	}
	seed := uint32(0)
	if req.Seed != nil {
		seed = *req.Seed
	}
	topK := req.TopK
	if topK <= 0 {
		topK = 40
	}
	smp, err := newSampler(e.model, req.Grammar, req.Temperature, topK, req.TopP, seed)
	if err != nil {
		return res, err
	}
	defer smp.free()

	// At least the prompt's last token is evaluated again, since its
	// logits are what the first sample needs.
	n := e.startAt(req.Messages, prompt, len(prompt)-1)
	res.TokensCached = n
	// The KV cache holds exactly the prefix this request shares with the
	// last one: the system prompt and examples, worth keeping on disk.
	e.saveState(n)

	tEval := time.Now()
	err = e.lctx.decode(ctx, prompt[n:], n, false)
	e.syncCache(prompt)
	if err != nil {
		return res, e.decodeErr(ctx, err)
	}
	res.Timings.PromptEval = time.Since(tEval)

	stream := engine.NewStream(req.Stop)
	buf := make([]byte, 64)
	emit := func(text string, id int32) error {
		if text == "" || fn == nil {
			return nil
		}
		return fn(engine.Token{Text: text, ID: id})
	}
	res.Stop = engine.StopLength
	// Drafted tokens sit in the KV cache after the last confirmed one,
	// unconfirmed (queue); logits of the last batch are read by index
	// (idx), each predicting the token after its own.
	var queue []int32
	idx, drafted, ok := -1, 0, 0
	most := e.opts.draft
	if e.draft != nil {
		most = cmp.Or(most, draftDefault)
	}
	dr := newDrafter(most)
	dr.model, dr.ctx = e.draft, ctx
	for res.TokensOut < maxTok {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		id := smp.sample(e.lctx, idx)
		if id < 0 {
			return res, errors.New("the grammar allows no further token")
		}
		if res.TokensOut == 0 {
			res.Timings.FirstToken = time.Since(t0)
		}
		confirmed := len(queue) > 0 && queue[0] == id
		if len(queue) > 0 && !confirmed {
			// The model disagrees: the drafts from here on are wrong.
			cut := len(e.cached) - len(queue)
			e.lctx.keep(cut)
			e.cached, queue = e.cached[:cut], nil
			dr.verified(ok, drafted)
		}
		if e.model.isEOG(id) {
			res.Stop = engine.StopEOS
			break
		}
		res.TokensOut++
		piece := e.model.piece(id, buf)
		out, stopped := stream.Push(string(piece))
		if err := emit(out, id); err != nil {
			return res, err
		}
		if stopped {
			res.Stop = engine.StopString
			break
		}
		if res.TokensOut >= maxTok {
			break
		}
		if confirmed {
			// Already in the KV cache, and its logits were computed in
			// the same batch: no decode for this one.
			res.Accepted++
			ok++
			queue, idx = queue[1:], idx+1
			if len(queue) == 0 {
				dr.verified(ok, drafted)
			}
			continue
		}
		pos := len(e.cached)
		if pos+1 >= e.lctx.nCtx {
			break
		}
		batch := append([]int32{id}, dr.propose(e.cached, id, min(maxTok-res.TokensOut, e.lctx.nCtx-pos-1, e.lctx.nBat)-1)...)
		err := e.lctx.decode(ctx, batch, pos, len(batch) > 1)
		if err != nil {
			e.syncCache(nil)
			return res, e.decodeErr(ctx, err)
		}
		e.cached = append(e.cached, batch...)
		queue, idx, drafted, ok = batch[1:], 0, len(batch)-1, 0
		res.Drafted += drafted
	}
	if res.Stop != engine.StopString {
		if err := emit(stream.Flush(), -1); err != nil {
			return res, err
		}
	}
	res.Text = stream.Text()
	res.Timings.Total = time.Since(t0)
	if checked, rejected, full := smp.stats(); checked > 0 {
		slog.Debug("grammar sampling", "checked", checked, "rejected", rejected, "full_vocab", full)
	}
	if res.Drafted > 0 {
		slog.Debug("prompt lookup", "drafted", res.Drafted, "accepted", res.Accepted)
	}
	return res, nil
}

// startAt makes the KV cache hold the longest prefix of prompt it can
// reuse (from the live cache or a snapshot), but no more than most tokens,
// and returns its length: where evaluation starts.
func (e *Engine) startAt(msgs []engine.Message, prompt []int32, most int) int {
	n := 0
	if e.opts.prefixCache {
		n = min(e.reuse(prompt, e.stablePrefix(msgs, prompt)), most)
	}
	if !e.lctx.keep(n) {
		n = 0
	}
	e.cached = e.cached[:n]
	return n
}

// prefillChunk: an aborted llama_decode loses its whole batch, so a
// prefill evaluates in small batches and keeps what it finished. A newer
// prefill does not abort it: it yields between batches; a request aborts
// the batch in progress only when waiting for it would cost more than
// evaluating again the part it shares (preempt.go).
const prefillChunk = 32

// prefill evaluates prompt into the KV cache and generates nothing, until
// done, cancelled (ctx) or yielding (yield closed).
func (e *Engine) prefill(ctx context.Context, msgs []engine.Message, prompt []int32, yield <-chan struct{}, res engine.Result, t0 time.Time) (engine.Result, error) {
	if !e.opts.prefixCache {
		return res, nil // nothing would be kept for the request
	}
	// A prefill's request is still being typed: its last message will
	// grow, so the closing after it would be evaluated again by the next
	// prefill or the request anyway. Left out, every prefill saves it
	// (5 tokens with ChatML) and the key press, which evaluates it after
	// the words typed since, pays nothing more.
	if k := e.closing; k > 0 && k < len(prompt) {
		prompt = prompt[:len(prompt)-k]
		res.TokensIn = len(prompt)
	}
	n := e.startAt(msgs, prompt, len(prompt))
	res.TokensCached = n
	tEval := time.Now()
	for n < len(prompt) && !closed(yield) {
		end := min(n+prefillChunk, len(prompt))
		bctx, done := e.startBatch(ctx, prompt, n, end)
		err := e.lctx.decode(bctx, prompt[n:end], n, false)
		done(err == nil)
		e.syncCache(prompt)
		if err != nil {
			if errors.Is(err, errAborted) && ctx.Err() == nil {
				break // a request took over: what is done is kept
			}
			return res, e.decodeErr(ctx, err)
		}
		n = end
	}
	if e.draft != nil && n == len(prompt) {
		// The draft model reads the prompt too, or the key press would
		// pay for what it has not read.
		if err := e.draft.sync(ctx, prompt, len(prompt), yield); err != nil && ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	res.Timings.PromptEval = time.Since(tEval)
	res.Timings.Total = time.Since(t0)
	return res, nil
}

// closingLen finds the template's closing as the tokens that two prompts
// differing only in their last message's content end with alike. A
// content whose last token merges with the closing's first makes it one
// shorter, which only costs a prefill that token.
func (e *Engine) closingLen() int {
	var toks [2][]int32
	for i, c := range []string{"x", "y"} {
		t, err := e.model.tokenize(e.renderPrompt([]engine.Message{{Role: engine.RoleUser, Content: c}}), true)
		if err != nil {
			return 0
		}
		toks[i] = t
	}
	a, b := toks[0], toks[1]
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// closed reports whether ch is closed (a nil ch never is).
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// syncCache makes e.cached agree with what the KV cache really holds
// after a decode that may have stopped part-way. want, when not nil, is
// the token sequence that was being evaluated.
func (e *Engine) syncCache(want []int32) {
	have := e.lctx.cachedLen()
	if want != nil {
		e.cached = append(e.cached[:0], want[:min(have, len(want))]...)
		return
	}
	e.cached = e.cached[:min(have, len(e.cached))]
}

func (e *Engine) decodeErr(ctx context.Context, err error) error {
	if errors.Is(err, errAborted) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func commonPrefix(a, b []int32) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// Close frees the context and model. It waits for a running request.
func (e *Engine) Close() error {
	e.closeOnce.Do(func() {
		e.slot <- struct{}{}
		// A request deciding about a prefill batch reads the model.
		e.pre.mu.Lock()
		e.pre.closed = true
		e.pre.mu.Unlock()
		e.lctx.free()
		e.model.free()
		if e.draft != nil {
			e.draft.free()
		}
		<-e.slot
	})
	return nil
}

// SetDraft sets how many tokens prompt lookup drafts per step (0: off),
// for benchmarks that compare the two on one loaded model.
func (e *Engine) SetDraft(n int) {
	e.slot <- struct{}{}
	e.opts.draft = n
	<-e.slot
}

// BatchCost measures what checking drafts costs: decoding n tokens in one
// batch, right after what the KV cache holds, as checking n-1 drafted
// tokens does. The tokens are removed again afterwards. Drafting pays when
// enough drafts are accepted to cover the batch's extra cost.
func (e *Engine) BatchCost(ctx context.Context, n int) (time.Duration, error) {
	if err := e.acquire(ctx); err != nil {
		return 0, err
	}
	defer e.release()
	pos := len(e.cached)
	if pos == 0 || pos+n >= e.lctx.nCtx {
		return 0, errors.New("BatchCost needs a cached prompt and room after it")
	}
	toks := make([]int32, n)
	for i := range toks {
		toks[i] = e.cached[(i*7)%pos] // real tokens, any order
	}
	t0 := time.Now()
	err := e.lctx.decode(ctx, toks, pos, false)
	d := time.Since(t0)
	e.lctx.keep(pos)
	e.syncCache(nil)
	return d, err
}
