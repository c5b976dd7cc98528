package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/cpu"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/config"
)

// openEngine opens the configured backend. For llama.cpp it first checks
// that this binary's compiled CPU features suit this CPU.
func openEngine(ctx context.Context, cfg *config.Config) (engine.Engine, error) {
	name := cfg.Engine()
	if name == llamacpp.Name {
		if err := checkBuildCPU(); err != nil {
			return nil, err
		}
	}
	return engine.Open(ctx, name, cfg.Backend(name))
}

// cpuHas maps the compiled-feature names of llamacpp.BuildFeatures to this
// CPU's abilities.
var cpuHas = map[string]bool{
	"avx": cpu.X86.HasAVX, "avx2": cpu.X86.HasAVX2, "fma": cpu.X86.HasFMA, "f16c": cpu.X86.HasF16C,
	"avx512f": cpu.X86.HasAVX512F, "avx512bw": cpu.X86.HasAVX512BW, "avx512vnni": cpu.X86.HasAVX512VNNI,
	"avxvnni": cpu.X86.HasAVXVNNI, "neon": runtime.GOARCH == "arm64",
}

// checkBuildCPU refuses to run llama.cpp code compiled for instructions this
// CPU lacks (it would die with SIGILL mid-request), and warns once about a
// baseline build, which runs 8-28x slower than a native one.
func checkBuildCPU() error {
	feats := llamacpp.BuildFeatures()
	var missing []string
	for _, f := range feats {
		if has, known := cpuHas[f]; known && !has {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("this cmdr was built for CPU features this machine lacks (%s); rebuild here with `make build`, or `make build PORTABLE=1` for a portable binary",
			strings.Join(missing, ", "))
	}
	if runtime.GOARCH == "amd64" && llamacpp.Available && !contains(feats, "avx2") && os.Getenv("CMDR_QUIET_BUILD_WARNING") == "" {
		fmt.Fprintln(os.Stderr, "cmdr: warning: this build's llama.cpp code has no AVX2 (built without the Makefile's CPU flags?); it runs 8-28x slower. Rebuild with `make build`.")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
