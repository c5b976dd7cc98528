package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/chzyer/readline"
	"github.com/mattn/go-isatty"

	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/translate"
)

const askUsage = `Usage: cmdr ask [--shell S] [-- FIRST REQUEST]

An interactive prompt, for shells without the integration and for ssh
sessions: type a request, and the suggested command appears on an editable
line (Tab cycles through alternatives). Enter runs it in your $SHELL;
a high-risk command must be confirmed by typing "yes". An empty line or
Ctrl-C gives up on a suggestion; Ctrl-D (or "exit") leaves. Requests have
their own history (` + "$XDG_STATE_HOME/cmdr/ask_history" + `).

Without a terminal it behaves like cmdr suggest.`

func runAsk(ctx context.Context, args []string) error {
	if !isatty.IsTerminal(os.Stdin.Fd()) || !isatty.IsTerminal(os.Stdout.Fd()) {
		return runSuggest(ctx, args)
	}
	fs := newFlags("ask")
	shell := fs.String("shell", defaultShell(), "the shell the commands are for (and run in): bash, zsh or fish")
	if err := parseFlags(fs, askUsage, args, os.Stdout); err != nil {
		return err
	}
	if !translate.ValidShell(*shell) {
		return usagef("ask: unknown shell %q (want bash, zsh or fish)", *shell)
	}
	hist := filepath.Join(config.StateDir(), "ask_history")
	os.MkdirAll(filepath.Dir(hist), 0o700)
	a := &asker{shell: *shell}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:            "cmdr> ",
		HistoryFile:       hist,
		HistorySearchFold: true,
		InterruptPrompt:   "^C",
		EOFPrompt:         "exit",
		Listener:          a,
	})
	if err != nil {
		return err
	}
	defer rl.Close()
	a.rl = rl
	first := strings.TrimSpace(strings.Join(fs.Args(), " "))
	fmt.Println("Type what you want to do; the command comes back for you to edit. Ctrl-D leaves.")
	for {
		req := first
		first = ""
		if req == "" {
			a.suggesting = false
			rl.SetPrompt("cmdr> ")
			line, err := rl.Readline()
			if errors.Is(err, readline.ErrInterrupt) {
				continue
			}
			if err != nil { // io.EOF: Ctrl-D
				return nil
			}
			req = strings.TrimSpace(line)
		}
		switch req {
		case "":
			continue
		case "exit", "quit":
			return nil
		}
		// Each request gets its own Ctrl-C: it cancels that request, not
		// the session (the process-wide context would stay cancelled).
		rctx, stop := signal.NotifyContext(context.WithoutCancel(ctx), os.Interrupt)
		err := a.round(rctx, req)
		stop()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				fmt.Fprintln(os.Stderr, "cmdr: cancelled")
				continue
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			fmt.Fprintln(os.Stderr, "cmdr:", oneLine(err.Error()))
		}
	}
}

type asker struct {
	rl    *readline.Instance
	shell string
	// While a suggestion is on the line, Tab swaps in the next alternative.
	suggesting bool
	alts       []string
	alt        int
}

// OnChange implements readline.Listener: Tab cycles the alternatives.
func (a *asker) OnChange(line []rune, pos int, key rune) ([]rune, int, bool) {
	if key != readline.CharTab || !a.suggesting || len(a.alts) < 2 {
		return nil, 0, false
	}
	a.alt = (a.alt + 1) % len(a.alts)
	next := []rune(a.alts[a.alt])
	return next, len(next), true
}

// round answers one request: suggest, edit, confirm, run.
func (a *asker) round(ctx context.Context, req string) error {
	fmt.Fprint(os.Stderr, "cmdr: thinking...\r")
	// Alternatives come with the first answer here: no shell widget can
	// ask for them later, and waiting once beats waiting at each Tab.
	s, err := suggest(ctx, translate.Request{Text: req, Shell: a.shell, Alternatives: 2}, false, engineFlags{}, nil)
	fmt.Fprint(os.Stderr, "\x1b[K")
	if err != nil {
		return err
	}
	a.alts = append([]string{s.Command}, s.Alternatives...)
	a.alt = 0
	a.suggesting = true
	if s.Risk == string(translate.RiskHigh) {
		fmt.Printf("⚠ high risk: %s\n", strings.Join(s.Reasons, "; "))
	}
	switch n := len(a.alts) - 1; {
	case n == 1:
		fmt.Println("(1 alternative: Tab)")
	case n > 1:
		fmt.Printf("(%d alternatives: Tab)\n", n)
	}
	a.rl.SetPrompt("$ ")
	// Not WriteStdin: its bytes reach readline through a pipe and a
	// goroutine, and a read that starts before they land waits for the
	// next key press, leaving the line empty (seen under load).
	line, err := a.rl.ReadlineWithDefault(s.Command)
	a.suggesting = false
	if errors.Is(err, readline.ErrInterrupt) {
		return nil
	}
	if err != nil {
		return err
	}
	cmd := strings.TrimSpace(line)
	if cmd == "" {
		return nil
	}
	// The edited line is judged again: an edit can add the danger.
	if r := translate.ClassifyRisk(cmd, a.shell); r.Level == translate.RiskHigh {
		if cmd != s.Command {
			fmt.Printf("⚠ high risk: %s\n", strings.Join(r.Reasons, "; "))
		}
		a.rl.SetPrompt(`type "yes" to run it: `)
		ans, err := a.rl.Readline()
		if err != nil || strings.TrimSpace(ans) != "yes" {
			fmt.Println("not run")
			return nil
		}
	}
	return runInShell(a.shell, cmd)
}

// runInShell runs cmd in the user's shell, attached to the terminal; a
// Ctrl-C stops the command, not cmdr.
func runInShell(shell, cmd string) error {
	sh := os.Getenv("SHELL")
	if sh == "" || filepath.Base(sh) != shell {
		if p, err := exec.LookPath(shell); err == nil {
			sh = p
		} else {
			sh = "/bin/sh"
		}
	}
	c := exec.Command(sh, "-c", cmd)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	// The terminal sends Ctrl-C to the command as well; catching it here
	// keeps cmdr alive for the next request.
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	defer signal.Stop(ch)
	err := c.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		fmt.Printf("(exit status %d)\n", ee.ExitCode())
		return nil
	}
	return err
}
