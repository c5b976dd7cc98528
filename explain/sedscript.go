package explain

import (
	"fmt"
	"strings"
)

// sed's scripts: the one-liners commands are made of (s/a/b/g, /^$/d,
// 5,10p, $d) read command by command. sed(1) describes the language in
// prose, so this reads it as explain reads signal numbers and modes; a
// script with anything else is left alone.

// sedDoc reads script, or "" when it holds a command it does not know.
func sedDoc(script string) string {
	var out []string
	s := strings.TrimSpace(script)
	for s != "" {
		lines, rest, ok := sedAddress(s)
		if !ok {
			return ""
		}
		doc, rest, ok := sedCommand(strings.TrimLeft(rest, " "), lines)
		if !ok {
			return ""
		}
		out = append(out, doc)
		s = strings.TrimLeft(strings.TrimSpace(rest), ";\n ")
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "; then ")
}

// sedAddress reads the lines a command applies to: 5, $, /re/, 5,10,
// /a/,/b/, and ! after them; "" for every line.
func sedAddress(s string) (lines, rest string, ok bool) {
	first, rest, ok := sedOneAddress(s)
	if !ok || first == "" {
		return "", s, ok
	}
	lines = first
	if strings.HasPrefix(rest, ",") {
		second, r, ok := sedOneAddress(rest[1:])
		if !ok || second == "" {
			return "", s, false
		}
		rest = r
		if strings.HasPrefix(first, "line ") && strings.HasPrefix(second, "line ") {
			lines = "lines " + strings.TrimPrefix(first, "line ") + " to " + strings.TrimPrefix(second, "line ")
		} else {
			from := strings.Replace(first, "lines matching", "a line matching", 1)
			to := strings.Replace(second, "lines matching", "the next line matching", 1)
			lines = "the lines from " + from + " to " + to
		}
	}
	if strings.HasPrefix(rest, "!") {
		return "every line but " + lines, rest[1:], true
	}
	return lines, rest, true
}

// sedOneAddress reads one address: a line number, $, or /regexp/.
func sedOneAddress(s string) (doc, rest string, ok bool) {
	switch {
	case s == "":
		return "", s, true
	case s[0] == '$':
		return "the last line", s[1:], true
	case s[0] >= '0' && s[0] <= '9':
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return "line " + s[:i], s[i:], true
	case s[0] == '/':
		re, rest, ok := sedDelimited(s[1:], '/')
		if !ok || re == "" {
			return "", s, false
		}
		return "lines matching " + sedShow(re, '/'), rest, true
	}
	return "", s, true
}

// sedDelimited reads up to the delimiter d, a backslash escaping it.
func sedDelimited(s string, d byte) (part, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case d:
			return s[:i], s[i+1:], true
		}
	}
	return "", s, false
}

// sedCommand reads one command applied to lines ("" for every line).
func sedCommand(s, lines string) (doc, rest string, ok bool) {
	if s == "" {
		return "", s, false
	}
	obj, in := lines, ""
	if lines == "" {
		obj = "every line"
	} else {
		in = ", in " + lines
	}
	switch c := s[0]; c {
	case 'd':
		return "deletes " + obj, s[1:], true
	case 'p':
		return "prints " + obj, s[1:], true
	case 'q':
		if lines == "" {
			obj = "the first line"
		}
		return "quits after " + obj, s[1:], true
	case '=':
		return "prints the line number of " + obj, s[1:], true
	case 's', 'y':
		if len(s) < 2 || s[1] == '\\' || s[1] == '\n' || s[1] == ' ' {
			return "", s, false
		}
		d := s[1]
		from, r, ok := sedDelimited(s[2:], d)
		if !ok {
			return "", s, false
		}
		to, r, ok := sedDelimited(r, d)
		if !ok {
			return "", s, false
		}
		if c == 'y' {
			return fmt.Sprintf("changes each character of %s into the one at its place in %s%s", sedShow(from, d), sedShow(to, d), in), r, true
		}
		i := 0
		for i < len(r) && strings.IndexByte("gIipeM0123456789", r[i]) >= 0 {
			i++
		}
		flags := r[:i]
		var doc string
		switch {
		case from == "^":
			doc = fmt.Sprintf("puts %s at the start of each line", sedShow(to, d))
		case from == "$":
			doc = fmt.Sprintf("puts %s at the end of each line", sedShow(to, d))
		default:
			how := "the first match on each line"
			switch {
			case strings.Contains(flags, "g"):
				how = "every match"
			case strings.Trim(flags, "0123456789") != flags:
				how = "match " + strings.Trim(flags, "gIipeM") + " on each line"
			}
			doc = fmt.Sprintf("replaces %s with %s, %s", sedShow(from, d), sedShow(to, d), how)
			if strings.ContainsAny(flags, "iI") {
				doc += ", ignoring case"
			}
		}
		doc += in
		if strings.Contains(flags, "p") {
			doc += ", and prints the lines it changed"
		}
		return doc, r[i:], true
	}
	return "", s, false
}

// sedShow quotes a pattern or replacement as sed reads it (\/ is /
// between slashes); "" is nothing.
func sedShow(s string, d byte) string {
	if s == "" {
		return "nothing"
	}
	return "'" + strings.ReplaceAll(s, "\\"+string(d), string(d)) + "'"
}
