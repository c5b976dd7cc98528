package explain

import (
	"context"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// Shell options are the arguments of a handful of builtins (shopt -s
// globstar, setopt extendedglob, set -o pipefail) that every script and
// startup file uses, and whose meaning is in a page of its own: bash(1)'s
// list under shopt, zshoptions(1). Each is read once, when first asked.

// optionArg documents word where prog takes shell option names as its
// arguments: bash's shopt, zsh's setopt and unsetopt. shopt -o takes set
// -o's names (given as optO).
func (w *walker) optionArg(prog, word string, optO bool) (doc, source string) {
	switch {
	case w.shell == "zsh" && (prog == "setopt" || prog == "unsetopt"):
		return w.l.zshOption(w.ctx, word)
	case w.shell == "bash" && prog == "shopt" && optO:
		if set := w.l.builtinHelp(w.ctx, "set"); set != nil {
			if doc, ok := set.entries["-o"].values[word]; ok {
				return doc, set.name
			}
		}
	case w.shell == "bash" && prog == "shopt":
		if p := w.l.shoptOptions(w.ctx); p != nil {
			if e, ok := p.entries[word]; ok {
				return e.doc, p.name
			}
		}
	}
	return "", ""
}

// zshOption documents one of zsh's options as setopt and set -o take
// it: in any case, with underscores anywhere, and once inverted by a
// leading "no" (setopt no_beep is unsetopt beep).
func (l *Library) zshOption(ctx context.Context, word string) (doc, source string) {
	p := l.zshOptions(ctx)
	if p == nil {
		return "", ""
	}
	name := zshOptionKey(word)
	if e, ok := p.entries[name]; ok {
		return e.doc, p.name
	}
	if rest, ok := strings.CutPrefix(name, "no"); ok {
		if e, ok := p.entries[rest]; ok {
			return "turns off " + e.doc, p.name
		}
	}
	return "", ""
}

// zshOptionKey is an option name as zsh compares them.
func zshOptionKey(name string) string {
	return strings.ToLower(strings.ReplaceAll(name, "_", ""))
}

// zshOptions is zshoptions(1) as a page whose entries are the options,
// keyed by zshOptionKey; each doc names the option as the manual spells
// it, then its first sentence ("EXTENDED_GLOB: Treat the `#', `~' and
// `^' characters as part of patterns...").
func (l *Library) zshOptions(ctx context.Context) *page {
	return l.memo("zshoptions", func() *page {
		lines := l.readNamed(ctx, "zshoptions")
		if lines == nil {
			return nil
		}
		p := &page{name: "zshoptions(1)", entries: map[string]entry{}}
		meaning := map[string]string{} // by key, without the name
		for i := 0; i < len(lines); i++ {
			macro, rest := roff.SplitRequest(lines[i])
			if macro != "SH" {
				continue
			}
			switch strings.Trim(roff.Plain(rest), `" `) {
			case "DESCRIPTION OF OPTIONS":
				for _, t := range tagList(lines[i+1:], true) {
					name, _, _ := strings.Cut(t.tag, " ")
					key := zshOptionKey(name)
					meaning[key] = firstSentence(strings.Join(t.text, " "))
					// <D>: on in every emulation; <Z>: in zsh's.
					if strings.Contains(t.tag, "<D>") || strings.Contains(t.tag, "<Z>") {
						name += " (on by default)"
					}
					p.entries[key] = entry{doc: name + ": " + meaning[key]}
				}
			case "OPTION ALIASES":
				// "BRACE_EXPAND" then "NO_IGNORE_BRACES (ksh and bash
				// compatibility)": another name for an option, or for its
				// inverse.
				for _, t := range tagList(lines[i+1:], true) {
					if len(t.text) == 0 {
						continue
					}
					target, _, _ := strings.Cut(t.text[0], " ")
					key, off := zshOptionKey(target), ""
					m, ok := meaning[key]
					if rest, inverse := strings.CutPrefix(key, "no"); !ok && inverse {
						m, ok, off = meaning[rest], meaning[rest] != "", "turns off "+strings.TrimPrefix(strings.TrimPrefix(target, "NO_"), "NO")+": "
					}
					if ok {
						p.entries[zshOptionKey(t.tag)] = entry{doc: t.tag + ", another name for " + target + ": " + off + m}
					}
				}
			}
		}
		if len(p.entries) == 0 {
			return nil
		}
		return p
	})
}

// shoptOptions is the list of shopt's options in bash(1), as a page
// whose entries are the option names.
func (l *Library) shoptOptions(ctx context.Context) *page {
	return l.memo("shopt", func() *page {
		// bash(1) is kept: its builtins' entries are read from it too.
		lines := l.shellPageLines(ctx, "bash")
		p := &page{name: "bash(1)", entries: map[string]entry{}}
		for i, line := range lines {
			if t := roff.Plain(line); !strings.Contains(t, "list of shopt options") && !strings.Contains(t, "list of the shopt options") {
				continue
			}
			for _, t := range tagList(lines[i+1:], false) {
				text := strings.Join(t.text, " ")
				doc := firstSentence(text)
				if strings.Contains(text, "enabled by default") {
					doc += " (on by default)"
				}
				p.entries[t.tag] = entry{doc: doc}
			}
			break
		}
		if len(p.entries) == 0 {
			return nil
		}
		return p
	})
}

// readNamed reads the manual page name from this machine's trees
// (commands' sections, or those given), or nil where it is not
// installed.
func (l *Library) readNamed(ctx context.Context, name string, sections ...string) []string {
	return readFrom(ctx, l.roots, name, sections...)
}

// readFrom reads the manual page name from the trees roots, or nil.
func readFrom(ctx context.Context, roots []string, name string, sections ...string) []string {
	if ctx.Err() != nil {
		return nil
	}
	if sections == nil {
		sections = commandSections
	}
	path, root := findIn(roots, name, sections...)
	if path == "" {
		return nil
	}
	lines, _ := roff.ReadLines(path, root, maxPageBytes)
	return lines
}

// tagged is one paragraph of a .TP list: its tag and its text lines.
type tagged struct {
	tag  string
	text []string
}

// tagList reads the .TP paragraphs that start lines, until the list
// ends: at the next section, or where the nesting it is in closes (.RE).
// With toSection a paragraph ends at .TP or a section only, as a page
// that puts .RS blocks inside a paragraph (zshoptions) needs; otherwise
// text nested deeper than the tags (.RS) is the paragraph's too.
func tagList(lines []string, toSection bool) []tagged {
	var out []tagged
	depth, pending := 0, false
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		switch macro {
		case "SH", "SS":
			if macro == "SH" || !toSection {
				return out
			}
			continue
		case "RS":
			depth++
			continue
		case "RE":
			if depth--; depth < 0 {
				return out
			}
			continue
		case "TP":
			if depth == 0 || toSection {
				pending = true
			}
			continue
		}
		if macro != "" && !isFontMacro(macro) {
			continue
		}
		t := roff.Plain(line)
		if macro != "" {
			t = roff.Plain(strings.Join(roff.Args(rest), " "))
		}
		if t == "" {
			continue
		}
		if pending {
			pending = false
			out = append(out, tagged{tag: t})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].text = append(out[len(out)-1].text, t)
		}
	}
	return out
}

