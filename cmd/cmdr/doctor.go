package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/buildinfo"
	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/model"
	"github.com/cmdr-sh/cmdr/shell"
	"github.com/cmdr-sh/cmdr/translate"
)

const doctorUsage = `Usage: cmdr doctor [--json]

Checks the setup and says how to fix what is wrong: the settings (each
value one the agent, its engine and the clients can use, and no CMDR_
variable that cmdr does not read, as a misspelled one), the shell
integration (in this shell and in its startup file), the agent and its
socket, the model (configured, valid, fits in memory), the CPU features
and threads, the build, an HTTP backend's reachability, and the man-page
index. Exits 1 when a check fails. It never starts the agent.`

// Check states.
const (
	checkOK   = "ok"
	checkWarn = "warn"
	checkFail = "fail"
)

type check struct {
	Name   string `json:"check"`
	State  string `json:"state"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

func runDoctor(ctx context.Context, args []string) error {
	fs := newFlags("doctor")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, doctorUsage, args, os.Stdout); err != nil {
		return err
	}
	checks := doctor(ctx)
	failed := false
	for _, c := range checks {
		failed = failed || c.State == checkFail
	}
	if *asJSON {
		if err := writeJSON(checks); err != nil {
			return err
		}
	} else {
		color := useColor(os.Stdout)
		for _, c := range checks {
			mark := map[string]string{checkOK: "✓", checkWarn: "!", checkFail: "✗"}[c.State]
			if color {
				mark = map[string]string{checkOK: "\x1b[32m✓\x1b[0m", checkWarn: "\x1b[33m!\x1b[0m", checkFail: "\x1b[31m✗\x1b[0m"}[c.State]
			}
			fmt.Printf("%s %-18s %s\n", mark, c.Name, c.Detail)
			if c.Fix != "" {
				fmt.Printf("  %-18s fix: %s\n", "", c.Fix)
			}
		}
	}
	if failed {
		return errReported
	}
	return nil
}

func doctor(ctx context.Context) []check {
	var out []check
	add := func(name, state, detail, fix string) {
		out = append(out, check{name, state, detail, fix})
	}
	cfg, err := config.Load(nil)
	if err != nil {
		add("config", checkFail, err.Error(), "fix the file, then `cmdr config` shows every setting")
		return out
	}
	if err := checkSettings(cfg); err != nil {
		add("config", checkFail, err.Error(), "correct it; `cmdr config` shows where each setting comes from")
	} else {
		add("config", checkOK, cfg.File, "")
	}
	if unknown := config.UnknownEnv(os.Environ()); len(unknown) > 0 {
		add("environment", checkWarn, "cmdr reads no "+strings.Join(unknown, ", "), "rename or unset it; `cmdr config` lists every variable")
	}

	// Shell integration: this shell (the init script's cmdr function
	// passes CMDR_HOOK_SHELL), and the startup file.
	sh := defaultShell()
	if hook := os.Getenv("CMDR_HOOK_SHELL"); hook != "" {
		add("shell", checkOK, hook+" integration loaded in this shell", "")
	} else {
		add("shell", checkWarn, "integration not loaded in this shell (or cmdr was run by its full path)",
			fmt.Sprintf("add %s to %s and open a new shell", initLine(sh), rcFile(sh)))
	}
	if rc := rcFile(sh); rc != "" {
		b, err := os.ReadFile(rc)
		saved := config.InitScriptPath(sh)
		switch {
		case err == nil && strings.Contains(string(b), saved):
			add("startup file", checkOK, rc+" loads "+saved, "")
			if state, detail := savedScriptState(sh, saved); state != checkOK {
				add("saved script", state, detail, "cmdr init "+sh+" --save")
			}
		case err == nil && strings.Contains(string(b), "init "+sh):
			add("startup file", checkOK, rc+" loads cmdr", "")
		default:
			add("startup file", checkWarn, rc+" does not load cmdr", "add "+initLine(sh)+" (./install.sh does it)")
		}
	}

	// The agent: never started here, so an idle machine is not a failure.
	c := client.New(client.Options{Socket: config.SocketPath()})
	sctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	st, err := c.Status(sctx)
	cancel()
	switch {
	case errors.Is(err, client.ErrNoAgent):
		add("agent", checkOK, "not running; it starts on the first request", "")
	case err != nil:
		add("agent", checkFail, err.Error(), "cmdr stop, then try again; the log is "+config.LogPath())
	case st.Version != buildinfo.Version:
		add("agent", checkWarn, fmt.Sprintf("running cmdr %s, this is %s", st.Version, buildinfo.Version), "cmdr stop (the next request starts the new one)")
	default:
		add("agent", checkOK, fmt.Sprintf("pid %d, cmdr %s, %s %s", st.PID, st.Version, st.Engine, orDash(st.Model)), "")
		if st.LoadError != "" {
			add("agent model", checkFail, st.LoadError, "see the model check below")
		}
	}
	dir := config.RuntimeDir()
	if fi, err := os.Stat(dir); err == nil {
		own := true
		if s, ok := fi.Sys().(*syscall.Stat_t); ok {
			own = int(s.Uid) == os.Getuid()
		}
		if fi.Mode().Perm()&0o077 != 0 || !own {
			add("socket", checkFail, fmt.Sprintf("%s is %v and must be yours alone", dir, fi.Mode().Perm()), "rm -r "+dir+" (cmdr recreates it)")
		} else {
			add("socket", checkOK, dir+" is private", "")
		}
	}

	// The engine and its model.
	name := cfg.Engine()
	s := cfg.Backend(name)
	switch name {
	case llamacpp.Name:
		doctorModel(cfg, s, add)
		doctorCPU(s, add)
	default:
		doctorHTTP(ctx, s, add)
	}

	// The man-page index behind tool hints.
	if fresh, err := translate.ToolIndexFresh(config.ToolIndexPath()); err != nil {
		add("man pages", checkWarn, "no tool index yet: "+err.Error(), "it is built on the first request (or run: cmdr context -- test)")
	} else if !fresh {
		add("man pages", checkWarn, "the tool index is older than the installed pages", "it is rebuilt on the next request")
	} else {
		add("man pages", checkOK, "tool index is current ("+config.ToolIndexPath()+")", "")
	}
	return out
}

// describeModel is doctor's line for a model found as ref.
func describeModel(ref string, in model.Info) string {
	return fmt.Sprintf("%s: %s %.1fB %s, %s", ref, in.Architecture, float64(in.Parameters)/1e9, in.Quantization, model.Bytes(in.FileSize))
}

func doctorModel(cfg *config.Config, s engine.Settings, add func(name, state, detail, fix string)) {
	ref := strings.TrimSpace(s.String("model"))
	path, err := model.Resolve(ref)
	if err != nil {
		add("model", checkFail, err.Error(), "cmdr model pull, or cmdr model use NAME")
		return
	}
	in, err := model.Inspect(path)
	if err != nil {
		add("model", checkFail, err.Error(), "cmdr model pull (a fresh download), or cmdr model use another")
		return
	}
	ctxSize, _ := strconv.Atoi(cfg.Get("llamacpp.ctx_size"))
	if ctxSize <= 0 {
		ctxSize = 4096
	}
	ctxSize = in.Context(ctxSize)
	add("model", checkOK, describeModel(orDash(ref), in), "")
	// A draft model that cannot load would stop the model loading too.
	if dref := strings.TrimSpace(s.String("llamacpp.draft_model")); dref != "" {
		const fix = "unset llamacpp.draft_model, or name a smaller model of the same family"
		if dpath, err := model.Resolve(dref); err != nil {
			add("draft model", checkFail, err.Error(), fix)
		} else if d, err := model.Inspect(dpath); err != nil {
			add("draft model", checkFail, err.Error(), fix)
		} else {
			add("draft model", checkOK, describeModel(dref, d), "")
		}
	}
	if err := in.CheckFits(ctxSize); err != nil {
		add("memory", checkFail, err.Error(), "a smaller model or quantization, or a smaller llamacpp.ctx_size")
	} else {
		add("memory", checkOK, fmt.Sprintf("about %s needed at a %d-token context", model.Bytes(int64(in.MemoryEstimate(ctxSize))), ctxSize), "")
	}
}

func doctorCPU(s engine.Settings, add func(name, state, detail, fix string)) {
	if !llamacpp.Available {
		add("build", checkFail, "this cmdr was built without llama.cpp", "rebuild with make build, or use CMDR_ENGINE=openai")
		return
	}
	feats := llamacpp.BuildFeatures()
	switch {
	case len(feats) == 0:
		add("build", checkFail, "llama.cpp built for baseline x86-64: 8-28x slower", "rebuild with make build (native) or PORTABLE=1")
	case buildinfo.Target == "portable":
		add("build", checkOK, "portable ("+strings.Join(feats, " ")+")", "")
	default:
		add("build", checkOK, orDash(buildinfo.Target)+" ("+strings.Join(feats, " ")+")", "")
	}
	if err := checkBuildCPU(); err != nil {
		add("cpu", checkFail, err.Error(), "rebuild on this machine with make build")
	}
	cores := engine.PhysicalCores()
	th, err := s.Int("llamacpp.threads", cores)
	switch {
	case err != nil:
		add("threads", checkFail, err.Error(), "set llamacpp.threads to a number")
	case th > cores:
		add("threads", checkWarn, fmt.Sprintf("%d threads on %d physical cores: slower, not faster", th, cores), fmt.Sprintf("unset CMDR_THREADS, or set it to %d", cores))
	default:
		add("threads", checkOK, fmt.Sprintf("%d of %d physical cores", th, cores), "")
	}
}

func doctorHTTP(ctx context.Context, s engine.Settings, add func(name, state, detail, fix string)) {
	base := strings.TrimRight(s.String("openai.url"), "/")
	if base == "" {
		add("server", checkFail, "no server URL configured", "set CMDR_OPENAI_URL (or openai.url in config.toml)")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/models", nil)
	if err != nil {
		add("server", checkFail, err.Error(), "fix openai.url")
		return
	}
	if key := s.String("openai.api_key"); key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		add("server", checkFail, fmt.Sprintf("%s is unreachable: %v", base, errors.Unwrap(err)), "start the server, or fix openai.url")
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		add("server", checkFail, fmt.Sprintf("%s/models answered %s", base, resp.Status), "check the URL and the API key (CMDR_OPENAI_API_KEY)")
		return
	}
	add("server", checkOK, base+" answers", "")
}

// savedScriptState tells whether the script saved at path is the one this
// cmdr would save. A newer binary renews the file by itself, but not
// one installed with an older time stamp (package managers keep the
// build's).
func savedScriptState(sh, path string) (string, string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return checkFail, err.Error()
	}
	exe, err := scriptBinary()
	if err != nil {
		return checkWarn, err.Error()
	}
	scratch := ""
	if sh == "bash" {
		scratch = config.ScratchDirIfSafe()
	}
	want, err := shell.Saved(sh, exe, scratch, path)
	if err != nil {
		return checkWarn, err.Error()
	}
	if string(b) != want {
		return checkWarn, path + " is not the script this cmdr saves (another version or binary)"
	}
	return checkOK, ""
}

func initLine(sh string) string {
	if sh == "fish" {
		return "`cmdr init fish | source`"
	}
	return "`eval \"$(cmdr init " + sh + ")\"`"
}

func rcFile(sh string) string {
	home, _ := os.UserHomeDir()
	switch sh {
	case "bash":
		return filepath.Join(home, ".bashrc")
	case "zsh":
		if d := os.Getenv("ZDOTDIR"); d != "" {
			return filepath.Join(d, ".zshrc")
		}
		return filepath.Join(home, ".zshrc")
	case "fish":
		cfg := os.Getenv("XDG_CONFIG_HOME")
		if !filepath.IsAbs(cfg) {
			cfg = filepath.Join(home, ".config")
		}
		return filepath.Join(cfg, "fish", "config.fish")
	}
	return ""
}
