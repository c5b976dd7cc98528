package explain

import (
	"context"
	"strings"
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
