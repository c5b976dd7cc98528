package explain

import "testing"

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
