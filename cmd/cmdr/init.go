package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mattn/go-isatty"

	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/shell"
)

const initUsage = `Usage: cmdr init bash|zsh|fish [--save [--file PATH]]

Prints the shell integration script. Add to your shell's startup file:
  ~/.bashrc                  eval "$(cmdr init bash)"
  ~/.zshrc                   eval "$(cmdr init zsh)"
  ~/.config/fish/config.fish cmdr init fish | source

With --save, writes the script to a file instead (` + "$XDG_DATA_HOME/cmdr/init.SHELL" + `,
or PATH) and prints the line that sources it, which starts no cmdr process
with each shell: a few milliseconds instead of tens. ./install.sh does this.
The saved file renews itself when the cmdr binary is newer than it.

Then Ctrl-G turns the line (or "# request") into a command, "# request" +
Enter does the same, Alt-E explains the line, and Ctrl-G on an empty line
after a failed command proposes a fix. Nothing is ever run for you.
Needs neither the agent nor a model.`

func runInit(_ context.Context, args []string) error {
	fs := newFlags("init")
	save := fs.Bool("save", false, "write the script to a file and print the line that sources it")
	file := fs.String("file", "", "where --save writes (default $XDG_DATA_HOME/cmdr/init.SHELL)")
	// Flags may come before or after the shell's name.
	var operands []string
	for {
		if err := parseFlags(fs, initUsage, args, os.Stdout); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		operands = append(operands, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(operands) != 1 {
		return usagef("init: name one shell: bash, zsh or fish")
	}
	sh := operands[0]
	if *file != "" && !*save {
		return usagef("init: --file goes with --save")
	}
	exe, err := scriptBinary()
	if err != nil {
		return err
	}
	scratch := ""
	if sh == "bash" {
		scratch = config.ScratchDir()
	}
	if !*save {
		script, err := shell.Render(sh, exe, scratch)
		if err != nil {
			return usageError{"init: " + err.Error()}
		}
		_, err = fmt.Print(script)
		return err
	}
	path := *file
	if path == "" {
		path = config.InitScriptPath(sh)
	}
	if path, err = filepath.Abs(path); err != nil {
		return err
	}
	script, err := shell.Saved(sh, exe, scratch, path)
	if err != nil {
		return usageError{"init: " + err.Error()}
	}
	if err := writeScript(path, script); err != nil {
		return fmt.Errorf("init: saving the script: %w", err)
	}
	if isatty.IsTerminal(os.Stdout.Fd()) {
		fmt.Printf("Saved %s. Load it from your shell's startup file with:\n  ", path)
	}
	fmt.Println(shell.SourceLine(sh, path))
	return nil
}

// scriptBinary is the cmdr the scripts name: this binary, symbolic links
// resolved. doctor compares a saved script with what init would write, so
// both take the path from here.
func scriptBinary() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if abs, err := filepath.EvalSymlinks(exe); err == nil {
		exe = abs
	}
	return exe, nil
}

// writeScript replaces path with script in one rename: a shell starting
// meanwhile (a terminal multiplexer restoring its panes renews many at
// once after an upgrade) sources the old file or the new, never half of
// one. Each writer has its own temporary file for the same reason.
func writeScript(path, script string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".init-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
