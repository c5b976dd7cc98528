package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/cmdr-sh/cmdr/agent"
	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/translate"
)

const suggestUsage = `Usage: cmdr suggest [--shell bash|zsh|fish] [--json | --format text|json|shell] [--no-agent] [--engine E] [--model M] -- TEXT | -
       cmdr suggest --last-command CMD --last-status N     (no TEXT: fix the failed command)

Prints one command line for TEXT (read from standard input for "-", or
when none is given and input is piped). Nothing is run. The request goes to the
agent, which keeps the model loaded (and is started if needed). With
--no-agent, --engine or --model (or CMDR_NO_AGENT=1) the model is loaded in
this process instead, for a one-off.

Examples:
  cmdr suggest -- find files over 100 MB in my home directory
  cmdr suggest --shell fish --json -- count lines in all go files

--format shell is for the shell hooks: "cmd<TAB>COMMAND" and "alt<TAB>COMMAND"
lines, or one "err<TAB>MESSAGE" line and exit status 1. With --stream,
"part<TAB>COMMAND SO FAR" lines come first, as the answer is generated.
With --draw (the fish hook), the command so far is drawn on the terminal
instead, right of the cursor the hook saved, or of the line's end when
--draw-after gives the columns between them (a cursor mid-line); when the
line wraps below the cursor, --draw-down gives the rows down to its end,
and --draw-after then counts from that row's first column.

--own-group is for the bash hook: cmdr first leaves the terminal's process
group, so that only the shell sees Ctrl-C (it then stops cmdr itself) and
Ctrl-Z or Ctrl-\ never reach cmdr.

--prefill is for the shell hooks too: the agent evaluates the prompt of a
request still being typed (sent at each space of a "# request" line, the
one after "#" included, or of a line that reads as a request: its first
word names nothing the shell can run, or its plain words include "the",
"all", "of"...), so the key press pays only for the last words. With no
words yet it evaluates the context (directory, recent commands). It
prints nothing (JSON with --json), starts the agent if needed, and gives
way to real requests.`

