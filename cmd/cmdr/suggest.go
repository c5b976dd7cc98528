package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cmdr-sh/cmdr/agent"
	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/translate"
)

const suggestUsage = `Usage: cmdr suggest [--shell bash|zsh|fish] [--json] [--no-agent] [--engine E] [--model M] -- TEXT

Prints one command line for TEXT. Nothing is run. The request goes to the
agent, which keeps the model loaded (and is started if needed). With
--no-agent, --engine or --model (or CMDR_NO_AGENT=1) the model is loaded in
this process instead, for a one-off.

Examples:
  cmdr suggest -- find files over 100 MB in my home directory
  cmdr suggest --shell fish --json -- count lines in all go files`

func runSuggest(ctx context.Context, args []string) error {
	fs := newFlags("suggest")
	shell := fs.String("shell", defaultShell(), "shell to write the command for: bash, zsh or fish")
	asJSON := fs.Bool("json", false, "print a JSON object instead of the bare command")
	noAgent := fs.Bool("no-agent", false, "load the model in this process instead of asking the agent")
	var ef engineFlags
	ef.register(fs)
	if err := parseFlags(fs, suggestUsage, args, os.Stdout); err != nil {
		return err
	}
	text := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if text == "" {
		return usagef("suggest: no request given (usage: cmdr suggest -- TEXT)")
	}
	if !translate.ValidShell(*shell) {
		return usagef("suggest: unknown shell %q (want bash, zsh or fish)", *shell)
	}
	if !*noAgent && ef.engine == "" && ef.model == "" && os.Getenv("CMDR_NO_AGENT") == "" {
		return suggestViaAgent(ctx, text, *shell, *asJSON)
	}
	cfg, err := ef.load()
	if err != nil {
		return err
	}
	eng, err := openEngine(ctx, cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	maxTok, err := cfg.Settings().Int("max_tokens", translate.MaxCommandTokens)
	if err != nil {
		return err
	}
	s, err := translate.Suggest(ctx, eng, translate.Request{Text: text, Shell: *shell, MaxTokens: maxTok}, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(wire.Suggestion{Command: s.Command, Engine: s.Engine, Model: s.Model, Timings: agent.Timings(s.Result)})
	}
	_, err = fmt.Println(s.Command)
	return err
}

func suggestViaAgent(ctx context.Context, text, shell string, asJSON bool) error {
	c, cfg, err := newClient(ctx)
	if err != nil {
		return err
	}
	ctx, cancel, err := requestContext(ctx, cfg)
	if err != nil {
		return err
	}
	defer cancel()
	cwd, _ := os.Getwd()
	s, err := c.Suggest(ctx, wire.SuggestRequest{Text: text, Shell: shell, Cwd: cwd}, nil)
	if err != nil {
		return clientError(err)
	}
	if asJSON {
		return writeJSON(s)
	}
	_, err = fmt.Println(s.Command)
	return err
}

func writeJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// defaultShell is the login shell's name when cmdr supports it, else bash.
func defaultShell() string {
	if s := filepath.Base(os.Getenv("SHELL")); translate.ValidShell(s) {
		return s
	}
	return "bash"
}
