package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

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
	script, err := shell.Render(fs.Arg(0), exe)
	if err != nil {
		return usageError{"init: " + err.Error()}
	}
	_, err = fmt.Print(script)
	return err
}
