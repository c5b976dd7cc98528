package main

import (
	"flag"
	"fmt"
	"io"
	"syscall"

	"github.com/cmdr-sh/cmdr/internal/config"
)

// newFlags makes a FlagSet whose errors come back as usage errors instead
// of exiting, and whose help goes to stdout.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; -h prints help and returns errHelp.
func parseFlags(fs *flag.FlagSet, usage string, args []string, w io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprintln(w, usage)
			fmt.Fprintln(w, "\nFlags:")
			fs.SetOutput(w)
			fs.PrintDefaults()
			return errHelp
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}

// errHelp means help was printed; the command ends successfully.
var errHelp = helpShown{}

type helpShown struct{}

func (helpShown) Error() string { return "help shown" }

// engineFlags are the configuration flags every engine-using command takes.
type engineFlags struct {
	engine, model string
}

func (f *engineFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.engine, "engine", "", "backend: llamacpp or openai (overrides CMDR_ENGINE)")
	fs.StringVar(&f.model, "model", "", "model path or name (overrides CMDR_MODEL / CMDR_OPENAI_MODEL)")
}

// load resolves the configuration with these flags applied. The model
// flag goes to the model key of whichever engine ends up selected.
func (f *engineFlags) load() (*config.Config, error) {
	flags := map[string]string{}
	if f.engine != "" {
		flags["engine"] = f.engine
	}
	cfg, err := config.Load(flags)
	if err != nil {
		return nil, err
	}
	if f.model != "" {
		key := "model"
		if cfg.Engine() == "openai" {
			key = "openai.model"
		}
		cfg.SetFlag(key, f.model)
	}
	return cfg, nil
}

// ownGroupFlag registers --own-group, for the bash hook. Its requests run
// from a process substitution, in the shell's own process group, which
// has the terminal while a key binding runs: cmdr leaves that group, so
// that Ctrl-C reaches only the shell (which then cancels the request by
// pid, never missing it) and Ctrl-Z or Ctrl-\ cannot stop or kill cmdr.
// bash itself cannot start a command in a group of its own without also
// waiting for it, and waiting is what it must not do (see shell/bash.sh).
func ownGroupFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("own-group", false, "leave the terminal's process group first (for the bash hook)")
}

// leaveGroup makes cmdr a process group of its own when asked to.
func leaveGroup(own bool) error {
	if !own {
		return nil
	}
	if err := syscall.Setpgid(0, 0); err != nil {
		return fmt.Errorf("--own-group: %w", err)
	}
	return nil
}
