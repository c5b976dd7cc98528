package explain

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"time"
)

// helpTimeout bounds `bash -c help` and `PROGRAM --help`.
const helpTimeout = 2 * time.Second

// memo returns the help page cached under key, or makes it once with
// build (a nil page is remembered too: no help is worth knowing).
func (l *Library) memo(key string, build func() *page) *page {
	l.mu.Lock()
	p, seen := l.help[key]
	l.mu.Unlock()
	if seen {
		return p
	}
	p = build()
	l.mu.Lock()
	l.help[key] = p
	l.mu.Unlock()
	return p
}

// builtinHelp documents a shell builtin from bash's own help: the
// summary line and the option lines of `help NAME`.
func (l *Library) builtinHelp(ctx context.Context, name string) *page {
	if l.NoProcesses || !isCommandName(name) && name != "[" && name != "." {
		return nil
	}
	return l.memo("builtin:"+name, func() *page { return bashHelp(ctx, name) })
}

func bashHelp(ctx context.Context, name string) *page {
	ctx, cancel := context.WithTimeout(ctx, helpTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--norc", "--noprofile", "-c", `[[ $(type -t -- "$1") == builtin ]] && help -- "$1"`, "_", name)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LANG=C", "LC_ALL=C"}
	out, err := cmd.Output()
	if err != nil || !bytes.HasPrefix(out, []byte(name+":")) {
		return nil
	}
	return parseHelp(string(out), "bash help", true)
}

// neverRun are programs whose --help is not asked for, whatever their
// binary says: a mistake with them costs too much.
var neverRun = map[string]bool{"rm": true, "dd": true, "shred": true, "wipefs": true, "mkfs": true, "fdisk": true,
	"parted": true, "shutdown": true, "reboot": true, "halt": true, "poweroff": true, "init": true, "telinit": true,
	"kill": true, "killall": true, "pkill": true, "sudo": true, "su": true, "doas": true}

// helpPage documents a program without a manual page from its --help
// output. It is run only when that is safe to do: an ELF executable (a
// script may do anything with an unknown argument) whose binary contains
// "--help" (so it parses the flag rather than, say, treating it as a
// file name), not on the neverRun list, with no input, in a scratch
// directory, and killed after helpTimeout. The command being explained is
// never run.
func (l *Library) helpPage(ctx context.Context, name string) *page {
	if !l.AllowHelpRun || l.NoProcesses || neverRun[name] || strings.HasPrefix(name, "mkfs") || !isCommandName(name) {
		return nil
	}
	return l.memo("run:"+name, func() *page { return runHelp(ctx, name) })
}

func runHelp(ctx context.Context, name string) *page {
	bin, err := exec.LookPath(name)
	if err != nil || !knowsHelp(bin) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, helpTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--help")
	cmd.Dir = os.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LANG=C", "LC_ALL=C", "HOME=" + os.TempDir(), "TERM=dumb"}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run() // many programs exit 1 or 2 after printing help
	if out.Len() == 0 || ctx.Err() != nil {
		return nil
	}
	text := out.String()
	if len(text) > 256<<10 {
		text = text[:256<<10]
	}
	p := parseHelp(text, name+" --help", false)
	if len(p.entries) == 0 {
		return nil
	}
	return p
}

// knowsHelp reports whether bin is an ELF executable that mentions
// "--help".
func knowsHelp(bin string) bool {
	b, err := os.ReadFile(bin)
	if err != nil || !bytes.HasPrefix(b, []byte("\x7fELF")) {
		return false
	}
	return bytes.Contains(b, []byte("--help"))
}

// parseHelp reads help text: option lines "  -x, --extract   meaning"
// (the meaning may start on the next, deeper-indented line). For bash's
// help, the line after the usage line is the summary.
func parseHelp(text, source string, builtin bool) *page {
	p := &page{name: source, entries: map[string]entry{}}
	lines := strings.Split(text, "\n")
	if builtin && len(lines) > 1 {
		p.summary = strings.TrimSuffix(strings.TrimSpace(lines[1]), ".")
	}
	for i := 0; i < len(lines); i++ {
		line := strings.ReplaceAll(lines[i], "\t", "    ")
		t := strings.TrimLeft(line, " ")
		indent := len(line) - len(t)
		if indent == 0 || !strings.HasPrefix(t, "-") {
			continue
		}
		tag, desc := t, ""
		if j := strings.Index(t, "  "); j > 0 {
			tag, desc = t[:j], strings.TrimSpace(t[j:])
		}
		// Continuation lines are indented deeper than the tag.
		for i+1 < len(lines) {
			next := strings.ReplaceAll(lines[i+1], "\t", "    ")
			nt := strings.TrimLeft(next, " ")
			if nt == "" || len(next)-len(nt) <= indent || strings.HasPrefix(nt, "-") {
				break
			}
			desc += " " + strings.TrimSpace(nt)
			i++
		}
		p.addTag(tag, desc)
	}
	return p
}