// itemsDoc explains a value that is a list of words the page documents
// among its options (mount -o ro,noatime, each in mount(8)'s mount
// options; pg_dump -F c), as "ro: meaning; noatime: meaning", or ""
// where any item is not one: xargs -n 1 is no exit status 1.
func itemsDoc(word string, src *page) string {
	if src == nil || word == "" {
		return ""
	}
	var docs []string
	for _, item := range strings.Split(word, ",") {
		key, _, _ := strings.Cut(item, "=")
		if strings.Trim(key, "0123456789") == "" {
			// find -maxdepth 1 is a count, not item 1 of find's list of
			// optimisation levels; mount's options are words.
			return ""
		}
		e, ok := src.entries[key]
		if !ok || !src.optionWords[key] || e.doc == "" {
			return ""
		}
		docs = append(docs, key+": "+e.doc)
	}
	return strings.Join(docs, "; ")
}

// configOption documents a program's configuration keyword given on its
// command line, from the page of its configuration file: ssh -o
// StrictHostKeyChecking=no from ssh_config(5), git -c core.editor=vim
// from git-config(1).
func (l *Library) configOption(ctx context.Context, prog, opt, word string) (doc, source string) {
	if prog == "git" && opt == "-c" {
		key, _, _ := strings.Cut(word, "=")
		return l.gitVariable(ctx, key)
	}
	if opt != "-o" || prog != "ssh" && prog != "scp" && prog != "sftp" {
		return "", ""
	}
	p := l.sshConfig(ctx)
	if p == nil {
		return "", ""
	}
	key, _, _ := strings.Cut(word, "=")
	key, _, _ = strings.Cut(key, " ")
	if e, ok := p.entries[strings.ToLower(key)]; ok {
		return e.doc, p.name
	}
	return "", ""
}

