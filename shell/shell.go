// Package shell holds cmdr's shell integration scripts for bash, zsh and
// fish and renders them for `cmdr init`, either to be evaluated at each
// shell start or saved to a file that startup files source. The scripts
// are real files, checked by each shell's own linter; rendering
// substitutes only quoted paths (the cmdr binary, for bash a private
// scratch directory, for a saved file its own place) and a saved file's
// freshness check.
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
	return render(shell, bin, scratch, "")
}

// render is Render with prelude in place of the saved-file mark.
func render(shell, bin, scratch, prelude string) (string, error) {
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
	if !strings.Contains(s, savedMark) {
		return "", fmt.Errorf("%s lacks its saved-file placeholder", name)
	}
	s = strings.Replace(s, savedMark, prelude, 1)
	if w, ok := wraps[shell]; ok {
		s = w[0] + s + w[1]
	}
	return s, nil
}

// wraps make bash's and zsh's scripts a function body, run once. The
// scripts return early (not interactive, too old a shell, loaded before):
// evaluated at the top of a startup file, as `eval "$(cmdr init bash)"`
// is, a return would end that file, and a startup file sourced again
// after an edit would skip whatever follows cmdr's line. A function body
// returns from the function only. (fish's `source` of a pipe returns from
// that alone. bash runs a copy of a function's body, so a saved script
// that sources its renewed self, which defines and removes the same
// function, is safe.)
var wraps = map[string][2]string{
	"bash": {"__cmdr_load() {\n", "}\n__cmdr_load\nunset -f __cmdr_load\n"},
	// Its globals are declared with typeset -g, as for a plugin manager
	// that sources the script from a function. It runs with zsh's own
	// options, not the startup file's: under KSH_ARRAYS an array's name
	// is its first element (other tools' preexec hooks were dropped), and
	// NO_UNSET made an empty array an error that stopped the script.
	"zsh": {"() {\nemulate -L zsh\n", "}\n"},
}

// savedMark is the line each script holds where Saved puts its prelude:
// after the shell-version check (fish's prelude reads the parsed version)
// and before the loaded-once guard, which would stop the renewed file
// from loading.
const savedMark = "# (cmdr init --save puts a freshness check here)\n"

// Saved preludes. A saved script stands in for running `cmdr init` at each
// shell start (a process costs ~20 ms there; a test on a file's time
// costs microseconds). When the binary is newer than the file, cmdr was
// upgraded or rebuilt: the prelude has that binary save the file again
// and sources the new one, once (__cmdr_renewing guards against a binary
// stamped in the future). When saving fails, the old script still loads.
// A binary that is gone leaves the shell as it was, with one line saying
// why, instead of a broken key binding.
var preludes = map[string]string{
	"bash": shPrelude,
	"zsh":  shPrelude,
	// fish's own test learned -nt in 3.6; an older fish asks the system's
	// test, one process per shell start, which only those versions pay.
	"fish": `if not test -x @BIN@
    printf 'cmdr: %s is missing; shell integration not loaded (reinstall cmdr, or remove the line that sources %s)\n' @BIN@ @FILE@ >&2
    return 0
end
if not set -q __cmdr_renewing
    and begin
        if test "$__cmdr_v[1]" -gt 3; or test "$__cmdr_v[2]" -ge 6
            test @BIN@ -nt @FILE@
        else
            command test @BIN@ -nt @FILE@
        end
    end
    set -g __cmdr_renewing 1
    if @BIN@ init @SHELL@ --save --file @FILE@ >/dev/null
        source @FILE@
        set -e __cmdr_renewing
        return 0
    end
    set -e __cmdr_renewing
end
`,
}

// shPrelude is bash's and zsh's, which read the same test syntax. zsh
// declares its global (typeset -g: no WARN_CREATE_GLOBAL warning when a
// plugin manager sources the file from a function); bash 4.0 and 4.1 have
// no -g.
const shPrelude = `if [[ ! -x @BIN@ ]]; then
	builtin printf 'cmdr: %s is missing; shell integration not loaded (reinstall cmdr, or remove the line that sources %s)\n' @BIN@ @FILE@ >&2
	return 0
fi
if [[ -z ${__cmdr_renewing-} && @BIN@ -nt @FILE@ ]]; then
	@GLOBAL@__cmdr_renewing=1
	if @BIN@ init @SHELL@ --save --file @FILE@ >/dev/null; then
		builtin source @FILE@
		unset __cmdr_renewing
		return 0
	fi
	unset __cmdr_renewing
fi
`

// Saved returns the script for shell, as Render does, to be saved at path
// and sourced from there by the startup file, with a prelude that renews
// the file after an upgrade.
func Saved(shell, bin, scratch, path string) (string, error) {
	global := ""
	if shell == "zsh" {
		global = "typeset -g "
	}
	prelude := strings.NewReplacer("@BIN@", quote(shell, bin), "@FILE@", quote(shell, path),
		"@SHELL@", shell, "@GLOBAL@", global).Replace(preludes[shell])
	return render(shell, bin, scratch, prelude)
}

// SourceLine is the startup-file line that loads a script saved at path.
func SourceLine(shell, path string) string {
	return "source " + quote(shell, path)
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
