package explain

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// KindVariable is a parameter inside a word ($HOME in $HOME/.bashrc),
// listed after the word with what the shell's manual says of it.
const KindVariable = "variable"

// loneParam matches a word that is one parameter and nothing else, as
// typed: $HOME, "${HOME}", $?, $1.
var loneParam = regexp.MustCompile(`^"?\$(?:([A-Za-z_][A-Za-z0-9_]*|[?$!#@*0-9-])|\{([A-Za-z_][A-Za-z0-9_]*|[?$!#@*0-9-])\})"?$`)

// paramName is the parameter a word is, or "".
func paramName(text string) string {
	m := loneParam.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}

// variable is what the shell's manual says of parameter name: bash(1)'s
// Special Parameters and Shell Variables, zshparam(1)'s parameters set
// and used by the shell, fish-language(1)'s special variables; then
// environ(7), for what the environment holds whatever the shell (TERM,
// EDITOR, USER).
func (l *Library) variable(ctx context.Context, shell, name string) (doc, source string) {
	if len(name) == 1 && name[0] >= '1' && name[0] <= '9' && shell != "fish" {
		// The manuals say so in prose only.
		return "positional parameter " + name + ": argument " + name + " of the script or function", ""
	}
	for _, p := range []*page{l.shellVariables(ctx, shell), l.environ(ctx)} {
		if p == nil {
			continue
		}
		if e, ok := p.entries[name]; ok {
			return e.doc, p.name
		}
	}
	return "", ""
}

// variableValues are the values the shell's manual gives meanings to
// for parameter name (HISTCONTROL's ignoreboth), or nil.
func (l *Library) variableValues(ctx context.Context, shell, name string) (map[string]string, string) {
	if p := l.shellVariables(ctx, shell); p != nil {
		return p.entries[name].values, p.name
	}
	return nil, ""
}

// shellVariables is the page of a shell's parameters, entries by name.
func (l *Library) shellVariables(ctx context.Context, shell string) *page {
	switch shell {
	case "zsh":
		return l.memo("variables:zsh", func() *page {
			return variablesPage("zshparam(1)", l.readNamed(ctx, "zshparam"), "SH",
				"PARAMETERS SET BY THE SHELL", "PARAMETERS USED BY THE SHELL")
		})
	case "fish":
		return l.memo("variables:fish", func() *page {
			for _, root := range fishManDirs {
				if lines := readFrom(ctx, []string{root}, "fish-language"); lines != nil {
					return variablesPage("fish-language(1)", lines, "SS", "Special variables")
				}
			}
			return nil
		})
	default:
		return l.memo("variables:bash", func() *page {
			return variablesPage("bash(1)", l.readNamed(ctx, "bash"), "SS", "Special Parameters", "Shell Variables")
		})
	}
}

// environ is environ(7): the variables programs commonly read.
func (l *Library) environ(ctx context.Context) *page {
	return l.memo("variables:environ", func() *page {
		return variablesPage("environ(7)", l.readNamed(ctx, "environ", "7"), "SH", "DESCRIPTION")
	})
}

// variablesPage reads the .TP lists of the sections (or subsections,
// with macro "SS") titled as given: each tag that names parameters
// (bash's "$", zsh's "HOME <S>", environ's "EDITOR/VISUAL" or "LC_CTYPE,
// LC_NUMERIC") is an entry with its first sentence. The first paragraph
// for a name is its meaning: bash lists $_ among the special parameters
// and again among the variables.
func variablesPage(name string, lines []string, macro string, titles ...string) *page {
	if lines == nil {
		return nil
	}
	p := &page{name: name, entries: map[string]entry{}}
	for i, line := range lines {
		m, rest := roff.SplitRequest(line)
		if m != macro {
			continue
		}
		title := strings.Trim(roff.Plain(rest), `" `)
		if !slices.ContainsFunc(titles, func(t string) bool { return strings.EqualFold(t, title) }) {
			continue
		}
		// Tags in a row share the paragraph after the last (zsh's
		// RPROMPT and RPS1); "Same as PS1, PS2, PS3 and PS4,
		// respectively" after four is one name for each.
		var group [][]string
		for _, t := range tagList(lines[i+1:], macro == "SH") {
			group = append(group, paramNames(t.tag))
			// "expanded (see PROMPTING below)": a section of a page the
			// reader does not have in front of them.
			doc := pageReference.ReplaceAllString(firstSentence(strings.Join(t.text, " ")), "")
			if doc == "" {
				continue
			}
			same := sameEach(doc, len(group))
			values := proseValues(strings.Join(t.text, " "))
			for k, names := range group {
				for _, n := range names {
					d := doc
					if same != nil {
						d = "Same as " + same[k]
					}
					if _, ok := p.entries[n]; !ok {
						p.entries[n] = entry{doc: d, values: values}
					}
				}
			}
			group = nil
		}
	}
	// zsh's "status <S> <Z>: Same as ?" says more as what ? is.
	for n, e := range p.entries {
		if other, ok := strings.CutPrefix(e.doc, "Same as "); ok {
			if o, ok := p.entries[other]; ok && !strings.HasPrefix(o.doc, "Same as ") {
				p.entries[n] = entry{doc: "the same as $" + other + ": " + o.doc}
			}
		}
	}
	if len(p.entries) == 0 {
		return nil
	}
	return p
}

