package main

import (
	"fmt"
	"strings"

	"github.com/cmdr-sh/cmdr/internal/config"
)

// manPage renders cmdr(1) from the commands' own help texts and the
// settings table, so the manual never disagrees with --help.
func manPage() string {
	var b strings.Builder
	b.WriteString(`.TH CMDR 1 "" "cmdr" "User Commands"
.SH NAME
cmdr \- natural language to shell commands, with a local model kept warm
.SH SYNOPSIS
.B cmdr
.I command
[\fIflags\fR] [\fB\-\-\fR \fItext\fR]
.SH DESCRIPTION
cmdr turns a request typed in the shell into a command put on the line for
you to edit and run: type \fB# find big files\fR and press Enter, or any
line and Ctrl\-G. Nothing is ever run for you. A per\-user agent keeps a
llama.cpp model loaded (or talks to an OpenAI\-compatible server) and the
shell integration for bash, zsh and fish talks to it over a private unix
socket. \fBcmdr explain\fR explains a command from the manual pages
installed here.
.PP
Load the shell integration from your startup file:
.PP
.RS
.nf
eval "$(cmdr init bash)"        # ~/.bashrc
eval "$(cmdr init zsh)"         # ~/.zshrc
cmdr init fish | source         # ~/.config/fish/config.fish
.fi
.RE
.SH COMMANDS
`)
	for _, c := range commands {
		fmt.Fprintf(&b, ".SS %s\n", c.name)
		b.WriteString(roffText(c.usage))
	}
	b.WriteString(".SH SETTINGS\nEach setting comes from, in order of precedence, a command-line flag, its environment variable, \\fI$XDG_CONFIG_HOME/cmdr/config.toml\\fR, or its default. \\fBcmdr config\\fR shows them all with their sources.\n")
	for _, s := range config.All() {
		fmt.Fprintf(&b, ".TP\n.B %s\n", roffEscape(s.Key))
		doc := s.Doc
		if s.Env != "" {
			doc += " (" + s.Env + ")"
		}
		if s.Default != "" {
			doc += "; default " + s.Default
		}
		b.WriteString(roffEscape(doc) + "\n")
	}
	b.WriteString(`.SH FILES
.TP
.I $XDG_CONFIG_HOME/cmdr/config.toml
settings
.TP
.I $XDG_RUNTIME_DIR/cmdr/agent.sock
the agent's socket, in a directory only you can use ($TMPDIR/cmdr-UID
without a runtime directory, or where the path would be too long for a
socket)
.TP
.I $XDG_DATA_HOME/cmdr/models
models downloaded by \fBcmdr model pull\fR
.TP
.I $XDG_CACHE_HOME/cmdr
the tool index and saved prompt states (rebuilt when missing)
.TP
.I $XDG_STATE_HOME/cmdr
the agent's log and the history of \fBcmdr ask\fR
.SH EXIT STATUS
0 on success, 1 on an error (one line on standard error), 2 on a usage
error, 130 when interrupted.
.SH SEE ALSO
.BR bash (1),
.BR zsh (1),
.BR fish (1),
.BR man (1)
`)
	return b.String()
}

// roffText sets a --help text as a literal block: its alignment matters
// and its lines are already short.
func roffText(s string) string {
	var b strings.Builder
	b.WriteString(".PP\n.nf\n")
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if line == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(roffEscape(line) + "\n")
	}
	b.WriteString(".fi\n")
	return b.String()
}

// roffEscape makes text literal in roff: backslashes, and a leading dot
// or quote that would start a request.
func roffEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
