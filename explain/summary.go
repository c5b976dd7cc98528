package explain

import (
	"fmt"
	"strings"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/translate"
)

// summarySystem keeps the model to what the documentation says: it
// summarizes, it does not explain from memory.
const summarySystem = "You summarize shell commands for the person who is about to run them. " +
	"In two or three short sentences, say what the command does as a whole, using only the documentation excerpts given. " +
	"Never describe an option the excerpts do not describe; say when a part is undocumented."

// Docs renders the parts' documented meanings as the excerpts a summary
// is grounded in.
func (ex Explanation) Docs() string {
	var b strings.Builder
	for _, p := range ex.Parts {
		src := ""
		if p.Source != "" {
			src = " [" + p.Source + "]"
		}
		fmt.Fprintf(&b, "- %s (%s): %s%s\n", p.Text, p.Kind, p.Doc, src)
	}
	if len(ex.Risk.Reasons) > 0 {
		fmt.Fprintf(&b, "- risk %s: %s\n", ex.Risk.Level, strings.Join(ex.Risk.Reasons, "; "))
	}
	return b.String()
}

// SummaryMessages asks a model for a summary of cmd grounded in docs
// (from Docs); without docs the model is asked to stay brief and not to
// guess options. Secrets in either are redacted.
func SummaryMessages(cmd, docs string) []engine.Message {
	user := "Command: " + translate.Redact(cmd)
	if docs != "" {
		user += "\nDocumentation excerpts:\n" + translate.Redact(docs)
	}
	return []engine.Message{{Role: engine.RoleSystem, Content: summarySystem}, {Role: engine.RoleUser, Content: user}}
}
