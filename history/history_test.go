package history

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func cmds(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Command)
	}
	return out
}

func TestBash(t *testing.T) {
	in := "ls -la\n#1700000000\ngit status\n\n#notatime comment\necho 'a b'\n"
	es, err := ParseBash(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ls -la", "git status", "#notatime comment", "echo 'a b'"}
	if !reflect.DeepEqual(cmds(es), want) {
		t.Fatalf("%q", cmds(es))
	}
	if !es[1].Time.Equal(time.Unix(1700000000, 0)) || !es[0].Time.IsZero() || !es[2].Time.IsZero() {
		t.Fatalf("times %v", es)
	}
}

func TestZsh(t *testing.T) {
	// "é" is 0xC3 0xA9; zsh writes bytes >= 0x83 metafied: 0x83, byte^32.
	meta := string([]byte{'e', 'c', 'h', 'o', ' ', 0x83, 0xC3 ^ 32, 0x83, 0xA9 ^ 32})
	in := ": 1700000000:0;ls -la\n" +
		": 1700000005:2;for f in *; do\\\necho $f\\\ndone\n" +
		"plain command\n" +
		": 1700000009:0;" + meta + "\n"
	es, err := ParseZsh(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ls -la", "for f in *; do\necho $f\ndone", "plain command", "echo é"}
	if !reflect.DeepEqual(cmds(es), want) {
		t.Fatalf("%q", cmds(es))
	}
	if !es[1].Time.Equal(time.Unix(1700000005, 0)) || !es[2].Time.IsZero() {
		t.Fatalf("times %v", es)
	}
}

func TestFish(t *testing.T) {
	in := "- cmd: ls -la\n  when: 1700000000\n- cmd: echo a\\nb \\\\ c\n  when: 1700000001\n  paths:\n    - /tmp\n- cmd: git push\n"
	es, err := ParseFish(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ls -la", "echo a\nb \\ c", "git push"}
	if !reflect.DeepEqual(cmds(es), want) {
		t.Fatalf("%q", cmds(es))
	}
	if !es[1].Time.Equal(time.Unix(1700000001, 0)) || !es[2].Time.IsZero() {
		t.Fatalf("times %v", es)
	}
}

func TestPathsAndRead(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("HISTFILE", "")
	t.Setenv("ZDOTDIR", filepath.Join(dir, "zdot"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	for sh, want := range map[string]string{
		"bash": filepath.Join(dir, ".bash_history"),
		"zsh":  filepath.Join(dir, "zdot", ".zsh_history"),
		"fish": filepath.Join(dir, "data", "fish", "fish_history"),
	} {
		if p, err := Path(sh); err != nil || p != want {
			t.Errorf("%s: %q %v", sh, p, err)
		}
	}
	os.WriteFile(filepath.Join(dir, ".bash_history"), []byte("one\ntwo\n"), 0o600)
	es, err := Read("bash")
	if err != nil || len(es) != 2 || es[1].Command != "two" {
		t.Fatal(es, err)
	}
	if _, err := Path("csh"); err == nil {
		t.Fatal("unknown shell accepted")
	}
}

func fuzzOne(t *testing.T, parse func(*strings.Reader) ([]Entry, error), data string) {
	es, err := parse(strings.NewReader(data))
	if err != nil {
		return
	}
	for _, e := range es {
		if strings.TrimSpace(e.Command) == "" {
			t.Fatalf("empty command from %q", data)
		}
		if utf8.ValidString(data) && !utf8.ValidString(e.Command) && !strings.Contains(data, "\x83") {
			t.Fatalf("valid input produced invalid UTF-8: %q", e.Command)
		}
	}
}

func FuzzBash(f *testing.F) {
	f.Add("ls\n#1700000000\ngit status\n")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzOne(t, func(r *strings.Reader) ([]Entry, error) { return ParseBash(r) }, s)
	})
}

func FuzzZsh(f *testing.F) {
	f.Add(": 1700000000:0;ls\\\nmore\n")
	f.Add(string([]byte{':', ' ', '1', ':', '0', ';', 0x83, 0xA3}))
	f.Fuzz(func(t *testing.T, s string) {
		fuzzOne(t, func(r *strings.Reader) ([]Entry, error) { return ParseZsh(r) }, s)
	})
}

func FuzzFish(f *testing.F) {
	f.Add("- cmd: ls\\n\\\\\n  when: 1\n")
	f.Fuzz(func(t *testing.T, s string) {
		fuzzOne(t, func(r *strings.Reader) ([]Entry, error) { return ParseFish(r) }, s)
	})
}
