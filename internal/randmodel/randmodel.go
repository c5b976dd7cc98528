// Package randmodel writes random-weight GGUF language models of real
// shapes. No pretrained model can be downloaded where cmdr is developed,
// and random weights run at exactly the speed of trained ones, so tests use
// tiny generated models and benchmarks use generated ones with the layer,
// width and vocabulary shapes of Qwen2.5-0.5B, -1.5B and -3B.
//
// The models use the llama architecture, ChatML control tokens and a
// ChatML chat template in the metadata, as most instruct GGUFs have. The
// vocabulary is generated (SentencePiece-style: byte-fallback tokens plus
// word pieces), or a trained byte-level BPE tokenizer's padded to the
// shape's width (BPE: benchmarks use one so that prompts come out as many
// tokens as a real model makes of them). Weights are a pure function of
// the seed.
package randmodel

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sync"

	"github.com/cmdr-sh/cmdr/gguf"
)

// Shape is a model's architecture hyperparameters.
type Shape struct {
	Name       string
	Vocab      int // total tokens, including specials and bytes
	Embd       int
	Layers     int
	Heads      int
	HeadsKV    int
	FF         int
	CtxTrain   int
	RopeTheta  float32
	NormEps    float32
	TiedOutput bool
}

// Shapes are the shapes mkmodel can write. 0.5b, 1.5b and 3b follow
// Qwen2.5-0.5B, -1.5B and -3B Instruct (tied embeddings, 151,936-token
// vocabulary); 3b is there to ask whether machines with more cores can
// afford the next size up. tiny is for tests and stays under 2 MB.
var Shapes = map[string]Shape{
	"tiny": {Name: "tiny", Vocab: 3072, Embd: 64, Layers: 2, Heads: 4, HeadsKV: 2, FF: 128, CtxTrain: 2048, RopeTheta: 10000, NormEps: 1e-5, TiedOutput: true},
	"0.5b": {Name: "0.5b", Vocab: 151936, Embd: 896, Layers: 24, Heads: 14, HeadsKV: 2, FF: 4864, CtxTrain: 32768, RopeTheta: 1e6, NormEps: 1e-6, TiedOutput: true},
	"1.5b": {Name: "1.5b", Vocab: 151936, Embd: 1536, Layers: 28, Heads: 12, HeadsKV: 2, FF: 8960, CtxTrain: 32768, RopeTheta: 1e6, NormEps: 1e-6, TiedOutput: true},
	"3b":   {Name: "3b", Vocab: 151936, Embd: 2048, Layers: 36, Heads: 16, HeadsKV: 2, FF: 11008, CtxTrain: 32768, RopeTheta: 1e6, NormEps: 1e-6, TiedOutput: true},
}

// ChatTemplate is the ChatML template written into every generated model.
// llama.cpp recognises ChatML by its <|im_start|> marker.
const ChatTemplate = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

// WriteF16 writes a model of shape s with F16 weights (F32 norms) and a
// generated vocabulary to path, atomically: the file appears complete or
// not at all.
func WriteF16(path string, s Shape, seed uint64) error {
	return WriteF16With(path, s, seed, nil)
}

// WriteF16With is WriteF16 with tok's vocabulary (nil: generated),
// padded to the shape's width.
func WriteF16With(path string, s Shape, seed uint64, tok *BPE) error {
	w, err := build(s, seed, tok)
	if err != nil {
		return err
	}
	return writeAtomic(path, func(f io.Writer) error {
		_, err := w.WriteTo(f)
		return err
	})
}