// valueSentence is a sentence of a variable's paragraph that says what
// one of its values does: HISTCONTROL's "A value of ignoreboth is
// shorthand for ignorespace and ignoredups.", "If the list of values
// includes ignorespace, lines which begin with a space character are
// not saved in the history list."
var valueSentence = regexp.MustCompile(`^(?:A value of ([a-z][a-z0-9_-]*)|If the list of values includes ([a-z][a-z0-9_-]*),) (.+?)\.?$`)

// proseValues are the values a paragraph gives meanings to, by name.
func proseValues(text string) map[string]string {
	var values map[string]string
	for _, s := range sentences(roff.Plain(text)) {
		// ".IR ignorespace ," joins its words with a space.
		s = strings.ReplaceAll(strings.Join(strings.Fields(s), " "), " ,", ",")
		if m := valueSentence.FindStringSubmatch(s); m != nil {
			if values == nil {
				values = map[string]string{}
			}
			values[m[1]+m[2]] = m[3]
		}
	}
	return values
}

// sameEach reads "Same as PS1, PS2, PS3 and PS4, respectively" as
// the n names it pairs with n tags, or nil.
func sameEach(doc string, n int) []string {
	list, ok := strings.CutPrefix(doc, "Same as ")
	if !ok || n < 2 {
		return nil
	}
	if list, ok = strings.CutSuffix(list, ", respectively"); !ok {
		return nil
	}
	names := strings.FieldsFunc(strings.ReplaceAll(list, " and ", ","), func(r rune) bool { return r == ',' || r == ' ' })
	if len(names) != n {
		return nil
	}
	return names
}

// pageReference is a pointer to another section of the same page.
var pageReference = regexp.MustCompile(` \(see [A-Z][A-Z ]+ (?:below|above)\)`)

// paramNames are the parameters a list's tag names: zsh's "<S> <Z>"
// marks and a parenthesized other name ("PATH <S> <Z> (path <S> <Z>)")
// are not names; fish's "Locale Variables" is a heading, no name.
func paramNames(tag string) []string {
	tag, _, _ = strings.Cut(tag, "(")
	tag = strings.NewReplacer(", ", ",", " / ", "/").Replace(tag)
	var words []string
	for _, f := range strings.Fields(tag) {
		if !strings.HasPrefix(f, "<") {
			words = append(words, f)
		}
	}
	if len(words) != 1 {
		return nil // two words are a heading
	}
	var out []string
	for _, f := range strings.FieldsFunc(words[0], func(r rune) bool { return r == ',' || r == '/' }) {
		// A lone small letter is an item of a list inside an entry
		// (SPROMPT's answers: n, y, a, e); no shell names one.
		if paramName("$"+f) != f || len(f) == 1 && f[0] >= 'a' && f[0] <= 'z' {
			return nil
		}
		out = append(out, f)
	}
	return out
}

// variables lists the documented parameters inside word, each once,
// after it: $HOME in $HOME/.bashrc. A word that is one parameter says
// it itself (see paramDoc), but for an assignment's value (lone), whose
// part is the assignment's.
func (w *walker) variables(word *syntax.Word, lone bool) {
	if paramName(w.text(word)) != "" && !lone {
		return
	}
	seen := map[string]bool{}
	syntax.Walk(word, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst:
			return false // their words are explained as commands
		case *syntax.ParamExp:
			// A word that is the expansion says it itself (paramDoc).
			if doc := w.expansionDoc(n); doc != "" && (lone || loneExpansion(word) != n) {
				// ${f%.jpg}: what the operator makes of the value.
				w.add(Part{Text: w.text(n), Kind: KindVariable, Doc: doc, Known: true})
			}
			if n.Param == nil || seen[n.Param.Value] {
				return true
			}
			seen[n.Param.Value] = true
			if doc, src := w.l.variable(w.ctx, w.shell, n.Param.Value); doc != "" {
				w.add(Part{Text: "$" + n.Param.Value, Kind: KindVariable, Doc: doc, Source: src, Known: true})
			}
		}
		return true
	})
}

