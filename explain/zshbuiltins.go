package explain

import (
	"context"
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
		if lines := l.zshBuiltinLines(ctx); lines != nil {
			return zshBuiltinPage(lines, name)
		}
		return nil
	})
}

// zshBuiltinLines reads zshbuiltins(1) once for every builtin asked
// about: reading and resolving the page costs more than cutting one
// entry out of it.
func (l *Library) zshBuiltinLines(ctx context.Context) []string {
	l.mu.Lock()
	lines, read := l.zshLines, l.zshRead
	l.mu.Unlock()
	if read || ctx.Err() != nil {
		return lines
	}
	if path, root := find(l.roots, "zshbuiltins"); path != "" {
		lines, _ = roff.ReadLines(path, root, maxPageBytes)
	}
	l.mu.Lock()
	l.zshLines, l.zshRead = lines, true
	l.mu.Unlock()
	return lines
}

// zshBuiltinPage cuts name's entry out of zshbuiltins(1): each builtin is
// a paragraph tagged with its synopsis (a name in bold, then its
// arguments; a tag that starts otherwise is another form of the one
// before it), and the options of those that have a list of them come in
// a list nested in the paragraph. The entry's first sentence is its
// summary.
func zshBuiltinPage(lines []string, name string) *page {
	var body, desc, tags []string
	depth, in, found, tagNext, afterTag := 0, false, false, false, false
	for _, line := range lines {
		macro, _ := roff.SplitRequest(line)
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
			continue // a tag: the synopsis, not the meaning
		}
		afterTag = false
		if !in {
			continue
		}
		if depth == 0 && macro == "" && len(body) == 0 {
			desc = append(desc, roff.Plain(line))
			continue
		}
		body = append(body, line)
	}
	if !found {
		return nil
	}
	p := parsePage(append([]string{".SH OPTIONS"}, body...), "zshbuiltins(1)")
	p.summary = strings.TrimSuffix(firstSentence(strings.Join(desc, " ")), ".")
	return p
}

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
