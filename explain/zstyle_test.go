package explain

import (
	"os"
	"strings"
	"testing"
)

// zstyle's pattern, style and values: completion's styles from
// zshcompsys(1), vcs_info's from zshcontrib(1); another context's style
// is only named as one.
func TestZstyle(t *testing.T) {
	needPage(t, "zshcompsys", "zshcontrib", "zshmodules")
	for cmd, wants := range map[string][]want{
		"zstyle ':completion:*' menu select": {{"zstyle", KindProgram, "styles", "zshmodules(1)", 0},
			{"':completion:*'", KindArgument, "the contexts the style applies in (a pattern); completion's are :completion:function:completer:command:argument:tag", "", 0},
			{"menu", KindArgument, "the style: If this is `true' in the context of any of the tags", "zshcompsys(1)", 0},
			{"select", KindArgument, "a value of the style", "", 0}},
		"zstyle ':vcs_info:*' enable git svn": {{"zstyle", KindProgram, "", "", 0}, {"':vcs_info:*'", KindArgument, "the contexts", "", 0},
			{"enable", KindArgument, "the style: A list of backends you want to use", "zshcontrib(1)", 0},
			{"git", KindArgument, "a value", "", 0}, {"svn", KindArgument, "a value", "", 0}},
		"zstyle :my:ctx colour red": {{"zstyle", KindProgram, "", "", 0}, {":my:ctx", KindArgument, "the contexts the style applies in (a pattern)", "", 0},
			{"colour", KindArgument, "the style to set", "", 0}, {"red", KindArgument, "a value", "", 0}},
		// Asking, listing and deleting are not setting.
		"zstyle -d ':completion:*'": {{"zstyle", KindProgram, "", "", 0}, {"-d", KindFlag, "delete", "zshmodules(1)", 0}, {"':completion:*'", KindArgument, "argument", "", 0}},
	} {
		checkShell(t, lib, "zsh", cmd, wants)
	}
}

// zmodload's module from zshmodules(1); fish's abbreviations with what
// they become explained, fish_add_path's directories, set's variable.
func TestShellConfigLines(t *testing.T) {
	needPage(t, "zshmodules", "zshbuiltins")
	checkShell(t, lib, "zsh", "zmodload zsh/complist", []want{{"zmodload", KindProgram, "", "", 0},
		{"zsh/complist", KindArgument, "the module to load: The zsh/complist module offers three extensions to completion listings", "zshmodules(1)", 0}})
	checkShell(t, lib, "zsh", "zmodload zsh/nosuch", []want{{"zmodload", KindProgram, "", "", 0}, {"zsh/nosuch", KindArgument, "the module to load", "", 0}})
	if _, err := os.Stat("/usr/share/fish/man/man1/abbr.1"); err != nil {
		t.Skip("fish's pages are not installed")
	}
	checkShell(t, lib, "fish", "abbr -a gco git checkout; fish_add_path ~/bin; set -gx EDITOR nvim", []want{
		{"abbr", KindProgram, "", "", 0}, {"-a", KindFlag, "", "", 0},
		{"gco", KindArgument, "the abbreviation: typed as a command, it becomes what follows", "", 0},
		{"git", KindProgram, "", "", 1}, {"checkout", KindSubcommand, "", "", 1}, {";", KindOperator, "", "", 0},
		{"fish_add_path", KindProgram, "", "", 0}, {"~/bin", KindArgument, "a directory to add to $PATH", "", 0}, {";", KindOperator, "", "", 0},
		{"set", KindProgram, "", "", 0}, {"-g", KindFlag, "", "", 0}, {"-x", KindFlag, "", "", 0},
		{"EDITOR", KindArgument, "the variable to set", "", 0}, {"nvim", KindArgument, "an item of its new value", "", 0},
	})
	// Not an abbreviation's definition: erasing one.
	checkShell(t, lib, "fish", "abbr -e gco", []want{{"abbr", KindProgram, "", "", 0}, {"-e", KindFlag, "", "", 0}, {"gco", KindArgument, "argument", "", 0}})
}

// A name declared alone says what the variable is; zshparam(1)'s list
// of SPROMPT's answers (n, y, a, e) names no variables.
func TestDeclaredNames(t *testing.T) {
	needPage(t, "zshparam", "zshbuiltins")
	ex := checkShell(t, lib, "zsh", "typeset -U path; echo $n", []want{{"typeset", KindProgram, "", "", 0}, {"-U", KindFlag, "", "", 0},
		{"path", KindArgument, "the variable path: An array", "zshparam(1)", 0}, {";", KindOperator, "", "", 0},
		{"echo", KindProgram, "", "", 0}, {"$n", KindArgument, "", "", 0}})
	if d := ex.Parts[len(ex.Parts)-1].Doc; strings.Contains(d, "correction") {
		t.Errorf("$n documented as %q", d)
	}
}
