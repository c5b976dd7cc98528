package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/buildinfo"
)

func runVersion(_ context.Context, _ []string) error {
	target := buildinfo.Target
	if target == "" {
		target = "unstamped (not built by the Makefile)"
	}
	fmt.Printf("cmdr %s (protocol %d, %s, %s/%s)\n", buildinfo.Version, buildinfo.Protocol, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("build target: %s; compiled CPU features: %s\n", target, strings.Join(llamacpp.BuildFeatures(), " "))
	_, err := fmt.Printf("llama.cpp: %s\n", llamacpp.SystemInfo())
	return err
}
