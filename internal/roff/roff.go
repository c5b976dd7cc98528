// Package roff reads manual pages as installed: gzipped or not, with .so
// redirects, and turns roff text into plain words. Tool retrieval and
// explain both read pages through it; each keeps what it needs.
package roff

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadLines returns the lines of the page at path, at most limit bytes of
// it, following a .so redirect (gunzip.1 is ".so man1/gzip.1") relative
// to root, the manual tree the page is in.
func ReadLines(path, root string, limit int64) ([]string, error) {
	return readLines(path, root, limit, 0)
}

func readLines(path, root string, limit int64, depth int) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	var lines []string
	sc := bufio.NewScanner(io.LimitReader(r, limit))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, `.\"`) || strings.HasPrefix(l, `'\"`) {
			continue
		}
		if strings.HasPrefix(l, ".so ") {
			if depth >= 2 {
				return nil, errors.New(path + ": too many .so redirects")
			}
			target := strings.TrimSpace(strings.TrimPrefix(l, ".so "))
			for _, cand := range []string{target, target + ".gz"} {
				if ls, err := readLines(filepath.Join(root, cand), root, limit, depth+1); err == nil {
					return ls, nil
				}
			}
			return nil, os.ErrNotExist
		}
		break
	}
	return lines, nil
}

// SplitRequest splits a roff request line into its name and arguments; a
// text line has no name, and a comment's name is `\"`.
func SplitRequest(line string) (string, string) {
	if line == "" || (line[0] != '.' && line[0] != '\'') {
		return "", line
	}
	s := strings.TrimLeft(line[1:], " \t")
	if strings.HasPrefix(s, `\"`) {
		return `\"`, ""
	}
	name, rest, _ := strings.Cut(s, " ")
	return name, rest
}

// FirstArg is a request's first argument, quoted or not.
func FirstArg(rest string) string {
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, `"`) {
		if i := strings.Index(rest[1:], `"`); i >= 0 {
			return rest[1 : i+1]
		}
		return rest[1:]
	}
	f, _, _ := strings.Cut(rest, " ")
	return f
}

// CutDash splits a NAME line, "ls - list directory contents" after Plain.
func CutDash(s string) (string, string, bool) {
	for _, sep := range []string{" - ", " -- ", " — "} {
		if a, b, ok := strings.Cut(s, sep); ok {
			return strings.TrimSpace(a), strings.TrimSpace(b), true
		}
	}
	return "", "", false
}

// Plain removes roff escapes, font changes and argument quotes, keeping
// the characters that matter in option syntax (\- is -, \(aq is ').
func Plain(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			continue
		}
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'f', 's', 'F', 'm', 'n', '*':
			// Font, size, family, colour, register and string references:
			// \fB \f(CW \f[B] \s-1 \n(xx \*(Aq \*[name].
			esc := s[i]
			name := ""
			if i+1 < len(s) {
				switch s[i+1] {
				case '(':
					if i+3 < len(s) {
						name = s[i+2 : i+4]
					}
					i += 3
				case '[':
					if j := strings.IndexByte(s[i+1:], ']'); j >= 0 {
						name = s[i+2 : i+1+j]
						i += j + 1
					}
				case '-', '+':
					if esc == 's' {
						i += 2
					} else {
						i++
					}
				default:
					name = s[i+1 : i+2]
					i++
				}
			}
			if esc == '*' {
				b.WriteString(stringRef(name))
			}
		case '(':
			if i+2 < len(s) {
				b.WriteString(special(s[i+1 : i+3]))
			}
			i += 2
		case '[':
			if j := strings.IndexByte(s[i:], ']'); j >= 0 {
				b.WriteString(special(s[i+1 : i+j]))
				i += j
			}
		case '-':
			b.WriteByte('-')
		case 'e', '\\':
			b.WriteByte('\\')
		case ' ', '~', '0':
			b.WriteByte(' ')
		case '&', '|', '^', ',', '/', 'c', ':', ')':
		case '"': // a comment, to the end of the line
			return strings.TrimSpace(b.String())
		default:
			b.WriteByte(s[i])
		}
	}
	return strings.TrimSpace(b.String())
}

// stringRef renders the predefined strings DocBook and man(7) pages use.
func stringRef(name string) string {
	switch name {
	case "Aq":
		return "'"
	case "lq", "rq", "L\"", "R\"":
		return `"`
	}
	return ""
}

// special renders the special characters that matter in option syntax;
// the rest become a space.
func special(name string) string {
	switch name {
	case "aq", "cq", "oq":
		return "'"
	case "dq", "lq", "rq":
		return `"`
	case "ti", "ap":
		return "~"
	case "ha", "a^":
		return "^"
	case "rs":
		return `\`
	case "em", "en", "hy", "mi":
		return "-"
	case "ba", "or":
		return "|"
	case "lt", "la":
		return "<"
	case "gt", "ra":
		return ">"
	}
	return " "
}
