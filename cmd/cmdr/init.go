package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/shell"
)

const initUsage = `Usage: cmdr init bash|zsh|fish

Prints the shell integration script. Add to your shell's startup file:
  ~/.bashrc                  eval "$(cmdr init bash)"
  ~/.zshrc                   eval "$(cmdr init zsh)"
  ~/.config/fish/config.fish cmdr init fish | source

Then Ctrl-G turns the line (or "# request") into a command, "# request" +
Enter does the same, Alt-E explains the line, and Ctrl-G on an empty line
after a failed command proposes a fix. Nothing is ever run for you.
Needs neither the agent nor a model.`

func runInit(_ context.Context, args []string) error {
	fs := newFlags("init")
	if err := parseFlags(fs, initUsage, args, os.Stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("init: name one shell: bash, zsh or fish")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if abs, err := filepath.EvalSymlinks(exe); err == nil {
		exe = abs
	}
	script, err := shell.Render(fs.Arg(0), exe, scratchDir(fs.Arg(0)))
	if err != nil {
		return usageError{"init: " + err.Error()}
	}
	_, err = fmt.Print(script)
	return err
}

// scratchDir returns the private directory where bash captures a builtin's
// output without forking (see shell/bash.sh), after removing the files of
// shells that have exited. "" (bash then forks) when the directory is not
// safe to use.
func scratchDir(sh string) string {
	if sh != "bash" {
		return ""
	}
	dir := config.RuntimeDir()
	if config.EnsurePrivateDir(dir) != nil {
		return ""
	}
	names, _ := filepath.Glob(filepath.Join(dir, "bind.*"))
	for _, n := range names {
		pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(n), "bind."))
		if err == nil && pid > 0 && syscall.Kill(pid, 0) == syscall.ESRCH {
			_ = os.Remove(n)
		}
	}
	return dir
}
