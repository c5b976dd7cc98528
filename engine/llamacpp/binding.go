//go:build cgo

package llamacpp

/*
#cgo CXXFLAGS: -std=c++17
#include <stdlib.h>
#include "helpers.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"unsafe"

	// Compiles and links libllama and the ggml CPU backend. The headers
	// come from the same module through CGO_CPPFLAGS (see the Makefile).
	_ "github.com/ollama/ollama/llama/llama.cpp/src"
)

var initOnce sync.Once

// backendInit routes llama.cpp's logs to slog and initializes the ggml
// backends once per process.
func backendInit() {
	initOnce.Do(func() {
		C.cmdr_log_init()
		C.llama_backend_init()
	})
}

// logState collects llama.cpp's log lines, which arrive in pieces, and
// keeps the last error so a failed load can say why.
var logState struct {
	mu      sync.Mutex
	partial strings.Builder
	level   C.int
	errs    []string
}

//export cmdrLog
func cmdrLog(level C.int, text *C.char) {
	s := C.GoString(text)
	logState.mu.Lock()
	defer logState.mu.Unlock()
	// GGML_LOG_LEVEL_CONT continues the previous line at its level.
	if level != C.GGML_LOG_LEVEL_CONT {
		logState.level = level
	}
	logState.partial.WriteString(s)
	if !strings.HasSuffix(s, "\n") {
		return
	}
	line := strings.TrimSpace(logState.partial.String())
	logState.partial.Reset()
	if line == "" {
		return
	}
	// llama.cpp is chatty at INFO (every tensor, every load step); cmdr
	// shows it only at debug level so the agent log stays readable.
	switch logState.level {
	case C.GGML_LOG_LEVEL_ERROR:
		// llama.cpp logs the cause first ("unknown model architecture:
		// 'x'") and a generic "failed to load model" last; keep both.
		if len(logState.errs) < 4 {
			logState.errs = append(logState.errs, stripFuncPrefix(line))
		}
		slog.Debug("llama.cpp", "level", "error", "msg", line)
	case C.GGML_LOG_LEVEL_WARN:
		slog.Debug("llama.cpp", "level", "warn", "msg", line)
	default:
		slog.Debug("llama.cpp", "msg", line)
	}
}

// takeLastError returns and clears the errors llama.cpp logged since the
// last call, the cause first.
func takeLastError() string {
	logState.mu.Lock()
	defer logState.mu.Unlock()
	e := strings.Join(logState.errs, "; ")
	logState.errs = nil
	return e
}

// stripFuncPrefix drops the "llama_model_load: " style prefixes that name
// C functions, which mean nothing to a user.
func stripFuncPrefix(line string) string {
	for {
		head, rest, ok := strings.Cut(line, ": ")
		if !ok || strings.ContainsAny(head, " '\"") || !strings.Contains(head, "_") {
			return line
		}
		line = rest
	}
}

// SystemInfo is llama.cpp's description of the CPU features it was
// compiled for, e.g. "CPU : SSE3 = 1 | AVX2 = 1 | ...".
func SystemInfo() string {
	backendInit()
	return strings.TrimSpace(C.GoString(C.llama_print_system_info()))
}

// BuildFeatures lists the x86/ARM features the C and C++ code was
// compiled for ("avx avx2 fma f16c ..."). An empty list means a baseline
// build, which runs 8-28x slower.
func BuildFeatures() []string {
	return strings.Fields(C.GoString(C.cmdr_build_features()))
}

// repackBuild is true when ggml repacks Q4_0/Q4_K/IQ4_NL weights at load
// into interleaved layouts its AVX2 kernels read faster.
// Available reports whether this build includes llama.cpp.
const Available = true

var repackBuild = bool(C.cmdr_build_repack())

// model wraps a loaded llama_model.
type model struct {
	ptr   *C.struct_llama_model
	vocab *C.struct_llama_vocab
	nVoc  int
}

type loadParams struct {
	mmap  bool
	mlock bool
}

func loadModel(path string, p loadParams) (*model, error) {
	backendInit()
	mp := C.llama_model_default_params()
	mp.n_gpu_layers = 0
	mp.use_mmap = C.bool(p.mmap)
	mp.use_mlock = C.bool(p.mlock)
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	takeLastError()
	ptr := C.cmdr_model_load(cpath, mp)
	if ptr == nil {
		if e := takeLastError(); e != "" {
			return nil, fmt.Errorf("llama.cpp could not load %s: %s", path, e)
		}
		return nil, fmt.Errorf("llama.cpp could not load %s", path)
	}
	m := &model{ptr: ptr, vocab: C.llama_model_get_vocab(ptr)}
	m.nVoc = int(C.llama_vocab_n_tokens(m.vocab))
	return m, nil
}

func (m *model) free() {
	if m.ptr != nil {
		C.llama_model_free(m.ptr)
		m.ptr = nil
	}
}

func (m *model) meta(key string) string {
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	buf := make([]byte, 256)
	for {
		n := C.llama_model_meta_val_str(m.ptr, ck, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
		if n < 0 {
			return ""
		}
		if int(n) < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, int(n)+1)
	}
}

func (m *model) describe() string {
	buf := make([]byte, 256)
	n := C.llama_model_desc(m.ptr, (*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)))
	if n < 0 {
		return ""
	}
	return string(buf[:min(int(n), len(buf)-1)])
}

func (m *model) tokenize(text string, special bool) ([]int32, error) {
	if len(text) > 1<<24 {
		return nil, errors.New("text too long to tokenize")
	}
	ctext := C.CString(text)
	defer C.free(unsafe.Pointer(ctext))
	// A token is at least one byte, plus BOS/EOS when special.
	out := make([]C.llama_token, len(text)+2)
	var outPtr *C.llama_token
	if len(out) > 0 {
		outPtr = &out[0]
	}
	n := C.llama_tokenize(m.vocab, ctext, C.int32_t(len(text)), outPtr, C.int32_t(len(out)), C.bool(special), C.bool(special))
	if n < 0 {
		return nil, fmt.Errorf("tokenizing: needs %d tokens", -n)
	}
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(out[i])
	}
	return ids, nil
}

// piece renders one generated token. Control tokens render as nothing.
func (m *model) piece(id int32, buf []byte) []byte {
	n := C.llama_token_to_piece(m.vocab, C.llama_token(id), (*C.char)(unsafe.Pointer(&buf[0])), C.int32_t(len(buf)), 0, false)
	if n < 0 {
		big := make([]byte, -n)
		n = C.llama_token_to_piece(m.vocab, C.llama_token(id), (*C.char)(unsafe.Pointer(&big[0])), C.int32_t(len(big)), 0, false)
		return big[:max(n, 0)]
	}
	return buf[:n]
}

func (m *model) detokenize(ids []int32) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	toks := make([]C.llama_token, len(ids))
	for i, id := range ids {
		if id < 0 || int(id) >= m.nVoc {
			return "", fmt.Errorf("token id %d out of range (vocabulary has %d)", id, m.nVoc)
		}
		toks[i] = C.llama_token(id)
	}
	buf := make([]byte, len(ids)*8+16)
	for {
		n := C.llama_detokenize(m.vocab, &toks[0], C.int32_t(len(toks)), (*C.char)(unsafe.Pointer(&buf[0])), C.int32_t(len(buf)), false, false)
		if n >= 0 {
			return string(buf[:n]), nil
		}
		buf = make([]byte, -n)
	}
}

func (m *model) isEOG(id int32) bool { return bool(C.llama_vocab_is_eog(m.vocab, C.llama_token(id))) }

func (m *model) hasToken(text string) bool {
	ids, err := m.tokenize(text, true)
	if err != nil || len(ids) == 0 {
		return false
	}
	last := ids[len(ids)-1]
	return len(ids) <= 2 && bool(C.llama_vocab_is_control(m.vocab, C.llama_token(last)))
}

// chatTemplate renders msgs with tmpl (the model's template or a builtin
// name such as "chatml"); ok is false when llama.cpp does not recognise it.
func chatTemplate(tmpl string, msgs []msg) (string, bool) {
	ctmpl := C.CString(tmpl)
	defer C.free(unsafe.Pointer(ctmpl))
	cmsgs := make([]C.struct_llama_chat_message, len(msgs))
	var frees []unsafe.Pointer
	defer func() {
		for _, p := range frees {
			C.free(p)
		}
	}()
	total := 0
	for i, m := range msgs {
		r, c := C.CString(m.role), C.CString(m.content)
		frees = append(frees, unsafe.Pointer(r), unsafe.Pointer(c))
		cmsgs[i] = C.struct_llama_chat_message{role: r, content: c}
		total += len(m.role) + len(m.content)
	}
	var first *C.struct_llama_chat_message
	if len(cmsgs) > 0 {
		first = &cmsgs[0]
	}
	buf := make([]byte, total*2+256)
	for {
		n := C.llama_chat_apply_template(ctmpl, first, C.size_t(len(cmsgs)), true, (*C.char)(unsafe.Pointer(&buf[0])), C.int32_t(len(buf)))
		if n < 0 {
			return "", false
		}
		if int(n) <= len(buf) {
			return string(buf[:n]), true
		}
		buf = make([]byte, n)
	}
}

type msg struct{ role, content string }

// llctx wraps a llama_context with its batch and abort flag.
type llctx struct {
	ptr   *C.struct_llama_context
	batch C.struct_llama_batch
	abort *C.int
	nBat  int
	nCtx  int
}

type ctxParams struct {
	nCtx, nBatch, threads int
	flashAttn             bool
	kvType                string // f16, q8_0 or q4_0
}

// kvTypes are the KV cache element types the kv_type setting offers.
var kvTypes = map[string]C.enum_ggml_type{"f16": C.GGML_TYPE_F16, "q8_0": C.GGML_TYPE_Q8_0, "q4_0": C.GGML_TYPE_Q4_0}

func newContext(m *model, p ctxParams) (*llctx, error) {
	cp := C.llama_context_default_params()
	cp.n_ctx = C.uint32_t(p.nCtx)
	cp.n_batch = C.uint32_t(p.nBatch)
	cp.n_ubatch = C.uint32_t(p.nBatch)
	cp.n_seq_max = 1
	cp.n_threads = C.int32_t(p.threads)
	cp.n_threads_batch = C.int32_t(p.threads)
	cp.no_perf = true
	if t, ok := kvTypes[p.kvType]; ok {
		cp.type_k, cp.type_v = t, t
	}
	if p.flashAttn {
		cp.flash_attn_type = C.LLAMA_FLASH_ATTN_TYPE_ENABLED
	} else {
		cp.flash_attn_type = C.LLAMA_FLASH_ATTN_TYPE_DISABLED
	}
	takeLastError()
	ptr := C.cmdr_context_new(m.ptr, cp)
	if ptr == nil {
		if e := takeLastError(); e != "" {
			return nil, fmt.Errorf("creating llama.cpp context: %s", e)
		}
		return nil, errors.New("creating llama.cpp context failed")
	}
	// llama.cpp caps the batch at the context size; a larger batch than
	// it accepted trips an assertion that aborts the process.
	c := &llctx{ptr: ptr, nBat: int(C.llama_n_batch(ptr)), nCtx: int(C.llama_n_ctx(ptr))}
	c.batch = C.llama_batch_init(C.int32_t(p.nBatch), 0, 1)
	c.abort = C.cmdr_abort_flag_new()
	C.cmdr_set_abort(ptr, c.abort)
	return c, nil
}

func (c *llctx) free() {
	if c.ptr == nil {
		return
	}
	C.llama_batch_free(c.batch)
	C.llama_free(c.ptr)
	C.free(unsafe.Pointer(c.abort))
	c.ptr = nil
}

// keep drops everything in the KV cache from position n on. It reports
// false when the memory cannot be cut there (then it is cleared).
func (c *llctx) keep(n int) bool {
	mem := C.llama_get_memory(c.ptr)
	if bool(C.llama_memory_seq_rm(mem, 0, C.llama_pos(n), -1)) {
		return true
	}
	C.llama_memory_clear(mem, true)
	return false
}

// saveState writes sequence 0's KV state and its tokens to path.
func (c *llctx) saveState(path string, toks []int32) bool {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	ct := make([]C.llama_token, len(toks))
	for i, t := range toks {
		ct[i] = C.llama_token(t)
	}
	return C.cmdr_state_save(c.ptr, cp, &ct[0], C.size_t(len(ct))) > 0
}

// loadState restores a state saved by saveState, returning its tokens.
func (c *llctx) loadState(path string) ([]int32, bool) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	buf := make([]C.llama_token, c.nCtx)
	var n C.size_t
	if C.cmdr_state_load(c.ptr, cp, &buf[0], C.size_t(len(buf)), &n) == 0 || int(n) > len(buf) {
		return nil, false
	}
	if c.cachedLen() != int(n) {
		return nil, false
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(buf[i])
	}
	return out, true
}

// cachedLen is one past the last position held in the KV cache.
func (c *llctx) cachedLen() int {
	return int(C.llama_memory_seq_pos_max(C.llama_get_memory(c.ptr), 0)) + 1
}

var errAborted = errors.New("decode aborted")

// decode evaluates toks at positions pos0.., in batches. It watches ctx
// and aborts the computation between graph nodes when ctx ends. With all,
// every token's logits are kept (toks must fit one batch), so that
// drafted tokens can be checked; sample them by index.
func (c *llctx) decode(ctx context.Context, toks []int32, pos0 int, all bool) error {
	// The watcher must be gone before the flag is cleared: a watcher that
	// saw ctx end just as the decode finished would otherwise set it after
	// the reset, and the next request's decode would abort at once.
	C.cmdr_abort_flag_set(c.abort, 0)
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-ctx.Done():
			C.cmdr_abort_flag_set(c.abort, 1)
		case <-done:
		}
	}()
	defer func() {
		close(done)
		<-exited
		C.cmdr_abort_flag_set(c.abort, 0)
	}()
	ctoks := make([]C.llama_token, len(toks))
	for i, t := range toks {
		ctoks[i] = C.llama_token(t)
	}
	for i := 0; i < len(ctoks); i += c.nBat {
		n := min(c.nBat, len(ctoks)-i)
		rc := C.cmdr_decode(c.ptr, &c.batch, &ctoks[i], C.int32_t(n), C.int32_t(pos0+i), C.bool(all))
		switch {
		case rc == 0:
		case rc == 2 || ctx.Err() != nil:
			return errAborted
		case rc == 1:
			return errors.New("the context window is full")
		default:
			return fmt.Errorf("llama_decode failed (code %d)", int(rc))
		}
	}
	return nil
}

// logits copies the logits of the last decoded batch's token idx: the
// tests check a drafted answer's tokens against them.
func (c *llctx) logits(idx, nVoc int) []float32 {
	p := C.llama_get_logits_ith(c.ptr, C.int32_t(idx))
	return append([]float32(nil), unsafe.Slice((*float32)(unsafe.Pointer(p)), nVoc)...)
}

// sampler wraps cmdr_sampler.
type sampler struct{ ptr *C.cmdr_sampler }

func newSampler(m *model, grammar string, temp float32, topK int, topP float32, seed uint32) (*sampler, error) {
	var cg *C.char
	if grammar != "" {
		cg = C.CString(grammar)
		defer C.free(unsafe.Pointer(cg))
	}
	takeLastError()
	p := C.cmdr_sampler_new(m.ptr, cg, C.float(temp), C.int32_t(topK), C.float(topP), C.uint32_t(seed))
	if p == nil {
		if e := takeLastError(); e != "" {
			return nil, fmt.Errorf("invalid grammar: %s", e)
		}
		return nil, errors.New("invalid grammar")
	}
	return &sampler{p}, nil
}

// sample picks the next token from the logits of the last decoded batch's
// token idx (-1: the last).
func (s *sampler) sample(c *llctx, idx int) int32 {
	return int32(C.cmdr_sampler_sample(s.ptr, c.ptr, C.int32_t(idx)))
}

func (s *sampler) stats() (checked, rejected, full int64) {
	var a, b, d C.int64_t
	C.cmdr_sampler_stats(s.ptr, &a, &b, &d)
	return int64(a), int64(b), int64(d)
}

func (s *sampler) free() { C.cmdr_sampler_free(s.ptr) }

// typeTraits exposes ggml's own block table so tests can check the pure-Go
// gguf package against it.
func typeTraits(t int) (blockSize, typeSize int64) {
	return int64(C.ggml_blck_size(C.enum_ggml_type(t))), int64(C.ggml_type_size(C.enum_ggml_type(t)))
}
