package explain

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Command lines given as one word: sh -c 'cmd', watch 'df -h', ssh host
// 'tail -f log'. Their commands are explained one level deeper, under
// the word, as $(...)'s are.

// maxNesting bounds command lines within command lines.
const maxNesting = 4

// commandLine explains s, a command line in shell's syntax, as parts one
// level deeper than the walker's; nil where it does not parse or nests
// too deep.
func (w *walker) commandLine(s, shell string) []Part {
	if w.depth >= maxNesting || strings.TrimSpace(s) == "" {
		return nil
	}
	lang := syntax.LangBash
	if shell == "zsh" {
		lang = syntax.LangZsh
	}
	f, err := syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(false)).Parse(strings.NewReader(s), "")
	if err != nil || len(f.Stmts) == 0 {
		return nil
	}
	sub := walker{l: w.l, ctx: w.ctx, src: s, shell: shell, depth: w.depth + 1}
	for i, st := range f.Stmts {
		if i > 0 {
			sub.add(Part{Text: ";", Kind: KindOperator, Doc: "then run the next command", Known: true})
		}
		sub.stmt(st)
	}
	return sub.parts
}
