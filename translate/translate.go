package translate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/cmdr-sh/cmdr/engine"
)

// Shells cmdr writes commands for.
var Shells = []string{"bash", "zsh", "fish"}

// ValidShell reports whether s is one of Shells.
func ValidShell(s string) bool {
	for _, v := range Shells {
		if s == v {
			return true
		}
	}
	return false
}

// MaxCommandTokens bounds a suggestion. A command longer than this is not
// one a person would review on a single line.
const MaxCommandTokens = 160

// Request is one translation request.
type Request struct {
	Text      string // what the user typed, with or without a leading "# "
	Shell     string // bash, zsh or fish
	MaxTokens int    // 0: MaxCommandTokens
	// LastCommand and LastStatus describe the shell's previous command.
	// With no Text and a failed LastCommand, the request is to fix it.
	LastCommand string
	LastStatus  int
	// Recent are the commands before LastCommand in this shell session,
	// oldest first (context only).
	Recent []string
	// Context, when set, is the grounded context put before the request.
	Context *Context
	// Alternatives asks for up to this many other candidates besides the
	// best one. They cost a sampled generation each, so shells ask for
	// them only when the user cycles past the first suggestion.
	Alternatives int
}

// MaxAlternatives bounds Request.Alternatives.
const MaxAlternatives = 5

// Session is the session's recent commands, oldest first, LastCommand
// last: what the grounded context shows of what the user was doing.
func (r Request) Session() []string {
	s := append([]string(nil), r.Recent...)
	if r.LastCommand != "" {
		s = append(s, r.LastCommand)
	}
	return s
}

// IsFix reports whether r asks to fix the previous command.
func (r Request) IsFix() bool {
	return StripHash(r.Text) == "" && strings.TrimSpace(r.LastCommand) != "" && r.LastStatus != 0
}

// Suggestion is a translated command.
type Suggestion struct {
	Command      string         `json:"command"`
	Alternatives []string       `json:"alternatives"`
	Risk         Risk           `json:"-"`
	Engine       string         `json:"engine"`
	Model        string         `json:"model"`
	Result       engine.Result  `json:"-"`
	Timings      engine.Timings `json:"timings"`
}

// ErrInvalid is returned when the answer is not valid shell syntax.
var ErrInvalid = errors.New("invalid command")

// ErrEmpty is returned when the request has no text or the model produced
// no usable command.
var ErrEmpty = errors.New("empty")

// SystemPrompt is the fixed instruction for a shell. It depends only on the
// shell and OS, never on the request, so the agent's KV cache of it (and
// of the examples after it) is reused by every request from that shell.
func SystemPrompt(shell string) string {
	return fmt.Sprintf("You translate a request into exactly one %s command for %s. "+
		"Answer with the command only, on one line: no explanation, no markdown, no leading $. "+
		"Prefer standard tools, quote paths that may contain spaces, and never add sudo unless asked. %s",
		shell, osDescription(), shellNotes[shell])
}

func osDescription() string {
	switch runtime.GOOS {
	case "linux":
		return "Linux (GNU coreutils, findutils and grep)"
	case "darwin":
		return "macOS (BSD tools: sed -i '', stat -f, no GNU long options)"
	}
	return runtime.GOOS
}

// shellNotes are the syntax points small models most often get wrong.
var shellNotes = map[string]string{
	"bash": "Use bash syntax: $(...) for substitution, && and || to chain.",
	"zsh":  "Use zsh syntax: $(...) for substitution, **/*.ext globs recurse.",
	"fish": "Use fish syntax: (...) for substitution, set VAR value, and/or or && and ||, " +
		"for x in ...; ...; end; no $(...) or VAR=value.",
}

// examples are a few request/command pairs per shell, sent as chat turns
// before the request: instruct models follow demonstrated format far more
// reliably than described format.
var examples = map[string][][2]string{
	"bash": {
		{"find files larger than 100 MB here", "find . -type f -size +100M"},
		{"show the five largest directories", "du -sh -- */ | sort -rh | head -n 5"},
		{"save today's date in the variable d", "d=$(date +%F)"},
	},
	"zsh": {
		{"find files larger than 100 MB here", "find . -type f -size +100M"},
		{"count lines in all go files below here", "cat **/*.go | wc -l"},
		{"save today's date in the variable d", "d=$(date +%F)"},
	},
	"fish": {
		{"find files larger than 100 MB here", "find . -type f -size +100M"},
		{"count lines in all go files below here", "cat **.go | wc -l"},
		{"save today's date in the variable d", "set d (date +%F)"},
	},
}

