package explain

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// promptVariables are the parameters each shell expands as a prompt,
// escapes and all: bash's PS0, PS1, PS2 and PS4 (PS3, select's, is
// printed as it is), zsh's prompts under both their names.
var promptVariables = map[string]map[string]bool{
	"bash": {"PS0": true, "PS1": true, "PS2": true, "PS4": true},
	"zsh": {"PS1": true, "PS2": true, "PS3": true, "PS4": true, "PROMPT": true, "PROMPT2": true, "PROMPT3": true,
		"PROMPT4": true, "prompt": true, "RPS1": true, "RPROMPT": true, "RPS2": true, "RPROMPT2": true, "SPROMPT": true},
}

// promptEscapes reads the escapes a shell's prompts may hold, from the
// list its manual gives: bash(1)'s PROMPTING (\u, \w, \[), zshmisc(1)'s
// SIMPLE PROMPT ESCAPES and CONDITIONAL SUBSTRINGS IN PROMPTS (%n, %~,
// %F, %(?.a.b)). The escapes are the page's directives; zsh's tests
// of %(x.a.b), listed under it, its entries.
func (l *Library) promptEscapes(ctx context.Context, shell string) *page {
	if shell != "bash" && shell != "zsh" {
		return nil
	}
	return l.memo("prompt escapes:"+shell, func() *page {
		p := &page{name: "bash(1)", directives: map[string]string{}, entries: map[string]entry{}}
		if shell == "bash" {
			readEscapes(l.shellSection(ctx, "bash", "PROMPTING"), p)
		} else {
			p.name = "zshmisc(1)"
			readEscapes(l.shellSection(ctx, "zshmisc", "SIMPLE PROMPT ESCAPES"), p)
			readEscapes(l.shellSection(ctx, "zshmisc", "CONDITIONAL SUBSTRINGS IN PROMPTS"), p)
		}
		if len(p.directives) == 0 {
			return nil
		}
		return p
	})
}

// pairedEscape is a tag that names an escape and its opposite, "%B
// (%b)", described as "Start (stop) boldface mode".
var (
	pairedEscape = regexp.MustCompile(`^(%\S+) \((%\S+)\)$`)
	pairedWords  = regexp.MustCompile(`^(\w+) \((\w+)\) `)
)

// readEscapes reads a list of escapes into p: each .TP tag with the
// first sentence of its paragraph, tags in a row sharing the paragraph
// after the last (zsh's %d and %/). Lists nested in a paragraph are
// another matter: %D{string}'s strftime extensions are not the prompt's
// escapes (its %K is not the prompt's %K), but the tests listed under
// %(x.true-text.false-text) are the tests it reads, p's entries.
func readEscapes(lines []string, p *page) {
	var tags, desc []string
	// The list's own depth is its first tag's: bash's is inside an .RS.
	depth, expectTag, tagDepth, base := 0, false, 0, -1
	flush := func() {
		if len(tags) > 0 && len(desc) > 0 {
			doc := firstSentence(strings.Join(desc, " "))
			for _, tag := range tags {
				addEscape(p, tag, doc, tagDepth-base)
			}
		}
		tags, desc = nil, nil
	}
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		text := ""
		switch {
		case macro == "TP":
			if len(desc) > 0 || depth != tagDepth {
				flush()
			}
			expectTag, tagDepth = true, depth
			if base < 0 {
				base = depth
			}
			continue
		case macro == "RS" || macro == "RE":
			flush()
			if macro == "RS" {
				depth++
			} else {
				depth = max(depth-1, 0)
			}
			continue
		case macro == "PP" || macro == "SS" || macro == "SH":
			flush()
			expectTag = false
			continue
		case isFontMacro(macro):
			text = roff.Plain(strings.Join(roff.Args(rest), " "))
		case macro != "":
			continue
		default:
			text = roff.Plain(line)
		}
		if text = strings.TrimSpace(text); text == "" {
			continue
		}
		if expectTag {
			tags, expectTag = append(tags, text), false
		} else if len(tags) > 0 {
			desc = append(desc, text)
		}
	}
	flush()
}

// addEscape records one tag of readEscapes: an escape at the list's own
// depth, a test of %(x...) one level in.
func addEscape(p *page, tag, doc string, depth int) {
	switch {
	case depth == 1 && len(tag) == 1:
		if _, ok := p.entries[tag]; !ok {
			p.entries[tag] = entry{doc: doc}
		}
		return
	case depth != 0:
		return
	}
	if m := pairedEscape.FindStringSubmatch(tag); m != nil {
		// "Start (stop) boldface mode": %B starts, %b stops.
		on, off := doc, doc
		if w := pairedWords.FindStringSubmatch(doc); w != nil {
			on = w[1] + " " + doc[len(w[0]):]
			off = strings.ToUpper(w[2][:1]) + w[2][1:] + " " + doc[len(w[0]):]
		}
		setEscape(p, m[1], on)
		setEscape(p, m[2], off)
		return
	}
	setEscape(p, tag, doc)
}

