package translate

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	cases := map[string]string{
		"ls -la":                            "ls -la",
		"  ls -la  \n":                      "ls -la",
		"$ ls -la":                          "ls -la",
		"`ls -la`":                          "ls -la",
		"```bash\nfind . -name '*.go'\n```": "find . -name '*.go'",
		"Here you go:\n```sh\ndu -sh *\n```\nThis...": "du -sh *",
		"<think>the user wants files</think>\nls":     "ls",
		"<think>never closed... ls":                   "",
		"\x1b[31mrm -rf /tmp/x\x1b[0m":                "rm -rf /tmp/x",
		"echo hi\x07\x1b]0;title\x07":                 "echo hi",
		"\n\n  \ngrep -r foo .\nsecond line":          "grep -r foo .",
		"tab\tseparated":                              "tab separated",
		"ls\x00 -la":                                  "ls -la",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripHash(t *testing.T) {
	for in, want := range map[string]string{"# find dupes": "find dupes", "#x": "x", "list": "list", "  #  a ": "a"} {
		if got := StripHash(in); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
}

func TestSystemPromptPerShellAndStable(t *testing.T) {
	for _, sh := range Shells {
		p := SystemPrompt(sh)
		if !strings.Contains(p, sh) || p != SystemPrompt(sh) {
			t.Errorf("%s: %q", sh, p)
		}
	}
	m1 := Messages(Request{Text: "# a", Shell: "zsh"})
	m2 := Messages(Request{Text: "# b", Shell: "zsh"})
	if m1[0] != m2[0] || m1[1].Content != "a" {
		t.Fatal("the system message must not depend on the request")
	}
}
