package llamacpp

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/cmdr-sh/cmdr/gguf"
	"github.com/cmdr-sh/cmdr/internal/sysmem"
)

type modelInfo struct {
	arch       string
	ctxTrain   int
	repackable bool
	bytes      uint64
	// headK and headV are an attention head's key and value widths (0
	// when the metadata does not say).
	headK, headV int
}

// Validate checks that path is a readable, complete GGUF model that fits in
// memory, without loading it. llama.cpp aborts the process on some
// corrupt files, so nothing reaches it unchecked.
func Validate(path string) error {
	_, err := inspect(path)
	return err
}

func inspect(path string) (modelInfo, error) {
	var mi modelInfo
	// A split model's other parts are read by llama.cpp too, so each is
	// checked here as well.
	f, err := gguf.OpenModel(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return mi, fmt.Errorf("model file %s does not exist", path)
	case errors.Is(err, gguf.ErrNotGGUF):
		return mi, fmt.Errorf("model %s is not a GGUF file", path)
	case err != nil:
		return mi, fmt.Errorf("model %s: %w", path, err)
	}
	mi.arch = f.Architecture()
	if mi.arch == "" {
		return mi, fmt.Errorf("model %s has no general.architecture: not a language model GGUF", path)
	}
	if len(f.Tensors) == 0 {
		return mi, fmt.Errorf("model %s has no tensors (a vocabulary-only GGUF?)", path)
	}
	if n, ok := f.Uint(mi.arch + ".context_length"); ok && n < 1<<31 {
		mi.ctxTrain = int(n)
	}
	if embd, ok := f.Uint(mi.arch + ".embedding_length"); ok {
		if heads, ok := f.Uint(mi.arch + ".attention.head_count"); ok && heads > 0 && embd/heads < 1<<20 {
			mi.headK, mi.headV = int(embd/heads), int(embd/heads)
		}
	}
	if n, ok := f.Uint(mi.arch + ".attention.key_length"); ok && n < 1<<20 {
		mi.headK = int(n)
	}
	if n, ok := f.Uint(mi.arch + ".attention.value_length"); ok && n < 1<<20 {
		mi.headV = int(n)
	}
	for _, t := range f.Tensors {
		switch t.Type {
		case gguf.TypeQ4_0, gguf.TypeQ4_K, gguf.TypeIQ4_NL:
			mi.repackable = true
		}
	}
	mi.bytes = f.TensorBytes()
	if avail, ok := sysmem.Available(); ok && mi.bytes > avail {
		return mi, fmt.Errorf("model %s needs %.1f GiB of memory but only %.1f GiB is available; choose a smaller model or quantization",
			path, gib(mi.bytes), gib(avail))
	}
	return mi, nil
}

// fitCtx caps a context size at the model's training context.
func (mi modelInfo) fitCtx(n int) int {
	if mi.ctxTrain > 0 {
		return min(n, mi.ctxTrain)
	}
	return n
}

func gib(n uint64) float64 { return float64(n) / (1 << 30) }
