package translate

import "strings"

// FishAsPOSIX rewrites fish syntax as the POSIX shell syntax that means
// the same, closely enough to be parsed, graded and explained with a
// POSIX parser: blocks (for, while, if/else if/else, begin, function,
// switch/case, each closed by end), `and`/`or`/`not` commands, and
// (command substitution). What it does not know is left as written;
// where fish is installed, fish's own parser decides validity
// (ValidSyntax), not this. Before, every block read as unparsable, so
// `for f in *; rm -rf /; end` was graded "could not be checked" instead
// of high.
func FishAsPOSIX(s string) string {
	var out strings.Builder
	type block struct {
		closer string
		cases  int // switch: the cases seen, to close the one before
	}
	var stack []*block
	sep := "" // the separator before this command, written when it is known
	for _, st := range splitFish(s) {
		text := strings.TrimSpace(st.text)
		// and/or/not start a command of their own in fish; in POSIX they
		// are the operator before it.
	ops:
		for {
			word, rest := firstWord(text)
			switch word {
			case "and":
				sep = " && "
			case "or":
				sep = " || "
			case "not":
				sep += "! "
			default:
				break ops
			}
			text = rest
		}
		out.WriteString(sep)
		word, rest := firstWord(text)
		switch word {
		case "for", "while":
			stack = append(stack, &block{closer: "done"})
			out.WriteString(text + "; do")
		case "if":
			stack = append(stack, &block{closer: "fi"})
			out.WriteString(text + "; then")
		case "else":
			if w, cond := firstWord(rest); w == "if" {
				out.WriteString("elif " + cond + "; then")
			} else {
				out.WriteString("else " + rest)
			}
		case "begin":
			stack = append(stack, &block{closer: "}"})
			out.WriteString("{ " + rest)
		case "function":
			name, _ := firstWord(rest)
			stack = append(stack, &block{closer: "}"})
			out.WriteString(name + "() {")
		case "switch":
			stack = append(stack, &block{closer: "esac"})
			out.WriteString("case " + rest + " in")
		case "case":
			if len(stack) == 0 || stack[len(stack)-1].closer != "esac" {
				out.WriteString(text)
				break
			}
			b := stack[len(stack)-1]
			if b.cases > 0 {
				out.WriteString(";;\n")
			}
			b.cases++
			out.WriteString(strings.Join(strings.Fields(rest), "|") + ")")
		case "end":
			if len(stack) == 0 {
				out.WriteString(text)
				break
			}
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if b.closer == "esac" && b.cases > 0 {
				out.WriteString(";;\n")
			}
			out.WriteString(strings.TrimSpace(b.closer + " " + rest))
		default:
			out.WriteString(text)
		}
		sep = st.sep
	}
	out.WriteString(strings.TrimRight(sep, "\n"))
	return out.String()
}

// fishStmt is one command of a fish line and the separator after it.
type fishStmt struct{ text, sep string }

// splitFish splits s into commands at ;, newlines, &&, ||, | and &
// outside quotes and parentheses, and rewrites (command substitution)
// as $(...), converting what is inside too. Statements end with a
// newline in the result, so that a block's keyword and its body are
// separate commands to a POSIX parser; pipes and && and || stay
// between the commands they join.
func splitFish(s string) []fishStmt {
	var out []fishStmt
	var cur strings.Builder
	emit := func(sep string) {
		out = append(out, fishStmt{cur.String(), sep})
		cur.Reset()
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			cur.WriteString(s[i : i+2])
			i++
		case c == '\'' || c == '"':
			j := closingQuote(s, i)
			cur.WriteString(s[i:j])
			i = j - 1
		case c == '(':
			j := closingParen(s, i)
			if j < 0 {
				cur.WriteString(s[i:])
				i = len(s)
				break
			}
			if !strings.HasSuffix(cur.String(), "$") {
				cur.WriteByte('$')
			}
			cur.WriteString("(" + strings.TrimSpace(FishAsPOSIX(s[i+1:j])) + ")")
			i = j
		case c == ';' || c == '\n':
			emit("\n")
		case c == '&' && i+1 < len(s) && s[i+1] == '&':
			emit(" && ")
			i++
		case c == '|' && i+1 < len(s) && s[i+1] == '|':
			emit(" || ")
			i++
		case c == '|' && !strings.HasSuffix(cur.String(), ">"):
			emit(" | ")
		case c == '&' && !strings.HasSuffix(cur.String(), ">") && !(i+1 < len(s) && s[i+1] == '>'):
			emit(" &\n")
		default:
			cur.WriteByte(c)
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		emit("")
	}
	return out
}

// closingQuote is the index just past the quote that closes the one at
// s[i] (fish escapes \' and \\ in single quotes, and \" \\ \$ in double
// ones), or len(s).
func closingQuote(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(s)
}

// closingParen is the index of the ) that closes the ( at s[i], past
// quotes and nested parentheses, or -1.
func closingParen(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '\'', '"':
			j = closingQuote(s, j) - 1
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return -1
}

func firstWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i+1:])
}