func setEscape(p *page, tag, doc string) {
	if _, ok := p.directives[tag]; !ok && (strings.HasPrefix(tag, `\`) || strings.HasPrefix(tag, "%")) {
		p.directives[tag] = doc
	}
}

// promptText is the string a prompt variable is given, as the shell
// has it after quote removal: '\u' and "\\u" are \u, "\$" a plain $.
// What an expansion adds is not known here; it stands as a NUL, which
// no escape reads.
func promptText(word *syntax.Word) string {
	var b strings.Builder
	unescape := func(v, special string) {
		for i := 0; i < len(v); i++ {
			if v[i] == '\\' && i+1 < len(v) && (special == "" || strings.IndexByte(special, v[i+1]) >= 0) {
				i++
			}
			b.WriteByte(v[i])
		}
	}
	for _, p := range word.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			unescape(p.Value, "")
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					unescape(l.Value, "$`\"\\\n")
				} else {
					b.WriteByte(0)
				}
			}
		default:
			b.WriteByte(0)
		}
	}
	return b.String()
}

// promptDoc explains the escapes of a prompt string, each with its
// meaning ("\u the username of the current user; \h the hostname up to
// the first `.'"), in the order they come, each once; "" where it holds
// none the manual lists.
func promptDoc(p *page, value string) string {
	if p == nil {
		return ""
	}
	var parts []string
	seen := map[string]bool{}
	for i := 0; i < len(value); {
		written, doc, next := p.escapeAt(value[i:])
		if written == "" {
			i++
			continue
		}
		if !seen[written] && doc != "" {
			seen[written] = true
			parts = append(parts, written+" "+doc)
		}
		i += next
	}
	return strings.Join(parts, "; ")
}

// escapeAt reads the escape s starts with, if any: bash's \u, \D{%H},
// \033 (\nnn); zsh's %n, %3~ and %-1d (a count between the % and its
// letter), %F{red} and %D{%H:%M} (an argument in braces), %{...%} (a
// literal escape sequence), %(?.a.b) (a test, and what shows on either
// side), %10<...< (truncation). It returns the escape as written, its
// meaning, and how far on the next escape may start: a test's texts
// hold escapes of their own.
func (p *page) escapeAt(s string) (written, doc string, next int) {
	if len(s) < 2 || s[0] != '\\' && s[0] != '%' {
		return "", "", 0
	}
	if s[0] == '\\' {
		switch {
		case s[1] == 'D' && strings.HasPrefix(s, `\D{`):
			if end := strings.IndexByte(s, '}'); end > 0 {
				return s[:end+1], p.directives[`\D{format}`], end + 1
			}
		case isOctal(s[1]) && len(s) >= 4 && isOctal(s[2]) && isOctal(s[3]):
			return s[:4], p.directives[`\nnn`], 4
		}
		return s[:2], p.directives[s[:2]], 2
	}
	// zsh: %, an optional count, the escape's character.
	j := 1
	if s[j] == '-' {
		j++
	}
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j >= len(s) {
		return "", "", 0
	}
	switch c := s[j]; c {
	case '(':
		end := closing(s, j)
		k := j + 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if end < 0 || k+1 >= end {
			return "", "", 0
		}
		// "The left parenthesis may be preceded or followed by a
		// positive integer n, which defaults to zero."
		n := s[1:j] + s[j+1:k]
		if n == "" {
			n = "0"
		} else if v, err := strconv.Atoi(n); err == nil {
			n = strconv.Itoa(v)
		}
		doc := strings.TrimSuffix(p.directives["%(x.true-text.false-text)"], ".")
		if t, ok := p.entries[string(s[k])]; ok {
			doc += ", the first text if " + strings.TrimPrefix(t.doc, "True if ") + ", else the second (n is " + n + ")"
		}
		return s[:end+1], doc, k + 2
	case '{':
		if end := strings.Index(s, "%}"); end > 0 {
			return s[:end+2], p.directives["%{...%}"], end + 2
		}
	case '<', '>', '[':
		closer := map[byte]byte{'<': '<', '>': '>', '[': ']'}[c]
		if end := strings.IndexByte(s[j+1:], closer); end >= 0 {
			key := map[byte]string{'<': "%<string<", '>': "%>string>", '[': "%[xstring]"}[c]
			return s[:j+end+2], p.directives[key], j + end + 2
		}
	case 'F', 'K', 'D':
		doc := p.directives["%"+string(c)]
		if c == 'D' && j+1 < len(s) && s[j+1] == '{' {
			doc = p.directives["%D{string}"]
		}
		if j+1 < len(s) && s[j+1] == '{' {
			if end := strings.IndexByte(s[j:], '}'); end > 0 {
				return s[:j+end+1], doc, j + end + 1
			}
		}
		return s[:j+1], doc, j + 1
	default:
		if doc, ok := p.directives["%"+string(c)]; ok {
			return s[:j+1], doc, j + 1
		}
	}
	return "", "", 0
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// closing is the index of the ')' that closes the %( at s[open], past
// the escapes inside (%) is a literal parenthesis, %( another test).
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch {
		case s[i] == '%' && i+1 < len(s):
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '-') {
				j++
			}
			if j < len(s) && s[j] == '(' {
				depth++
				i = j
			} else {
				i++ // %) and the like: one escape
			}
		case s[i] == '(':
			depth++
		case s[i] == ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}
