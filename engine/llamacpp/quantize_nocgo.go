//go:build !cgo

package llamacpp

// Quantize needs llama.cpp, which this build lacks.
func Quantize(in, out, quant string, threads int) error { return ErrNoCgo }
