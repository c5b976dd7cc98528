package translate

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// manPage is what tool retrieval keeps of one manual page: the summary of
// its NAME line and the opening of its DESCRIPTION, the words a request is
// likely to share with it.
type manPage struct {
	Summary string
	Text    string
}

// maxPageText bounds the bytes of a page kept, read and indexed: the
// first paragraphs say what a tool is for; the long option lists after
// them mostly add noise (and a 300 KB page would outweigh everything).
const maxPageText = 4000

// readManPage reads a (possibly gzipped) troff page, following one .so
// redirect (gunzip.1 is ".so man1/gzip.1"); root is the manual tree the
// redirect is relative to.
func readManPage(path, root string) (manPage, error) {
	return readManPageDepth(path, root, 0)
}

func readManPageDepth(path, root string, depth int) (manPage, error) {
	f, err := os.Open(path)
	if err != nil {
		return manPage{}, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return manPage{}, err
		}
		defer zr.Close()
		r = zr
	}
	// Pages can be huge; the sections that matter come first.
	r = io.LimitReader(r, 256<<10)
	p := manPage{}
	var section string
	var text strings.Builder
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first && strings.HasPrefix(line, ".so ") && depth < 2 {
			target := strings.TrimSpace(strings.TrimPrefix(line, ".so "))
			for _, cand := range []string{target, target + ".gz"} {
				if q, err := readManPageDepth(filepath.Join(root, cand), root, depth+1); err == nil {
					return q, nil
				}
			}
			return manPage{}, os.ErrNotExist
		}
		if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, `.\"`) && !strings.HasPrefix(line, `'\"`) {
			first = false
		}
		macro, rest := splitMacro(line)
		switch macro {
		case "\\\"", "": // comment, or a text line
		case "SH", "Sh", "SS", "Ss":
			if macro == "SH" || macro == "Sh" {
				section = strings.ToUpper(strings.Trim(plainText(rest), `" `))
			}
			continue
		case "Nd": // mdoc's one-line summary
			p.Summary = plainText(rest)
			continue
		case "TH", "Dd", "Dt", "Os", "de", "ds", "nr", "so", "ig", "if", "ie", "el", "tr", "ft", "ps", "in", "ti", "ta", "ll", "ne", "sp", "br":
			continue
		}
		if macro == "\\\"" {
			continue
		}
		t := plainText(rest)
		if macro == "" {
			t = plainText(line)
		}
		if t == "" {
			continue
		}
		switch {
		case section == "NAME":
			if p.Summary == "" {
				if _, s, ok := cutDash(t); ok {
					p.Summary = s
					continue
				}
			} else if len(p.Summary) < 200 && !strings.Contains(t, " - ") {
				p.Summary += " " + t // a summary wrapped over lines
			}
		case section == "SYNOPSIS" || section == "SEE ALSO" || strings.HasPrefix(section, "AUTHOR") ||
			strings.HasPrefix(section, "COPYRIGHT") || strings.HasPrefix(section, "REPORTING"):
			// Names and boilerplate, not what the tool is for.
		case text.Len() < maxPageText:
			text.WriteString(t)
			text.WriteByte(' ')
		}
	}
	p.Text = strings.TrimSpace(text.String())
	if len(p.Text) > maxPageText {
		p.Text = p.Text[:maxPageText]
	}
	return p, sc.Err()
}

// splitMacro splits a troff request line into its macro name and
// arguments; a text line has no macro.
func splitMacro(line string) (string, string) {
	if line == "" || (line[0] != '.' && line[0] != '\'') {
		return "", line
	}
	s := strings.TrimLeft(line[1:], " \t")
	if strings.HasPrefix(s, `\"`) {
		return "\\\"", ""
	}
	name, rest, _ := strings.Cut(s, " ")
	return name, rest
}

// cutDash splits a NAME line "ls \- list directory contents" (after
// plainText, "ls - list directory contents").
func cutDash(s string) (string, string, bool) {
	for _, sep := range []string{" - ", " -- ", " — "} {
		if a, b, ok := strings.Cut(s, sep); ok {
			return strings.TrimSpace(a), strings.TrimSpace(b), true
		}
	}
	return "", "", false
}

// plainText removes troff escapes and font changes and the quotes around
// macro arguments, leaving the words.
func plainText(s string) string {
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
		case 'f', 's', 'F', 'm': // font, size, family, colour: \fB \f(CW \f[B] \s-1
			if i+1 < len(s) {
				switch s[i+1] {
				case '(':
					i += 3
				case '[':
					if j := strings.IndexByte(s[i+1:], ']'); j >= 0 {
						i += j + 1
					}
				case '-', '+':
					i += 2
				default:
					i++
				}
			}
		case '*': // string: \*(xx \*[name] \*x
			if i+1 < len(s) {
				switch s[i+1] {
				case '(':
					i += 3
				case '[':
					if j := strings.IndexByte(s[i+1:], ']'); j >= 0 {
						i += j + 1
					}
				default:
					i++
				}
			}
		case '(': // special character \(em
			i += 2
			b.WriteByte(' ')
		case '[':
			if j := strings.IndexByte(s[i:], ']'); j >= 0 {
				i += j
			}
			b.WriteByte(' ')
		case '-':
			b.WriteByte('-')
		case 'e', '\\':
			b.WriteByte('\\')
		case '&', '|', '^', ',', '/', 'c', ':':
		case '"': // comment to the end of the line
			return strings.TrimSpace(b.String())
		default:
			b.WriteByte(s[i])
		}
	}
	return strings.TrimSpace(b.String())
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '+'
}
