package explain

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// zshBuiltin documents a zsh builtin from zshbuiltins(1): bash's help,
// which stands in for the builtins both shells have, knows nothing of
// print, autoload or setopt, and zsh's echo, kill and test are not the
// programs of the same names.
func (l *Library) zshBuiltin(ctx context.Context, name string) *page {
	if !isCommandName(name) && name != "." && name != ":" && name != "[" {
		return nil
	}
	return l.memo("zsh:"+name, func() *page {
		p, desc := builtinEntry(l.shellPageLines(ctx, "zshbuiltins"), name)
		if p == nil {
			return nil
		}
		// "See the section `Zle Builtins' in zshzle(1)": bindkey, zle,
		// zstyle, noglob and the modules' builtins are documented
		// there, in entries of the same shape.
		m := zshSection.FindStringSubmatch(p.summary)
		if m == nil {
			return p
		}
		p.module = strings.HasPrefix(m[1], "The zsh/")
		lines := l.shellSection(ctx, m[2], m[1])
		if q := zshBuiltinPage(lines, name); q != nil {
			q.name, q.module = m[2]+"(1)", p.module
			if s := introClause(lines, name); s != "" {
				q.summary = s
			}
			return q
		}
		// autoload's "See the section `Autoloading Functions' in
		// zshmisc(1) for full details.": the sentence after it says more.
		if _, rest, ok := strings.Cut(desc, ". "); ok && strings.HasPrefix(desc, "See the section") {
			p.summary = strings.TrimSuffix(firstSentence(rest), ".")
		}
		return p
	})
}

// zshSection is a reference from zshbuiltins(1) to where a builtin is
// documented in full.
var zshSection = regexp.MustCompile("^See the section `([^']+)' in (zsh[a-z]+)\\(1\\)")

// introClause is what the text before a section's entries says name
// does, where it says so in a clause of its own: zshzle(1)'s "The
// bindkey command manipulates keymaps and key bindings; the vared
// command...", which the entry itself does not.
func introClause(lines []string, name string) string {
	end := len(lines)
	for i, line := range lines {
		if macro, _ := roff.SplitRequest(line); macro == "TP" {
			end = i
			break
		}
	}
	re := regexp.MustCompile(`(?i)(?:^|[;.] (?:and )?)the ` + regexp.QuoteMeta(name) + ` (?:command|builtin) ([a-z][^;.]+)`)
	m := re.FindStringSubmatch(runningText(lines[:end]))
	if m == nil {
		return ""
	}
	return strings.ToUpper(m[1][:1]) + m[1][1:]
}

// shellPageLines reads one of the shells' pages once, for every builtin
// asked about: reading and resolving a page costs more than cutting one
// entry out of it.
func (l *Library) shellPageLines(ctx context.Context, name string) []string {
	return l.linesOnce(ctx, name, func() []string { return l.readNamed(ctx, name) })
}

// shellSection is shellPageLines' section title, cut once: bash(1)'s
// builtins are thousands of lines into it, and zshmodules(1)'s modules
// are each asked about builtin by builtin.
func (l *Library) shellSection(ctx context.Context, name, title string) []string {
	return l.linesOnce(ctx, name+"\x00"+title, func() []string { return section(l.shellPageLines(ctx, name), title) })
}

// linesOnce returns the lines kept under key, or makes them with load
// and keeps them (nil too: a page not installed stays so).
func (l *Library) linesOnce(ctx context.Context, key string, load func() []string) []string {
	l.mu.Lock()
	lines, read := l.shellPages[key]
	l.mu.Unlock()
	if read || ctx.Err() != nil {
		return lines
	}
	lines = load()
	l.mu.Lock()
	if l.shellPages == nil {
		l.shellPages = map[string][]string{}
	}
	l.shellPages[key] = lines
	l.mu.Unlock()
	return lines
}

// section is the part of a page's lines under the heading title (.SH
// or .SS, in any case), up to the next heading of its level or above.
func section(lines []string, title string) []string {
	start, level := -1, ""
	for i, line := range lines {
		macro, rest := roff.SplitRequest(line)
		if macro != "SH" && macro != "SS" {
			continue
		}
		if start >= 0 && (macro == "SH" || level == "SS") {
			return lines[start:i]
		}
		if start < 0 && strings.EqualFold(strings.Trim(roff.Plain(rest), `" `), title) {
			start, level = i+1, macro
		}
	}
	if start < 0 {
		return nil
	}
	return lines[start:]
}

// zshBuiltinPage cuts name's entry out of zshbuiltins(1): each builtin is
// a paragraph tagged with its synopsis (a name in bold, then its
// arguments; a tag that starts otherwise is another form of the one
// before it), and the options of those that have a list of them come in
// a list nested in the paragraph. The entry's first sentence is its
// summary.
func zshBuiltinPage(lines []string, name string) *page {
	p, _ := builtinEntry(lines, name)
	return p
}

