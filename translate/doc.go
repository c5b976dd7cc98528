// Package translate turns a natural-language request into one shell
// command: it builds the prompt for the target shell, asks an engine, and
// cleans what comes back into a single safe line.
//
// It depends on the engine interfaces only, never on a concrete backend,
// so the same pipeline serves llama.cpp in-process and HTTP servers.
package translate
