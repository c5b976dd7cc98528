// Command shellbench measures what cmdr's shell integration costs each
// shell: the init line at start-up, and the per-prompt hook. `make bench`
// runs it.
//
//	shellbench -cmdr bin/cmdr -runs 20 -out results.jsonl
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cmdr-sh/cmdr/bench/benchfmt"
	"github.com/cmdr-sh/cmdr/internal/ttyshell"
)

func main() {
	bin := flag.String("cmdr", "bin/cmdr", "cmdr binary")
	runs := flag.Int("runs", 20, "start-ups per figure")
	out := flag.String("out", "", "append JSON lines here")
	models := flag.String("models", "", "directory of generated models: also time Ctrl-G end to end in real shells")
	only := flag.String("e2e", "", "with -models: only these end-to-end ways in, comma-separated (pasted, pasted-pause, typed-ctrlg, typed, typed-off, repo); empty: all")
	flag.Parse()
	for _, w := range strings.Split(*only, ",") {
		if w != "" {
			e2eOnly[w] = true
		}
	}
	abs, err := filepath.Abs(*bin)
	if err == nil {
		var recs []benchfmt.Record
		recs, err = measure(abs, *runs)
		if err == nil && *models != "" {
			var more []benchfmt.Record
			more, err = ctrlG(abs, *models, max(5, *runs/4))
			recs = append(recs, more...)
		}
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
	// space is what a space typed on a "# " line runs (type-ahead), with
	// spaceSetup making the background job /bin/true.
	space, spaceSetup string
	// ask is the request a Ctrl-G makes, askSetup points it at a stand-in
	// for cmdr (%s) that answers at once.
	ask, askSetup string
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
			space:      `READLINE_LINE="# list the files $i"; __cmdr_typeahead`,
			spaceSetup: "__cmdr_bin=/bin/true",
			ask:        `__cmdr_ask "list the files"`,
			askSetup:   "__cmdr_bin=%s",
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
			space:      `BUFFER="# list the files $((++k))"; __cmdr_typeahead`,
			spaceSetup: "__cmdr_bin=/bin/true; k=0",
			ask:        `__cmdr_ask "list the files"`,
			askSetup:   "__cmdr_bin=%s",
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
			space:      `__cmdr_typeahead "# list the files $i"`,
			spaceSetup: "set __cmdr_bin /bin/true",
			ask:        `__cmdr_ask "list the files"`,
			askSetup:   "set __cmdr_bin %s",
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
		saved := filepath.Join(dir, "init."+c.name)
		if out, err := exec.Command(bin, "init", c.name, "--save", "--file", saved).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("cmdr init %s --save: %v: %s", c.name, err, out)
		}
		// Start-up: alternate bare and loaded runs so drift hits all. The
		// saved script is what install.sh sets up; the eval form runs
		// cmdr at each start, and the floor is what any process costs
		// there.
		variants := []struct{ metric, line string }{
			{"init line: saved script (install.sh), over a bare shell", fmt.Sprintf(c.sourceLine, saved)},
			{"  eval form, cmdr run at each start", c.rcLine},
			{"  floor: the eval form running /bin/true instead", c.floorLine},
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

		// perCall times n calls of body in one shell against n of base,
		// 5 times, in µs per call: the cost of body beyond base.
		perCall := func(setup, base, body string, n int) ([]float64, error) {
			var per []float64
			for i := 0; i < 5; i++ {
				without, err := timeRun(c.start(dir, setup+"\n"+c.loop(n, base)+"\n"))
				if err != nil {
					return nil, err
				}
				with, err := timeRun(c.start(dir, setup+"\n"+c.loop(n, body)+"\n"))
				if err != nil {
					return nil, err
				}
				per = append(per, float64((with-without).Nanoseconds())/float64(n)/1000)
			}
			return per, nil
		}
		add := func(metric, unit string, per []float64) {
			if unit == "ms" {
				for i := range per {
					per[i] /= 1000
				}
			}
			r := benchfmt.Stat(metric, unit, per)
			r.Suite, r.Model, r.Build = "shell", c.name, "native"
			recs = append(recs, r)
		}

		// Per-prompt hook: calls against no-op calls.
		per, err := perCall(c.rcLine, "true", c.hook, 2000)
		if err != nil {
			return nil, err
		}
		add("per-prompt hook", "µs", per)

		// Type-ahead's keystroke cost: a space on a "# " line, in the
		// shell, starting its background job (here /bin/true).
		per, err = perCall(c.rcLine+"\n"+c.spaceSetup, "true", c.space, 200)
		if err != nil {
			return nil, err
		}
		add("type-ahead: a space typed on a \"# request\" line", "ms", per)

		// What the shell adds to a request: the widget's request function
		// with a stand-in that prints its answer at once, against running
		// that stand-in alone. Its session context (history), starting
		// the process, reading and parsing the answer.
		standin := filepath.Join(dir, "instant")
		if err := os.WriteFile(standin, []byte("#!/bin/sh\nprintf 'cmd\\tls -la\\n'\n"), 0o755); err != nil {
			return nil, err
		}
		per, err = perCall(c.rcLine+"\n"+fmt.Sprintf(c.askSetup, standin), standin+" >/dev/null", c.ask, 200)
		if err != nil {
			return nil, err
		}
		add("a request's shell side (cmdr answering at once)", "ms", per)
		for _, r := range recs[len(recs)-len(variants)-3:] {
			fmt.Fprintf(os.Stderr, "  %-45s %8.3f %s\n", r.Metric, r.Median, r.Unit)
		}
	}
	return recs, nil
}

