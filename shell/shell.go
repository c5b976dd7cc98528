// Package shell holds cmdr's shell integration scripts for bash, zsh and
// fish and renders them for `cmdr init`. The scripts are real files,
// checked by each shell's own linter; rendering substitutes only quoted
// paths: the cmdr binary and, for bash, a private scratch directory.
package shell

import (
	"embed"
	"fmt"
	"regexp"
	"strings"
)

var plainPath = regexp.MustCompile(`^[A-Za-z0-9_./+-]+$`)

//go:embed bash.sh zsh.zsh fish.fish
var scripts embed.FS

var files = map[string]string{"bash": "bash.sh", "zsh": "zsh.zsh", "fish": "fish.fish"}

// Names lists the supported shells.
func Names() []string { return []string{"bash", "zsh", "fish"} }

// placeholders are the lines that name the cmdr binary; a plain `cmdr`
// keeps the scripts usable as they are when cmdr is on PATH.
var placeholders = map[string]string{
	"bash": "__cmdr_bin=cmdr",
	"zsh":  "typeset -g __cmdr_bin=cmdr",
	"fish": "set -g __cmdr_bin cmdr",
}

// scratchLine is where bash learns its scratch directory: a private place
// to capture a builtin's output without the subshell of $(...).
const scratchLine = "__cmdr_scratch=''"

// Render returns the script for shell with bin as the cmdr executable.
// scratch, for bash, is a directory only this user can write ("" makes the
// script fall back to slower subshells).
func Render(shell, bin, scratch string) (string, error) {
	name, ok := files[shell]
	if !ok {
		return "", fmt.Errorf("unknown shell %q (want bash, zsh or fish)", shell)
	}
	b, err := scripts.ReadFile(name)
	if err != nil {
		return "", err
	}
	s, ph := string(b), placeholders[shell]
	if !strings.Contains(s, ph) {
		return "", fmt.Errorf("%s lacks its binary placeholder", name)
	}
	s = strings.Replace(s, ph, strings.TrimSuffix(ph, "cmdr")+quote(shell, bin), 1)
	if shell == "bash" && scratch != "" {
		if !strings.Contains(s, scratchLine) {
			return "", fmt.Errorf("%s lacks its scratch placeholder", name)
		}
		s = strings.Replace(s, scratchLine, "__cmdr_scratch="+quote(shell, scratch), 1)
	}
	return s, nil
}

// quote makes bin one word in shell's syntax. Single quotes are literal in
// all three shells; an embedded ' is closed, escaped and reopened (bash,
// zsh) or backslash-escaped (fish, where \' works inside single quotes).
func quote(shell, bin string) string {
	if plainPath.MatchString(bin) {
		return bin // fish_indent and shfmt both drop quotes that do nothing
	}
	if shell == "fish" {
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(bin) + "'"
	}
	return "'" + strings.ReplaceAll(bin, "'", `'\''`) + "'"
}
