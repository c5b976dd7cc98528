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

// ScratchDirIfSafe is what ScratchDir would return now, for checks such
// as cmdr doctor's: it neither creates, fixes nor sweeps the directory.
// A missing one counts as safe (ScratchDir would make it).
func ScratchDirIfSafe() string {
	dir := RuntimeDir()
	st, err := os.Lstat(dir)
	switch {
	case os.IsNotExist(err):
		return dir
	case err != nil, ownDir(dir, st) != nil:
		return ""
	}
	return dir
}

// SweepScratch removes from dir the scratch files (bind.PID, and the
// bind.PID.out of older versions) of bash shells that have exited.
// `cmdr init` sweeps at each shell start; a shell that sources a saved
// script starts no cmdr, so the agent sweeps when it starts too.
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
