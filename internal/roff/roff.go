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
	"regexp"
	"strings"
	"unicode"
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
	return Expand(lines), nil
}

// Expand does what a formatter would do with a page's own definitions
// before its text is read: it keeps the branch of each conditional that
// nroff takes (.if, .ie/.el, on one line or over a \{ ... \} block), drops
// macro definitions (.de ... ..), and puts the strings the page defines
// (.ds) in place of their references. pod2man pages write every option
// tag inside ".ie n"/".el", and zic(8) writes its options' dash as a
// string, so without this their options go unseen.
func Expand(lines []string) []string {
	out := make([]string, 0, len(lines))
	strs := map[string]string{}
	lastIe := true // the last .ie's condition, which its .el inverts
	skip := 0      // depth of a false block being skipped
	inDef, defEnd := false, ""
	var emit func(line string, depth int)
	emit = func(line string, depth int) {
		if depth > 4 {
			return
		}
		name, rest := SplitRequest(line)
		if i := strings.IndexByte(name, '\\'); i > 0 {
			// ".el\{\": a request's name ends where an escape starts.
			name, rest = name[:i], name[i:]+" "+rest
		}
		switch name {
		case "if", "ie", "el":
			cond := true
			body := strings.TrimLeft(rest, " \t")
			switch name {
			case "el":
				cond = !lastIe
			default:
				cond, body = condition(rest)
				if name == "ie" {
					lastIe = cond
				}
			}
			// A block: its lines follow until the matching \}.
			if b, ok := strings.CutPrefix(body, `\{`); ok {
				b = strings.TrimPrefix(b, `\`)
				if !cond {
					skip = 1 + strings.Count(b, `\{`) - strings.Count(b, `\}`)
					return
				}
				body = b
			}
			if body = strings.TrimLeft(body, " \t"); cond && strings.TrimSpace(body) != "" {
				emit(body, depth+1)
			}
			return
		case "de", "de1", "am", "am1":
			// The definition ends at "..", or at the name given after the
			// macro's.
			inDef = true
			rest, _, _ = strings.Cut(rest, `\"`)
			if f := strings.Fields(rest); len(f) > 1 {
				defEnd = f[1]
			} else {
				defEnd = "."
			}
			return
		case "ds", "ds1":
			n, v, _ := strings.Cut(strings.TrimLeft(rest, " "), " ")
			v = strings.TrimPrefix(strings.TrimLeft(v, " "), `"`)
			strs[n] = strings.TrimSuffix(strings.TrimSuffix(v, `\"`), `\&`)
			return
		}
		if strings.Contains(line, `\}`) {
			// A block's end: pod2man's "'br\}" breaks the line only there.
			line = strings.ReplaceAll(line, `\}`, "")
			switch strings.TrimSpace(line) {
			case ".", "'", ".br", "'br":
				return
			}
		}
		if strings.TrimSpace(line) == "" && depth > 0 {
			return
		}
		out = append(out, expandStrings(line, strs))
	}
	for _, l := range lines {
		switch {
		case inDef:
			// ". ." ends one as well as "..".
			if name, _ := SplitRequest(l); strings.TrimSpace(name) == defEnd {
				inDef = false
			}
		case skip > 0:
			skip += strings.Count(l, `\{`) - strings.Count(l, `\}`)
		default:
			emit(l, 0)
		}
	}
	return out
}

// condition evaluates a conditional's condition as nroff on groff would
// and returns the rest of the request. n (nroff) and .g (groff) hold; t
// (troff) does not; a string comparison compares the strings as plain
// text. Anything else, a number register's test, is taken as false: it
// guards a page's typesetting adjustments, not its text.
func condition(rest string) (bool, string) {
	rest = strings.TrimLeft(rest, " \t")
	neg := strings.HasPrefix(rest, "!")
	rest = strings.TrimPrefix(rest, "!")
	cond, body := false, ""
	switch {
	case rest == "":
	case strings.HasPrefix(rest, `\n(.g`), strings.HasPrefix(rest, `\n[.g]`):
		_, body, _ = strings.Cut(rest, "g")
		body = strings.TrimPrefix(body, "]")
		cond = true
		// "\n(.g>0" and the like: any test of it holds in groff.
		if i := strings.IndexAny(body, " \t"); i >= 0 && !strings.HasPrefix(body, " ") {
			body = body[i:]
		}
	case rest[0] == 'n' || rest[0] == 't' || rest[0] == 'o' || rest[0] == 'e':
		cond, body = rest[0] == 'n' || rest[0] == 'o', rest[1:]
	case rest[0] == '\'' || rest[0] == '"' || rest[0] == '|':
		d := rest[:1]
		parts := strings.SplitN(rest[1:], d, 3)
		if len(parts) == 3 {
			cond, body = Plain(parts[0]) == Plain(parts[1]), parts[2]
		}
	default:
		_, body, _ = strings.Cut(rest, " ")
	}
	return cond != neg, strings.TrimLeft(body, " \t")
}

var stringRefs = regexp.MustCompile(`\\\*(\(..|\[[^\]]*\]|.)`)

// expandStrings puts the page's own string definitions in place of their
// references; the predefined ones are left for Plain.
func expandStrings(line string, strs map[string]string) string {
	if len(strs) == 0 || !strings.Contains(line, `\*`) {
		return line
	}
	return stringRefs.ReplaceAllStringFunc(line, func(ref string) string {
		name := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(ref[2:], "("), "["), "]")
		if v, ok := strs[name]; ok {
			return v
		}
		return ref
	})
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

// Args splits a request's arguments, quoted or not.
func Args(rest string) []string {
	var args []string
	// FirstArg trims what TrimSpace does (a vertical tab too), and so
	// must this, or a line of one would never be used up.
	for rest = strings.TrimLeftFunc(rest, unicode.IsSpace); rest != ""; rest = strings.TrimLeftFunc(rest, unicode.IsSpace) {
		a := FirstArg(rest)
		args = append(args, a)
		if strings.HasPrefix(rest, `"`) {
			// The quoted argument, its "" pairs and closing quote.
			n := 1 + len(a) + strings.Count(a, `"`) + 1
			rest = rest[min(n, len(rest)):]
		} else {
			rest = rest[max(len(a), 1):]
		}
	}
	return args
}

// FirstArg is a request's first argument, quoted or not; in a quoted one
// "" is a quote (pod2man's .IP """-b""").
func FirstArg(rest string) string {
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, `"`) {
		var b strings.Builder
		for i := 1; i < len(rest); i++ {
			if rest[i] != '"' {
				b.WriteByte(rest[i])
				continue
			}
			if i+1 < len(rest) && rest[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			break
		}
		return b.String()
	}
	// "\ " is a space that does not end the argument: unzip's
	// ".IP [\fB\-d\fP\ \fIexdir\fP]" has one.
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			i++
		case ' ':
			return rest[:i]
		}
	}
	return rest
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
		case 'h', 'v', 'w', 'l', 'L', 'D', 'X', 'b', 'x', 'o', 'Z', 'S', 'R', 'N', 'C', 'A', 'B':
			// Motions, drawing, widths and the like: nothing to read, and
			// their argument, quoted by any character, goes with them.
			if i+1 < len(s) {
				if j := strings.IndexByte(s[i+2:], s[i+1]); j >= 0 {
					i += j + 2
				}
			}
		case 'k', 'z':
			// A mark's register name; \z's character is still text.
			if s[i] == 'k' {
				i++
			}
		case '-':
			b.WriteByte('-')
		case 'e', '\\':
			b.WriteByte('\\')
		case ' ', '~', '0':
			b.WriteByte(' ')
		case '&', '|', '^', ',', '/', 'c', ':', ')', '%':
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