// ctrlG times Ctrl-G end to end: from the key press in a real
// interactive shell (in tmux) to the suggestion drawn on the line, with
// the agent warm, a new request each time (its context tail and words are
// evaluated, the system prompt is cached). Then "# request" + Enter after
// typing the request word by word at a typist's pace, with type-ahead on
// and off. A random-weight model's answer is gibberish, so the line
// changing from the request is the signal. Answers are capped at 25
// tokens, a typical command's length.
func ctrlG(bin, models string, runs int) ([]benchfmt.Record, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		fmt.Fprintln(os.Stderr, "bench: tmux not installed, Ctrl-G timing skipped")
		return nil, nil
	}
	var recs []benchfmt.Record
	add := func(model, metric string, lat []float64) {
		r := benchfmt.Stat(metric, "ms", lat)
		r.Suite, r.Model, r.Build = "e2e", model, "native"
		fmt.Fprintf(os.Stderr, "  %-58s %8.1f %s\n", r.Metric, r.Median, r.Unit)
		recs = append(recs, r)
	}
	var repo string // made when first needed
	defer func() {
		if repo != "" {
			os.RemoveAll(filepath.Dir(repo))
		}
	}()
	for _, c := range []struct {
		model    string
		shells   []string
		typeless bool // also time Enter with type-ahead off
		repo     bool // also time Ctrl-G in a large repository, in bash
	}{{"0.5b-q4_k_m", []string{"bash", "zsh", "fish"}, true, true}, {"1.5b-q4_k_m", []string{"bash"}, true, false},
		// Q4_0 is the kernel-speed lever: repacked, it decodes fastest here.
		{"0.5b-q4_0", []string{"bash"}, false, false}, {"1.5b-q4_0", []string{"bash"}, false, false}} {
		path, _ := filepath.Abs(filepath.Join(models, c.model+".gguf"))
		if _, err := os.Stat(path); err != nil {
			continue
		}
		for _, sh := range c.shells {
			if _, err := exec.LookPath(sh); err != nil {
				continue
			}
			fmt.Fprintf(os.Stderr, "bench: end to end, %s in %s\n", c.model, sh)
			for _, w := range ways {
				if !wanted(w.name) || w.mode == modeTypedOff && !(c.typeless && sh == "bash") || w.mode == modePastedPause && sh == "bash" {
					continue
				}
				lat, first, err := endToEnd(bin, path, sh, runs, w.mode, "")
				if err != nil {
					return nil, err
				}
				add(c.model, w.metric+" ("+sh+")", lat)
				if w.first != "" {
					add(c.model, w.first+" ("+sh+")", first)
				}
			}
			if !c.repo || sh != "bash" || !wanted("repo") {
				continue
			}
			// In a large repository a prompt's context costs a git status
			// (~0.2 s here for repoFiles files). A pasted request pays it at
			// the key press; a typed one should not: its line reads the
			// directory once, at its first prefill.
			if repo == "" {
				fmt.Fprintf(os.Stderr, "bench: making a git repository of %d files\n", repoFiles)
				var err error
				if repo, err = makeRepo(repoFiles); err != nil {
					return nil, err
				}
			}
			for _, w := range ways {
				if w.mode != modeCtrlG && w.mode != modeTypedCtrlG {
					continue
				}
				lat, _, err := endToEnd(bin, path, sh, runs, w.mode, repo)
				if err != nil {
					return nil, err
				}
				add(c.model, fmt.Sprintf("%s, in a git repository of %d files (%s)", w.metric, repoFiles, sh), lat)
			}
		}
	}
	return recs, nil
}

