package explain

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
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
	if l.NoProcesses || !isCommandName(name) && name != "[" && name != "." && name != ":" {
		return nil
	}
	return l.memo("builtin:"+name, func() *page { return bashHelp(ctx, name) })
}

func bashHelp(ctx context.Context, name string) *page {
	ctx, cancel := context.WithTimeout(ctx, helpTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--norc", "--noprofile", "-c", `[[ $(type -t -- "$1") == builtin ]] && help -- "$1"`, "_", name)
	cmd.Env = scratchEnv()
	out, err := cmd.Output()
	if err != nil || !bytes.HasPrefix(out, []byte(name+":")) {
		return nil
	}
	p := parseHelp(string(out), "bash help", "", true)
	if m := helpRef.FindStringSubmatch(string(out)); m != nil {
		p.ref = m[1]
	}
	return p
}

// gapValue is a value's name, then a gap, before an option's meaning.
var gapValue = regexp.MustCompile(`^([a-z][a-z0-9:_-]*) {2,}(\S)`)

// helpRef finds where bash's help sends one builtin to another for its
// options: local's "any option accepted by `declare'", typeset's "A
// synonym for `declare'", readarray's for `mapfile'.
var helpRef = regexp.MustCompile("(?:accepted by|synonym for) `([a-z]+)'")

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
	// g++ and c++ are programs' names too.
	if !l.AllowHelpRun || l.NoProcesses || neverRun[name] || strings.HasPrefix(name, "mkfs") || !isCommandName(strings.ReplaceAll(name, "+", "")) {
		return nil
	}
	return l.memo("run:"+name, func() *page { return runHelp(ctx, name, name, "--help") })
}

// subcommandHelp documents the subcommand path of prog ("run",
// "container ls") from prog's own help for it, asked the way prog's
// --help says to (via: "flag" for `prog run --help`, "help" for `prog
// help run`), under helpPage's rules. A program whose help does not say
// how is not asked: a subcommand that ignores --help would run.
func (l *Library) subcommandHelp(ctx context.Context, prog, via, path string) *page {
	if via == "" || !l.AllowHelpRun || l.NoProcesses || neverRun[prog] {
		return nil
	}
	args := append(strings.Fields(path), "--help")
	if via == "help" {
		args = append([]string{"help"}, strings.Fields(path)...)
	}
	return l.memo("run:"+prog+" "+strings.Join(args, " "), func() *page { return runHelp(ctx, prog, prog+" "+path, args...) })
}

// selfHelp are programs that list their options for another flag than
// --help, which they do not take (perl reads --help as a switch it does
// not know, and its binary does not name it).
var selfHelp = map[string]string{"perl": "-h"}

// optionHelp is what prog says of its own options, asked for where its
// manual page leaves one out: `git clone -h` lists --recursive, which
// git-clone(1) does not; gdbus's commands document --session only in
// `gdbus monitor --help`; Debian's perl(1) leaves the switches to
// perlrun(1), which comes with perl-doc, and `perl -h` lists them. sub
// is the subcommand path seen so far ("" for none). helpPage's rules
// apply; a subcommand of git is asked only when it is one of the
// commands git runs itself, since an alias or an external git-foo may do
// anything with a -h.
func (l *Library) optionHelp(ctx context.Context, prog, sub string) *page {
	if !l.AllowHelpRun || l.NoProcesses || neverRun[prog] || !isCommandName(prog) {
		return nil
	}
	if prog == "git" {
		if sub == "" || !l.gitBuiltin(ctx, strings.Fields(sub)[0]) {
			return nil
		}
		args := append(strings.Fields(sub), "-h")
		return l.memo("run:git "+sub+" -h", func() *page {
			if len(args) == 2 {
				return runHelp(ctx, "git", "git "+sub, args...)
			}
			// git answers `git stash -h` anywhere, but `git stash push
			// -h` only in a repository: an empty one, made for it.
			dir, err := os.MkdirTemp("", "cmdr-git-help")
			if err != nil {
				return nil
			}
			defer os.RemoveAll(dir)
			init := exec.CommandContext(ctx, "git", "init", "-q", dir)
			init.Env = scratchEnv()
			if init.Run() != nil {
				return nil
			}
			return runHelpIn(ctx, dir, "git", "git "+sub, args...)
		})
	}
	if flag := selfHelp[prog]; flag != "" {
		if sub != "" {
			return nil
		}
		return l.memo("run:"+prog+" "+flag, func() *page { return runHelp(ctx, prog, prog, flag) })
	}
	top := l.helpPage(ctx, prog)
	if sub == "" || top == nil {
		return top
	}
	return l.subcommandHelp(ctx, prog, top.subHelp, sub)
}

