package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-isatty"

	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/explain"
	"github.com/cmdr-sh/cmdr/translate"
)

const explainUsage = `Usage: cmdr explain [--json] [--no-llm] [--shell S] [-- COMMAND | -]

Explains COMMAND (read from standard input for "-", or when none is
given and input is piped), or, with no COMMAND, the previous command of
this shell session (with the shell integration loaded). Nothing is run.

Each part of the command (program, subcommand, option, argument,
redirection, operator) is shown with its meaning as documented on this
machine: the installed manual page (tar(1)), the shell's help for builtins
(bash's help and bash(1), zshbuiltins(1) and its neighbours in zsh, with
zshcompsys(1) and zshcontrib(1) for the functions zsh ships, fish's pages
in fish), or the program's --help output (also for an option its page
leaves out: git clone -h, perl -h); shell options (set -o
pipefail, shopt -s globstar, setopt extendedglob) from the shell's manual.
A part without documentation says so.
Then, unless --no-llm, the model writes a short summary grounded in those
excerpts (through the agent).

--own-group is for the bash hook, as for cmdr suggest.

--json prints {"command", "parts": [{"text", "kind", "program", "doc",
"source"}], "risk", "reasons", "summary"}.

Examples:
  cmdr explain -- 'tar -xzvf backup.tgz -C /tmp'
  cmdr explain --no-llm -- 'find . -name "*.log" -mtime +7 -delete'
  cmdr explain`

func runExplain(ctx context.Context, args []string) error {
	fs := newFlags("explain")
	asJSON := fs.Bool("json", false, "print JSON")
	noLLM := fs.Bool("no-llm", false, "only the documented parts: no model summary, no agent")
	shell := fs.String("shell", defaultShell(), "the shell whose syntax and builtins apply: bash, zsh or fish")
	ownGroup := ownGroupFlag(fs)
	if err := parseFlags(fs, explainUsage, args, os.Stdout); err != nil {
		return err
	}
	if err := leaveGroup(*ownGroup); err != nil {
		return err
	}
	if !translate.ValidShell(*shell) {
		return usagef("explain: unknown shell %q (want bash, zsh or fish)", *shell)
	}
	given, err := argsOrStdin(fs.Args(), true)
	if err != nil {
		return err
	}
	command := strings.TrimSpace(given)
	if command == "" && fs.NArg() > 0 {
		// Given, but blank: explaining the previous command instead would
		// answer a question not asked.
		return usagef("explain: the command given is empty")
	}
	if command == "" {
		// No hook record: the shell's history file is the next best source.
		command = previousCommand(*shell)
	}
	if command == "" {
		return errors.New("explain: no command given and no previous command known; load the shell integration (cmdr init) or pass one: cmdr explain -- 'CMD'")
	}
	ex, err := explain.NewLibrary().Explain(ctx, command, *shell)
	if err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	out := explainJSON{Command: ex.Command, Parts: ex.Parts, Risk: string(ex.Risk.Level), Reasons: ex.Risk.Reasons}
	if !*asJSON {
		renderParts(os.Stdout, ex, useColor(os.Stdout), termColumns(os.Stdout))
	}
	if *noLLM {
		if *asJSON {
			return writeJSON(out)
		}
		return nil
	}
	summary, err := explainSummary(ctx, ex, *shell, !*asJSON)
	if err != nil {
		// The documented parts stand without the model: they are
		// printed (or written as JSON) all the same, and the exit
		// status says the summary is missing.
		if *asJSON {
			if werr := writeJSON(out); werr != nil {
				return werr
			}
		}
		return fmt.Errorf("explain: no summary: %w", err)
	}
	if *asJSON {
		out.Summary = &summary
		return writeJSON(out)
	}
	return nil
}

type explainJSON struct {
	Command string         `json:"command"`
	Parts   []explain.Part `json:"parts"`
	Risk    string         `json:"risk"`
	Reasons []string       `json:"reasons"`
	Summary *string        `json:"summary,omitempty"`
}

