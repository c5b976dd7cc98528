package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/translate"
)

const contextUsage = `Usage: cmdr context [--json] [--shell S] [--recent CMD]... [--last-command CMD] -- TEXT

Prints exactly what cmdr would send to the model for TEXT from this
directory: the system prompt, the examples, and the request with its
grounded context (OS, directory, listing, git, recent commands, installed
tools that fit). Secrets are redacted. --json prints the context parts:
{"shell", "os", "cwd", "listing", "git", "recent_commands", "tools"}.
Each part can be switched off in config.toml (context.* settings).`

func runContext(ctx context.Context, args []string) error {
	fs := newFlags("context")
	asJSON := fs.Bool("json", false, "print the context parts as JSON")
	shell := fs.String("shell", defaultShell(), "bash, zsh or fish")
	lastCmd := fs.String("last-command", "", "the session's previous command")
	var recent []string
	fs.Func("recent", "an earlier command of the session (repeat, oldest first)", func(s string) error {
		recent = append(recent, s)
		return nil
	})
	if err := parseFlags(fs, contextUsage, args, os.Stdout); err != nil {
		return err
	}
	if !translate.ValidShell(*shell) {
		return usagef("context: unknown shell %q", *shell)
	}
	cfg, err := config.Load(nil)
	if err != nil {
		return err
	}
	req := translate.Request{Text: strings.Join(fs.Args(), " "), Shell: *shell, LastCommand: *lastCmd, Recent: recent}
	c, err := gatherContext(ctx, cfg, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c)
	}
	req.Context = &c
	for _, m := range translate.Messages(req) {
		fmt.Printf("[%s]\n%s\n\n", m.Role, m.Content)
	}
	return nil
}

// gatherContext collects the grounded context the way the agent does, for
// requests answered in this process and for `cmdr context`.
func gatherContext(ctx context.Context, cfg *config.Config, req translate.Request) (translate.Context, error) {
	opts, err := translate.ContextOptionsFrom(cfg.Settings())
	if err != nil {
		return translate.Context{}, err
	}
	cwd, _ := os.Getwd()
	return translate.Gather(ctx, translate.GatherInput{Text: req.Text, Shell: req.Shell, Cwd: cwd, Recent: req.Session()},
		opts, translate.NewToolIndex(translate.IndexOptions{CachePath: config.ToolIndexPath()})), nil
}