// fullHelp is the help a program's --help page sends its reader to for
// more options (see moreHelp), asked under helpPage's rules.
func (l *Library) fullHelp(ctx context.Context, prog string, top *page) *page {
	if len(top.moreHelp) == 0 || !l.AllowHelpRun || l.NoProcesses || neverRun[prog] {
		return nil
	}
	return l.memo("run:"+prog+" "+strings.Join(top.moreHelp, " "), func() *page { return runHelp(ctx, prog, prog, top.moreHelp...) })
}

// gitBuiltin reports whether git runs the command name itself.
func (l *Library) gitBuiltin(ctx context.Context, name string) bool {
	l.gitOnce.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, helpTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, "git", "--list-cmds=builtins")
		cmd.Dir, cmd.Env = os.TempDir(), scratchEnv()
		out, _ := cmd.Output()
		l.gitBuiltins = map[string]bool{}
		for _, n := range strings.Fields(string(out)) {
			l.gitBuiltins[n] = true
		}
	})
	return l.gitBuiltins[name]
}

// scratchEnv is the environment a program is run in for its help: the
// PATH, the C locale, a scratch HOME (no user's configuration), a dumb
// terminal.
func scratchEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "LANG=C", "LC_ALL=C", "HOME=" + os.TempDir(), "TERM=dumb"}
}

// runHelp runs name with args and parses its output as the help of
// cmdPath ("docker", "docker container").
func runHelp(ctx context.Context, name, cmdPath string, args ...string) *page {
	return runHelpIn(ctx, os.TempDir(), name, cmdPath, args...)
}

