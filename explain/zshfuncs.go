package explain

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/roff"
)

// zshFunction documents a function that comes with zsh, from the page
// that describes it: compinit and compdef are the completion system's
// (zshcompsys(1)); add-zsh-hook, zmv, vcs_info and promptinit are among
// zshcontrib(1)'s. A .zshrc calls them as commands, but they have no
// page of their own, and neither zshbuiltins(1) nor bash's help knows
// them. These pages also tag styles and completion tags in lists of the
// same shape (zshcompsys(1)'s "colors" is a tag, zshcontrib(1)'s colors
// a function): zshcompsys(1) is read only where it speaks of its
// functions, and zshcontrib(1) only for a name zsh ships a function
// file for.
func (l *Library) zshFunction(ctx context.Context, name string) *page {
	if !isCommandName(name) {
		return nil
	}
	return l.memo("zsh function:"+name, func() *page {
		// zshcompsys(1): compdef, which compinit defines, then the
		// section on compinit itself, which names the others it speaks
		// of (compaudit, bashcompinit) in its text.
		init := l.shellSection(ctx, "zshcompsys", "INITIALIZATION")
		p, desc := builtinEntry(section(init, "Functions"), name)
		if p == nil {
			p = usePage(init, name)
		}
		switch {
		case p != nil:
			p.name = "zshcompsys(1)"
		case !zshShipsFunction(name) && !zshShipsFunction(name+"init"):
			// (promptinit defines prompt, as compinit compdef.)
			return nil
		default:
			contrib := l.shellPageLines(ctx, "zshcontrib")
			if p, desc = builtinEntry(contrib, name); p == nil {
				if p = callPage(contrib, name); p == nil {
					return nil
				}
			}
			p.name = "zshcontrib(1)"
		}
		p.builtin = false
		if s := subjectSentence(desc, name); s != "" {
			p.summary = s
		}
		return p
	})
}

// zshFunctionRoots are where zsh's own functions are installed: Debian
// sorts them in directories by kind, Fedora, macOS and Homebrew keep
// them in one, under the version or not.
var zshFunctionRoots = []string{
	"/usr/share/zsh/functions/*", "/usr/share/zsh/*/functions", "/usr/local/share/zsh/functions",
	"/usr/local/share/zsh/*/functions", "/opt/homebrew/share/zsh/functions",
}

// zshShipsFunction reports whether zsh on this machine has a function
// file of that name.
func zshShipsFunction(name string) bool {
	for _, root := range zshFunctionRoots {
		if m, _ := filepath.Glob(filepath.Join(root, name)); len(m) > 0 {
			if st, err := os.Stat(m[0]); err == nil && st.Mode().IsRegular() {
				return true
			}
		}
	}
	return false
}

// usePage reads what a section says in running text of name:
// zshcompsys(1)'s "Use of compinit" is compinit's, what it is used to do
// its summary, its options in the sentences that name them; of the
// functions it mentions ("running the function compaudit", "The
// function bashcompinit provides..."), the first sentence that names
// one is its summary.
func usePage(lines []string, name string) *page {
	if own := section(lines, "Use of "+name); own != nil {
		text := runningText(own)
		if m := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + ` to ([a-z][^;.]+)`).FindStringSubmatch(text); m != nil {
			return &page{summary: strings.ToUpper(m[1][:1]) + m[1][1:], prose: proseOptions(own, name, false)}
		}
	}
	named := regexp.MustCompile(`(?i)\bthe function ` + regexp.QuoteMeta(name) + `\b`)
	for _, s := range sentences(runningText(lines)) {
		if named.MatchString(s) {
			return &page{summary: strings.TrimSuffix(firstSentence(s), ".")}
		}
	}
	return nil
}

// callPage reads what a page says in running text of a function it
// only tells the reader to call: zshcontrib(1) tags promptinit nowhere,
// but its PROMPT THEMES section says "to initialize the use of the system
// you need to call the promptinit function". What it is called to do is
// the summary, with the section's title saying which system that is.
func callPage(lines []string, name string) *page {
	call := regexp.MustCompile(`\bto ([a-z][^,;.]*?),? you (?:need to|must|should) call (?:the )?(?:function )?` +
		regexp.QuoteMeta(name) + `\b`)
	title, start := "", 0
	check := func(end int) *page {
		if m := call.FindStringSubmatch(runningText(lines[start:end])); m != nil && title != "" {
			return &page{summary: strings.ToUpper(m[1][:1]) + m[1][1:] + " (" + strings.ToLower(title) + ")"}
		}
		return nil
	}
	for i, line := range lines {
		if macro, rest := roff.SplitRequest(line); macro == "SH" {
			if p := check(i); p != nil {
				return p
			}
			title, start = strings.Trim(roff.Plain(rest), `" `), i+1
		}
	}
	return check(len(lines))
}

// subjectSentence is the sentence of an entry that has name as its
// subject, where the entry opens with something else: add-zsh-hook's
// starts with the shell's hooks, then "The shell function add-zsh-hook
// provides a simple way of adding or removing functions from the
// array". compdef's "The first form defines the function to call..."
// is what compdef itself does.
func subjectSentence(desc, name string) string {
	all := sentences(desc)
	if len(all) == 0 {
		return ""
	}
	if rest, ok := strings.CutPrefix(all[0], "The first form "); ok && rest != "" {
		return strings.TrimSuffix(firstSentence(strings.ToUpper(rest[:1])+rest[1:]), ".")
	}
	subject := regexp.MustCompile(`^(?:The (?:shell )?function )?` + regexp.QuoteMeta(name) + ` [a-z]+s\b`)
	if strings.Contains(all[0], name) {
		return ""
	}
	for _, s := range all[1:] {
		if s = strings.TrimSpace(s); subject.MatchString(s) {
			return strings.TrimSuffix(firstSentence(s), ".")
		}
	}
	return ""
}

// runningText is the text of a page's lines, without its requests.
func runningText(lines []string) string {
	var words []string
	for _, line := range lines {
		if macro, _ := roff.SplitRequest(line); macro == "" {
			words = append(words, strings.Fields(roff.Plain(line))...)
		}
	}
	return strings.Join(words, " ")
}

// zshModule is the first sentence zshmodules(1) says of a module, from
// the section named after it ("THE ZSH/COMPLIST MODULE").
func (l *Library) zshModule(ctx context.Context, name string) string {
	if !strings.HasPrefix(name, "zsh/") {
		return ""
	}
	lines := l.shellSection(ctx, "zshmodules", "THE "+strings.ToUpper(name)+" MODULE")
	// Its first paragraph: a list of the builtins it adds may follow.
	for i, line := range lines {
		if macro, _ := roff.SplitRequest(line); macro == "PP" || macro == "TP" || macro == "RS" || macro == "SS" {
			lines = lines[:i]
			break
		}
	}
	return strings.TrimSuffix(firstSentence(runningText(lines)), ":")
}
