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

// DefaultContextOptions turns everything on within about 200 tokens.
// Context follows the cached prompt, so every token of it that changes
// between requests is evaluated again: on a 2-core laptop each costs about
// 5 ms with a 0.5B model, which is why the defaults are lean.
var DefaultContextOptions = ContextOptions{OS: true, Listing: true, Git: true, History: true, Tools: true, MaxListing: 20, Budget: 800}

// maxTools and maxSummary bound the tool hints, the part of the context
// that changes with every request.
const (
	maxTools   = 3
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
}

// GatherInput is what the caller knows about the request.
type GatherInput struct {
	Text, Shell, Cwd string
	Recent           []string // the session's last commands, newest last
}

// Gather collects the context for a request.
func Gather(ctx context.Context, in GatherInput, o ContextOptions, tools *ToolIndex) Context {
	c := Context{Shell: in.Shell, Cwd: in.Cwd, Tools: []string{}}
	if o.OS {
		c.OS = osName()
	}
	if in.Cwd != "" && o.Listing {
		c.Listing = listing(in.Cwd, o.MaxListing)
	}
	if in.Cwd != "" && o.Git {
		c.Git = gitInfo(ctx, in.Cwd)
	}
	if o.History {
		for _, r := range in.Recent[max(0, len(in.Recent)-5):] {
			if r = strings.TrimSpace(r); r != "" {
				c.Recent = append(c.Recent, Redact(r))
			}
		}
	}
	if o.Tools && tools != nil && StripHash(in.Text) != "" {
		c.ToolInfo = tools.Rank(ctx, StripHash(in.Text), maxTools)
		for i, t := range c.ToolInfo {
			c.Tools = append(c.Tools, t.Name)
			if r := []rune(t.Summary); len(r) > maxSummary {
				c.ToolInfo[i].Summary = strings.TrimSpace(string(r[:maxSummary])) + "…"
			}
		}
	}
	c.Cwd = Redact(c.Cwd)
	for i, l := range c.Listing {
		c.Listing[i] = Redact(l)
	}
	for o.Budget > 0 && len(c.Render()) > o.Budget {
		switch {
		case len(c.Listing) > 5:
			c.Listing = c.Listing[:len(c.Listing)/2]
		case len(c.Recent) > 1:
			c.Recent = c.Recent[1:]
		case len(c.ToolInfo) > 1:
			c.ToolInfo, c.Tools = c.ToolInfo[:1], c.Tools[:1]
		default:
			c.Listing, c.Recent = nil, nil
			return c
		}
	}
	return c
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
	if len(c.ToolInfo) > 0 {
		b.WriteString("Installed tools that may help:\n")
		// By name, not by rank: a request's last word often reorders the
		// same tools, and an unchanged list keeps the prompt prefilled
		// while it was typed valid in the KV cache.
		tools := slices.Clone(c.ToolInfo)
		slices.SortFunc(tools, func(a, b Tool) int { return strings.Compare(a.Name, b.Name) })
		for _, t := range tools {
			fmt.Fprintf(&b, "- %s: %s\n", t.Name, t.Summary)
		}
	}
	return b.String()
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
		if strings.ContainsAny(name, "\n\r\t") {
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
			ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
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