// runHelpIn is runHelp in the directory dir.
func runHelpIn(ctx context.Context, dir, name, cmdPath string, args ...string) *page {
	bin, err := exec.LookPath(name)
	if err != nil || selfHelp[name] == "" && !knowsHelp(bin) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, helpTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, scratchEnv()
	// Help goes to either; the other may say something else meanwhile
	// (gcc -v --help's compiler versions, between its list's lines).
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	_ = cmd.Run() // many programs exit 1 or 2 after printing help
	text := out.String()
	if errOut.Len() > out.Len() {
		text = errOut.String()
	}
	if text == "" || ctx.Err() != nil {
		return nil
	}
	if len(text) > 256<<10 {
		text = text[:256<<10]
	}
	p := parseHelp(text, name+" "+strings.Join(args, " "), cmdPath, false)
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
// (the meaning may start on the next, deeper-indented line), and the
// lines of a commands section ("Commands:", "Management Commands:", "The
// commands are:"), "  run   meaning". For bash's help, the line after
// the usage line is the summary. cmdPath ("docker", "docker container")
// is how the text names the program, to find how it says its
// subcommands' help is asked for.
func parseHelp(text, source, cmdPath string, builtin bool) *page {
	p := &page{name: source, entries: map[string]entry{}, builtin: builtin}
	lines := strings.Split(text, "\n")
	if builtin && len(lines) > 1 {
		p.summary = strings.TrimSuffix(strings.TrimSpace(lines[1]), ".")
	} else if !builtin {
		p.summary = helpSummary(lines)
	}
	inCommands, blankOK := false, false
	column := meaningColumn(lines)
	usages, assembler := 0, false
	for i := 0; i < len(lines); i++ {
		line := strings.ReplaceAll(lines[i], "\t", "    ")
		t := strings.TrimLeft(line, " ")
		indent := len(line) - len(t)
		if prog, ok := strings.CutPrefix(line, "Usage: "); ok {
			// gcc -v --help goes on with its sub-processes' help: the
			// linker's options are gcc's too (-l, -L), the assembler's
			// only after -Wa, (its -L keeps local symbols).
			usages++
			f := strings.Fields(prog)
			assembler = usages > 1 && len(f) > 0 && path.Base(f[0]) == "as"
		}
		if assembler {
			continue
		}
		if cmdPath != "" && indent == 0 && isCommandsHeading(t) {
			inCommands, blankOK = true, true
			continue
		}
		if inCommands {
			switch {
			case t == "" && blankOK:
				continue // go's help: a blank line after the heading
			case t == "" || indent == 0:
				inCommands = false
			case !strings.HasPrefix(t, "-"):
				blankOK = false
				p.addCommand(t)
				continue
			}
		}
		if indent == 0 || !strings.HasPrefix(t, "-") {
			continue
		}
		tag, desc, descIndent := t, "", -1
		if j := strings.Index(t, "  "); j > 0 {
			start := j + len(t[j:]) - len(strings.TrimLeft(t[j:], " "))
			// prove's "-v,  --verbose   Print all test lines", "-D   --dry":
			// a name after the gap is still the tag.
			for strings.HasPrefix(t[start:], "-") {
				k := strings.Index(t[start:], "  ")
				if k < 0 {
					break
				}
				j = start + k
				start = j + len(t[j:]) - len(strings.TrimLeft(t[j:], " "))
			}
			tag, desc = t[:j], strings.TrimSpace(t[start:])
			descIndent = indent + start
			// bash's help for bind: "-m  keymap         Use KEYMAP as the
			// keymap", the value's name in a column of its own.
			if m := gapValue.FindStringSubmatchIndex(t[start:]); builtin && m != nil && !strings.Contains(tag, " ") {
				tag += " " + t[start:start+m[3]]
				desc = strings.TrimSpace(t[start+m[4]:])
				descIndent = indent + start + m[4]
			}
		} else if c := column - indent - 1; c > 1 && c < len(t) {
			// A name too long for the gap before the column the meanings
			// start in, one blank after it: perl's "-0[octal/hexadecimal]
			// specify record separator", gcc's "-print-sysroot-headers-suffix
			// Display the sysroot suffix"; not gdb's
			// "--init-eval-command=COMMAND, -iex", all names.
			if k := strings.IndexByte(t[c:], ' '); k >= 0 && !strings.Contains(t[:c+k], " ") && !strings.HasSuffix(t[:c+k], ",") &&
				!strings.HasPrefix(strings.TrimSpace(t[c+k:]), "-") {
				tag, desc, descIndent = t[:c+k], strings.TrimSpace(t[c+k:]), column
			}
		}
		// kubectl's (cobra's) "    -f, --follow=false:" then its meaning
		// on a line that starts with a tab: the default after "=", which
		// for a switch is false or true, not a value it takes.
		cobra := desc == "" && strings.HasSuffix(tag, ":") && i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t")
		if cobra {
			tag = strings.TrimSuffix(tag, ":")
			tag = strings.TrimSuffix(strings.TrimSuffix(tag, "=false"), "=true")
		}
		// Continuation lines are indented deeper than the tag. A meaning
		// that ends in a colon may go on with a table of the option's
		// values, indented deeper still: bash's `help set` lists set -o's
		// option names so.
		var values map[string]string
		rowIndent, row := -1, ""
		for i+1 < len(lines) {
			next := strings.ReplaceAll(lines[i+1], "\t", "    ")
			nt := strings.TrimLeft(next, " ")
			nIndent := len(next) - len(nt)
			if nt == "" || nIndent <= indent && !(cobra && strings.HasPrefix(lines[i+1], "\t")) || strings.HasPrefix(nt, "-") {
				break
			}
			i++
			if descIndent < 0 {
				descIndent = nIndent
			}
			if values == nil && strings.HasSuffix(desc, ":") && nIndent > descIndent {
				values, rowIndent = map[string]string{}, nIndent
			}
			// `help test`'s "-n STRING" then "   STRING      True if string
			// is not empty.": the form again, before its meaning.
			if form, meaning, ok := strings.Cut(nt, "  "); ok && desc == "" && slices.Contains(strings.Fields(tag)[1:], form) {
				nt = strings.TrimSpace(meaning)
			}
			switch {
			case values == nil:
				desc += " " + strings.TrimSpace(nt)
			case nIndent == rowIndent:
				// A long name has its meaning on the next line.
				name, meaning, _ := strings.Cut(nt, "  ")
				if row = ""; !strings.Contains(name, " ") {
					row = name
					values[row] = meaning
				}
			case nIndent > rowIndent && row != "":
				values[row] += " " + nt
			}
		}
		for v, meaning := range values {
			values[v] = strings.Join(strings.Fields(meaning), " ")
		}
		if values != nil {
			desc = strings.TrimSuffix(desc, ":")
		}
		if strings.HasPrefix(desc, "This option lacks documentation") {
			continue // gcc's, for -L among others, which the linker's list documents
		}
		p.addTagValues(tag, desc, values)
	}
	if p.hasCommands {
		p.subHelp = subHelpForm(text, cmdPath, p.entries["help"].doc)
	}
	if m := moreHelp.FindStringSubmatch(text); m != nil {
		p.moreHelp = strings.Fields(m[1] + m[2])
	}
	return p
}

// moreHelp finds where a help text sends its reader for the options it
// leaves out: gcc's "(Use '-v --help' to display command line options of
// sub-processes)", where -Wall, -O2 and -g are; kubectl's `Use "kubectl
// options" for a list of global command-line options`, where -n is.
var moreHelp = regexp.MustCompile(`\bUse '((?:-[a-z]+ )*--help)' to display|\bUse "[a-z][a-z0-9-]* (options)" for a list of global`)

// meaningColumn is the column most option lines of a help text start
// their meaning in, after a gap of two blanks or more; 0 if none does.
func meaningColumn(lines []string) int {
	count := map[int]int{}
	best := 0
	for _, l := range lines {
		l = strings.ReplaceAll(l, "\t", "    ") // as parseHelp reads it
		t := strings.TrimLeft(l, " ")
		indent := len(l) - len(t)
		j := strings.Index(t, "  ")
		if indent == 0 || !strings.HasPrefix(t, "-") || j < 0 || strings.TrimSpace(t[j:]) == "" {
			continue
		}
		c := indent + j + len(t[j:]) - len(strings.TrimLeft(t[j:], " "))
		count[c]++
		if count[c] > count[best] {
			best = c
		}
	}
	return best
}

// helpSummary is the sentence a help text describes its program with:
// its first line ("Go is a tool for managing Go source code."), or the
// first line after the usage lines ("Usage: ls [OPTION]... [FILE]..."
// then "List information about the FILEs..."), when that is running
// text and not a heading, an option or more usage.
func helpSummary(lines []string) string {
	sentence := func(l string) string {
		t := strings.TrimSpace(l)
		if t == "" || l[0] == ' ' || l[0] == '\t' || strings.HasSuffix(t, ":") || strings.HasPrefix(t, "-") ||
			strings.HasPrefix(strings.ToLower(t), "usage") || strings.HasPrefix(t, "or:") {
			return ""
		}
		return firstSentence(t)
	}
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if s := sentence(l); s != "" || !strings.HasPrefix(strings.ToLower(strings.TrimSpace(l)), "usage") {
			return s
		}
		// Past the usage line, its indented continuations and blank
		// lines, the next line is the summary if it is running text.
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != "" && (lines[j][0] == ' ' || lines[j][0] == '\t') {
			j++
		}
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j < len(lines) {
			return sentence(lines[j])
		}
		return ""
	}
	return ""
}

