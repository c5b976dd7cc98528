package model

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/cmdr-sh/cmdr/gguf"
	"github.com/cmdr-sh/cmdr/internal/sysmem"
)

// Info describes a GGUF model from its header, without loading it.
type Info struct {
	Path          string `json:"path"`
	Name          string `json:"name,omitempty"` // general.name
	Architecture  string `json:"architecture"`
	Parameters    uint64 `json:"parameters"`
	Quantization  string `json:"quantization"` // the tensor type holding most bytes
	ContextLength uint64 `json:"context_length"`
	ChatTemplate  bool   `json:"chat_template"`
	FileSize      int64  `json:"file_size"` // of all its files
	// Parts are the files of a model split across several, the first
	// being Path; empty for one file.
	Parts        []string `json:"parts,omitempty"`
	WeightsBytes uint64   `json:"weights_bytes"`

	layers, embd, heads, headsKV uint64
}

// Inspect reads and checks the model at path: a GGUF file (or the first
// of a split model's files, with all the others beside it), complete,
// with an architecture and tensors. Every problem is one line.
func Inspect(path string) (Info, error) {
	f, err := gguf.OpenModel(path)
	return inspect(path, f, err)
}

func inspect(path string, f *gguf.File, err error) (Info, error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Info{}, fmt.Errorf("model file %s does not exist", path)
	case errors.Is(err, gguf.ErrNotGGUF):
		return Info{}, fmt.Errorf("%s is not a GGUF model file", path)
	case err != nil:
		return Info{}, fmt.Errorf("model %s: %w", path, err)
	}
	in := Info{Path: path, Name: f.String("general.name"), Architecture: f.Architecture(), Parameters: f.ParamCount(),
		FileSize: f.FileSize, WeightsBytes: f.TensorBytes(), Parts: f.Parts}
	if in.Architecture == "" {
		return in, fmt.Errorf("model %s has no general.architecture: not a language model GGUF", path)
	}
	if len(f.Tensors) == 0 {
		return in, fmt.Errorf("model %s has no tensors (a vocabulary-only GGUF?)", path)
	}
	_, in.ChatTemplate = f.Get("tokenizer.chat_template")
	a := in.Architecture
	in.ContextLength, _ = f.Uint(a + ".context_length")
	in.layers, _ = f.Uint(a + ".block_count")
	in.embd, _ = f.Uint(a + ".embedding_length")
	in.heads, _ = f.Uint(a + ".attention.head_count")
	in.headsKV, _ = f.Uint(a + ".attention.head_count_kv")
	if in.headsKV == 0 {
		in.headsKV = in.heads
	}
	type tb struct {
		t gguf.TensorType
		n uint64
	}
	var types []tb
	for t, n := range f.TypeCounts() {
		types = append(types, tb{t, n})
	}
	sort.Slice(types, func(i, j int) bool { return types[i].n > types[j].n })
	if len(types) > 0 {
		in.Quantization = types[0].t.String()
	}
	// The file type names the recipe (Q4_K_M mixes Q4_K and Q6_K).
	if ft, ok := f.Uint("general.file_type"); ok && ft < uint64(len(fileTypes)) && fileTypes[ft] != "" {
		in.Quantization = fileTypes[ft]
	}
	return in, nil
}

// fileTypes are llama.cpp's LLAMA_FTYPE values (llama.h), by number.
var fileTypes = []string{0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
	11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
	19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S",
	27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0", 38: "MXFP4_MOE"}

// MemoryEstimate is what running the model with a context of ctx tokens
// needs: the weights, the f16 KV cache, and a tenth more for compute
// buffers.
func (in Info) MemoryEstimate(ctx int) uint64 {
	kv := uint64(0)
	if in.heads > 0 && ctx > 0 {
		// K and V, each layers × ctx × (kv heads × head size) × 2 bytes.
		kv = 2 * in.layers * uint64(ctx) * (in.headsKV * (in.embd / in.heads)) * 2
	}
	return (in.WeightsBytes + kv) * 11 / 10
}

// Context is the context the engine runs the model with when configured
// for n tokens: no more than the model was trained for (as llamacpp's
// fitCtx decides), so that estimates are of the context it gets.
func (in Info) Context(n int) int {
	if in.ContextLength > 0 && uint64(n) > in.ContextLength {
		return int(in.ContextLength)
	}
	return n
}

// CheckFits refuses a model that cannot fit in the memory available now.
func (in Info) CheckFits(ctx int) error {
	need := in.MemoryEstimate(ctx)
	if avail, ok := sysmem.Available(); ok && need > avail {
		return fmt.Errorf("model %s needs about %s of memory at a %d-token context but %s is available; choose a smaller model or quantization",
			in.Path, Bytes(int64(need)), ctx, Bytes(int64(avail)))
	}
	return nil
}

// Bytes formats a size for people: 1.1 GiB, 640.0 MiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
