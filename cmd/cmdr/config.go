package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/cmdr-sh/cmdr/internal/config"
)

const configUsage = `Usage: cmdr config [--json]

Lists every setting with its current value and where that value came from:
flag, env (a CMDR_* variable), file (config.toml) or default. API keys are
shown only as set or unset.`

func runConfig(_ context.Context, args []string) error {
	fs := newFlags("config")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, configUsage, args, os.Stdout); err != nil {
		return err
	}
	cfg, err := config.Load(nil)
	if err != nil {
		return err
	}
	rows := cfg.Rows()
	if *asJSON {
		return writeJSON(map[string]any{"file": cfg.File, "settings": rows})
	}
	fmt.Printf("# config file: %s\n", cfg.File)
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tSOURCE\tVARIABLE\tDESCRIPTION")
	for _, r := range rows {
		v := r.Value
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Key, v, r.Source, r.Env, r.Doc)
	}
	return tw.Flush()
}