func runSuggest(ctx context.Context, args []string) error {
	fs := newFlags("suggest")
	shell := fs.String("shell", defaultShell(), "shell to write the command for: bash, zsh or fish")
	asJSON := fs.Bool("json", false, "print a JSON object instead of the bare command (same as --format json)")
	format := fs.String("format", "text", "output: text (the command), json, or shell (for the shell hooks)")
	lastCmd := fs.String("last-command", "", "the shell's previous command (context; with no TEXT and a failed status: fix it)")
	lastStatus := fs.Int("last-status", 0, "the previous command's exit status")
	var recent []string
	fs.Func("recent", "an earlier command of the session, before --last-command (repeat, oldest first; context)", func(s string) error {
		recent = append(recent, s)
		return nil
	})
	alts := fs.Int("alternatives", 0, "also propose up to N other commands (0-5; each costs a generation)")
	noAgent := fs.Bool("no-agent", false, "load the model in this process instead of asking the agent")
	prefill := fs.Bool("prefill", false, "only warm the agent's cache for a request still being typed")
	stream := fs.Bool("stream", false, "with --format shell: also print the command so far as it is generated")
	draw := fs.Bool("draw", false, "with --format shell: draw the command so far on the terminal as it is generated (for the fish hook)")
	drawAfter := fs.Int("draw-after", 0, "with --draw: the columns from the saved cursor to the line's end, where the drawing starts")
	drawDown := fs.Int("draw-down", 0, "with --draw: the rows from the saved cursor down to the line's end; --draw-after then counts from that row's start")
	ownGroup := ownGroupFlag(fs)
	var ef engineFlags
	ef.register(fs)
	if err := parseFlags(fs, suggestUsage, args, os.Stdout); err != nil {
		return err
	}
	if err := leaveGroup(*ownGroup); err != nil {
		return err
	}
	if *asJSON {
		*format = "json"
	}
	switch *format {
	case "text", "json", "shell":
	default:
		return usagef("suggest: unknown format %q (want text, json or shell)", *format)
	}
	if *format != "shell" && (*stream || *draw) {
		name := "stream"
		if !*stream {
			name = "draw"
		}
		return usagef("suggest: --%s goes with --format shell", name)
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"draw-after", *drawAfter}, {"draw-down", *drawDown}} {
		if f.n != 0 && !*draw {
			return usagef("suggest: --%s goes with --draw", f.name)
		}
		if f.n < 0 {
			return usagef("suggest: --%s takes a count, 0 or more", f.name)
		}
	}
	joined, err := argsOrStdin(fs.Args(), *lastCmd == "" && !*prefill)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(joined)
	if text != "" && strings.TrimRightFunc(joined, unicode.IsSpace) != joined {
		// A request that ends in a space has its last word typed out:
		// type-ahead read it at that space, so the tool hints may use it
		// (translate.ToolHints). One space says so.
		text += " "
	}
	if *alts < 0 || *alts > translate.MaxAlternatives {
		return usagef("suggest: --alternatives takes 0 to %d", translate.MaxAlternatives)
	}
	req := translate.Request{Text: text, Shell: *shell, LastCommand: *lastCmd, LastStatus: *lastStatus, Recent: recent, Alternatives: *alts}
	if translate.StripHash(text) == "" && !req.IsFix() && !*prefill {
		return usagef("suggest: no request given (usage: cmdr suggest -- TEXT)")
	}
	if !translate.ValidShell(*shell) {
		return usagef("suggest: unknown shell %q (want bash, zsh or fish)", *shell)
	}
	if *prefill {
		if *noAgent || ef.engine != "" || ef.model != "" {
			return usagef("suggest: --prefill needs the agent (it warms the agent's cache)")
		}
		out, err := prefillViaAgent(ctx, req)
		if err != nil {
			return clientError(err)
		}
		if *format == "json" {
			return writeJSON(out)
		}
		return nil
	}
	if *format == "shell" {
		// The hooks read stdout only: errors travel there too, as one line.
		var onToken func(string)
		switch {
		case *draw:
			d, done := ttyDrawer(*drawDown, *drawAfter)
			defer done()
			if d != nil {
				onToken = parts(d.draw)
			}
		case *stream:
			onToken = parts(func(p string) { fmt.Printf("part\t%s\n", p) })
		}
		out, err := suggest(ctx, req, *noAgent, ef, onToken)
		if errors.Is(err, context.Canceled) {
			fmt.Print("err\tcancelled\n")
			return err // exit 130: the hooks restore the line quietly
		}
		if err != nil {
			fmt.Printf("err\t%s\n", oneLine(clientError(err).Error()))
			return errReported
		}
		fmt.Printf("cmd\t%s\n", out.Command)
		for _, alt := range out.Alternatives {
			fmt.Printf("alt\t%s\n", alt)
		}
		// Only high risk interrupts the user with a warning line.
		if out.Risk == string(translate.RiskHigh) {
			fmt.Printf("risk\thigh\t%s\n", strings.Join(out.Reasons, "; "))
		}
		return nil
	}
	out, err := suggest(ctx, req, *noAgent, ef, nil)
	if err != nil {
		return clientError(err)
	}
	if *format == "json" {
		return writeJSON(out)
	}
	_, err = fmt.Println(out.Command)
	return err
}

// parts returns an onToken for suggest that calls show with the whole
// command so far each time it changes, so a hook can draw it while the
// rest is generated. The whole command, not the new piece: a hook needs
// no state, and a part lost or skipped costs nothing.
func parts(show func(string)) func(string) {
	var answer strings.Builder
	shown := ""
	return func(piece string) {
		answer.WriteString(piece)
		if p := translate.Partial(answer.String()); p != "" && p != shown {
			shown = p
			show(p)
		}
	}
}

