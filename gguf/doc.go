// Package gguf reads, validates and writes GGUF model files in pure Go.
//
// cmdr checks every model file here before llama.cpp sees it: llama.cpp
// trusts the header and aborts the whole process on a truncated or corrupt
// file, while this package turns the same damage into an ordinary error,
// for each file of a model split across several too. The writer exists
// for cmd/mkmodel, which generates random-weight models for tests and
// benchmarks.
package gguf
