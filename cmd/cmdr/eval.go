package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/mattn/go-isatty"

	"github.com/cmdr-sh/cmdr/translate"
)

const evalUsage = `Usage: cmdr eval --dataset FILE.jsonl [--shell S] [--limit N] [--json] [--engine E] [--model M]

Runs a benchmark of requests through the configured engine and reports:
  syntax_valid   the answer parses as a shell command
  utility_match  its first program is a reference's first program
  exact_match    it equals a reference once normalized
  risk_flagged   it was graded low or high risk
  p50/p95        latency per answer
Each line of FILE has "nl" (the request) and "ref" (a reference command,
or a list of them), like shared/bench/nl2cmd-dev.jsonl. Nothing is run. The model is loaded in
this process, so --engine and --model compare backends side by side.

Examples:
  cmdr eval --dataset nl2cmd-dev.jsonl
  cmdr eval --dataset nl2cmd-dev.jsonl --engine openai --json`

func runEval(ctx context.Context, args []string) error {
	fs := newFlags("eval")
	dataset := fs.String("dataset", "", "JSON lines with nl and ref (required)")
	shell := fs.String("shell", "bash", "shell to write commands for")
	limit := fs.Int("limit", 0, "use only the first N items")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	var ef engineFlags
	ef.register(fs)
	if err := parseFlags(fs, evalUsage, args, os.Stdout); err != nil {
		return err
	}
	if *dataset == "" {
		return usagef("eval: --dataset FILE is required")
	}
	if !translate.ValidShell(*shell) {
		return usagef("eval: unknown shell %q", *shell)
	}
	f, err := os.Open(*dataset)
	if err != nil {
		return err
	}
	items, err := translate.ReadEvalItems(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *dataset, err)
	}
	if *limit > 0 && *limit < len(items) {
		items = items[:*limit]
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
	var progress func(int)
	if isatty.IsTerminal(os.Stderr.Fd()) {
		progress = func(n int) { fmt.Fprintf(os.Stderr, "\reval: %d/%d", n, len(items)) }
	}
	maxTok, err := cfg.Settings().Int("max_tokens", translate.MaxCommandTokens)
	if err != nil {
		return err
	}
	rep, err := translate.Eval(ctx, eng, items, *shell, maxTok, progress)
	if progress != nil {
		fmt.Fprintln(os.Stderr)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(rep)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "engine\t%s (%s)\n", rep.Engine, rep.Model)
	fmt.Fprintf(tw, "items\t%d (%d failed)\n", rep.N, rep.Errors)
	fmt.Fprintf(tw, "syntax_valid\t%.3f\n", rep.SyntaxValid)
	fmt.Fprintf(tw, "utility_match\t%.3f\n", rep.UtilityMatch)
	fmt.Fprintf(tw, "exact_match\t%.3f\n", rep.ExactMatch)
	fmt.Fprintf(tw, "risk_flagged\t%.3f\n", rep.RiskFlagged)
	fmt.Fprintf(tw, "latency\tp50 %.0f ms, p95 %.0f ms\n", rep.P50MS, rep.P95MS)
	return tw.Flush()
}