type e2eMode int

// repoFiles is the size of the repository the "repo" rows run in: a
// large project's (the Linux kernel's tree holds over 80,000).
const repoFiles = 60000

// makeRepo makes a committed git repository of n small files in a new
// temporary directory, in 60 top-level directories of 10 × 100 files
// (plus a README and a Makefile), so the root's listing is a project's and
// git status walks them all.
func makeRepo(n int) (_ string, err error) {
	top, err := os.MkdirTemp("", "cmdr-e2e-repo")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(top)
		}
	}()
	repo := filepath.Join(top, "project")
	for i := range n {
		d := filepath.Join(repo, fmt.Sprintf("pkg%02d", i/1000), fmt.Sprintf("mod%d", i/100%10))
		if i%100 == 0 {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return "", err
			}
		}
		if err := os.WriteFile(filepath.Join(d, fmt.Sprintf("file%02d.go", i%100)), []byte(fmt.Sprintf("package mod\n\nconst n%d = %d\n", i, i)), 0o644); err != nil {
			return "", err
		}
	}
	for name, text := range map[string]string{"README.md": "# project\n", "Makefile": "all:\n\tgo build ./...\n"} {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"},
		{"-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "files"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("git %s: %v %s", args[0], err, out)
		}
	}
	return repo, nil
}

// ways are the ways in that ctrlG times, each a row, and some a row to the
// command's first text, drawn as it is generated.
var ways = []struct {
	name          string
	mode          e2eMode
	metric, first string
}{
	{"pasted", modeCtrlG, "Ctrl-G to suggestion on the line, agent warm, new request",
		"  the same, to the command's first text on screen, drawn as generated"},
	{"pasted-pause", modePastedPause, "  the request pasted (bracketed), Ctrl-G 0.5 s later, type-ahead on", ""},
	{"typed-ctrlg", modeTypedCtrlG, "  the request typed a word at a time, then Ctrl-G, type-ahead on", ""},
	{"typed", modeTyped, "\"# request\" typed, Enter to suggestion, type-ahead on",
		"  the same, to the command's first text on screen"},
	{"typed-off", modeTypedOff, "\"# request\" typed, Enter to suggestion, type-ahead off", ""},
}

// e2eOnly names the ways in to time (-e2e); empty: all.
var e2eOnly = map[string]bool{}

// wanted reports whether -e2e asks for the way in named name.
func wanted(name string) bool { return len(e2eOnly) == 0 || e2eOnly[name] }

const (
	// modeCtrlG: the request put on the line at once with type-ahead off,
	// as bash takes a paste (its readline runs no key binding for a
	// bracketed paste), then Ctrl-G.
	modeCtrlG e2eMode = iota
	// modeTypedCtrlG: the request typed word by word, then Ctrl-G; its
	// first word names no command, so type-ahead reads it as it comes.
	modeTypedCtrlG
	modeTyped
	modeTypedOff
	// modePastedPause: the request pasted as a terminal pastes (bracketed),
	// then Ctrl-G after a reader's pause; zsh and fish read a paste at once
	// (bash has no hook for it, so it does not run there).
	modePastedPause
)

// pastePause is the time between a paste and the key press: about the
// quickest a person reads a line and reaches for a key.
const pastePause = 500 * time.Millisecond

// e2eRequests are new each run, so each evaluates its own words. Each is
// about 20 tokens in a trained tokenizer (Llama 3's), the request length
// the speed targets name; the public dev set's requests average 15.
var e2eRequests = []string{
	"find files named report anywhere under my home directory that changed in the last %d days, newest first",
	"show the %d largest directories under var log with their sizes in a human readable form, biggest first",
	"count the lines in every python file in this project that was modified in the last %d hours",
	"list the %d most recent git commits on this branch with their authors, dates and one line messages",
	"compress the logs folder into an archive named backup %d using tar with gzip, then list its contents",
	"kill the process that is listening on port 80%02d and then show me which processes are still running",
}