// Messages builds the chat for a request: the system prompt, the shell's
// examples, then the request. A fix request quotes the failed command and
// its status; nothing is re-run to find out more.
func Messages(r Request) []engine.Message {
	user := StripHash(r.Text)
	if r.IsFix() {
		// The failed command is context from the user's history: secrets in
		// it stay on this machine.
		user = fmt.Sprintf("This command failed with exit status %d. Give the corrected command.\n%s", r.LastStatus, Redact(r.LastCommand))
	}
	if r.Context != nil {
		if c, after := r.Context.Render(), r.Context.RenderAfter(); c != "" || after != "" {
			sep := " "
			if user == "" {
				// A prefill before the first word ends at the colon: a
				// space alone would be a token the first word's prompt
				// lacks.
				sep = ""
			}
			// What follows the request is read after its words, so type-
			// ahead's prefill of them stays valid (ToolHints).
			user = "Context:\n" + c + "\nRequest:" + sep + user + after
		}
	}
	msgs := []engine.Message{{Role: engine.RoleSystem, Content: SystemPrompt(r.Shell)}}
	for _, ex := range examples[r.Shell] {
		msgs = append(msgs, engine.Message{Role: engine.RoleUser, Content: ex[0]}, engine.Message{Role: engine.RoleAssistant, Content: ex[1]})
	}
	return append(msgs, engine.Message{Role: engine.RoleUser, Content: user})
}

// Prefill evaluates the prompt r has into e's cache and generates nothing:
// sent while the user is still typing the request, it leaves only the
// words typed since (and what they change) for the request to evaluate.
// A request with no words yet ("# ") evaluates the context alone: the
// part every request of the line starts with, a fix's too (so it is
// never taken for one). Closing yield hands over to a newer prefill
// (engine.Request.Yield).
func Prefill(ctx context.Context, e engine.Engine, r Request, yield <-chan struct{}) (engine.Result, error) {
	if !ValidShell(r.Shell) {
		return engine.Result{}, fmt.Errorf("unknown shell %q (want bash, zsh or fish)", r.Shell)
	}
	if StripHash(r.Text) == "" {
		r.Text, r.LastStatus = "", 0
	}
	return e.Generate(ctx, engine.Request{Messages: Messages(r), PromptOnly: true, Yield: yield}, nil)
}

// StripHash removes the "# " that marks a natural-language line.
func StripHash(s string) string {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "#"); ok {
		return strings.TrimSpace(rest)
	}
	return s
}

// Suggest asks e for a command.
func Suggest(ctx context.Context, e engine.Engine, r Request, fn engine.TokenFunc) (Suggestion, error) {
	if !ValidShell(r.Shell) {
		return Suggestion{}, fmt.Errorf("unknown shell %q (want bash, zsh or fish)", r.Shell)
	}
	if StripHash(r.Text) == "" && !r.IsFix() {
		return Suggestion{}, fmt.Errorf("%w request: type what you want to do", ErrEmpty)
	}
	info := e.Info()
	maxTok := r.MaxTokens
	if maxTok <= 0 {
		maxTok = MaxCommandTokens
	}
	req := engine.Request{Messages: Messages(r), MaxTokens: maxTok}
	if info.Grammar {
		req.Grammar = CommandGrammar(r.Shell)
	}
	res, err := e.Generate(ctx, req, fn)
	if err != nil {
		return Suggestion{}, err
	}
	cmd := StripComment(Clean(res.Text), r.Shell)
	// Under the command grammar an answer can only fail to parse when the
	// token limit cut it short inside a construct: cut it back to the
	// longest prefix that parses. Servers without a grammar get one chance
	// to repair their answer, with the parser's complaint.
	if perr := ValidSyntax(cmd, r.Shell); perr != nil && info.Grammar {
		cmd = trimToValid(cmd, r.Shell)
	} else if perr != nil {
		req.Messages = append(req.Messages,
			engine.Message{Role: engine.RoleAssistant, Content: res.Text},
			engine.Message{Role: engine.RoleUser, Content: fmt.Sprintf(
				"That is not valid %s syntax (%v). Reply with the corrected command only.", r.Shell, perr)})
		retry, err := e.Generate(ctx, req, nil)
		if err != nil {
			return Suggestion{}, err
		}
		retry.TokensIn += res.TokensIn
		retry.TokensOut += res.TokensOut
		retry.Timings.Total += res.Timings.Total
		res, cmd = retry, StripComment(Clean(retry.Text), r.Shell)
		if perr := ValidSyntax(cmd, r.Shell); perr != nil {
			return Suggestion{}, fmt.Errorf("%w: the model's answer is not valid %s, even after a retry (%v): %q", ErrInvalid, r.Shell, perr, cmd)
		}
	}
	if cmd == "" {
		return Suggestion{}, fmt.Errorf("%w answer: the model produced no command", ErrEmpty)
	}
	alts, err := alternatives(ctx, e, req, r, cmd)
	if err != nil {
		return Suggestion{}, err
	}
	return Suggestion{Command: cmd, Alternatives: alts, Risk: ClassifyRisk(cmd, r.Shell), Engine: info.Backend, Model: info.Model, Result: res, Timings: res.Timings}, nil
}

