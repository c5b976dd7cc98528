// Package buildinfo holds what the Makefile stamps into the binary at link
// time: the version and the CPU target the C code was compiled for.
package buildinfo

// Set with -ldflags "-X github.com/cmdr-sh/cmdr/internal/buildinfo.Version=...".
var (
	// Version is the cmdr version (git describe), "dev" when unstamped.
	Version = "dev"
	// Target is the -march the llama.cpp code was built with: "native",
	// "x86-64-v3" (PORTABLE=1), or "" for a build that bypassed the
	// Makefile and so runs baseline SSE2 code, 8-28x slower.
	Target = ""
)

// Protocol is the agent wire protocol version. Client and agent must agree.
const Protocol = 1