// endToEnd returns the times from the key press to the whole suggestion
// on the line, and to its first text on screen (drawn as it is generated;
// with CMDR_STREAM=0 the whole command is the first). The shell starts in
// cwd, or in its home when cwd is empty.
func endToEnd(bin, model, sh string, runs int, mode e2eMode, cwd string) (whole, first []float64, err error) {
	dir, err := os.MkdirTemp("", "cmdr-e2e")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "tmux.sock")
	env := append(ttyshell.Env(dir), "CMDR_ENGINE=llamacpp", "CMDR_MODEL="+model, "CMDR_MAX_TOKENS=25")
	if mode == modeTypedOff || mode == modeCtrlG {
		env = append(env, "CMDR_TYPEAHEAD=0")
	}
	argv, shellEnv, err := ttyshell.Setup(sh, dir, ttyshell.InitLine(sh, bin))
	if err != nil {
		return nil, nil, err
	}
	if cwd == "" {
		cwd = dir
	}
	if err := ttyshell.Start(sock, cwd, 200, 50, append(env, shellEnv...), argv); err != nil {
		return nil, nil, err
	}
	defer func() {
		ttyshell.Stop(sock)
		cmd := exec.Command(bin, "stop")
		cmd.Env = env
		cmd.Run()
	}()
	// A control-mode client: keys and screen reads are messages to the
	// tmux server, where a tmux process per look would take CPU from the
	// model (on 2 cores, any other work stalls both of llama.cpp's threads).
	tc, err := newControl(sock)
	if err != nil {
		return nil, nil, err
	}
	defer tc.close()
	// look returns the text after the last prompt, and the whole screen.
	look := func() (string, string) {
		s, _ := tc.run("capture-pane -p -t 0")
		lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
		for i := len(lines) - 1; i >= 0; i-- {
			if l, ok := strings.CutPrefix(lines[i], ttyshell.Prompt); ok {
				return strings.TrimSpace(l), s
			}
		}
		return "", s
	}
	waitScreen := func(what string, ok func(line, screen string) bool, limit time.Duration) error {
		for t0 := time.Now(); time.Since(t0) < limit; tc.awaitOutput(100 * time.Millisecond) {
			if ok(look()) {
				return nil
			}
		}
		s, _ := tc.run("capture-pane -p -t 0")
		return fmt.Errorf("%s: timed out waiting for %s; screen:\n%s", sh, what, s)
	}
	wait := func(what string, ok func(string) bool, limit time.Duration) error {
		return waitScreen(what, func(l, _ string) bool { return ok(l) }, limit)
	}
	for t0 := time.Now(); ; time.Sleep(20 * time.Millisecond) {
		if s, _ := tc.run("capture-pane -p -t 0"); strings.Contains(s, strings.TrimSpace(ttyshell.Prompt)) {
			break
		}
		if time.Since(t0) > 10*time.Second {
			return nil, nil, fmt.Errorf("%s: no prompt", sh)
		}
	}
	keys := func(k string) { tc.run("send-keys -t 0 " + k) }
	typeText := func(t string) { tc.run("send-keys -t 0 -l " + quoteTmux(t)) }
	for i := -1; i < runs; i++ { // the first loads the model: not timed
		keys("C-e C-u")
		if err := wait("empty line", func(l string) bool { return l == "" }, 10*time.Second); err != nil {
			return nil, nil, err
		}
		req := fmt.Sprintf(e2eRequests[(i+1)%len(e2eRequests)], 10+i)
		var press string
		switch mode {
		case modeCtrlG:
			typeText(req)
			press = "C-g"
		case modePastedPause:
			tc.run("set-buffer -- " + quoteTmux(req))
			tc.run("paste-buffer -p -t 0")
			press = "C-g"
		default:
			press = "C-g"
			if mode != modeTypedCtrlG {
				req, press = "# "+req, "Enter"
			}
			// A word at a time, each after the pause typing it takes (a
			// typist at ~60 words a minute), the last one just before the key.
			words := strings.Fields(req)
			for j, w := range words {
				if j > 0 {
					typeText(" ")
					time.Sleep(time.Duration(len(w)) * 60 * time.Millisecond)
				}
				typeText(w)
			}
		}
		if err := wait("typed request", func(l string) bool { return l == req }, 10*time.Second); err != nil {
			return nil, nil, err
		}
		if mode == modePastedPause {
			time.Sleep(pastePause)
		}
		t0 := time.Now()
		keys(press)
		// The answer replaces the request itself. While the request runs
		// the prompt line may not show at all (bash's readline clears it).
		answered := func(l string) bool { return l != "" && !strings.HasPrefix(l, req) && !strings.Contains(l, "cmdr:") }
		// The first text: zsh draws it into the line, its indicator below
		// it; bash on the row readline cleared, where its indicator was;
		// fish at the end of the prompt's row, after its indicator. The
		// indicator is the last row with text in all three.
		firstText := func(l, screen string) bool {
			rows := strings.Split(strings.TrimRight(screen, "\n "), "\n")
			last := rows[len(rows)-1]
			i := strings.LastIndex(last, "cmdr: ")
			return answered(l) || i >= 0 && !strings.HasPrefix(last[i:], "cmdr: thinking") && strings.TrimSpace(last[i+len("cmdr: "):]) != ""
		}
		if err := waitScreen("first text", firstText, 120*time.Second); err != nil {
			return nil, nil, err
		}
		tFirst := time.Since(t0)
		if err := waitScreen("whole suggestion", func(l, screen string) bool {
			return answered(l) && !strings.Contains(screen, "cmdr: thinking")
		}, 120*time.Second); err != nil {
			return nil, nil, err
		}
		if i >= 0 {
			whole = append(whole, float64(time.Since(t0).Microseconds())/1000)
			first = append(first, float64(tFirst.Microseconds())/1000)
		}
	}
	return whole, first, nil
}

