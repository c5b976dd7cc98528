package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cmdr-sh/cmdr/translate"
)

const suggestUsage = `Usage: cmdr suggest [--shell bash|zsh|fish] [--json] [--engine E] [--model M] -- TEXT

Prints one command line for TEXT. Nothing is run.

Examples:
  cmdr suggest -- find files over 100 MB in my home directory
  cmdr suggest --shell fish --json -- count lines in all go files`

func runSuggest(ctx context.Context, args []string) error {
	fs := newFlags("suggest")
	shell := fs.String("shell", defaultShell(), "shell to write the command for: bash, zsh or fish")
	asJSON := fs.Bool("json", false, "print a JSON object instead of the bare command")
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
	cfg, err := ef.load()
	if err != nil {
		return err
	}
	eng, err := openEngine(ctx, cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	s, err := translate.Suggest(ctx, eng, translate.Request{Text: text, Shell: *shell}, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(suggestJSON(s))
	}
	_, err = fmt.Println(s.Command)
	return err
}

type timingsJSON struct {
	QueueMS      float64 `json:"queue_ms"`
	PromptEvalMS float64 `json:"prompt_eval_ms"`
	FirstTokenMS float64 `json:"first_token_ms"`
	TotalMS      float64 `json:"total_ms"`
	TokensIn     int     `json:"tokens_in"`
	TokensCached int     `json:"tokens_cached"`
	TokensOut    int     `json:"tokens_out"`
}

func suggestJSON(s translate.Suggestion) map[string]any {
	ms := func(d interface{ Seconds() float64 }) float64 { return float64(int64(d.Seconds()*1e6)) / 1e3 }
	t := s.Result.Timings
	return map[string]any{
		"command": s.Command,
		"engine":  s.Engine,
		"model":   s.Model,
		"timings": timingsJSON{
			QueueMS: ms(t.Queue), PromptEvalMS: ms(t.PromptEval), FirstTokenMS: ms(t.FirstToken), TotalMS: ms(t.Total),
			TokensIn: s.Result.TokensIn, TokensCached: s.Result.TokensCached, TokensOut: s.Result.TokensOut,
		},
	}
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