// suggest answers req through the agent, or in this process when asked
// to (--no-agent, --engine, --model or CMDR_NO_AGENT=1). onToken, when not
// nil, receives the answer's pieces as they are generated.
func suggest(ctx context.Context, req translate.Request, noAgent bool, ef engineFlags, onToken func(string)) (wire.Suggestion, error) {
	if !noAgent && ef.engine == "" && ef.model == "" && os.Getenv("CMDR_NO_AGENT") == "" {
		return suggestViaAgent(ctx, req, onToken)
	}
	return suggestInProcess(ctx, req, ef, onToken)
}

func suggestInProcess(ctx context.Context, req translate.Request, ef engineFlags, onToken func(string)) (wire.Suggestion, error) {
	var none wire.Suggestion
	cfg, err := ef.load()
	if err != nil {
		return none, err
	}
	eng, err := openEngine(ctx, cfg)
	if err != nil {
		return none, err
	}
	defer eng.Close()
	if req.MaxTokens, err = cfg.Settings().Int("max_tokens", translate.MaxCommandTokens); err != nil {
		return none, err
	}
	c, err := gatherContext(ctx, cfg, req)
	if err != nil {
		return none, err
	}
	req.Context = &c
	var fn engine.TokenFunc
	if onToken != nil {
		fn = func(t engine.Token) error {
			onToken(translate.StripEscapes(t.Text))
			return nil
		}
	}
	s, err := translate.Suggest(ctx, eng, req, fn)
	if err != nil {
		return none, err
	}
	return agent.WireSuggestion(s), nil
}

func suggestViaAgent(ctx context.Context, req translate.Request, onToken func(string)) (wire.Suggestion, error) {
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return wire.Suggestion{}, err
	}
	defer cancel()
	return c.Suggest(ctx, wireRequest(req), onToken)
}

// prefillViaAgent sends what suggestViaAgent would for the same request,
// so that the agent evaluates exactly the prompt the request will have.
func prefillViaAgent(ctx context.Context, req translate.Request) (wire.Prefilled, error) {
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return wire.Prefilled{}, err
	}
	defer cancel()
	return c.Prefill(ctx, wireRequest(req))
}

// wireRequest is req for the agent, from this process's directory.
func wireRequest(req translate.Request) wire.SuggestRequest {
	cwd, _ := os.Getwd()
	status := req.LastStatus
	return wire.SuggestRequest{Text: req.Text, Shell: req.Shell, Cwd: cwd, LastCommand: req.LastCommand,
		LastStatus: &status, Recent: req.Recent, Alternatives: req.Alternatives}
}

func writeJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// argsOrStdin is the text of a request or command: the arguments, or
// standard input when the only argument is "-", or when there are none
// and canRead and stdin is a pipe or a file (echo 'tar xzf a.tgz' | cmdr
// explain). A terminal or /dev/null is never read: the shell hooks and
// the fix request (no text by design) must not wait on it.
func argsOrStdin(args []string, canRead bool) (string, error) {
	dash := len(args) == 1 && args[0] == "-"
	if !dash && (len(args) > 0 || !canRead) {
		return strings.Join(args, " "), nil
	}
	if !dash {
		st, err := os.Stdin.Stat()
		if err != nil || st.Mode()&os.ModeNamedPipe == 0 && !st.Mode().IsRegular() {
			return "", nil
		}
	}
	const most = 64 << 10
	b, err := io.ReadAll(io.LimitReader(os.Stdin, most+1))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	if len(b) > most {
		return "", usagef("standard input holds more than %d KiB; a request or command is shorter", most>>10)
	}
	return strings.TrimSpace(string(b)), nil
}

// defaultShell is the login shell's name when cmdr supports it, else bash.
func defaultShell() string {
	if s := filepath.Base(os.Getenv("SHELL")); translate.ValidShell(s) {
		return s
	}
	return "bash"
}