// paramDoc is what the manual says of the parameter a word is ($?,
// "$HOME"), or what an expansion of one gives (${f%.jpg}, $((x + 1)));
// or "".
func (w *walker) paramDoc(text string) (doc, source string) {
	if t := strings.Trim(text, `"`); strings.HasPrefix(t, "$((") && strings.HasSuffix(t, "))") && strings.Count(t, "$((") == 1 {
		// echo $((x + 1))
		return "the result of the arithmetic " + strings.TrimSpace(t[3:len(t)-2]), ""
	}
	if name := paramName(text); name != "" {
		return w.l.variable(w.ctx, w.shell, name)
	}
	if !strings.HasPrefix(strings.TrimPrefix(text, `"`), "${") {
		return "", ""
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(": "+text), "")
	if err != nil || len(f.Stmts) != 1 {
		return "", ""
	}
	if c, ok := f.Stmts[0].Cmd.(*syntax.CallExpr); ok && len(c.Args) == 2 {
		if pe := loneExpansion(c.Args[1]); pe != nil {
			sub := walker{l: w.l, ctx: w.ctx, shell: w.shell, src: ": " + text}
			return sub.expansionDoc(pe), ""
		}
	}
	return "", ""
}

// loneExpansion is the expansion a word is and nothing else: ${x:-y},
// "${f%.jpg}".
func loneExpansion(word *syntax.Word) *syntax.ParamExp {
	parts := word.Parts
	if len(parts) == 1 {
		if q, ok := parts[0].(*syntax.DblQuoted); ok {
			parts = q.Parts
		}
	}
	if len(parts) != 1 {
		return nil
	}
	pe, _ := parts[0].(*syntax.ParamExp)
	return pe
}

// expansionDoc says what an expansion with an operator gives, from
// bash(1)'s Parameter Expansion (zsh's are alike): ${f%.jpg}, ${x:-d},
// ${#s}, ${p/a/b}, ${s:0:3}, ${s^^}; or "" for a plain $name.
func (w *walker) expansionDoc(pe *syntax.ParamExp) string {
	if pe.Param == nil {
		return ""
	}
	name, word := pe.Param.Value, func(x *syntax.Word) string {
		if x == nil {
			return "''"
		}
		return "'" + w.text(x) + "'"
	}
	switch {
	case pe.Length:
		return "the length of " + name
	case pe.Excl && pe.Names == 0 && pe.Exp == nil && pe.Repl == nil && pe.Slice == nil:
		return "the value of the variable whose name " + name + " holds"
	case pe.Slice != nil && w.shell == "zsh" && pe.Slice.Length == nil && len(w.text(pe.Slice.Offset)) == 1 &&
		strings.Contains("htreluaAcqQP", w.text(pe.Slice.Offset)):
		return "" // zsh's ${x:h} is a modifier (the head of a path), not a slice
	case pe.Slice != nil:
		off := cmp.Or(w.text(pe.Slice.Offset), "0")
		if pe.Slice.Length == nil {
			return name + " from its character " + off + " (counted from 0) on"
		}
		return w.text(pe.Slice.Length) + " characters of " + name + " from its character " + off + " (counted from 0)"
	case pe.Repl != nil:
		how := "the first match"
		if pe.Repl.All {
			how = "every match"
		}
		return name + " with " + how + " of " + word(pe.Repl.Orig) + " replaced by " + word(pe.Repl.With)
	case pe.Exp != nil:
		arg := word(pe.Exp.Word)
		switch pe.Exp.Op {
		case syntax.RemSmallSuffix:
			return name + " without the shortest ending that matches " + arg
		case syntax.RemLargeSuffix:
			return name + " without the longest ending that matches " + arg
		case syntax.RemSmallPrefix:
			return name + " without the shortest beginning that matches " + arg
		case syntax.RemLargePrefix:
			return name + " without the longest beginning that matches " + arg
		case syntax.DefaultUnsetOrNull:
			return name + ", or " + arg + " if it is unset or empty"
		case syntax.DefaultUnset:
			return name + ", or " + arg + " if it is unset"
		case syntax.AssignUnsetOrNull:
			return name + ", first set to " + arg + " if it is unset or empty"
		case syntax.AssignUnset:
			return name + ", first set to " + arg + " if it is unset"
		case syntax.ErrorUnsetOrNull, syntax.ErrorUnset:
			return name + ", or an error (the command does not run) if it is unset or empty"
		case syntax.AlternateUnsetOrNull, syntax.AlternateUnset:
			return arg + " if " + name + " is set and not empty, else nothing"
		case syntax.UpperAll:
			return name + " in upper case"
		case syntax.LowerAll:
			return name + " in lower case"
		case syntax.UpperFirst:
			return name + " with its first letter in upper case"
		case syntax.LowerFirst:
			return name + " with its first letter in lower case"
		}
	}
	return ""
}
