package translate

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cmdr-sh/cmdr/engine"
)

// ContextOptions switch each part of the grounded context on or off.
type ContextOptions struct {
	OS, Listing, Git, History, Tools bool
	// MaxListing caps the directory listing (entries).
	MaxListing int
	// Budget caps the rendered context in bytes (about four per token);
	// parts are dropped from the least useful up until it fits.
	Budget int
}

// DefaultContextOptions turns everything on within about 225 tokens.
// Context follows the cached prompt, so every token of it that changes
// between requests is evaluated again: on a 2-core laptop each costs about
// 5 ms with a 0.5B model, which is why the defaults are lean.
var DefaultContextOptions = ContextOptions{OS: true, Listing: true, Git: true, History: true, Tools: true, MaxListing: 20, Budget: 900}

// maxTools and maxSummary bound the tool hints, the part of the context
// that changes with every request. maxKept bounds the hints type-ahead
// keeps for a line (GatherInput.Prior).
const (
	maxTools   = 3
	maxKept    = 5
	maxSummary = 60
)

// ContextOptionsFrom reads the context.* settings.
func ContextOptionsFrom(s engine.Settings) (ContextOptions, error) {
	o := DefaultContextOptions
	var err error
	for key, dst := range map[string]*bool{"context.os": &o.OS, "context.listing": &o.Listing, "context.git": &o.Git,
		"context.history": &o.History, "context.tools": &o.Tools} {
		if *dst, err = s.Bool(key, true); err != nil {
			return o, err
		}
	}
	if o.Budget, err = s.Int("context.budget", DefaultContextOptions.Budget); err != nil {
		return o, err
	}
	return o, nil
}

// Context is what cmdr tells the model about the user's machine. Every
// part is redacted before it leaves Gather.
type Context struct {
	Shell   string   `json:"shell"`
	OS      string   `json:"os"`
	Cwd     string   `json:"cwd"`
	Listing []string `json:"listing,omitempty"`
	Git     string   `json:"git,omitempty"`
	Recent  []string `json:"recent_commands,omitempty"`
	Tools   []string `json:"tools"`
	// ToolInfo holds the summaries behind Tools, in the same order.
	ToolInfo []Tool `json:"tool_info,omitempty"`
	// After counts the last of ToolInfo, which follow the request in the
	// prompt (ToolHints).
	After int `json:"tools_after,omitempty"`
}

// GatherInput is what the caller knows about the request.
type GatherInput struct {
	Text, Shell, Cwd string
	Recent           []string // the session's last commands, newest last
	// Typing marks a request still being typed (type-ahead): every word
	// of Text is complete and more will follow.
	Typing bool
	// Prior are the tool hints of the prompt type-ahead last evaluated
	// for this line, when Text extends that prefill's text: they stay
	// and new ones follow them (ToolHints).
	Prior []Tool
	// Place, when set, is Cwd as read for an earlier prompt of the same
	// line (ReadPlace); nil reads it now.
	Place *Place
}

// Place is what the context says of the directory a request comes from.
// Reading it costs a directory read and a git process (up to gitTimeout
// in a large repository), paid by every prompt that reads it: the agent
// reads it once for a line being typed and keeps it for the line's
// prefills and its request (GatherInput.Place).
type Place struct {
	Listing []string
	Git     string
}

// gitTimeout bounds the git status a Place costs.
const gitTimeout = 300 * time.Millisecond

// ReadPlace reads dir as o asks. Nothing it returns is redacted yet.
func ReadPlace(ctx context.Context, dir string, o ContextOptions) Place {
	var p Place
	if dir != "" && o.Listing {
		p.Listing = listing(dir, o.MaxListing)
	}
	if dir != "" && o.Git {
		p.Git = gitInfo(ctx, dir)
	}
	return p
}

