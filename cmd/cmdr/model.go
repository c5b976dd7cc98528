package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/model"
)

const modelUsage = `Usage: cmdr model pull [REF]          download a GGUF model from Hugging Face
       cmdr model list [--json]       the models on this machine
       cmdr model info REF|PATH [--json]
       cmdr model use REF             make it the configured model (the agent reloads)
       cmdr model add PATH            register a GGUF file you already have
       cmdr model rm REF              delete a model cmdr pulled (or forget an added one)

REF is OWNER/REPO:QUANT (the repository's file of that quantization),
OWNER/REPO/FILE.gguf, or a name from cmdr model list (ollama:NAME:TAG,
hf:OWNER/REPO/FILE.gguf, lmstudio:...), or for short a model's file name
(with or without .gguf) or its name without the ollama:, hf: or
lmstudio: prefix, where only one model answers to it (use stores the
full name). pull with no REF fetches the recommended model,
` + model.DefaultRef + `.
The first model pulled or added becomes the configured one.

Models already on this machine are found where other tools keep them:
the Ollama store ($OLLAMA_MODELS or ~/.ollama/models), the Hugging Face
cache ($HF_HOME/hub), LM Studio (~/.lmstudio/models). Nothing is copied.
pull honours HF_ENDPOINT, HF_TOKEN (for gated repositories; else the
token a Hugging Face login saved) and
HF_HUB_OFFLINE (a model pulled before is found without the hub, as it
is when the hub is out of reach), verifies
the sha256 the hub announces, resumes broken transfers, and installs
atomically into ` + "$XDG_DATA_HOME/cmdr/models" + `. A model split across
files (NAME-00001-of-00003.gguf, ...) is pulled whole and named, added
and used by its first part.`

func runModel(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Println(modelUsage)
		if len(args) == 0 {
			return errReported
		}
		return nil
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "pull":
		return modelPull(ctx, rest)
	case "list", "ls":
		return modelList(rest)
	case "info", "show":
		return modelInfo(rest)
	case "use":
		return modelUse(ctx, rest)
	case "add":
		return modelAdd(ctx, rest)
	case "rm", "remove":
		return modelRm(rest)
	}
	return usagef("model: unknown subcommand %q (pull, list, info, use, add, rm)", sub)
}

// oneArg parses flags and wants exactly one operand, or none when
// optional is set.
func oneArg(name string, args []string, optional bool) (string, *bool, error) {
	fs := newFlags("model " + name)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, modelUsage, args, os.Stdout); err != nil {
		return "", nil, err
	}
	switch {
	case fs.NArg() == 1:
		return fs.Arg(0), asJSON, nil
	case fs.NArg() == 0 && optional:
		return "", asJSON, nil
	}
	return "", nil, usagef("model %s: give one model (see cmdr model --help)", name)
}

func modelPull(ctx context.Context, args []string) error {
	ref, _, err := oneArg("pull", args, true)
	if err != nil {
		return err
	}
	p := model.NewPuller()
	if isatty.IsTerminal(os.Stderr.Fd()) {
		p.Progress = progressBar(time.Now())
	}
	m, err := p.Pull(ctx, ref)
	if p.Progress != nil {
		fmt.Fprint(os.Stderr, "\r\x1b[K")
	}
	if err != nil {
		return fmt.Errorf("model pull: %w", err)
	}
	fmt.Printf("%s (%s) → %s\n", m.Name, model.Bytes(m.Size), m.Path)
	return configureFirst(ctx, m.Name)
}

// configureFirst makes name the configured model when none is, so that
// the model a user just pulled or added is the one that answers, as the
// "no model configured" error promises, also in an agent already running
// without one.
func configureFirst(ctx context.Context, name string) error {
	cfg, err := config.Load(nil)
	if err != nil || strings.TrimSpace(cfg.Get("model")) != "" {
		return nil
	}
	path, err := config.SetInFile("model", name)
	if err != nil {
		return nil
	}
	fmt.Printf("configured as the model (%s); change it with cmdr model use\n", path)
	return reloadAgent(ctx)
}

// reloadAgent has a running agent read its configuration again; with
// none running there is nothing to do.
func reloadAgent(ctx context.Context) error {
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return nil
	}
	defer cancel()
	if _, err := c.Reload(ctx); err != nil && !errors.Is(err, client.ErrNoAgent) {
		return clientError(err)
	}
	return nil
}

// progressBar draws size, percentage, speed and time left on one line,
// at most ten times a second.
func progressBar(start time.Time) func(done, total int64) {
	var last time.Time
	return func(done, total int64) {
		now := time.Now()
		if now.Sub(last) < 100*time.Millisecond && done != total {
			return
		}
		last = now
		secs := now.Sub(start).Seconds()
		speed := float64(done) / max(secs, 0.001)
		line := model.Bytes(done)
		if total > 0 {
			eta := time.Duration(float64(total-done)/max(speed, 1)) * time.Second
			line = fmt.Sprintf("%s / %s  %3.0f%%  %s/s  %s left", model.Bytes(done), model.Bytes(total),
				100*float64(done)/float64(total), model.Bytes(int64(speed)), eta.Round(time.Second))
		}
		fmt.Fprintf(os.Stderr, "\r\x1b[K%s", line)
	}
}

