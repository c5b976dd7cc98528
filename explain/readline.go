package explain

import (
	"context"
	"strconv"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// readlineFunctions reads the commands readline can bind keys to, from
// bash(1)'s "Readline Command Names" and the subsections after it
// (beginning-of-line, history-search-backward), by name.
func (l *Library) readlineFunctions(ctx context.Context) *page {
	return l.memo("readline functions", func() *page {
		return readlineList(l.shellSection(ctx, "bash", "READLINE"), "Readline Command Names", "Programmable Completion")
	})
}

// readlineVariables reads bash(1)'s "Readline Variables" (bell-style,
// completion-ignore-case), by name.
func (l *Library) readlineVariables(ctx context.Context) *page {
	return l.memo("readline variables", func() *page {
		return firstWordEntries(section(l.shellSection(ctx, "bash", "READLINE"), "Readline Variables"), "bash(1)")
	})
}

// readlineList reads the .TP lists from the subsection titled from to
// the one titled to (see firstWordEntries): the command names are
// listed over several subsections, which section alone would not span.
func readlineList(lines []string, from, to string) *page {
	start, end := -1, len(lines)
	for i, line := range lines {
		macro, rest := roff.SplitRequest(line)
		if macro != "SS" {
			continue
		}
		switch title := strings.Trim(roff.Plain(rest), `" `); {
		case strings.EqualFold(title, from):
			start = i + 1
		case strings.EqualFold(title, to) && start >= 0:
			end = i
		}
		if end < len(lines) {
			break
		}
	}
	if start < 0 {
		return nil
	}
	return firstWordEntries(lines[start:end], "bash(1)")
}

// firstWordEntries is a page named source of the .TP lists in lines:
// each tag's first word (a default or the keys bound may follow it),
// with its paragraph's first sentence.
func firstWordEntries(lines []string, source string) *page {
	p := &page{name: source, entries: map[string]entry{}}
	for _, t := range tagList(lines, true) {
		name := firstField(t.tag)
		if doc := firstSentence(strings.Join(t.text, " ")); doc != "" && name != "" {
			if _, ok := p.entries[name]; !ok {
				p.entries[name] = entry{doc: doc}
			}
		}
	}
	if len(p.entries) == 0 {
		return nil
	}
	return p
}

// readlineKeys are the key names readline reads before a colon
// (Control-u: universal-argument, TAB: complete).
var readlineKeys = map[string]string{"DEL": "Delete", "ESC": "Esc", "ESCAPE": "Esc", "LFD": "Ctrl-J", "NEWLINE": "Enter",
	"RET": "Enter", "RETURN": "Enter", "RUBOUT": "Backspace", "SPACE": "Space", "SPC": "Space", "TAB": "Tab"}

// readlineKey names the keys of a binding's key: a quoted sequence
// ("\C-x\C-r", "\e[A") or a key name (Control-u, Meta-Rubout, TAB).
func readlineKey(key string) string {
	if q, ok := strings.CutPrefix(key, `"`); ok {
		return keyDoc(strings.TrimSuffix(q, `"`))
	}
	var mods []string
	for {
		if rest, ok := cutFold(key, "Control-"); ok {
			mods, key = append(mods, "Ctrl-"), rest
		} else if rest, ok := cutFold(key, "Meta-"); ok {
			mods, key = append(mods, "Alt-"), rest
		} else {
			break
		}
	}
	name := readlineKeys[strings.ToUpper(key)]
	if name == "" {
		if len(key) != 1 {
			return ""
		}
		name = key
		if len(mods) > 0 && mods[len(mods)-1] == "Ctrl-" {
			name = strings.ToUpper(key)
		}
	}
	return strings.Join(mods, "") + name
}

func cutFold(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return "", false
}

// readlineBinding splits a binding as bind and inputrc write it, KEY:
// TARGET, where KEY is a quoted sequence or a key name; ok is false for
// anything else.
func readlineBinding(s string) (key, target string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		end := 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			return "", "", false
		}
		key, s = s[:end+1], s[end+1:]
	} else {
		i := strings.IndexByte(s, ':')
		if i <= 0 || strings.ContainsAny(s[:i], " \t") {
			return "", "", false
		}
		key, s = s[:i], s[i:]
	}
	rest, ok := strings.CutPrefix(strings.TrimLeft(s, " \t"), ":")
	if !ok {
		return "", "", false
	}
	return key, strings.TrimSpace(rest), true
}

// unquoteText removes the quotes around a word as the shell would for a
// single word in quotes ('…', "…"); other words are returned as they are.
func unquoteText(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// bindRoles reads bash's bind: the values of -m, -f, -q, -u and -r, a
// "set NAME VALUE" of a readline variable, and KEY: TARGET bindings,
// whose target is a readline function, a macro in quotes, or, given to
// -x, a command line, explained under the binding where it is the
// command's last word. start is where the command's parts begin.
func (w *walker) bindRoles(start int, ops []int, set func(int, string)) {
	values := map[string]string{"-m": "the keymap the bindings are made in", "-f": "a file of bindings to read, as ~/.inputrc is read",
		"-q": "the function to tell the keys of", "-u": "the function to unbind from every key", "-r": "the key sequence to unbind"}
	for i := start + 1; i < len(w.parts); i++ {
		before, p := w.parts[i-1], &w.parts[i]
		if p.Depth != w.depth || p.Program != "bind" || !p.value || before.Kind != KindFlag {
			continue
		}
		text := unquoteText(p.Text)
		switch {
		case before.Text == "-x":
			w.bindingRole(i, text, true, func(i int, role string) { w.parts[i].Doc = role })
		case values[before.Text] != "":
			p.Doc = values[before.Text]
			if k := keyDoc(text); before.Text == "-r" && k != "" {
				p.Doc += ": " + k
			}
		}
	}
	for _, i := range ops {
		text := unquoteText(w.parts[i].Text)
		if rest, ok := strings.CutPrefix(text, "set "); ok {
			name, value, _ := strings.Cut(strings.TrimSpace(rest), " ")
			role := "sets readline's " + name + " to " + strings.TrimSpace(value)
			if v := w.l.readlineVariables(w.ctx); v != nil && v.entries[name].doc != "" {
				role += ": " + v.entries[name].doc
			}
			set(i, role)
			continue
		}
		w.bindingRole(i, text, false, set)
	}
}

// bindingRole explains the binding KEY: TARGET of part i.
func (w *walker) bindingRole(i int, text string, shellCommand bool, set func(int, string)) {
	key, target, ok := readlineBinding(text)
	if !ok {
		return
	}
	k := readlineKey(key)
	if k == "" {
		k = key
	}
	switch {
	case shellCommand:
		command := unquoteText(target)
		nested := w.commandLine(command, "bash")
		if nested == nil || i != len(w.parts)-1 {
			set(i, "binds "+k+" to run the command line "+strconv.Quote(command))
			return
		}
		set(i, "binds "+k+" to run the commands:")
		w.parts = append(w.parts, nested...)
	case strings.HasPrefix(target, `"`):
		set(i, "binds "+k+" to type "+target+" (a macro)")
	default:
		role := "binds " + k + " to " + target
		if f := w.l.readlineFunctions(w.ctx); f != nil && f.entries[target].doc != "" {
			role += ": " + f.entries[target].doc
		}
		set(i, role)
	}
}
