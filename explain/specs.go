package explain

import (
	"cmp"
	"fmt"
	"strings"
)

// The small notations some options take, which their pages describe in
// prose: ssh's forwarding specifications, sort's keys, cut's lists.

// valueNotation reads the value of prog's option opt written in such a
// notation, or "".
func valueNotation(prog, opt, word string) string {
	switch {
	case prog == "ssh" && (opt == "-L" || opt == "-R"):
		return sshForward(opt, word)
	case prog == "ssh" && opt == "-D":
		if port := lastField(word); isPort(port) {
			return "a SOCKS proxy on local port " + port + ", its connections made from the server"
		}
	case prog == "sort" && (opt == "-k" || opt == "--key"):
		return sortKey(word)
	case prog == "cut" && (opt == "-f" || opt == "-c" || opt == "-b" || opt == "--fields" || opt == "--characters" || opt == "--bytes"):
		what := map[string]string{"-f": "fields", "--fields": "fields", "-c": "characters", "--characters": "characters", "-b": "bytes", "--bytes": "bytes"}[opt]
		return cutList(what, word)
	}
	return ""
}

// sshForward reads -L [bind:]port:host:hostport (and -R's mirror).
func sshForward(opt, spec string) string {
	parts := strings.Split(spec, ":")
	if len(parts) == 4 {
		parts = parts[1:] // a bind address first
	}
	if len(parts) != 3 || !isPort(parts[0]) || !isPort(parts[2]) {
		return ""
	}
	if opt == "-L" {
		return fmt.Sprintf("local port %s leads to %s:%s, reached from the server", parts[0], parts[1], parts[2])
	}
	return fmt.Sprintf("the server's port %s leads to %s:%s, reached from this machine", parts[0], parts[1], parts[2])
}

// isPort tells whether s is a number of up to five digits: a port, and
// the field, line and reflog counts the notations take.
func isPort(s string) bool {
	return s != "" && len(s) <= 5 && strings.Trim(s, "0123456789") == ""
}

func lastField(s string) string {
	return s[strings.LastIndex(s, ":")+1:]
}

// sortKey reads KEYDEF: F[.C][OPTS][,F[.C][OPTS]].
func sortKey(def string) string {
	start, end, _ := strings.Cut(def, ",")
	f1, c1, opts := keyPos(start)
	if f1 == "" {
		return ""
	}
	var doc string
	if end == "" {
		doc = "from field " + f1 + " to the end of the line"
		if c1 != "" {
			doc = "from character " + c1 + " of field " + f1 + " to the end of the line"
		}
	} else {
		f2, c2, o2 := keyPos(end)
		if f2 == "" {
			return ""
		}
		opts += o2
		switch {
		case f1 == f2 && c1 == "" && c2 == "":
			doc = "field " + f1
		case f1 == f2:
			doc = "characters " + cmp.Or(c1, "1") + " to " + cmp.Or(c2, "the last") + " of field " + f1
		default:
			doc = "fields " + f1 + " to " + f2
		}
	}
	var how []string
	for _, o := range opts {
		w, ok := map[rune]string{'n': "as numbers", 'g': "as general numbers", 'h': "as human sizes (2K, 1G)", 'r': "in reverse",
			'f': "ignoring case", 'b': "ignoring leading blanks", 'M': "as month names", 'V': "as version numbers", 'd': "in dictionary order", 'R': "at random"}[o]
		if !ok {
			return ""
		}
		how = append(how, w)
	}
	if len(how) > 0 {
		doc += ", " + strings.Join(how, ", ")
	}
	return doc
}

// keyPos splits "2.3nr" into field 2, character 3 and options "nr".
func keyPos(s string) (field, char, opts string) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	pos, opts := s[:i], s[i:]
	field, char, _ = strings.Cut(pos, ".")
	if !isPort(field) || char != "" && !isPort(char) || strings.Count(pos, ".") > 1 {
		return "", "", ""
	}
	return field, char, opts
}

// cutList reads cut's LIST: 1,3-5, -3, 5-.
func cutList(what, list string) string {
	var parts []string
	for _, r := range strings.Split(list, ",") {
		a, b, isRange := strings.Cut(r, "-")
		switch {
		case !isRange && isPort(a):
			parts = append(parts, a)
		case isRange && a == "" && isPort(b):
			parts = append(parts, "1 to "+b)
		case isRange && b == "" && isPort(a):
			parts = append(parts, a+" to the last")
		case isRange && isPort(a) && isPort(b):
			parts = append(parts, a+" to "+b)
		default:
			return ""
		}
	}
	if len(parts) == 1 && !strings.Contains(parts[0], " ") {
		return strings.TrimSuffix(what, "s") + " " + parts[0]
	}
	return what + " " + strings.Join(parts, ", ")
}
