package explain

import (
	"context"
	"strings"
)

// zstyleTitles are where the styles of each context zstyle sets are
// listed: completion's in zshcompsys(1), vcs_info's in zshcontrib(1).
var zstyleTitles = map[string]struct{ page, source, section, sub string }{
	"completion": {"zshcompsys", "zshcompsys(1)", "Standard Styles", ""},
	"vcs_info":   {"zshcontrib", "zshcontrib(1)", "GATHERING INFORMATION FROM VERSION CONTROL SYSTEMS", "Configuration"},
}

// zstyles reads the styles of a context (its first field: completion,
// vcs_info), each tag's first word with its first sentence.
func (l *Library) zstyles(ctx context.Context, kind string) *page {
	where, ok := zstyleTitles[kind]
	if !ok {
		return nil
	}
	return l.memo("zstyles:"+kind, func() *page {
		lines := section(l.shellPageLines(ctx, where.page), where.section)
		if where.sub != "" {
			lines = section(lines, where.sub)
		}
		return firstWordEntries(lines, where.source)
	})
}

// zstyleRoles reads zstyle PATTERN STYLE VALUE...: the contexts the
// style is for, the style by what its page says of it, its values.
func (w *walker) zstyleRoles(ops []int, set func(int, string)) {
	pattern := unquoteText(w.parts[ops[0]].Text)
	role := "the contexts the style applies in (a pattern)"
	field, _, _ := strings.Cut(strings.TrimPrefix(pattern, ":"), ":")
	if field == "completion" {
		role += "; completion's are :completion:function:completer:command:argument:tag"
	}
	set(ops[0], role)
	if len(ops) < 2 {
		return
	}
	style := unquoteText(w.parts[ops[1]].Text)
	if p := w.l.zstyles(w.ctx, field); p != nil && p.entries[style].doc != "" {
		set(ops[1], "the style: "+p.entries[style].doc)
		w.parts[ops[1]].Source = p.name
	} else {
		set(ops[1], "the style to set")
	}
	for _, i := range ops[2:] {
		set(i, "a value of the style")
	}
}
