package explain

import (
	"regexp"
	"strings"
)

// awk's one-line programs, read as sed's scripts are: a pattern and a
// print of fields ('{print $1}', '/error/ {print $2, $NF}', 'NR==5',
// '$3 > 100'), the forms commands are mostly made of. Anything else (an
// assignment, a loop, a function) is left alone.

var (
	awkRule    = regexp.MustCompile(`^\s*(?:(/(?:[^/\\]|\\.)*/|[$A-Za-z0-9_]+\s*(?:==|!=|>=|<=|>|<|~|!~)\s*(?:"[^"]*"|/(?:[^/\\]|\\.)*/|[$A-Za-z0-9_.]+)))?\s*(?:\{\s*print\s*([^{};]*?)\s*;?\s*\})?\s*$`)
	awkField   = regexp.MustCompile(`^\$(\d+|NF)$`)
	awkCompare = regexp.MustCompile(`^([$A-Za-z0-9_]+)\s*(==|!=|>=|<=|>|<|~|!~)\s*(.+)$`)
)

// awkDoc reads program, or "" when it is not one of the simple forms.
func awkDoc(program string) string {
	m := awkRule.FindStringSubmatch(program)
	if m == nil || strings.TrimSpace(program) == "" {
		return ""
	}
	pattern := m[1]
	// What is printed, and of which lines.
	var items, texts []string
	for _, e := range awkTokens(m[2]) {
		if strings.HasPrefix(e, `"`) {
			texts = append(texts, e) // print $1 " " $2: a separator
			continue
		}
		name := awkName(e)
		if name == "" {
			return ""
		}
		if name != "the whole line" || len(awkTokens(m[2])) > 1 {
			items = append(items, name)
		}
	}
	lines := "each line"
	if pattern != "" {
		cond := awkCondition(pattern)
		if cond == "" {
			return ""
		}
		lines = cond
	}
	if len(items) == 0 {
		if len(texts) > 0 {
			return "prints " + strings.Join(texts, " ") + " for " + lines
		}
		if lines == "each line" {
			return "prints each line"
		}
		return "prints " + lines
	}
	what := "prints " + items[0]
	if n := len(items); n > 1 {
		what = "prints " + strings.Join(items[:n-1], ", ") + " and " + items[n-1]
	}
	what += " of " + lines
	if len(texts) > 0 {
		what += ", with " + strings.Join(texts, " and ") + " between"
	}
	return what
}

// awkTokens splits print's expressions at commas and spaces outside
// quotes, and around quoted strings ($1","$2 is three).
func awkTokens(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			flush()
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return []string{"?"}
			}
			out = append(out, s[i:i+j+2])
			i += j + 1
		case c == ',' || c == ' ' || c == '\t':
			flush()
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return out
}

// awkName names one printed expression: $1 is field 1, $NF the last
// field, $0 the whole line, NR its number, a string itself.
func awkName(e string) string {
	switch {
	case e == "$0":
		return "the whole line"
	case e == "$NF":
		return "the last field"
	case e == "NR":
		return "the line number"
	case e == "NF":
		return "the number of fields"
	case len(e) >= 2 && e[0] == '"' && e[len(e)-1] == '"' && !strings.Contains(e[1:len(e)-1], `"`):
		return "the text " + e
	}
	if m := awkField.FindStringSubmatch(e); m != nil {
		return "field " + m[1]
	}
	return ""
}

// awkCondition reads a pattern: /re/, or a comparison of a field, NR or
// NF with a value.
func awkCondition(p string) string {
	if strings.HasPrefix(p, "/") {
		return "each line matching " + p
	}
	m := awkCompare.FindStringSubmatch(p)
	if m == nil {
		return ""
	}
	left := awkName(m[1])
	if left == "" {
		return ""
	}
	op := map[string]string{"==": "is", "!=": "is not", ">": "is more than", "<": "is less than",
		">=": "is at least", "<=": "is at most", "~": "matches", "!~": "does not match"}[m[2]]
	if m[1] == "NR" && m[2] == "==" && strings.Trim(m[3], "0123456789") == "" {
		return "line " + m[3] // NR==5
	}
	return "each line whose " + strings.TrimPrefix(left, "the ") + " " + op + " " + m[3]
}
