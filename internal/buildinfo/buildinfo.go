// Package buildinfo holds what the Makefile stamps into the binary at link
// time: the version and the CPU target the C code was compiled for.
package buildinfo

import (
	"fmt"
	"os"
)

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

// BuildID identifies this exact binary cheaply: the version plus the
// executable's size and modification time. Two processes with the same ID
// run the same code, so an agent with another ID is restarted by clients
// (after an upgrade or a rebuild with the same version string).
func BuildID() string {
	exe, err := os.Executable()
	if err != nil {
		return Version
	}
	st, err := os.Stat(exe)
	if err != nil {
		return Version
	}
	return fmt.Sprintf("%s-%x-%x", Version, st.Size(), st.ModTime().UnixNano())
}
