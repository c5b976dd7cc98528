package explain

import (
	"context"
	"strconv"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// sttySettings reads stty(1)'s settings, which are words, not options:
// "[-]echo" (the dash turns it off), "intr CHAR" and "cols N" (a value
// after them), "N" (a speed), "csN" (cs5 to cs8), "-cbreak" (listed
// apart). Read as options, -echo was the letters -e -c -h -o. The
// entries are by the setting's name; arg marks a value after it, and
// "-" before a name that its dash turns off.
func (l *Library) sttySettings(ctx context.Context) *page {
	return l.memo("stty settings", func() *page {
		lines := section(l.shellPageLines(ctx, "stty"), "DESCRIPTION")
		if lines == nil {
			return nil
		}
		p := &page{name: "stty(1)", entries: map[string]entry{}}
		for _, t := range tagList(lines, true) {
			tag := strings.TrimPrefix(t.tag, "* ")
			doc := firstSentence(strings.Join(t.text, " "))
			if doc == "" || strings.Contains(tag, ",") || strings.HasPrefix(tag, "--") {
				continue // stty's own options: -a, --all
			}
			name, value, _ := strings.Cut(tag, " ")
			if rest, ok := strings.CutPrefix(doc, "CHAR "); ok && value == "CHAR" {
				doc = "sets the character that " + rest // "intr CHAR: CHAR will send an interrupt signal"
			}
			if rest, ok := strings.CutPrefix(name, "[-]"); ok {
				name = rest
				p.entries["-"+rest] = entry{doc: "turns off what " + rest + " does: " + doc}
			}
			if _, ok := p.entries[name]; !ok {
				p.entries[name] = entry{doc: doc, arg: value != ""}
			}
		}
		if len(p.entries) == 0 {
			return nil
		}
		return p
	})
}

// sttySetting is what stty(1) says of word as a setting: by its name,
// a speed by "N", cs8 by "csN"; and whether a value follows it.
func sttySetting(p *page, word string) (doc string, arg bool) {
	if p == nil || word == "" {
		return "", false
	}
	if e, ok := p.entries[word]; ok {
		return e.doc, e.arg
	}
	if strings.Trim(word, "0123456789") == "" {
		return p.entries["N"].doc, false
	}
	if letters := strings.TrimRight(word, "0123456789"); letters != word && letters != "" {
		return p.entries[letters+"N"].doc, false
	}
	return "", false
}

// sttyValue explains the value of a setting: a character in hat notation
// (^C, Ctrl-C; ^- and undef turn it off), a number.
func sttyValue(setting, value string) string {
	if value == "^-" || value == "undef" {
		return "no character: " + setting + " is turned off"
	}
	if k := keyDoc(value); k != "" && strings.HasPrefix(value, "^") {
		return "the character for " + setting + ": " + k
	}
	return "the value of " + setting
}

// terminfoCaps reads the capabilities of terminfo(5)'s tables (a row
// is the variable, the capability's name, its termcap code, then its
// description, in a T{ … T} block), by the name tput takes: setaf, sgr0,
// cols.
func (l *Library) terminfoCaps(ctx context.Context) *page {
	return l.memo("terminfo capabilities", func() *page {
		lines := l.readNamed(ctx, "terminfo", "5")
		p := &page{name: "terminfo(5)", entries: map[string]entry{}}
		for i := 0; i < len(lines); i++ {
			f := strings.Split(lines[i], "\t")
			if len(f) != 4 || f[3] != "T{" || !isCommandName(f[1]) {
				continue
			}
			var desc []string
			for i++; i < len(lines) && lines[i] != "T}"; i++ {
				desc = append(desc, lines[i])
			}
			if _, ok := p.entries[f[1]]; !ok {
				p.entries[f[1]] = entry{doc: firstSentence(roff.Plain(strings.Join(desc, " ")))}
			}
		}
		if len(p.entries) == 0 {
			return nil
		}
		return p
	})
}

// tputRoles reads tput's capability and the parameters after it (tput
// cup 0 0, tput setaf 1).
func (w *walker) tputRoles(ops []int, set func(int, string)) {
	caps := w.l.terminfoCaps(w.ctx)
	name := w.parts[ops[0]].Text
	if caps == nil || caps.entries[name].doc == "" {
		return
	}
	set(ops[0], "the terminal capability "+name+": "+caps.entries[name].doc)
	w.parts[ops[0]].Source = caps.name
	for n, i := range ops[1:] {
		set(i, "#"+strconv.Itoa(n+1)+" of "+name)
	}
}