// builtinEntry is zshBuiltinPage, with the text of the entry before its
// options. bash(1)'s SHELL BUILTIN COMMANDS has entries of the same
// shape.
func builtinEntry(lines []string, name string) (*page, string) {
	var body, desc, raw, tags, synopsis []string
	depth, in, found, tagNext, afterTag := 0, false, false, false, false
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		switch macro {
		case "RS":
			depth++
		case "RE":
			depth = max(depth-1, 0)
		case "TP":
			if depth == 0 {
				tagNext = true
				continue
			}
		case "PD":
			if depth == 0 {
				continue
			}
		case "SH", "SS":
			in, tagNext = false, false
		}
		if tagNext && (macro == "" || isFontMacro(macro)) {
			tagNext = false
			if n := zshTagName(line); n != "" {
				// Tags one after another share the paragraph: test and [.
				if !afterTag {
					tags = tags[:0]
				}
				tags = append(tags, n)
				in = slices.Contains(tags, name)
				found = found || in
			}
			afterTag = true
			if in {
				synopsis = append(synopsis, line)
			}
			continue // a tag: the synopsis, not the meaning
		}
		afterTag = false
		if !in {
			continue
		}
		raw = append(raw, line)
		if depth == 0 && macro == "" && len(body) == 0 {
			desc = append(desc, roff.Plain(line))
			continue
		}
		if depth == 0 && macro != "" && isFontMacro(macro) && len(body) == 0 {
			// bash(1): "accepted by the\n.B complete\nbuiltin".
			desc = append(desc, roff.Plain(inlineFont(macro, rest)))
			continue
		}
		// zstyle tags its options as forms of the command ("zstyle -d
		// [ pattern ]"): the option is the tag.
		if rest, ok := strings.CutPrefix(line, `\fB`+name+` `); ok && len(body) > 0 && strings.HasPrefix(body[len(body)-1], ".TP") {
			line = `\fB` + rest
		}
		body = append(body, line)
	}
	if !found {
		return nil, ""
	}
	p := parsePage(append([]string{".SH OPTIONS"}, body...), "zshbuiltins(1)")
	text := strings.Join(strings.Fields(strings.Join(desc, " ")), " ")
	p.summary = zshSummary(text)
	p.builtin = true
	p.prose = proseOptions(raw, name, false)
	// The synopsis says which of those take a value: print's "[ -f
	// format ]" (its list has only the options that need more words).
	for _, m := range synopsisArg.FindAllStringSubmatch(strings.Join(synopsis, " "), -1) {
		if e, ok := p.prose["-"+m[1]]; ok {
			e.arg = true
			p.prose["-"+m[1]] = e
		}
	}
	if m := zshRef.FindStringSubmatch(text); m != nil {
		p.ref = m[1]
	}
	return p, text
}

// synopsisArg finds an option with a value in a builtin's synopsis, in
// roff: [ \fB\-f\fP \fIformat\fP ].
var synopsisArg = regexp.MustCompile(`\[ ?\\fB\\-([A-Za-z])\\fP \\fI[^\\]+\\fP ?\]`)

// zshSummary is what a builtin's entry says it does: its first sentence,
// unless that one is an option's. print's opens with "With the `-f'
// option the arguments are printed as described by printf", and then
// comes its own: "With no flags or with the flag `-', the arguments are
// printed on the standard output as described by echo, with the
// following differences:", a list no line can hold, so the clause that
// leads into it goes.
func zshSummary(text string) string {
	first := firstSentence(text)
	rest, ok := strings.CutPrefix(text, first+". ")
	if !ok || !strings.HasPrefix(first, "With the `-") || !strings.Contains(first, "' option") {
		return strings.TrimSuffix(first, ".")
	}
	if i := strings.Index(rest, ": "); i > 0 {
		rest = rest[:i]
		if j := strings.LastIndex(rest, ", "); j > 0 {
			rest = rest[:j]
		}
	}
	return strings.TrimSuffix(firstSentence(rest), ".")
}

// zshRef finds the builtin whose options an entry refers to: local is
// "Same as typeset, except...", export "Equivalent to typeset -gx".
var zshRef = regexp.MustCompile(`(?:^|\. )(?:Same as|Equivalent to) ([a-z]+)\b`)

// zshTagName is the builtin a tag line names: its first word, in bold
// (\fBprint \fP[...], \fB\&.\fP file), or "" for a tag that continues
// the one before it (\fB      \fP[ -v name ], \fIjob\fP ... &).
func zshTagName(line string) string {
	macro, rest := roff.SplitRequest(line)
	switch macro {
	case "":
		var bold bool
		if rest, bold = strings.CutPrefix(line, `\fB`); !bold {
			return ""
		}
	case "B", "BR", "BI":
		rest = roff.FirstArg(rest)
	default:
		return ""
	}
	word, _, _ := strings.Cut(rest, `\f`)
	word = strings.TrimSpace(roff.Plain(word))
	if f := strings.Fields(word); len(f) > 0 && (isCommandName(f[0]) || f[0] == "." || f[0] == ":" || f[0] == "[") && strings.HasPrefix(word, f[0]) {
		return f[0]
	}
	return ""
}