// alternatives samples other candidates at a moderate temperature, one
// seed each, keeping those that parse and differ from the best one and
// from each other once normalized. It tries at most twice as many times as
// it needs, so a model that keeps repeating itself costs a bounded time.
func alternatives(ctx context.Context, e engine.Engine, req engine.Request, r Request, best string) ([]string, error) {
	want := min(r.Alternatives, MaxAlternatives)
	out := []string{}
	if want <= 0 {
		return out, nil
	}
	seen := map[string]bool{normalize(best): true}
	for seed := uint32(1); len(out) < want && seed <= uint32(2*want); seed++ {
		s := seed
		alt := req
		alt.Temperature, alt.TopK, alt.TopP, alt.Seed = 0.8, 40, 0.95, &s
		res, err := e.Generate(ctx, alt, nil)
		if err != nil {
			return nil, err
		}
		c := StripComment(Clean(res.Text), r.Shell)
		if c == "" || ValidSyntax(c, r.Shell) != nil || seen[normalize(c)] {
			continue
		}
		seen[normalize(c)] = true
		out = append(out, c)
	}
	return out, nil
}

// Compiled on first use, like secretPatterns.
var (
	fenceRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("(?s)```[a-zA-Z0-9_-]*\\n?(.*?)```") })
	thinkRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<think>.*?</think>`) })
	// listMarkerRe matches a list item's marker ("1. ", "- "), which no
	// command starts with.
	listMarkerRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:\d{1,2}[.)]|[-*•])\s+`) })
	// leadInRe matches the words a chat model puts before a command it
	// quotes inline ("Use `du -sh *` to...", "To list them, run `ls`").
	// None of them is a command a shell line starts with.
	leadInRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^(use|run|try|you can|you could|to |here|the command|this command|execute|simply|just)\b`)
	})
	// ansiRe matches CSI and OSC escape sequences.
	ansiRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(\x07|\x1b\\\\)?|\x1b[@-_]")
	})
)

// Clean reduces a model's answer to one command line: it drops <think>
// blocks, takes the first fenced block if there is one, strips terminal
// escape sequences and control characters, a list marker, a leading "$ "
// prompt and surrounding backticks, and keeps the first non-empty line
// that is not a comment, or the one after it when the first only leads in
// to it ("Here is the command:"). A command quoted inline in a sentence
// ("You can use `ls -la`") is taken out of it.
func Clean(s string) string {
	s = thinkRe().ReplaceAllString(s, "")
	if i := strings.Index(s, "<think>"); i >= 0 {
		s = s[:i] // an unfinished think block holds no command
	}
	if m := fenceRe().FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	s = ansiRe().ReplaceAllString(s, "")
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		// A comment line (the request echoed, a note) is never the command.
		if l = strings.TrimSpace(stripControl(l)); l != "" && l[0] != '#' {
			lines = append(lines, l)
			if len(lines) == 2 {
				break
			}
		}
	}
	if len(lines) == 0 {
		return ""
	}
	line := lines[0]
	if len(lines) == 2 && leadsIn(line) {
		line = lines[1]
	}
	line = listMarkerRe().ReplaceAllString(line, "")
	line = strings.TrimPrefix(line, "$ ")
	if len(line) >= 2 && line[0] == '`' && line[len(line)-1] == '`' {
		line = strings.Trim(line, "`")
	}
	if cmd, ok := quotedInProse(line); ok {
		line = cmd
	}
	return strings.TrimSpace(line)
}

