package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// SetInFile sets a top-level key (like "model") in the config file,
// keeping every other line, comment and table as it was. The file is
// created if needed and replaced atomically.
func SetInFile(key, value string) (string, error) {
	path := FilePath()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return path, err
	}
	line := key + " = " + tomlString(value)
	keyRe := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=`)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(data) == 0 {
		lines = nil
	}
	done := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "[") {
			// Tables start: top-level keys must come before them.
			lines = append(lines[:i], append([]string{line}, lines[i:]...)...)
			done = true
			break
		}
		if keyRe.MatchString(l) {
			lines[i] = line
			done = true
			break
		}
	}
	if !done {
		lines = append(lines, line)
	}
	out := strings.Join(lines, "\n") + "\n"
	if _, err := readFileFrom(path, out); err != nil {
		return path, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return path, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(out), 0o644); err != nil {
		return path, err
	}
	return path, os.Rename(tmp, path)
}

// readFileFrom checks that text still parses as a config file.
func readFileFrom(path, text string) (map[string]string, error) {
	dir, err := os.MkdirTemp("", "cmdr-config")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		return nil, err
	}
	defs := map[string]Setting{}
	for _, s := range All() {
		defs[s.Key] = s
	}
	m, err := readFile(p, defs)
	if err != nil {
		return nil, fmt.Errorf("the new config would not parse: %w", err)
	}
	return m, nil
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
