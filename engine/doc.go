// Package engine is cmdr's inference abstraction: the interfaces every
// backend implements and the registry that picks one by name.
//
// It follows the four roles of the founding design note
// (shared/seed/inference-backend-strategy.md): Engine generates (the
// InferenceEngine), Backend.Open and Backend.Validate with the
// ModelResolver hook find, check and load models (the ModelLoader),
// Tokenizer counts and splits tokens (the TokenProcessor), and Param with
// Settings carry each backend's own configuration (the
// ConfigurationManager). Code that turns requests into commands depends on
// this package only, never on a concrete backend, so switching backends
// changes no user workflow.
//
// Backends register themselves from init: engine/llamacpp ("llamacpp",
// in-process llama.cpp through cgo) and engine/openai ("openai", any
// OpenAI-compatible HTTP server).
package engine
