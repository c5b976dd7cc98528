// Package llamacpp is cmdr's default engine: llama.cpp running in-process,
// through a thin cgo binding of our own against llama.h.
//
// llama.cpp and ggml are compiled from the github.com/ollama/ollama module,
// which carries them as Go cgo packages; the Makefile passes that module's
// include directories and the native CPU flags through CGO_CPPFLAGS,
// CGO_CFLAGS and CGO_CXXFLAGS. This is the only package that imports "C".
//
// One Engine owns one model and one context. It keeps the token sequence
// whose keys and values are in the KV cache, so a request that shares a
// prefix with the previous one (cmdr's system prompt) evaluates only its
// new suffix. Grammar-constrained sampling checks the sampled token first,
// then the best 64 candidates, and only then the whole vocabulary: a
// grammar pass over a 152k-token vocabulary costs more than a decode step
// of a 0.5B model.
//
// Built with CGO_ENABLED=0, the package still registers the backend, but
// opening it explains that this build has no llama.cpp.
package llamacpp
