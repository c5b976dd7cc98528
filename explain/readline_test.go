package explain

import "testing"

// bash's bind: a key and the readline function it runs, from bash(1)'s
// lists; a readline variable set; a macro; -x's command line explained
// under it; the values of -m and -r.
func TestBind(t *testing.T) {
	needPage(t, "bash")
	for cmd, wants := range map[string][]want{
		`bind '"\e[A": history-search-backward'`: {{"bind", KindProgram, "readline", "bash help", 0},
			{`'"\e[A": history-search-backward'`, KindArgument, "binds Up to history-search-backward: Search backward through the history", "", 0}},
		`bind 'set completion-ignore-case on'`: {{"bind", KindProgram, "", "", 0},
			{`'set completion-ignore-case on'`, KindArgument, "sets readline's completion-ignore-case to on: If set to On, readline performs filename matching and completion in a case-insensitive fashion", "", 0}},
		`bind -m vi-insert 'Control-l: clear-screen'`: {{"bind", KindProgram, "", "", 0}, {"-m", KindFlag, "keymap", "bash help", 0},
			{"vi-insert", KindArgument, "the keymap the bindings are made in", "", 0},
			{"'Control-l: clear-screen'", KindArgument, "binds Ctrl-L to clear-screen: Clear the screen", "", 0}},
		`bind '"\M-w": "\C-e | wc -l"'`: {{"bind", KindProgram, "", "", 0}, {`'"\M-w": "\C-e | wc -l"'`, KindArgument, `binds Alt-w to type "\C-e | wc -l" (a macro)`, "", 0}},
		`bind -x '"\C-g": git status'`: {{"bind", KindProgram, "", "", 0}, {"-x", KindFlag, "SHELL-COMMAND", "bash help", 0},
			{`'"\C-g": git status'`, KindArgument, "binds Ctrl-G to run the commands:", "", 0}, {"git", KindProgram, "", "", 1}, {"status", KindSubcommand, "", "", 1}},
		`bind -r '\C-x'`: {{"bind", KindProgram, "", "", 0}, {"-r", KindFlag, "", "bash help", 0}, {`'\C-x'`, KindArgument, "the key sequence to unbind: Ctrl-X", "", 0}},
	} {
		checkIn(t, lib, cmd, wants)
	}
	for key, want := range map[string]string{`"\C-x\C-r"`: "Ctrl-X Ctrl-R", "Meta-Rubout": "Alt-Backspace", "TAB": "Tab", "Control-u": "Ctrl-U", `"\M-."`: "Alt-.", "x": "x", "Hyper-x": ""} {
		if got := readlineKey(key); got != want {
			t.Errorf("readlineKey(%q) = %q, want %q", key, got, want)
		}
	}
	for s, want := range map[string][3]string{`"\C-a": beginning-of-line`: {`"\C-a"`, "beginning-of-line", "ok"}, `"a:b": x`: {`"a:b"`, "x", "ok"},
		"TAB:complete": {"TAB", "complete", "ok"}, "no colon": {}, `"open`: {}, "two words: x": {}} {
		key, target, ok := readlineBinding(s)
		if got := [3]string{key, target, map[bool]string{true: "ok"}[ok]}; got != want {
			t.Errorf("readlineBinding(%q) = %q, want %q", s, got, want)
		}
	}
}
