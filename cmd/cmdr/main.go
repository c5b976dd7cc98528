// Command cmdr turns natural language into shell commands with a local
// model kept warm, and explains commands from the man pages installed on
// this machine. Run `cmdr help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"

	"github.com/cmdr-sh/cmdr/agent"
	_ "github.com/cmdr-sh/cmdr/engine/llamacpp"
	_ "github.com/cmdr-sh/cmdr/engine/openai"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError marks errors in how cmdr was called; they exit with exitUsage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errReported means the command already reported its failure in its own
// output format; only the exit status is left to set.
var errReported = errors.New("reported")

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
	// usage is the command's --help text; the man page is made from it.
	usage string
}

var commands []command

func init() {
	commands = []command{
		{"suggest", "translate a request into a command: cmdr suggest [--shell S] [--json] -- TEXT", runSuggest, suggestUsage},
		{"init", "print the shell integration (eval \"$(cmdr init bash|zsh)\", cmdr init fish | source), or --save it to a file", runInit, initUsage},
		{"ask", "an interactive prompt: request, edit the suggestion, run it (bare cmdr on a terminal)", runAsk, askUsage},
		{"explain", "explain a command: cmdr explain [-- COMMAND] (default: the previous one)", runExplain, explainUsage},
		{"context", "print what would be sent to the model: cmdr context [--json] -- TEXT", runContext, contextUsage},
		{"model", "get and manage models: cmdr model pull|list|info|use|add|rm", runModel, modelUsage},
		{"eval", "score a model on a dataset: cmdr eval --dataset FILE.jsonl [--json]", runEval, evalUsage},
		{"history", "print the shell history cmdr sees: cmdr history [-n N] [--shell S]", runHistory, historyUsage},
		{"status", "show the agent's state: cmdr status [--json]", runStatus, statusUsage},
		{"stop", "stop the agent", runStop, stopUsage},
		{"reload", "make the agent re-read its configuration and swap the model", runReload, reloadUsage},
		{"agent", "run the agent (started on demand by the other commands)", runAgent, agentUsage},
		{"doctor", "check the setup and say how to fix it: cmdr doctor [--json]", runDoctor, doctorUsage},
		{"config", "show every setting, its value and where it came from: cmdr config [--json]", runConfig, configUsage},
		{"completion", "print tab completion for cmdr: cmdr completion bash|zsh|fish", runCompletion, completionUsage},
		{"version", "print the version and build details", runVersion, "Usage: cmdr version\n\nPrints cmdr's version, the build's target CPU features and llama.cpp's."},
		{"help", "show this help (--man: the manual page, in roff)", runHelp, "Usage: cmdr help [--man]"},
	}
}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	setupLogging(os.Getenv("CMDR_LOG_LEVEL"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 {
		// On a terminal, bare cmdr is the interactive prompt.
		args = []string{"help"}
		if isatty.IsTerminal(os.Stdin.Fd()) && isatty.IsTerminal(os.Stdout.Fd()) {
			args = []string{"ask"}
		}
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		name = "help"
	case "-V", "--version":
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			return report(runCommand(ctx, c, args[1:]))
		}
	}
	return report(usagef("unknown command %q (run `cmdr help`)", name))
}

// runCommand runs c, turning a panic into one line of error: a bug must
// not dump a Go trace over the user's prompt (the shell hooks show
// cmdr's stderr), nor lose the typed line, which the hooks keep on any
// failure. CMDR_LOG_LEVEL=debug logs where it happened.
func runCommand(ctx context.Context, c command, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			slog.Debug("panic", "command", c.name, "stack", string(debug.Stack()))
			err = fmt.Errorf("%s: internal error: %v (a bug; please report it with what you ran)", c.name, r)
		}
	}()
	return c.run(ctx, args)
}

// report prints err as one line and picks the exit code. A closed pipe
// (cmdr ... | head) is not worth a message.
func report(err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errReported):
		return exitError
	case errors.Is(err, syscall.EPIPE) && onStdout(err):
		return exitOK
	case errors.Is(err, context.Canceled):
		return 130 // interrupted: the user knows
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "cmdr:", oneLine(err.Error()))
		return exitUsage
	}
	fmt.Fprintln(os.Stderr, "cmdr:", oneLine(err.Error()))
	return exitError
}

// onStdout reports an error from writing our own output, as opposed to a
// broken connection to the agent or a server.
func onStdout(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Path == os.Stdout.Name()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// setupLogging quiets client commands: only warnings reach the terminal
// unless CMDR_LOG_LEVEL asks for more.
func setupLogging(level string) {
	if strings.TrimSpace(level) == "" {
		level = "warn"
	}
	setupLogger(os.Stderr, level)
}

func setupLogger(w io.Writer, level string) {
	// A bad level logs at info: the agent still starts, and cmdr doctor
	// names the setting.
	l, _ := agent.ParseLogLevel(level)
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
}

func runHelp(_ context.Context, args []string) error {
	if len(args) == 1 && args[0] == "--man" {
		_, err := fmt.Print(manPage())
		return err
	}
	return printHelp(os.Stdout)
}

func printHelp(w io.Writer) error {
	fmt.Fprintln(w, "cmdr: natural language to shell commands, with a local model kept warm.")
	fmt.Fprintln(w, "\nUsage: cmdr COMMAND [flags] [-- TEXT]\n\nCommands:")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.name, c.summary)
	}
	_, err := fmt.Fprintln(w, "\nExamples:\n  cmdr suggest -- find files larger than 100 MB\n  CMDR_ENGINE=openai CMDR_OPENAI_URL=http://localhost:11434/v1 cmdr suggest -- list open ports")
	return err
}
