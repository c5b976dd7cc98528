package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/cmdr-sh/cmdr/history"
	"github.com/cmdr-sh/cmdr/translate"
)

const historyUsage = `Usage: cmdr history [-n N] [--shell bash|zsh|fish] [--json]

Prints the last N commands of the shell's history file, as cmdr reads them
(used when the shell integration has no record, e.g. in a shell started
before cmdr was loaded).`

func runHistory(_ context.Context, args []string) error {
	flags := newFlags("history")
	n := flags.Int("n", 10, "how many entries")
	sh := flags.String("shell", defaultShell(), "whose history: bash, zsh or fish")
	asJSON := flags.Bool("json", false, "print JSON")
	if err := parseFlags(flags, historyUsage, args, os.Stdout); err != nil {
		return err
	}
	if !translate.ValidShell(*sh) || *n < 0 {
		return usagef("history: want --shell bash, zsh or fish and -n >= 0")
	}
	es, err := history.Read(*sh)
	if errors.Is(err, fs.ErrNotExist) {
		// A new account, or a shell that has not saved yet: no history
		// is an empty one, not a failure.
		p, _ := history.Path(*sh)
		fmt.Fprintf(os.Stderr, "cmdr: no %s history yet (%s)\n", *sh, p)
		es, err = []history.Entry{}, nil
	}
	if err != nil {
		return fmt.Errorf("reading %s history: %w", *sh, err)
	}
	if len(es) > *n {
		es = es[len(es)-*n:]
	}
	if *asJSON {
		return writeJSON(es)
	}
	for _, e := range es {
		if _, err := fmt.Println(translate.StripEscapes(strings.ReplaceAll(e.Command, "\n", "\\n"))); err != nil {
			return err
		}
	}
	return nil
}

// previousCommand is the newest history entry that is not a cmdr explain
// call itself, for `cmdr explain` run without the shell integration.
func previousCommand(shell string) string {
	es, err := history.Read(shell)
	if err != nil {
		return ""
	}
	for i := len(es) - 1; i >= 0; i-- {
		c := strings.TrimSpace(es[i].Command)
		if c != "" && !strings.HasPrefix(c, "cmdr explain") {
			return c
		}
	}
	return ""
}