// Gather collects the context for a request.
func Gather(ctx context.Context, in GatherInput, o ContextOptions, tools *ToolIndex) Context {
	c := Context{Shell: in.Shell, Cwd: in.Cwd, Tools: []string{}}
	if o.OS {
		c.OS = osName()
	}
	place := in.Place
	if place == nil {
		p := ReadPlace(ctx, in.Cwd, o)
		place = &p
	}
	if in.Cwd != "" && o.Listing {
		c.Listing = slices.Clone(place.Listing)
	}
	if in.Cwd != "" && o.Git {
		c.Git = place.Git
	}
	if o.History {
		for _, r := range in.Recent[max(0, len(in.Recent)-5):] {
			if r = strings.TrimSpace(r); r != "" {
				c.Recent = append(c.Recent, Redact(visible(r)))
			}
		}
	}
	var hints []Tool
	best, after := 0, 0
	if o.Tools && tools != nil && StripHash(in.Text) != "" {
		hints, best, after = ToolHints(ctx, tools, in.Text, in.Typing, in.Prior)
		for i, t := range hints {
			if r := []rune(t.Summary); len(r) > maxSummary {
				hints[i].Summary = strings.TrimSpace(string(r[:maxSummary])) + "…"
			}
		}
	}
	c.Cwd = Redact(visible(c.Cwd))
	for i, l := range c.Listing {
		c.Listing[i] = Redact(l)
	}
	// The hints are charged at a fixed size, never at their own: what the
	// budget cuts from the listing or the commands, earlier in the prompt,
	// must not depend on the request's words. Type-ahead evaluates that
	// part before the first word is typed (a "# " line), and again with
	// each word that changes the hints; a cut that moved with them would
	// send the whole context back through the model.
	reserve := 0
	if o.Tools && tools != nil {
		reserve = hintsReserve(maxTools)
	}
trim:
	for o.Budget > 0 && len(c.Render())+reserve > o.Budget {
		switch {
		case len(c.Listing) > 5:
			c.Listing = c.Listing[:len(c.Listing)/2]
		case len(c.Recent) > 1:
			c.Recent = c.Recent[1:]
		case reserve > hintsReserve(1):
			reserve = hintsReserve(1)
			if best < len(hints)-after {
				after = 0
			} else {
				after = min(after, 1)
			}
			hints = hints[best:min(best+1, len(hints))]
		default:
			c.Listing, c.Recent = nil, nil
			break trim
		}
	}
	c.ToolInfo, c.After = hints, after
	for _, t := range hints {
		c.Tools = append(c.Tools, t.Name)
	}
	return c
}

// hintsReserve is what the budget charges for n tool hints: the header
// and n lines of a 12-letter name and a whole summary. Kept hints past
// the first three are not charged (GatherInput.Prior): the list a line
// grows while it is typed must not cut what comes before it either.
func hintsReserve(n int) int {
	return len("Installed tools that may help:\n") + n*len("- 123456789012: \n"+strings.Repeat("x", maxSummary)+"…")
}

// Render is the text block put before the request in the user message.
// It comes after the stable system prompt and examples, so the cached
// prefix is unaffected by it.
func (c Context) Render() string {
	var b strings.Builder
	if c.OS != "" {
		fmt.Fprintf(&b, "OS: %s\n", c.OS)
	}
	if c.Cwd != "" {
		fmt.Fprintf(&b, "Directory: %s\n", c.Cwd)
	}
	if c.Git != "" {
		fmt.Fprintf(&b, "Git: %s\n", c.Git)
	}
	if len(c.Listing) > 0 {
		fmt.Fprintf(&b, "Files here: %s\n", strings.Join(c.Listing, " "))
	}
	if len(c.Recent) > 0 {
		fmt.Fprintf(&b, "Recent commands: %s\n", strings.Join(c.Recent, " ; "))
	}
	if before := c.ToolInfo[:c.split()]; len(before) > 0 {
		b.WriteString("Installed tools that may help:\n")
		writeTools(&b, before)
	}
	return b.String()
}

// RenderAfter is the text put after the request in the user message: the
// tool hints its last word brought (Context.After), each on its own line
// after a header. It is empty when there are none.
func (c Context) RenderAfter() string {
	i := c.split()
	if i == len(c.ToolInfo) {
		return ""
	}
	var b strings.Builder
	if i > 0 {
		b.WriteString("\nAlso installed:\n")
	} else {
		b.WriteString("\nInstalled tools that may help:\n")
	}
	writeTools(&b, c.ToolInfo[i:])
	return strings.TrimSuffix(b.String(), "\n")
}

// split is the index of the first hint that follows the request.
func (c Context) split() int {
	return len(c.ToolInfo) - min(max(c.After, 0), len(c.ToolInfo))
}

func writeTools(b *strings.Builder, ts []Tool) {
	for _, t := range ts {
		fmt.Fprintf(b, "- %s: %s\n", t.Name, t.Summary)
	}
}

