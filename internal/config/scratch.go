package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ScratchDir readies the private directory where bash captures a
// builtin's output without forking (see shell/bash.sh) and removes the
// files of shells that have exited. It returns "" (bash then forks) when
// the directory is not safe to use.
func ScratchDir() string {
	dir := RuntimeDir()
	if EnsurePrivateDir(dir) != nil {
		return ""
	}
	SweepScratch(dir)
	return dir
}

// SweepScratch removes from dir the scratch files (bind.PID, bind.PID.out)
// of bash shells that have exited. `cmdr init` sweeps at each shell
// start; a shell that sources a saved script starts no cmdr, so the agent
// sweeps when it starts too.
func SweepScratch(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, "bind.*"))
	for _, n := range names {
		id, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(n), "bind."), ".")
		pid, err := strconv.Atoi(id)
		if err == nil && pid > 0 && syscall.Kill(pid, 0) == syscall.ESRCH {
			_ = os.Remove(n)
		}
	}
}