func modelList(args []string) error {
	fs := newFlags("model list")
	asJSON := fs.Bool("json", false, "print JSON")
	names := fs.Bool("names", false, "print the names only, one per line (for completion)")
	if err := parseFlags(fs, modelUsage, args, os.Stdout); err != nil {
		return err
	}
	models := model.List()
	if *names {
		for _, m := range models {
			fmt.Println(m.Name)
		}
		return nil
	}
	current := ""
	if cfg, err := config.Load(nil); err == nil {
		current = strings.TrimSpace(cfg.Get("model"))
	}
	if *asJSON {
		type row struct {
			model.Model
			Configured bool `json:"configured"`
		}
		rows := []row{}
		for _, m := range models {
			rows = append(rows, row{m, m.Name == current || m.Path == current})
		}
		return writeJSON(rows)
	}
	if len(models) == 0 {
		fmt.Println("no models found; run `cmdr model pull` or `cmdr model add PATH`")
		return nil
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tSIZE\tSOURCE\tPATH")
	for _, m := range models {
		mark := " "
		if m.Name == current || m.Path == current {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", mark, m.Name, model.Bytes(m.Size), m.Source, m.Path)
	}
	return tw.Flush()
}

func modelInfo(args []string) error {
	ref, asJSON, err := oneArg("info", args, false)
	if err != nil {
		return err
	}
	path, err := model.Resolve(ref)
	if err != nil {
		return err
	}
	in, err := model.Inspect(path)
	if err != nil {
		return err
	}
	ctxSize := 4096
	if cfg, err := config.Load(nil); err == nil {
		if n, err := strconv.Atoi(cfg.Get("llamacpp.ctx_size")); err == nil && n > 0 {
			ctxSize = n
		}
	}
	ctxSize = in.Context(ctxSize)
	mem := in.MemoryEstimate(ctxSize)
	if *asJSON {
		return writeJSON(struct {
			model.Info
			Context        int    `json:"configured_context"`
			MemoryEstimate uint64 `json:"memory_estimate"`
		}{in, ctxSize, mem})
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]string{
		{"path", in.Path}, {"name", orDash(in.Name)}, {"architecture", in.Architecture},
		{"parameters", fmt.Sprintf("%.2fB", float64(in.Parameters)/1e9)}, {"quantization", in.Quantization},
		{"context length", strconv.FormatUint(in.ContextLength, 10)}, {"chat template", yesNo(in.ChatTemplate)},
		{"file size", fileSize(in)},
		{"memory needed", fmt.Sprintf("about %s at a %d-token context", model.Bytes(int64(mem)), ctxSize)},
	} {
		fmt.Fprintf(tw, "%s\t%s\n", kv[0], kv[1])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := in.CheckFits(ctxSize); err != nil {
		return err
	}
	return nil
}

func fileSize(in model.Info) string {
	if len(in.Parts) > 1 {
		return fmt.Sprintf("%s in %d files", model.Bytes(in.FileSize), len(in.Parts))
	}
	return model.Bytes(in.FileSize)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no (a ChatML prompt is used)"
}

func modelUse(ctx context.Context, args []string) error {
	ref, _, err := oneArg("use", args, false)
	if err != nil {
		return err
	}
	path, ref, err := model.ResolveName(ref)
	if err != nil {
		return err
	}
	if _, err := model.Inspect(path); err != nil {
		return err
	}
	file, err := config.SetInFile("model", ref)
	if err != nil {
		return fmt.Errorf("model use: %w", err)
	}
	fmt.Printf("model = %q in %s\n", ref, file)
	if os.Getenv("CMDR_MODEL") != "" {
		fmt.Fprintln(os.Stderr, "cmdr: note: CMDR_MODEL is set in this environment and takes precedence over config.toml")
	}
	return reloadAgent(ctx)
}

func modelAdd(ctx context.Context, args []string) error {
	ref, _, err := oneArg("add", args, false)
	if err != nil {
		return err
	}
	m, err := model.Add(ref)
	if err != nil {
		return err
	}
	fmt.Printf("added %s\n", m.Path)
	return configureFirst(ctx, m.Name)
}

func modelRm(args []string) error {
	ref, _, err := oneArg("rm", args, false)
	if err != nil {
		return err
	}
	m, err := model.Remove(ref)
	if err != nil {
		return err
	}
	if m.Source == model.SourceAdded {
		fmt.Printf("forgot %s (the file is left alone)\n", m.Path)
	} else {
		fmt.Printf("removed %s\n", m.Path)
	}
	return nil
}

// Model names resolve everywhere a path does: in suggest, the agent and
// eval alike.
func init() { engine.SetModelResolver(model.Resolve) }
