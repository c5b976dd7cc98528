package translate

import (
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/engine"
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
		// Chat models without a grammar quote commands in sentences.
		"You can use the following command: `ls -la`":        "ls -la",
		"Use `du -sh *` to see the sizes.":                   "du -sh *",
		"To list them, run `ls -A`":                          "ls -A",
		"`find . -name '*.go'` finds every Go file here.":    "find . -name '*.go'",
		"Here is the command:\nfind . -size +100M":           "find . -size +100M",
		"Sure! Here it is:\n\n`tar xzf a.tgz`\nIt extracts.": "tar xzf a.tgz",
		// Commands with backticks of their own keep them.
		"echo `date`":                                "echo `date`",
		"`which python` --version":                   "`which python` --version",
		"type `which ls`":                            "type `which ls`",
		"echo \"today: `date`\"":                     "echo \"today: `date`\"",
		"ls -la:\nsecond line":                       "ls -la:",
		"grep -c x: file\nls":                        "grep -c x: file",
		"scp notes.txt host:\nThis copies the file.": "scp notes.txt host:",
		"# list every file\nls -la":                  "ls -la",
		"# only a comment":                           "",
		"1. ls -la\n2. ls -A":                        "ls -la",
		"- `du -sh *`":                               "du -sh *",
		"* find . -type f":                           "find . -type f",
		"```bash\n# the files\nls -la\n```":          "ls -la",
		"echo run: `whoami` and `date`":              "echo run: `whoami` and `date`",
	}
	for in, want := range cases {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPartial(t *testing.T) {
	// An answer as it grows, piece by piece, and what the line shows.
	for _, c := range []struct{ in, want string }{
		{"fi", "fi"},
		{"find . -na", "find . -na"},
		{"$ ls", "ls"},
		{"`ls -l", "ls -l"},
		{"`ls -la`", "ls -la"},
		{"``", ""},
		{"```ba", ""},
		{"```bash\n", ""},
		{"```bash\ndu -s", "du -s"},
		{"Here:\n```s", ""},
		{"Here:\n```sh\ndu -sh *\n```\nThis", "du -sh *"},
		{"<think>the user wa", ""},
		{"<think>x</think>\ngrep -r", "grep -r"},
		{"echo \x1b[31mred", "echo red"},
		{"ls\nsecond line", "ls"},
		{"Here is the command:", ""},
		{"Here is the command:\nfind", "find"},
		{"You can use `ls -l", "ls -l"},
		{"You can use `ls -la` to", "ls -la"},
		{"echo `dat", "echo `dat"},
	} {
		if got := Partial(c.in); got != c.want {
			t.Errorf("Partial(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Once the answer is whole, Partial agrees with Clean.
	for _, in := range []string{"ls -la", "```bash\nfind . -name '*.go'\n```", "`ls -la`", "<think>a</think>\nls"} {
		if Partial(in) != Clean(in) {
			t.Errorf("Partial(%q) = %q, Clean %q", in, Partial(in), Clean(in))
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
	last := len(m1) - 1
	for i := 0; i < last; i++ {
		if m1[i] != m2[i] {
			t.Fatalf("message %d differs between requests: the cached prefix would miss", i)
		}
	}
	if m1[last].Content != "a" || m1[last].Role != "user" {
		t.Fatalf("last message %+v", m1[last])
	}
	// Each shell's examples are in its own syntax, and parse.
	joined := func(ms []engine.Message) string {
		var b strings.Builder
		for _, m := range ms {
			b.WriteString(m.Content + "\n")
		}
		return b.String()
	}
	fish := joined(Messages(Request{Text: "x", Shell: "fish"}))
	if !strings.Contains(fish, "set d (date +%F)") || strings.Contains(fish, "d=$(") {
		t.Errorf("fish prompt:\n%s", fish)
	}
	if bash := joined(Messages(Request{Text: "x", Shell: "bash"})); !strings.Contains(bash, "d=$(date +%F)") {
		t.Errorf("bash prompt:\n%s", bash)
	}
	for _, sh := range Shells {
		for _, m := range Messages(Request{Text: "x", Shell: sh}) {
			if m.Role == engine.RoleAssistant {
				if err := ValidSyntax(m.Content, sh); err != nil {
					t.Errorf("%s example %q: %v", sh, m.Content, err)
				}
			}
		}
	}
}

func TestValidSyntax(t *testing.T) {
	for _, c := range []struct {
		cmd, shell string
		ok         bool
	}{
		{"ls -la | grep x", "bash", true},
		{"echo 'unterminated", "bash", false},
		{"for f in *; do echo $f; done", "bash", true},
		{"if then fi", "bash", false},
		{"print -l **/*.go(.)", "zsh", true},
		{"set d (date +%F)", "fish", true},
		{"ls; and echo ok", "fish", true},
		{"echo (date", "fish", false},
	} {
		err := ValidSyntax(c.cmd, c.shell)
		if (err == nil) != c.ok {
			t.Errorf("%s %q: %v", c.shell, c.cmd, err)
		}
	}
}

// Whatever a model answers, Clean returns one line with no control
// characters (escape sequences included).
func FuzzClean(f *testing.F) {
	for _, s := range []string{"```bash\nls -la\n```", "<think>hmm</think>\n$ ls", "\x1b[31mrm\x1b[0m -rf /", "Sure! Here:\n\n`ls`", "\x1b]0;title\x07ls", strings.Repeat("a\n", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("Clean(%q) = %q keeps control character %U", s, out, r)
			}
		}
	})
}

func TestStripComment(t *testing.T) {
	for _, c := range []struct{ in, shell, want string }{
		{"ls -la  # every file", "bash", "ls -la"},
		{"ls -la # every file", "zsh", "ls -la"},
		{"find . -name '#*' # backup files", "bash", "find . -name '#*'"},
		{"echo \"#1\" a#b ${#x} $#", "bash", "echo \"#1\" a#b ${#x} $#"},
		{"echo ${#arr} # length", "zsh", "echo ${#arr}"},
		{"ls | wc -l # count", "fish", "ls | wc -l"},
		{"echo (date) # fish substitution", "fish", "echo (date) # fish substitution"},
		{"ls -la", "bash", "ls -la"},
	} {
		if got := StripComment(c.in, c.shell); got != c.want {
			t.Errorf("StripComment(%q, %s) = %q, want %q", c.in, c.shell, got, c.want)
		}
	}
}