// control is a tmux control-mode client (tmux -C): commands go in on
// stdin, and each answer comes back between %begin and %end lines.
// Between them come notifications, among them %output for whatever the
// shell writes to its terminal: a screen wait looks only after one, so
// the bench adds no work of its own while the model runs.
type control struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string // stdout's lines; closed when it ends
	// output: an %output came since the last awaitOutput.
	output bool
}

func newControl(sock string) (*control, error) {
	cmd := exec.Command("tmux", "-S", sock, "-C", "attach", "-t", "0")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &control{cmd: cmd, in: in, lines: make(chan string, 1024)}
	go func() {
		defer close(c.lines)
		r := bufio.NewReaderSize(out, 1<<16)
		for {
			l, err := r.ReadString('\n')
			if err != nil {
				return
			}
			c.lines <- l
		}
	}()
	return c, nil
}

// note records an %output line.
func (c *control) note(l string) {
	if strings.HasPrefix(l, "%output ") {
		c.output = true
	}
}

// awaitOutput returns once the shell has written to its terminal since
// the last call, or after limit (waited out too when the client has
// ended, so that a wait loop does not spin).
func (c *control) awaitOutput(limit time.Duration) {
	timeout := time.After(limit)
	for !c.output {
		select {
		case l, ok := <-c.lines:
			if !ok {
				<-timeout
				return
			}
			c.note(l)
		case <-timeout:
			return
		}
	}
	c.output = false
}

func (c *control) run(command string) (string, error) {
	if _, err := io.WriteString(c.in, command+"\n"); err != nil {
		return "", err
	}
	var body strings.Builder
	in := false
	for {
		l, ok := <-c.lines
		if !ok {
			return "", fmt.Errorf("tmux: %s: the control client ended", command)
		}
		c.note(l)
		switch {
		case strings.HasPrefix(l, "%begin"):
			in = true
		case strings.HasPrefix(l, "%end"), strings.HasPrefix(l, "%error"):
			if in {
				if strings.HasPrefix(l, "%error") {
					return body.String(), fmt.Errorf("tmux: %s: %s", command, strings.TrimSpace(body.String()))
				}
				return body.String(), nil
			}
		case in:
			body.WriteString(l)
		}
	}
}

func (c *control) close() {
	c.in.Close()
	c.cmd.Wait()
}

// quoteTmux quotes s as one argument of a tmux command.
func quoteTmux(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
