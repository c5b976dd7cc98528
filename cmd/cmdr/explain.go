package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/translate"
)

const explainUsage = `Usage: cmdr explain [--json] [-- COMMAND]

Explains COMMAND, or, with no COMMAND, the previous command of this shell
session (with the shell integration loaded). Nothing is run.

Examples:
  cmdr explain -- 'tar -xzvf backup.tgz -C /tmp'
  cmdr explain`

func runExplain(ctx context.Context, args []string) error {
	fs := newFlags("explain")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, explainUsage, args, os.Stdout); err != nil {
		return err
	}
	command := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if command == "" {
		// No hook record: the shell's history file is the next best source.
		command = previousCommand(defaultShell())
	}
	if command == "" {
		return errors.New("explain: no command given and no previous command known; load the shell integration (cmdr init) or pass one: cmdr explain -- 'CMD'")
	}
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	streamed := false
	var onToken func(string)
	if !*asJSON {
		fmt.Printf("%s\n", translate.StripEscapes(command))
		onToken = func(s string) {
			streamed = true
			fmt.Print(s)
		}
	}
	ex, err := c.Explain(ctx, wire.ExplainRequest{Command: command, Shell: defaultShell()}, onToken)
	if err != nil {
		if streamed {
			fmt.Println()
		}
		return clientError(err)
	}
	if *asJSON {
		return writeJSON(ex)
	}
	if !streamed {
		fmt.Print(ex.Summary)
	}
	_, err = fmt.Println()
	return err
}
