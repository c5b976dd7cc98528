package explain

import (
	"os"
	"path/filepath"
	"testing"
)

// The functions a .zshrc calls: compinit and compdef from zshcompsys(1),
// add-zsh-hook, zmv, colors and prompt from zshcontrib(1).
func TestZshFunctions(t *testing.T) {
	needPage(t, "zshcompsys", "zshcontrib")
	if !zshShipsFunction("compinit") {
		t.Skip("zsh's function files are not installed here")
	}
	for cmd, wants := range map[string][]want{
		// Its own section, in running text.
		"compinit -u": {{"compinit", KindProgram, "initialize completion for the current session", "zshcompsys(1)", 0},
			{"-u", KindFlag, "use the option -u", "zshcompsys(1)", 0}},
		"compinit -C": {{"compinit", KindProgram, "initialize completion", "zshcompsys(1)", 0},
			{"-C", KindFlag, "can be omitted by giving the option -C", "zshcompsys(1)", 0}},
		// Named in that section's text.
		"compaudit":    {{"compaudit", KindProgram, "by running the function compaudit", "zshcompsys(1)", 0}},
		"bashcompinit": {{"bashcompinit", KindProgram, "compatibility with bash", "zshcompsys(1)", 0}},
		// compinit defines it, no file of its own; "The first form
		// defines the function to call for completion" says what it does.
		"compdef _git g": {{"compdef", KindProgram, "defines the function to call for completion", "zshcompsys(1)", 0},
			{"_git", KindArgument, "argument", "", 0}, {"g", KindArgument, "argument", "", 0}},
		"compdef -d foo": {{"compdef", KindProgram, "completion", "zshcompsys(1)", 0},
			{"-d", KindFlag, "deletes any completion", "zshcompsys(1)", 0}, {"foo", KindArgument, "argument", "", 0}},
		// Opens with the hooks, then the sentence about itself.
		"add-zsh-hook precmd f": {{"add-zsh-hook", KindProgram, "adding or removing functions", "zshcontrib(1)", 0},
			{"precmd", KindArgument, "argument", "", 0}, {"f", KindArgument, "argument", "", 0}},
		"zmv -n a b": {{"zmv", KindProgram, "rename", "zshcontrib(1)", 0}, {"-n", KindFlag, "no execution", "zshcontrib(1)", 0},
			{"a", KindArgument, "argument", "", 0}, {"b", KindArgument, "argument", "", 0}},
		// zshcompsys(1) tags a completion tag "colors" too.
		"colors": {{"colors", KindProgram, "associative arrays", "zshcontrib(1)", 0}},
		// Named only in running text, as the function to call.
		"promptinit": {{"promptinit", KindProgram, "Initialize the use of the system (prompt themes)", "zshcontrib(1)", 0}},
		// promptinit defines it.
		"prompt -l": {{"prompt", KindProgram, "prompt theme", "zshcontrib(1)", 0}, {"-l", KindFlag, "list all available", "zshcontrib(1)", 0}},
	} {
		checkShell(t, lib, "zsh", cmd, wants)
	}
	// A style zshcontrib(1) tags, no function: a command of that name is
	// not explained by it.
	for _, cmd := range []string{"get x", "pick x"} {
		ex := checkShell(t, lib, "zsh", cmd, []want{{cmd[:len(cmd)-2], KindProgram, "no documentation", "", 0}, {"x", KindArgument, "argument", "", 0}})
		if ex.Parts[0].Known {
			t.Errorf("%s: %+v", cmd, ex.Parts[0])
		}
	}
	// bash has none of them.
	checkShell(t, lib, "bash", "compinit", []want{{"compinit", KindProgram, "no documentation", "", 0}})
}

// zsh's functions are found where each system installs them: in a
// directory for each kind (Debian), or in one.
func TestZshShipsFunction(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"debian/functions/Misc/zmv", "fedora/5.9/functions/zcalc"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "debian/functions/Misc/dir"), 0o755)
	old := zshFunctionRoots
	t.Cleanup(func() { zshFunctionRoots = old })
	zshFunctionRoots = []string{filepath.Join(dir, "debian/functions/*"), filepath.Join(dir, "fedora/*/functions")}
	for name, want := range map[string]bool{"zmv": true, "zcalc": true, "dir": false, "zed": false, "Misc": false} {
		if got := zshShipsFunction(name); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}