// explainSummary streams the agent's grounded summary (printing it when
// show is set) and returns it.
func explainSummary(ctx context.Context, ex explain.Explanation, shell string, show bool) (string, error) {
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return "", err
	}
	defer cancel()
	streamed := false
	var onToken func(string)
	if show {
		fmt.Println()
		onToken = func(s string) {
			streamed = true
			fmt.Print(translate.StripEscapes(s))
		}
	}
	res, err := c.Explain(ctx, wire.ExplainRequest{Command: ex.Command, Shell: shell, Docs: ex.Docs()}, onToken)
	if err != nil {
		if streamed {
			fmt.Println()
		}
		return "", clientError(err)
	}
	summary := strings.TrimSpace(res.Summary)
	if show {
		if !streamed {
			fmt.Print(summary)
		}
		fmt.Println()
	}
	return summary, nil
}

// useColor: on a terminal, unless NO_COLOR is set (no-color.org).
func useColor(f *os.File) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) && os.Getenv("TERM") != "dumb"
}

// wrapWords splits s into lines of at most n characters, at spaces; a
// word longer than n has a line of its own.
func wrapWords(s string, n int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= n:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

// room reports whether a terminal of cols columns leaves room to wrap
// text under an indent: 20 columns at least (0: not a terminal).
func room(cols, indent int) bool { return cols > 0 && cols-1-indent >= 20 }

// renderParts prints the command, then one aligned line per part: its
// text, its documented meaning and where that comes from. On a terminal
// of cols columns a long meaning wraps under itself, so the parts' column
// stays clear (0: no wrapping).
func renderParts(w io.Writer, ex explain.Explanation, color bool, cols int) {
	paint := func(code, s string) string {
		if !color || s == "" || code == "" {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	fmt.Fprintln(w, paint("1", translate.StripEscapes(ex.Command)))
	width := 0
	for _, p := range ex.Parts {
		width = max(width, utf8.RuneCountInString(label(p)))
	}
	width = min(width, 28)
	for _, p := range ex.Parts {
		l := label(p)
		pad := strings.Repeat(" ", max(0, width-utf8.RuneCountInString(l)))
		docCode := ""
		switch {
		case !p.Known:
			docCode = "33" // yellow: nothing documented
		case p.Kind == explain.KindArgument:
			docCode = "2"
		}
		code := map[string]string{explain.KindProgram: "1;34", explain.KindSubcommand: "1;34", explain.KindFlag: "36",
			explain.KindRedirect: "35", explain.KindOperator: "35", explain.KindAssignment: "32", explain.KindVariable: "32"}[p.Kind]
		// The source goes after the documentation's last line when it fits.
		text := strings.Join(strings.Fields(translate.StripEscapes(p.Doc)), " ")
		indent := 2 + max(width, utf8.RuneCountInString(l)) + 2
		lines := []string{text}
		if n := cols - 1 - indent; room(cols, indent) && utf8.RuneCountInString(text)+2+len(p.Source) > n {
			lines = wrapWords(text, n)
		}
		last := lines[len(lines)-1]
		srcAlone := p.Source != "" && room(cols, indent) && indent+utf8.RuneCountInString(last)+2+len(p.Source) > cols-1
		for i, dl := range lines {
			lead := "  " + paint(code, l) + pad + "  "
			if i > 0 {
				lead = strings.Repeat(" ", indent)
			}
			tail := ""
			if i == len(lines)-1 && p.Source != "" && !srcAlone {
				tail = "  " + paint("2", p.Source)
			}
			fmt.Fprintf(w, "%s%s%s\n", lead, paint(docCode, dl), tail)
		}
		if srcAlone {
			fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), paint("2", p.Source))
		}
	}
	level := string(ex.Risk.Level)
	line := "risk: " + level
	if len(ex.Risk.Reasons) > 0 {
		line += " (" + strings.Join(ex.Risk.Reasons, "; ") + ")"
	}
	switch ex.Risk.Level {
	case translate.RiskHigh:
		line = paint("1;31", line)
	case translate.RiskLow:
		line = paint("33", line)
	}
	fmt.Fprintln(w, line)
}

// label is a part's text, indented by its nesting and cut to one line.
func label(p explain.Part) string {
	t := translate.StripEscapes(strings.Join(strings.Fields(p.Text), " "))
	if r := []rune(t); len(r) > 40 {
		t = string(r[:39]) + "…"
	}
	return strings.Repeat("  ", p.Depth) + t
}