// isCommandsHeading: "Commands:", "Available Commands:", "Basic Commands
// (Beginner):", "The commands are:", "CORE COMMANDS".
func isCommandsHeading(t string) bool {
	t = strings.TrimSpace(t)
	if t == "" || len(t) > 60 || !strings.Contains(strings.ToLower(t), "command") {
		return false
	}
	return strings.HasSuffix(t, ":") || t == strings.ToUpper(t)
}

// addCommand records one line of a commands section, "run   meaning" or
// "build, b   meaning" (with an alias), under each of its names.
func (p *page) addCommand(t string) {
	names, desc := t, ""
	if j := strings.Index(t, "  "); j > 0 {
		names, desc = t[:j], strings.TrimSpace(t[j:])
	}
	if desc == "" {
		return
	}
	for _, n := range strings.Split(names, ",") {
		// docker marks plugins with *, gh ends names with :.
		n = strings.TrimRight(strings.TrimSpace(n), "*:")
		if isCommandName(n) {
			p.addTag(n, desc)
			p.hasCommands = true
		}
	}
}

// subHelpForm is how text, a program's help, says its subcommands'
// help is asked for: "flag" for "Run 'docker COMMAND --help'", "help"
// for "Use \"go help <command>\"" or a help command of its own (clap's
// "help  Print this message or the help of the given subcommand(s)"),
// or "" when it does not say.
func subHelpForm(text, cmdPath, helpDoc string) string {
	name := strings.Join(strings.Fields(regexp.QuoteMeta(cmdPath)), `\s+`)
	const placeholder = `\s+['"]?[<\[]?(?:sub)?commands?[>\]]?`
	if regexp.MustCompile(`(?i)\b` + name + `(?:` + placeholder + `){1,2}\s+(?:--help|-h)\b`).MatchString(text) {
		return "flag"
	}
	if regexp.MustCompile(`(?i)\b`+name+`\s+help`+placeholder+`\b`).MatchString(text) ||
		strings.Contains(strings.ToLower(helpDoc), "help") {
		return "help"
	}
	return ""
}

// bashBuiltin is name's entry in bash(1)'s SHELL BUILTIN COMMANDS, which
// documents what `help` leaves out: complete's and compgen's options,
// wait -n, printf -v. Only its options are kept: the page's other lists
// (set -o's names, test's argument counts) are no options or commands.
func (l *Library) bashBuiltin(ctx context.Context, name string) *page {
	if !isCommandName(name) && name != "[" && name != "." && name != ":" {
		return nil
	}
	return l.memo("bash(1):"+name, func() *page {
		p, desc := builtinEntry(l.shellSection(ctx, "bash", "SHELL BUILTIN COMMANDS"), name)
		if p == nil {
			return nil
		}
		p.name, p.commands, p.hasCommands = "bash(1)", nil, false
		for k := range p.entries {
			if !strings.HasPrefix(k, "-") {
				delete(p.entries, k)
			}
		}
		// compgen takes "any option accepted by the complete builtin".
		if m := bashRef.FindStringSubmatch(desc); m != nil {
			p.ref = m[1]
		}
		return p
	})
}

var bashRef = regexp.MustCompile(`accepted by the ([a-z]+) builtin`)