// sshConfig is ssh_config(5) as a page of its keywords (mdoc's ".It Cm
// StrictHostKeyChecking"), keyed in lower case as ssh compares them,
// each doc naming the keyword as the page spells it.
func (l *Library) sshConfig(ctx context.Context) *page {
	return l.memo("ssh_config", func() *page {
		lines := l.readNamed(ctx, "ssh_config", "5")
		p := &page{name: "ssh_config(5)", entries: map[string]entry{}}
		key, depth := "", 0
		var text []string
		flush := func() {
			if key != "" && len(text) > 0 {
				p.entries[strings.ToLower(key)] = entry{doc: key + ": " + firstSentence(strings.Join(text, " "))}
			}
			key, text = "", nil
		}
		for _, line := range lines {
			macro, rest := roff.SplitRequest(line)
			switch macro {
			case "Bl":
				depth++
			case "El":
				depth--
			case "It":
				// The keywords' list; a list nested in one (its values)
				// goes on with its text.
				if depth == 1 {
					flush()
					if f := strings.Fields(rest); len(f) == 2 && f[0] == "Cm" {
						key = f[1]
					}
				}
			case "Sh":
				flush()
			case "Sm": // spacing off and on: no text
			case "":
				if key != "" {
					text = append(text, roff.Plain(line))
				}
			case "Xr":
				// ".Xr ssh 1 ," is ssh(1),
				if f := strings.Fields(rest); key != "" && len(f) >= 2 {
					text = append(text, f[0]+"("+f[1]+")"+strings.Join(f[2:], ""))
				}
			default:
				if key != "" {
					text = append(text, mdocTag(rest))
				}
			}
		}
		flush()
		if len(p.entries) == 0 {
			return nil
		}
		return p
	})
}

// gitVariable documents one of git's configuration variables (git -c
// core.editor=vim, git config user.name) from git-config(1)'s list, as
// git compares their names: the section and the key in any case.
func (l *Library) gitVariable(ctx context.Context, name string) (doc, source string) {
	p := l.gitVariables(ctx)
	if p == nil || name == "" {
		return "", ""
	}
	if e, ok := p.entries[strings.ToLower(name)]; ok {
		return e.doc, p.name
	}
	// alias.co is alias.*, branch.main.remote branch.<name>.remote.
	for _, pat := range p.commands {
		if variableMatch(pat, strings.ToLower(name)) {
			return p.entries[pat].doc, p.name
		}
	}
	return "", ""
}

// variableMatch reports whether name is one of those a pattern of
// git-config(1) stands for: "*" and "<name>" are any name, of one
// character or more (url.<base>.insteadOf's base holds dots and slashes).
func variableMatch(pat, name string) bool {
	i, end := -1, 0
	for k := 0; k < len(pat) && i < 0; k++ {
		switch j := strings.IndexByte(pat[k:], '>'); {
		case pat[k] == '*':
			i, end = k, k+1
		case pat[k] == '<' && j > 0: // a lone "<" is a letter of the name
			i, end = k, k+j+1
		}
	}
	if i < 0 {
		return pat == name
	}
	if !strings.HasPrefix(name, pat[:i]) {
		return false
	}
	for k := i + 1; k <= len(name); k++ {
		if variableMatch(pat[end:], name[k:]) {
			return true
		}
	}
	return false
}

// gitVariables is git-config(1)'s "Variables" as a page whose entries
// are the variables (DocBook's ".PP core.editor .RS 4 meaning .RE";
// several names may share one meaning), keyed in lower case; each doc
// names the variable as the page spells it.
func (l *Library) gitVariables(ctx context.Context) *page {
	return l.memo("git-config", func() *page {
		lines := section(l.readNamed(ctx, "git-config"), "Variables")
		p := &page{name: "git-config(1)", entries: map[string]entry{}}
		var names, text []string
		depth, pp := 0, false
		flush := func() {
			doc := firstSentence(strings.Join(text, " "))
			for _, n := range names {
				key := strings.ToLower(n)
				if _, seen := p.entries[key]; !seen && doc != "" {
					p.entries[key] = entry{doc: n + ": " + doc}
					if strings.ContainsAny(key, "*<") {
						p.commands = append(p.commands, key) // the patterns, in the page's order
					}
				}
			}
			names, text = nil, nil
		}
		for _, line := range lines {
			macro, rest := roff.SplitRequest(line)
			switch macro {
			case "PP":
				pp = depth == 0
			case "RS":
				depth++
			case "RE":
				if depth--; depth == 0 {
					flush()
				}
			case "":
				t := roff.Plain(line)
				switch {
				case pp && depth == 0:
					// "user.name, user.email": the names; a nested list's
					// names (advice.*'s keys) are its text's.
					for _, n := range strings.Split(t, ",") {
						if n = strings.TrimSpace(n); strings.Contains(n, ".") && !strings.Contains(n, " ") {
							names = append(names, n)
						}
					}
					pp = false
				case depth > 0 && len(names) > 0:
					text = append(text, t)
				}
			default:
				if macro != "" && isFontMacro(macro) && depth > 0 && len(names) > 0 {
					text = append(text, roff.Plain(inlineFont(macro, rest)))
				}
			}
		}
		if len(p.entries) == 0 {
			return nil
		}
		return p
	})
}
