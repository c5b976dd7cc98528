// Package history reads the history files of bash, zsh and fish. cmdr
// uses it when the shell hook has no record of the previous command, for
// example for `cmdr explain` in a shell started before cmdr was loaded.
package history

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Entry is one history item.
type Entry struct {
	Command string    `json:"command"`
	Time    time.Time `json:"time,omitzero"`
}

// maxLine bounds one history line; longer ones are skipped, not fatal.
const maxLine = 1 << 20

func scanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	return sc
}

// ParseBash reads a bash history file: one command per line, each
// optionally preceded by a "#EPOCH" line when HISTTIMEFORMAT was set.
func ParseBash(r io.Reader) ([]Entry, error) {
	var out []Entry
	var ts time.Time
	sc := scanner(r)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if len(line) > 1 && line[0] == '#' {
			if n, err := strconv.ParseInt(line[1:], 10, 64); err == nil {
				ts = time.Unix(n, 0)
				continue
			}
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		out = append(out, Entry{Command: line, Time: ts})
		ts = time.Time{}
	}
	return out, sc.Err()
}

// zsh stores bytes that are special to it as Meta (0x83) followed by the
// byte XOR 32.
const zshMeta = 0x83

func unmetafy(b []byte) []byte {
	if bytes.IndexByte(b, zshMeta) < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == zshMeta && i+1 < len(b) {
			i++
			out = append(out, b[i]^32)
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// ParseZsh reads a zsh history file, plain or EXTENDED_HISTORY
// (": start:elapsed;command"), joining multi-line commands (each line but
// the last ends in a backslash) and undoing zsh's metafied bytes.
func ParseZsh(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := scanner(r)
	var cur []byte
	var ts time.Time
	pending := false
	flush := func() {
		if pending {
			out = append(out, Entry{Command: string(unmetafy(cur)), Time: ts})
		}
		cur, ts, pending = nil, time.Time{}, false
	}
	for sc.Scan() {
		line := sc.Bytes()
		if !pending {
			if rest, ok := bytes.CutPrefix(line, []byte(": ")); ok {
				if head, cmd, ok := bytes.Cut(rest, []byte(";")); ok {
					if start, _, ok := bytes.Cut(head, []byte(":")); ok {
						if n, err := strconv.ParseInt(string(start), 10, 64); err == nil {
							ts = time.Unix(n, 0)
							line = cmd
						}
					}
				}
			}
			pending = true
		} else {
			cur = append(cur, '\n')
		}
		if bytes.HasSuffix(line, []byte(`\`)) {
			cur = append(cur, line[:len(line)-1]...)
			continue
		}
		cur = append(cur, line...)
		flush()
	}
	flush()
	return dropEmpty(out), sc.Err()
}

// ParseFish reads fish_history, a YAML-like list of "- cmd: " items with
// "  when: " times; fish escapes backslashes and newlines in commands.
func ParseFish(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := scanner(r)
	for sc.Scan() {
		line := sc.Text()
		if cmd, ok := strings.CutPrefix(line, "- cmd: "); ok {
			out = append(out, Entry{Command: unescapeFish(cmd)})
			continue
		}
		if when, ok := strings.CutPrefix(line, "  when: "); ok && len(out) > 0 {
			if n, err := strconv.ParseInt(strings.TrimSpace(when), 10, 64); err == nil {
				out[len(out)-1].Time = time.Unix(n, 0)
			}
		}
	}
	return dropEmpty(out), sc.Err()
}

func unescapeFish(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func dropEmpty(in []Entry) []Entry {
	out := in[:0]
	for _, e := range in {
		if strings.TrimSpace(e.Command) != "" {
			out = append(out, e)
		}
	}
	return out
}

// Path is the history file a shell writes by default, honouring HISTFILE
// (bash, zsh), ZDOTDIR (zsh) and XDG_DATA_HOME and fish_history (fish).
func Path(shell string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	switch shell {
	case "bash":
		if f := os.Getenv("HISTFILE"); f != "" {
			return f, nil
		}
		return filepath.Join(home, ".bash_history"), nil
	case "zsh":
		if f := os.Getenv("HISTFILE"); f != "" {
			return f, nil
		}
		dir := home
		if d := os.Getenv("ZDOTDIR"); d != "" {
			dir = d
		}
		return filepath.Join(dir, ".zsh_history"), nil
	case "fish":
		data := os.Getenv("XDG_DATA_HOME")
		if !filepath.IsAbs(data) {
			data = filepath.Join(home, ".local", "share")
		}
		name := os.Getenv("fish_history")
		if name == "" {
			name = "fish"
		}
		return filepath.Join(data, "fish", name+"_history"), nil
	}
	return "", fmt.Errorf("unknown shell %q (want bash, zsh or fish)", shell)
}

// Read parses shell's history file.
func Read(shell string) ([]Entry, error) {
	p, err := Path(shell)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch shell {
	case "bash":
		return ParseBash(f)
	case "zsh":
		return ParseZsh(f)
	default:
		return ParseFish(f)
	}
}