// leadsIn reports whether line only introduces the next one: a sentence
// ending in a colon ("Here is the command:"). Capitalized, as a command
// seldom is: `scp notes.txt host:` ends in a colon too.
func leadsIn(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return strings.HasSuffix(line, ":") && unicode.IsUpper(r) && prose(line)
}

// leadsInline reports whether before, the words ahead of a backtick,
// introduce the command it quotes: "You can run", "Here it is:".
func leadsInline(before string) bool {
	return before != "" && prose(before) && (strings.HasSuffix(before, ":") || leadInRe().MatchString(before))
}

// prose reports whether s has none of the characters that make a shell
// line more than words: quotes, substitutions, operators, redirections.
func prose(s string) bool { return !strings.ContainsAny(s, "\"'`$|&;<>(){}=\\") }

// quotedInProse returns the command a sentence quotes in backticks: the
// one span of the line, after words that lead in to it ("Use", "You can
// run", "Here it is:"), or before a sentence's end ("`ls -la` lists
// them."). A line that is itself a command keeps its backticks: they are
// old-style command substitution there (echo `date`).
func quotedInProse(line string) (string, bool) {
	if strings.Count(line, "`") != 2 {
		return "", false
	}
	i := strings.IndexByte(line, '`')
	j := i + 1 + strings.IndexByte(line[i+1:], '`')
	before, span, after := strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:j]), strings.TrimSpace(line[j+1:])
	switch {
	case span == "":
		return "", false
	case leadsInline(before):
		return span, true
	case before == "" && strings.HasSuffix(after, ".") && strings.Contains(after, " "):
		return span, true
	}
	return "", false
}

// Partial is Clean for an answer still being generated, so that it can be
// shown as it comes: inside an opened code fence it is the fence's text so
// far (nothing until the fence's first line ends), and the opening
// backtick of a command still being quoted is not shown. The final answer
// goes through Clean and replaces whatever Partial showed.
func Partial(s string) string {
	if strings.Count(s, "```")%2 == 1 {
		rest := s[strings.LastIndex(s, "```")+3:]
		nl := strings.IndexByte(rest, '\n')
		if nl < 0 {
			return ""
		}
		s = rest[nl+1:]
	}
	line := Clean(s)
	if strings.Trim(line, "`") == "" || leadsIn(line) {
		return "" // perhaps a fence's start, or words before the command
	}
	if strings.HasPrefix(line, "`") && !strings.HasSuffix(line, "`") {
		line = strings.TrimSpace(line[1:])
	}
	// A command being quoted in a sentence: what is quoted so far.
	if i := strings.IndexByte(line, '`'); i > 0 && strings.Count(line, "`") == 1 {
		if leadsInline(strings.TrimSpace(line[:i])) {
			return strings.TrimSpace(line[i+1:])
		}
	}
	return line
}

// StripEscapes removes terminal escape sequences and control characters
// other than newline and tab from text a terminal will display, so a
// model's output can never move the cursor, retitle the window or ring.
func StripEscapes(s string) string {
	s = ansiRe().ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}

// trimToValid drops words from the end of cmd until what is left parses
// (or nothing is left).
func trimToValid(cmd, shell string) string {
	for cmd != "" {
		i := strings.LastIndexByte(cmd, ' ')
		if i < 0 {
			return ""
		}
		cmd = strings.TrimRight(cmd[:i], " ;|&")
		if ValidSyntax(cmd, shell) == nil {
			return cmd
		}
	}
	return ""
}

// stripControl removes control characters; tabs become spaces.
func stripControl(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == unicode.ReplacementChar:
			return -1
		}
		return r
	}, s)
}
