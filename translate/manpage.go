package translate

import (
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// manPage is what tool retrieval keeps of one manual page: the summary of
// its NAME line and the opening of its DESCRIPTION, the words a request is
// likely to share with it.
type manPage struct {
	Summary string
	Text    string
}

// maxPageText bounds the bytes of a page kept, read and indexed: the
// first paragraphs say what a tool is for; the long option lists after
// them mostly add noise (and a 300 KB page would outweigh everything).
const maxPageText = 4000

// readManPage reads the page at path in the manual tree root.
func readManPage(path, root string) (manPage, error) {
	lines, err := roff.ReadLines(path, root, 256<<10)
	if err != nil {
		return manPage{}, err
	}
	p := manPage{}
	var section string
	var text strings.Builder
	for _, line := range lines {
		macro, rest := roff.SplitRequest(line)
		switch macro {
		case `\"`:
			continue
		case "":
			rest = line
		case "SH", "Sh", "SS", "Ss":
			if macro == "SH" || macro == "Sh" {
				section = strings.ToUpper(strings.Trim(roff.Plain(rest), `" `))
			}
			continue
		case "Nd": // mdoc's one-line summary
			p.Summary = roff.Plain(rest)
			continue
		case "TH", "Dd", "Dt", "Os", "de", "ds", "nr", "so", "ig", "if", "ie", "el", "tr", "ft", "ps", "in", "ti", "ta", "ll", "ne", "sp", "br":
			continue
		}
		t := roff.Plain(rest)
		if t == "" {
			continue
		}
		switch {
		case section == "NAME":
			if p.Summary == "" {
				if _, s, ok := roff.CutDash(t); ok {
					p.Summary = s
					continue
				}
			} else if len(p.Summary) < 200 && !strings.Contains(t, " - ") {
				p.Summary += " " + t // a summary wrapped over lines
			}
		case section == "SYNOPSIS" || section == "SEE ALSO" || strings.HasPrefix(section, "AUTHOR") ||
			strings.HasPrefix(section, "COPYRIGHT") || strings.HasPrefix(section, "REPORTING"):
			// Names and boilerplate, not what the tool is for.
		case text.Len() < maxPageText:
			text.WriteString(t)
			text.WriteByte(' ')
		}
	}
	p.Text = strings.TrimSpace(text.String())
	if len(p.Text) > maxPageText {
		p.Text = p.Text[:maxPageText]
	}
	return p, nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '+'
}
