package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cmdr-sh/cmdr/explain"
)

// On a terminal, a long documentation line wraps under its own column,
// the parts' column stays clear and no line reaches the last column (the
// terminal would wrap it again); elsewhere each part is one line.
func TestRenderPartsWraps(t *testing.T) {
	long := "Base of file name (the path with the leading directories removed) matches shell pattern pattern"
	ex := explain.Explanation{Command: "find . -name x", Parts: []explain.Part{
		{Text: "find", Kind: explain.KindProgram, Doc: "search for files in a directory hierarchy", Source: "find(1)", Known: true},
		{Text: "-name", Kind: explain.KindFlag, Doc: long, Source: "find(1)", Known: true},
		{Text: "x", Kind: explain.KindArgument, Doc: "the value of -name", Known: true},
	}}
	var b strings.Builder
	renderParts(&b, ex, false, 60)
	rows := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	var doc []string
	checked := false
	for i, row := range rows {
		if n := utf8.RuneCountInString(row); n > 59 {
			t.Errorf("row %d is %d columns on a 60-column terminal: %q", i, n, row)
		}
		switch {
		case strings.HasPrefix(row, "  -name  "):
			doc = append(doc, strings.TrimPrefix(row, "  -name  "))
		case doc != nil && strings.HasPrefix(row, strings.Repeat(" ", 9)) && !strings.HasPrefix(row, strings.Repeat(" ", 10)):
			doc = append(doc, strings.TrimSpace(row))
		case doc != nil:
			if got := strings.Join(strings.Fields(strings.Join(doc, " ")), " "); got != long+" find(1)" {
				t.Errorf("the -name rows read %q", got)
			}
			doc, checked = nil, true
		}
	}
	if !checked {
		t.Errorf("no -name rows followed by another part:\n%s", b.String())
	}
	if n := strings.Count(b.String(), "\n"); n < 6 {
		t.Errorf("nothing wrapped:\n%s", b.String())
	}
	b.Reset()
	renderParts(&b, ex, false, 0)
	if n := strings.Count(b.String(), "\n"); n != len(ex.Parts)+2 {
		t.Errorf("not a terminal: %d rows, want one a part:\n%s", n, b.String())
	}
	if !strings.Contains(b.String(), "  -name  "+long+"  find(1)\n") {
		t.Errorf("not a terminal: the -name row is not whole:\n%s", b.String())
	}
}
