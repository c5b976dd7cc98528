// Command shellbench measures what cmdr's shell integration costs each
// shell: the init line at start-up, and the per-prompt hook. `make bench`
// runs it.
//
//	shellbench -cmdr bin/cmdr -runs 20 -out results.jsonl
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/cmdr-sh/cmdr/bench/benchfmt"
)

func main() {
	bin := flag.String("cmdr", "bin/cmdr", "cmdr binary")
	runs := flag.Int("runs", 20, "start-ups per figure")
	out := flag.String("out", "", "append JSON lines here")
	flag.Parse()
	abs, err := filepath.Abs(*bin)
	if err == nil {
		var recs []benchfmt.Record
		recs, err = measure(abs, *runs)
		if err == nil && *out != "" {
			err = benchfmt.Append(*out, recs)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "shellbench:", err)
		os.Exit(1)
	}
}

type shellCase struct {
	name string
	// start runs an interactive shell that reads rc and exits.
	start func(dir, rc string) *exec.Cmd
	// rcLine loads cmdr; sourceLine loads a saved copy of the script
	// (no process); floorLine is rcLine with /bin/true for cmdr, the
	// least any command substitution costs on this machine.
	rcLine, sourceLine, floorLine string
	// loop calls body n times inside the shell.
	loop func(n int, body string) string
	hook string
	// bare starts the line editor as an interactive session would, so
	// its start-up is not billed to cmdr.
	bare string
}

func cases(bin string) []shellCase {
	return []shellCase{
		{
			name: "bash",
			start: func(dir, rc string) *exec.Cmd {
				p := filepath.Join(dir, "rc.bash")
				os.WriteFile(p, []byte(rc), 0o644)
				return exec.Command("bash", "--noprofile", "--rcfile", p, "-i", "-c", "exit")
			},
			rcLine:     fmt.Sprintf(`eval "$(%s init bash)"`, bin),
			sourceLine: ". %s",
			floorLine:  `eval "$(/bin/true)"`,
			loop:       func(n int, body string) string { return fmt.Sprintf("for ((i=0;i<%d;i++)); do %s; done", n, body) },
			hook:       "__cmdr_precmd",
			bare:       `bind '"\C-x\C-c\C-z": redraw-current-line'`,
		},
		{
			name: "zsh",
			start: func(dir, rc string) *exec.Cmd {
				os.WriteFile(filepath.Join(dir, ".zshrc"), []byte(rc), 0o644)
				cmd := exec.Command("zsh", "-i", "-c", "exit")
				cmd.Env = append(os.Environ(), "ZDOTDIR="+dir)
				return cmd
			},
			rcLine:     fmt.Sprintf(`eval "$(%s init zsh)"`, bin),
			sourceLine: ". %s",
			floorLine:  `eval "$(/bin/true)"`,
			loop:       func(n int, body string) string { return fmt.Sprintf("repeat %d { %s }", n, body) },
			hook:       "__cmdr_preexec 'ls -la'; __cmdr_precmd",
			bare:       "zmodload zsh/zle",
		},
		{
			name: "fish",
			start: func(dir, rc string) *exec.Cmd {
				cfg := filepath.Join(dir, "fish")
				os.MkdirAll(cfg, 0o755)
				os.WriteFile(filepath.Join(cfg, "config.fish"), []byte(rc), 0o644)
				cmd := exec.Command("fish", "-i", "-c", "exit")
				cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir)
				return cmd
			},
			rcLine:     fmt.Sprintf("%s init fish | source", bin),
			sourceLine: "source %s",
			floorLine:  "/bin/true | source",
			loop:       func(n int, body string) string { return fmt.Sprintf("for i in (seq %d); %s; end", n, body) },
			hook:       "__cmdr_postexec 'ls -la'",
			bare:       `bind \cx\cz true`,
		},
	}
}

func timeRun(cmd *exec.Cmd) (time.Duration, error) {
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v: %v: %s", cmd.Args, err, out)
	}
	return time.Since(t0), nil
}

func measure(bin string, runs int) ([]benchfmt.Record, error) {
	var recs []benchfmt.Record
	for _, c := range cases(bin) {
		if _, err := exec.LookPath(c.name); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s not installed, skipped\n", c.name)
			continue
		}
		dir, err := os.MkdirTemp("", "cmdr-shellbench")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		fmt.Fprintf(os.Stderr, "bench: %s start-up and hook cost\n", c.name)
		script, err := exec.Command(bin, "init", c.name).Output()
		if err != nil {
			return nil, fmt.Errorf("cmdr init %s: %v", c.name, err)
		}
		saved := filepath.Join(dir, "init."+c.name)
		if err := os.WriteFile(saved, script, 0o644); err != nil {
			return nil, err
		}
		// Start-up: alternate bare and loaded runs so drift hits all. The
		// script alone and the floor split the init line's cost into
		// cmdr's script, cmdr's process, and what any process costs.
		variants := []struct{ metric, line string }{
			{"init line, start-up time over a bare shell", c.rcLine},
			{"  of which the script alone (sourced from a file)", fmt.Sprintf(c.sourceLine, saved)},
			{"  floor: the init line running /bin/true instead", c.floorLine},
		}
		extra := make([][]float64, len(variants))
		for i := 0; i < runs; i++ {
			for j, v := range variants {
				bare, err := timeRun(c.start(dir, c.bare+"\n"))
				if err != nil {
					return nil, err
				}
				with, err := timeRun(c.start(dir, v.line+"\n"))
				if err != nil {
					return nil, err
				}
				extra[j] = append(extra[j], float64((with-bare).Microseconds())/1000)
			}
		}
		for j, v := range variants {
			r := benchfmt.Stat(v.metric, "ms", extra[j])
			r.Suite, r.Model, r.Build = "shell", c.name, "native"
			recs = append(recs, r)
		}

		// Per-prompt hook: n calls in one shell against n no-op calls.
		const n = 2000
		var per []float64
		for i := 0; i < 5; i++ {
			base, err := timeRun(c.start(dir, c.rcLine+"\n"+c.loop(n, "true")+"\n"))
			if err != nil {
				return nil, err
			}
			hooked, err := timeRun(c.start(dir, c.rcLine+"\n"+c.loop(n, c.hook)+"\n"))
			if err != nil {
				return nil, err
			}
			per = append(per, float64((hooked-base).Nanoseconds())/n/1000)
		}
		r := benchfmt.Stat("per-prompt hook", "µs", per)
		r.Suite, r.Model, r.Build = "shell", c.name, "native"
		recs = append(recs, r)
		for _, r := range recs[len(recs)-len(variants)-1:] {
			fmt.Fprintf(os.Stderr, "  %-45s %8.3f %s\n", r.Metric, r.Median, r.Unit)
		}
	}
	return recs, nil
}