// WriteF16Split writes the model WriteF16With writes as n files, as
// llama.cpp's gguf-split divides one (big models on the hub come so):
// PREFIX-00001-of-0000N.gguf and on. It returns their paths.
func WriteF16Split(prefix string, n int, s Shape, seed uint64, tok *BPE) ([]string, error) {
	w, err := build(s, seed, tok)
	if err != nil {
		return nil, err
	}
	parts, err := w.Split(n)
	if err != nil {
		return nil, err
	}
	paths := make([]string, n)
	for i, p := range parts {
		paths[i] = gguf.SplitPath(prefix, i, n)
		if err := writeAtomic(paths[i], func(f io.Writer) error {
			_, err := p.WriteTo(f)
			return err
		}); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

func build(s Shape, seed uint64, tok *BPE) (*gguf.Writer, error) {
	var v vocab
	if tok == nil {
		v = buildVocab(s.Vocab)
	} else {
		var err error
		if v, err = bpeVocab(tok, s.Vocab); err != nil {
			return nil, err
		}
	}
	w := &gguf.Writer{}
	w.AddKV("general.architecture", "llama")
	w.AddKV("general.name", fmt.Sprintf("cmdr random %s (seed %d)", s.Name, seed))
	w.AddKV("general.file_type", uint32(1))
	w.AddKV("llama.context_length", uint32(s.CtxTrain))
	w.AddKV("llama.embedding_length", uint32(s.Embd))
	w.AddKV("llama.block_count", uint32(s.Layers))
	w.AddKV("llama.feed_forward_length", uint32(s.FF))
	w.AddKV("llama.attention.head_count", uint32(s.Heads))
	w.AddKV("llama.attention.head_count_kv", uint32(s.HeadsKV))
	w.AddKV("llama.rope.dimension_count", uint32(s.Embd/s.Heads))
	w.AddKV("llama.rope.freq_base", s.RopeTheta)
	w.AddKV("llama.attention.layer_norm_rms_epsilon", s.NormEps)
	w.AddKV("llama.vocab_size", uint32(len(v.tokens)))
	if v.merges != nil {
		// llama.cpp's name for Llama 3's pre-tokenizer (how text is split
		// before merging), the one the tokenizer was trained with.
		w.AddKV("tokenizer.ggml.model", "gpt2")
		w.AddKV("tokenizer.ggml.pre", "llama-bpe")
		w.AddKV("tokenizer.ggml.tokens", v.tokens)
		w.AddKV("tokenizer.ggml.token_type", v.types)
		w.AddKV("tokenizer.ggml.merges", v.merges)
	} else {
		w.AddKV("tokenizer.ggml.model", "llama")
		w.AddKV("tokenizer.ggml.tokens", v.tokens)
		w.AddKV("tokenizer.ggml.scores", v.scores)
		w.AddKV("tokenizer.ggml.token_type", v.types)
		w.AddKV("tokenizer.ggml.unknown_token_id", uint32(0))
	}
	w.AddKV("tokenizer.ggml.bos_token_id", uint32(v.bos))
	w.AddKV("tokenizer.ggml.eos_token_id", uint32(v.imEnd))
	w.AddKV("tokenizer.ggml.padding_token_id", uint32(v.imEnd))
	w.AddKV("tokenizer.ggml.add_bos_token", false)
	w.AddKV("tokenizer.ggml.add_eos_token", false)
	w.AddKV("tokenizer.chat_template", ChatTemplate)

	headDim := s.Embd / s.Heads
	idx := uint64(0)
	add := func(name string, dims []uint64, f32 bool, gen func(buf []float32, row int)) error {
		idx++
		tseed := seed*1_000_003 + idx
		if f32 {
			return w.AddTensor(name, gguf.TypeF32, dims, func(out io.Writer) error { return fill(out, dims, tseed, true, gen) })
		}
		return w.AddTensor(name, gguf.TypeF16, dims, func(out io.Writer) error { return fill(out, dims, tseed, false, gen) })
	}
	ones := func(buf []float32, _ int) {
		for i := range buf {
			buf[i] = 1
		}
	}
	u64 := func(n int) uint64 { return uint64(n) }
	if err := add("token_embd.weight", []uint64{u64(s.Embd), u64(len(v.tokens))}, false, nil); err != nil {
		return nil, err
	}
	if err := add("output_norm.weight", []uint64{u64(s.Embd)}, true, ones); err != nil {
		return nil, err
	}
	if !s.TiedOutput {
		if err := add("output.weight", []uint64{u64(s.Embd), u64(len(v.tokens))}, false, nil); err != nil {
			return nil, err
		}
	}
	for l := 0; l < s.Layers; l++ {
		p := fmt.Sprintf("blk.%d.", l)
		for _, t := range []struct {
			name string
			dims []uint64
			f32  bool
		}{
			{"attn_norm.weight", []uint64{u64(s.Embd)}, true},
			{"attn_q.weight", []uint64{u64(s.Embd), u64(s.Heads * headDim)}, false},
			{"attn_k.weight", []uint64{u64(s.Embd), u64(s.HeadsKV * headDim)}, false},
			{"attn_v.weight", []uint64{u64(s.Embd), u64(s.HeadsKV * headDim)}, false},
			{"attn_output.weight", []uint64{u64(s.Heads * headDim), u64(s.Embd)}, false},
			{"ffn_norm.weight", []uint64{u64(s.Embd)}, true},
			{"ffn_gate.weight", []uint64{u64(s.Embd), u64(s.FF)}, false},
			{"ffn_up.weight", []uint64{u64(s.Embd), u64(s.FF)}, false},
			{"ffn_down.weight", []uint64{u64(s.FF), u64(s.Embd)}, false},
		} {
			var gen func([]float32, int)
			if t.f32 {
				gen = ones
			}
			if err := add(p+t.name, t.dims, t.f32, gen); err != nil {
				return nil, err
			}
		}
	}
	return w, nil
}

// writeAtomic writes to a temporary file beside path and renames it.
func writeAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".mkmodel-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private; a model is ordinary data.
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// fill writes a tensor's values row by row. Random values are uniform with
// variance 1/fan-in, so activations keep unit scale through the layers and
// a random model produces finite logits. Rows are generated on all cores.
func fill(out io.Writer, dims []uint64, seed uint64, f32 bool, gen func([]float32, int)) error {
	cols := int(dims[0])
	rows := 1
	for _, d := range dims[1:] {
		rows *= int(d)
	}
	elem := 2
	if f32 {
		elem = 4
	}
	scale := float32(math.Sqrt(3 / float64(cols)))
	const chunkRows = 256
	workers := max(1, min(4, rows/chunkRows))
	type chunk struct {
		buf  []byte
		done chan struct{}
	}
	nChunks := (rows + chunkRows - 1) / chunkRows
	chunks := make([]chunk, nChunks)
	for i := range chunks {
		chunks[i].done = make(chan struct{})
	}
	var wg sync.WaitGroup
	next := make(chan int)
	sem := make(chan struct{}, workers*2) // bounds chunks held in memory
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals := make([]float32, cols)
			for c := range next {
				r0, r1 := c*chunkRows, min(rows, (c+1)*chunkRows)
				buf := make([]byte, (r1-r0)*cols*elem)
				for r := r0; r < r1; r++ {
					if gen != nil {
						gen(vals, r)
					} else {
						rng := splitmix(seed ^ uint64(r)*0x9E3779B97F4A7C15)
						for i := range vals {
							vals[i] = (rng.float()*2 - 1) * scale
						}
					}
					o := (r - r0) * cols * elem
					for i, x := range vals {
						if f32 {
							binary.LittleEndian.PutUint32(buf[o+i*4:], math.Float32bits(x))
						} else {
							binary.LittleEndian.PutUint16(buf[o+i*2:], f16(x))
						}
					}
				}
				chunks[c].buf = buf
				close(chunks[c].done)
			}
		}()
	}
	go func() {
		for c := 0; c < nChunks; c++ {
			sem <- struct{}{}
			next <- c
		}
		close(next)
	}()
	var err error
	for c := range chunks {
		<-chunks[c].done
		if err == nil {
			_, err = out.Write(chunks[c].buf)
		}
		chunks[c].buf = nil
		<-sem
	}
	wg.Wait()
	return err
}

type rng struct{ s uint64 }

func splitmix(seed uint64) *rng { return &rng{seed} }

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	z := r.s
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// float returns a uniform value in [0, 1).
func (r *rng) float() float32 { return float32(r.next()>>40) / (1 << 24) }

// f16 converts to IEEE half precision, rounding to nearest even. The
// generated values are small, so overflow only needs clamping.
func f16(x float32) uint16 {
	b := math.Float32bits(x)
	sign := uint16(b>>16) & 0x8000
	exp := int((b>>23)&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case exp >= 31:
		return sign | 0x7bff
	case exp <= 0:
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint(14 - exp)
		h := mant >> shift
		if rem := mant & (1<<shift - 1); rem > 1<<(shift-1) || (rem == 1<<(shift-1) && h&1 == 1) {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(exp)<<10 | mant>>13
	if rem := mant & 0x1fff; rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++
	}
	return sign | uint16(h)
}