// ToolHints picks the tool hints for a request, in the order the prompt
// lists them, says which of them ranks first, and how many of the last
// ones follow the request in the prompt instead of coming before it.
//
// Hints before the request are read before its words, so any change to
// them sends them and all that follows back through the model; type-ahead
// evaluates the prompt at each space, so the hints of the finished request
// should be the ones it evaluated. They are therefore the best few for the
// words before the last, which type-ahead has seen, listed by name (a new
// word often only reorders the same tools), and those of the whole
// request's best few that are not among them follow the request: a last
// word that brings a tool costs that line, not the list and the request
// again. A request still being typed, or one ending in a space, has no
// last word to hold back. The last word changes the best three in 45 % of
// the public dev set's requests; these hints hold those three, so they
// name the request's program at least as often (a little more often,
// measured), for half a line to a line more (docs/BENCHMARKS.md).
//
// Earlier words change the best three too, and each change makes the next
// prefill read the hints and the request again. prior, the hints of the
// prefill before (for the same line), avoids that: they stay in their
// order and the new ones follow. A prefill whose list would outgrow
// maxKept starts again from the best few, so that a long request's late
// tools are not crowded out; the finished request appends past it, since
// starting again would be read at the key press, and what it appends
// (whatever the prefills did not read, when they fell behind) follows the
// request. A typed request can so get more hints than the same request
// pasted, and other ones; the quality bench measures both ways.
//
// best is the index of the whole request's best tool (0 when it has
// none); after counts the hints, at the end of the list, that follow the
// request.
func ToolHints(ctx context.Context, x *ToolIndex, text string, typing bool, prior []Tool) (hints []Tool, best, after int) {
	words := strings.Fields(StripHash(text))
	if len(words) == 0 {
		return nil, 0, 0
	}
	byName := func(ts []Tool) []Tool {
		slices.SortFunc(ts, func(a, b Tool) int { return strings.Compare(a.Name, b.Name) })
		return ts
	}
	has := func(ts []Tool, name string) bool {
		return slices.ContainsFunc(ts, func(t Tool) bool { return t.Name == name })
	}
	whole := x.Rank(ctx, strings.Join(words, " "), maxTools)
	if typing || len(words) == 1 || strings.TrimRightFunc(text, unicode.IsSpace) != text {
		hints = byName(slices.Clone(whole))
	} else {
		hints = byName(x.Rank(ctx, strings.Join(words[:len(words)-1], " "), maxTools))
		held := len(hints)
		for _, t := range whole {
			if !has(hints, t.Name) {
				hints = append(hints, t)
			}
		}
		after = len(hints) - held
	}
	if len(prior) > 0 {
		kept := slices.Clone(prior)
		for _, t := range hints {
			if !has(kept, t.Name) {
				kept = append(kept, t)
			}
		}
		if len(kept) <= maxKept || !typing {
			hints = kept
		}
		if !typing {
			after = len(kept) - len(prior)
		}
	}
	if len(whole) > 0 {
		best = slices.IndexFunc(hints, func(t Tool) bool { return t.Name == whole[0].Name })
	}
	return hints, best, after
}

func osName() string {
	if runtime.GOOS != "linux" {
		return runtime.GOOS
	}
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return "Linux"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return "Linux"
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// visible is s with what a line of the prompt (and a terminal) cannot
// show as it is replaced: line breaks and tabs by spaces, other control
// characters and invalid bytes by "?".
func visible(s string) string {
	if printable(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r):
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

// listing names up to n entries of dir, directories marked with /,
// hidden ones last. It reads names only, never file contents.
func listing(dir string, n int) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range ents {
		name := e.Name()
		// A name with a newline or an escape sequence would break the
		// prompt's lines, or the terminal that `cmdr context` prints to.
		if !printable(name) {
			continue
		}
		if e.IsDir() {
			name += "/"
		}
		names = append(names, name)
	}
	sort.SliceStable(names, func(i, j int) bool {
		return !strings.HasPrefix(names[i], ".") && strings.HasPrefix(names[j], ".")
	})
	if len(names) > n {
		names = append(names[:n], fmt.Sprintf("(and %d more)", len(names)-n))
	}
	return names
}

// gitInfo reads the branch from .git/HEAD, and asks git whether tracked
// files changed with a short deadline: in a huge repository the answer is
// not worth a slow keypress.
func gitInfo(ctx context.Context, dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		head, err := os.ReadFile(filepath.Join(d, ".git", "HEAD"))
		if err == nil {
			ref := strings.TrimSpace(string(head))
			info := "repository at " + d + ", detached HEAD"
			if b, ok := strings.CutPrefix(ref, "ref: refs/heads/"); ok {
				info = "repository at " + d + ", branch " + b
			}
			ctx, cancel := context.WithTimeout(ctx, gitTimeout)
			defer cancel()
			out, err := exec.CommandContext(ctx, "git", "-C", d, "status", "--porcelain", "--untracked-files=no").Output()
			switch {
			case err != nil:
			case len(strings.TrimSpace(string(out))) > 0:
				info += ", uncommitted changes"
			default:
				info += ", clean"
			}
			return info
		}
		if parent := filepath.Dir(d); parent == d {
			return ""
		}
	}
}
