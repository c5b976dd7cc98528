package translate

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// Level grades how much harm a command can do if it is wrong.
type Level string

// Risk levels, in increasing order.
const (
	RiskNone Level = "none"
	RiskLow  Level = "low"  // changes or deletes something, or needs root
	RiskHigh Level = "high" // can destroy data or the system at a keystroke
)

// Risk is a command's classification with reasons a person can read.
type Risk struct {
	Level   Level    `json:"risk"`
	Reasons []string `json:"reasons"` // the high-risk ones first
	nHigh   int
}

func (r *Risk) add(l Level, format string, args ...any) {
	reason := fmt.Sprintf(format, args...)
	for _, have := range r.Reasons {
		if have == reason {
			return
		}
	}
	if l == RiskHigh {
		// Keep the reasons that justify the level first: a one-line warning
		// shows the start.
		r.Reasons = append(r.Reasons[:r.nHigh], append([]string{reason}, r.Reasons[r.nHigh:]...)...)
		r.nHigh++
	} else {
		r.Reasons = append(r.Reasons, reason)
	}
	if rank(l) > rank(r.Level) {
		r.Level = l
	}
}

func rank(l Level) int {
	switch l {
	case RiskHigh:
		return 2
	case RiskLow:
		return 1
	}
	return 0
}

// wrappers run their argument as a command; the risk is the inner one's.
// (chroot is not one: its first operand is a directory.)
var wrappers = map[string]bool{
	"sudo": true, "doas": true, "env": true, "nohup": true, "time": true, "nice": true, "ionice": true,
	"timeout": true, "command": true, "exec": true, "builtin": true, "xargs": true, "watch": true,
	"stdbuf": true, "chroot": false, "strace": true, "unbuffer": true, "torsocks": true, "proxychains": true,
	// zsh's precommand modifiers.
	"noglob": true, "nocorrect": true,
}

// IsWrapper reports whether program runs its operand as a command of its
// own (sudo, env, xargs, timeout...), for those that look through it.
func IsWrapper(program string) bool { return wrappers[program] }

// systemPaths are directories whose recursive deletion or permission
// change breaks a system.
var systemPaths = map[string]bool{
	"/": true, "/bin": true, "/boot": true, "/dev": true, "/etc": true, "/home": true, "/lib": true,
	"/lib64": true, "/opt": true, "/proc": true, "/root": true, "/sbin": true, "/srv": true, "/sys": true,
	"/usr": true, "/var": true, "/usr/bin": true, "/usr/lib": true, "/usr/local": true, "/var/lib": true,
	"/System": true, "/Library": true, "/Applications": true, "/Users": true,
}

var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "fish": true, "dash": true, "ksh": true, "python": true, "python3": true, "perl": true, "ruby": true, "node": true}

var downloaders = map[string]bool{"curl": true, "wget": true, "fetch": true, "aria2c": true}

// ClassifyRisk grades cmd by walking its syntax tree, not by matching its
// text: `echo "rm -rf /"` is harmless, `sudo  rm -r -f /` is not. A
// command that does not parse is graded low, since nothing can be said
// about it.
func ClassifyRisk(cmd, shell string) Risk { return classify(cmd, shell, 0) }

// maxNesting bounds command lines within command lines (sh -c "sh -c
// '...'"); a word the parser keeps escaped ("\ ") would otherwise read
// as itself again.
const maxNesting = 4

// classify is ClassifyRisk for a command line nested depth deep.
func classify(cmd, shell string, depth int) Risk {
	r := Risk{Level: RiskNone}
	lang := syntax.LangBash
	if shell == "zsh" {
		lang = syntax.LangZsh
	}
	src := cmd
	if shell == "fish" {
		src = FishAsPOSIX(cmd)
	}
	f, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(src), "")
	if err != nil && src != cmd {
		f, err = syntax.NewParser().Parse(strings.NewReader(cmd), "")
	}
	if err != nil {
		r.add(RiskLow, "could not be parsed, so it was not checked")
		return r
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil && callsItself(n) {
				r.add(RiskHigh, "fork bomb: the function %q starts copies of itself", n.Name.Value)
			}
		case *syntax.Stmt:
			for _, rd := range n.Redirs {
				checkRedirect(&r, rd)
			}
			checkTruncation(&r, n)
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				checkPipe(&r, n)
			}
		case *syntax.DeclClause:
			for _, a := range n.Args {
				checkPathAssign(&r, a, shell)
				checkInsecureAssign(&r, a)
			}
		case *syntax.CallExpr:
			for _, a := range n.Assigns {
				if len(n.Args) == 0 {
					checkPathAssign(&r, a, shell)
				}
				checkInsecureAssign(&r, a)
			}
			args := words(n.Args)
			checkPathUnset(&r, args, shell)
			checkCall(&r, args)
			checkSubstDownload(&r, n, args)
			if depth < maxNesting {
				checkCommandString(&r, args, depth)
			}
		}
		return true
	})
	if len(r.Reasons) == 0 {
		r.Reasons = []string{}
	}
	return r
}

// commandShells read -c's operand as a command line, in the syntax named.
var commandShells = map[string]string{"sh": "bash", "bash": "bash", "dash": "bash", "ksh": "bash", "zsh": "zsh"}

// CommandShell is the syntax ("bash" or "zsh") in which program, a shell,
// reads the command line -c gives it, or "" for a program that is none.
func CommandShell(program string) string { return commandShells[program] }

// CommandOperand is the index in args, a shell's arguments, of the
// command line -c makes of its first operand: 1 in -c CMD, 3 in -o
// pipefail -c CMD, 1 in -lc CMD; -1 without -c or an operand after it.
func CommandOperand(args []string) int {
	seen := false
	for i, a := range args {
		switch {
		case a == "--":
			if seen && i+1 < len(args) {
				return i + 1
			}
			return -1
		case len(a) > 1 && a[0] == '-' && a[1] != '-':
			seen = seen || strings.Contains(a, "c")
		case seen && !strings.HasPrefix(a, "-"):
			return i
		}
	}
	return -1
}

// checkCommandString grades a command line given as one word by what it
// runs: sudo sh -c 'rm -rf /', su -c CMD, watch 'CMD', ssh host CMD
// (there), eval "CMD". Its reasons say where the command is.
func checkCommandString(r *Risk, args []string, depth int) {
	name, rest, _ := program(args)
	line, where, syntax := "", "", "bash"
	switch {
	case strings.ContainsAny(name, " \t;|&"):
		// watch 'rm -rf x', sudo 'cmd': a wrapper's program given whole.
		line, where = strings.Join(append([]string{name}, rest...), " "), "in the command run"
	case CommandShell(name) != "":
		if i := CommandOperand(rest); i >= 0 {
			line, where, syntax = rest[i], "in "+name+" -c", CommandShell(name)
		}
	case name == "su":
		for i, a := range rest {
			if (a == "-c" || a == "--command") && i+1 < len(rest) {
				line, where = rest[i+1], "in su -c"
			} else if v, ok := strings.CutPrefix(a, "--command="); ok {
				line, where = v, "in su -c"
			}
		}
	case name == "eval":
		line, where = strings.Join(rest, " "), "in eval"
	case name == "ssh":
		// The first operand is the host; what follows runs there. ssh's
		// options that take a value are skipped with theirs.
		ops := sshOperands(rest)
		if len(ops) > 1 {
			line, where = strings.Join(ops[1:], " "), "on "+ops[0]
		}
	}
	// A line made by an expansion (sh -c "$CMD") is unknown here.
	if strings.TrimSpace(line) == "" || strings.Contains(line, "\x00") {
		return
	}
	inner := classify(line, syntax, depth+1)
	for _, reason := range inner.Reasons {
		if strings.HasPrefix(reason, "could not be parsed") {
			continue
		}
		r.add(inner.Level, "%s (%s)", reason, where)
	}
}

// sshOperands are ssh's operands: its options' values skipped.
func sshOperands(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case len(out) > 0:
			out = append(out, a) // the remote command's own words
		case strings.HasPrefix(a, "-") && len(a) == 2 && strings.ContainsRune("bcDEeFIiJLlmOopQRSWw", rune(a[1])):
			i++ // a value follows
		case !strings.HasPrefix(a, "-"):
			out = append(out, a)
		}
	}
	return out
}

// words renders each word as the literal it would be, with quotes
// removed; words with expansions keep a marker so they never match a
// dangerous literal by accident.
func words(ws []*syntax.Word) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, wordString(w))
	}
	return out
}

func wordString(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				} else {
					b.WriteString(expansion(q))
				}
			}
		default:
			b.WriteString(expansion(p))
		}
	}
	return b.String()
}

// expansion renders $HOME and friends as ~ so home-directory rules apply;
// other expansions become an opaque marker.
func expansion(p syntax.WordPart) string {
	if pe, ok := p.(*syntax.ParamExp); ok && pe.Param != nil && pe.Exp == nil && pe.Index == nil &&
		pe.Slice == nil && pe.Repl == nil && !pe.Length && !pe.Excl {
		if pe.Param.Value == "HOME" {
			return "~"
		}
		return "$" + pe.Param.Value
	}
	return "\x00expansion\x00"
}

// program strips wrappers (sudo, env, xargs…) and their options and
// assignments, returning the program name and its arguments, and whether
// it runs as root.
func program(args []string) (name string, rest []string, root bool) {
	for len(args) > 0 {
		if strings.ContainsAny(args[0], " \t") {
			// watch 'rm -rf /tmp/*': a command line, whole (see
			// checkCommandString), not a path.
			return args[0], args[1:], root
		}
		name = path.Base(args[0])
		if !wrappers[name] {
			return name, args[1:], root
		}
		if name == "sudo" || name == "doas" {
			root = true
		}
		args = args[1+WrapperPrefix(name, args[1:]):]
	}
	return "", nil, root
}

// wrapperValues are the options of each wrapper that take the next word
// as their value: its short letters, then its long names. Without them
// `xargs -n 1 rm -rf /` read "1" as the program, and the deletion went
// ungraded. Options whose value may only be attached (xargs -i, -l, -e;
// watch -d) are not listed.
var wrapperValues = map[string]struct {
	short string
	long  []string
}{
	"sudo":        {"CDghpRrTtUu", []string{"--close-from", "--chdir", "--group", "--host", "--prompt", "--chroot", "--role", "--command-timeout", "--type", "--other-user", "--user"}},
	"doas":        {"Cu", nil},
	"env":         {"uCS", []string{"--unset", "--chdir", "--split-string", "--block-signal", "--default-signal", "--ignore-signal"}},
	"nice":        {"n", []string{"--adjustment"}},
	"ionice":      {"cnpPu", []string{"--class", "--classdata", "--pid", "--pgid", "--uid"}},
	"timeout":     {"sk", []string{"--signal", "--kill-after"}},
	"xargs":       {"adEILnPs", []string{"--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"}},
	"watch":       {"n", []string{"--interval"}},
	"stdbuf":      {"ioe", []string{"--input", "--output", "--error"}},
	"strace":      {"abeEIoOpPsSuUX", []string{"--output", "--attach", "--string-limit", "--user", "--env", "--trace", "--signal"}},
	"time":        {"fo", []string{"--format", "--output"}},
	"exec":        {"a", nil},
	"torsocks":    {"uapP", []string{"--user", "--pass", "--address", "--port"}},
	"proxychains": {"f", nil},
}

// WrapperTakesValue reports whether the wrapper's option opt ("-u",
// "--user") takes the next word as its value.
func WrapperTakesValue(name, opt string) bool {
	v := wrapperValues[name]
	if strings.HasPrefix(opt, "--") {
		return slices.Contains(v.long, opt)
	}
	return len(opt) == 2 && opt[0] == '-' && strings.IndexByte(v.short, opt[1]) >= 0
}

// WrapperPrefix is how many of args, the words after the wrapper name,
// are the wrapper's own: options with their values, VAR=value
// assignments, and a timeout's duration. The wrapped command starts
// after them.
func WrapperPrefix(name string, args []string) int {
	i := 0
	for i < len(args) {
		a := args[i]
		switch {
		case a == "--":
			return i + 1
		case strings.HasPrefix(a, "--"):
			if !strings.Contains(a, "=") && WrapperTakesValue(name, a) {
				i++
			}
		case strings.HasPrefix(a, "-"):
			// A cluster: the first letter that takes a value takes the
			// rest of the word, or the next word when it is the last.
			for j := 1; j < len(a); j++ {
				if WrapperTakesValue(name, "-"+a[j:j+1]) {
					if j == len(a)-1 {
						i++
					}
					break
				}
			}
		case strings.Contains(a, "=") && !strings.HasPrefix(a, "="):
		case name == "timeout" && a != "" && a[0] >= '0' && a[0] <= '9':
			return i + 1 // the duration; the command follows
		default:
			return i
		}
		i++
	}
	return len(args)
}

// flagSet splits short option clusters (-rf) and collects long options.
func flagSet(args []string) (flags map[string]bool, operands []string) {
	flags = map[string]bool{}
	endOpts := false
	for _, a := range args {
		switch {
		case endOpts || a == "-" || !strings.HasPrefix(a, "-"):
			operands = append(operands, a)
		case a == "--":
			endOpts = true
		case strings.HasPrefix(a, "--"):
			name, _, _ := strings.Cut(a, "=")
			flags[name] = true
		default:
			for _, c := range a[1:] {
				flags["-"+string(c)] = true
			}
		}
	}
	return flags, operands
}

// dangerousTarget reports whether a deletion or permission target is the
// root, a system directory, the home directory, or a glob over the
// current directory.
func dangerousTarget(t string) (string, bool) {
	clean := strings.TrimRight(t, "/")
	switch {
	case t == "/" || t == "/*" || clean == "":
		return "the whole filesystem (/)", true
	case t == "~" || t == "~/" || t == "~/*" || clean == "~" || t == "$HOME" || t == "$HOME/*":
		return "your home directory", true
	case t == "*" || t == "." || t == "./*" || t == ".*":
		return fmt.Sprintf("everything in the current directory (%s)", t), true
	case t == ".." || t == "../" || t == "../*":
		return fmt.Sprintf("everything in the parent directory (%s)", t), true
	case emptyVarRootRe().MatchString(t):
		// rm -rf "$DIR"/ with DIR unset is rm -rf /.
		return fmt.Sprintf("the whole filesystem (/) if %s is empty or unset", strings.TrimSuffix(strings.TrimSuffix(t, "*"), "/")), true
	case systemPaths[clean] || systemPaths[strings.TrimSuffix(clean, "/*")]:
		return "the system directory " + clean, true
	}
	return "", false
}

// emptyVarRootRe matches a path that is / (or /*) when its variable is
// empty: $DIR/, $DIR/*. ${DIR:?} (which stops on an empty one) does not
// read as a plain variable here.
var emptyVarRootRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$[A-Za-z_][A-Za-z0-9_]*/\*?$`) })

func isDevice(p string) bool {
	if !strings.HasPrefix(p, "/dev/") {
		return false
	}
	switch p {
	case "/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/random", "/dev/urandom":
		return false
	}
	return !strings.HasPrefix(p, "/dev/fd/") && !strings.HasPrefix(p, "/dev/pts/") && !strings.HasPrefix(p, "/dev/shm/")
}

func checkCall(r *Risk, args []string) {
	if len(args) == 0 {
		return
	}
	name, rest, root := program(args)
	if root {
		r.add(RiskLow, "runs with root privileges (sudo)")
	}
	flags, ops := flagSet(rest)
	checkInsecure(r, name, flags, rest, ops)
	checkPasswordArgs(r, name, rest)
	has := func(fs ...string) bool {
		for _, f := range fs {
			if flags[f] {
				return true
			}
		}
		return false
	}
	if strings.HasPrefix(name, "mkfs") {
		name = "mkfs" // mkfs.ext4, mkfs.vfat, ...
	}
	switch name {
	case "mkfs":
		r.add(RiskHigh, "%s formats a disk or partition, erasing it", name)
	case "rm", "rmdir", "shred", "unlink", "srm":
		recursive := has("-r", "-R", "--recursive")
		if has("--no-preserve-root") {
			r.add(RiskHigh, "rm --no-preserve-root disables the guard against deleting /")
		}
		for _, t := range ops {
			if what, bad := dangerousTarget(t); bad && (recursive || name == "shred" || strings.HasSuffix(t, "*")) {
				r.add(RiskHigh, "deletes %s", what)
			}
			if keys := keyDir(t); keys != "" {
				r.add(RiskHigh, "deletes your keys in %s", keys)
			}
			if isDevice(t) {
				r.add(RiskHigh, "deletes or overwrites the device %s", t)
			}
			if recursive && path.Base(strings.TrimRight(t, "/")) == ".git" {
				r.add(RiskHigh, "deletes the repository's history (%s): commits, branches and stashes never pushed are lost", t)
			}
		}
		switch {
		case recursive && has("-f", "--force"):
			r.add(RiskLow, "deletes recursively without asking")
		case recursive:
			r.add(RiskLow, "deletes recursively")
		default:
			r.add(RiskLow, "deletes files")
		}
	case "dd":
		for _, a := range rest {
			if of, ok := strings.CutPrefix(a, "of="); ok {
				if isDevice(of) {
					r.add(RiskHigh, "dd writes raw data over the device %s", of)
				}
			}
		}
	case "wipefs", "fdisk", "sfdisk", "gdisk", "sgdisk", "parted", "mkswap", "blkdiscard", "cryptsetup":
		if !diskReadOnly(name, flags, ops) {
			r.add(RiskHigh, "%s rewrites a disk or partition", name)
		}
	case "chmod", "chown", "chgrp", "setfacl":
		recursive := has("-R", "--recursive")
		change := "permissions"
		if name == "chown" || name == "chgrp" {
			change = "ownership"
		}
		for _, t := range ops {
			if what, bad := dangerousTarget(t); bad && recursive {
				r.add(RiskHigh, "%s -R changes the %s of %s", name, change, what)
			} else if t == "/" {
				r.add(RiskHigh, "%s changes the %s of the filesystem's root (/)", name, change)
			} else if criticalFile(t) {
				// chmod 644 /etc/shadow shows its hashes; a wrong owner
				// or mode on sudoers makes sudo refuse to run.
				r.add(RiskHigh, "%s changes the %s of %s, which the system needs to start or to let anyone log in", name, change, t)
			}
		}
		if recursive {
			r.add(RiskLow, "%s changes %s recursively", name, change)
		} else {
			r.add(RiskLow, "%s changes %s", name, change)
		}
	case "find":
		deletes := false
		for i, a := range rest {
			if a == "-delete" {
				deletes = true
			}
			if (a == "-exec" || a == "-execdir" || a == "-ok") && i+1 < len(rest) {
				if inner, _, _ := program(rest[i+1:]); inner == "rm" || inner == "shred" {
					deletes = true
				}
			}
		}
		if deletes {
			// Starting at . is how find is used; / or ~ is not.
			if len(rest) > 0 && rest[0] != "." && rest[0] != "./" {
				if what, bad := dangerousTarget(rest[0]); bad {
					r.add(RiskHigh, "find deletes matches anywhere under %s", what)
				}
			}
			r.add(RiskLow, "find deletes the files it matches")
		}
	case "git":
		sub, gargs := "", rest
		for len(gargs) > 0 && strings.HasPrefix(gargs[0], "-") {
			gargs = gargs[1:]
		}
		if len(gargs) > 0 {
			sub, gargs = gargs[0], gargs[1:]
		}
		gflags, _ := flagSet(gargs)
		switch {
		case sub == "push" && (gflags["--force"] || gflags["-f"] || gflags["--mirror"]) ||
			sub == "push" && len(gargs) > 0 && strings.HasPrefix(gargs[len(gargs)-1], "+"):
			r.add(RiskHigh, "git push --force rewrites the remote's history")
		case sub == "push" && gflags["--force-with-lease"]:
			r.add(RiskLow, "git push --force-with-lease rewrites the remote's history if it has not moved")
		case sub == "reset" && gflags["--hard"]:
			r.add(RiskHigh, "git reset --hard discards uncommitted changes")
		case sub == "clean" && (gflags["-f"] || gflags["--force"]):
			r.add(RiskHigh, "git clean deletes untracked files")
		case sub == "checkout" && len(gargs) > 0 && (gargs[0] == "--" || gargs[0] == "."):
			r.add(RiskLow, "git checkout discards uncommitted changes")
		case sub == "restore" && (!gflags["--staged"] && !gflags["-S"] || gflags["--worktree"] || gflags["-W"]):
			// --staged alone only unstages: the changes stay in the files.
			r.add(RiskLow, "git restore discards uncommitted changes")
		case sub == "stash" && len(gargs) > 0 && gargs[0] == "clear":
			r.add(RiskHigh, "git stash clear deletes every stash")
		case sub == "stash" && len(gargs) > 0 && gargs[0] == "drop":
			r.add(RiskLow, "git stash drop deletes a stash")
		case sub == "push" && (gflags["--delete"] || gflags["-d"] || len(gargs) > 1 && strings.HasPrefix(gargs[len(gargs)-1], ":")):
			r.add(RiskLow, "git push deletes a branch on the remote")
		case sub == "branch" && gflags["-D"]:
			r.add(RiskLow, "git branch -D deletes a branch even if unmerged")
		case sub == "tag" && (gflags["-d"] || gflags["--delete"]):
			r.add(RiskLow, "git tag -d deletes tags")
		case sub == "filter-branch" || sub == "filter-repo":
			r.add(RiskHigh, "rewrites the repository's whole history")
		case sub == "reflog" && len(gargs) > 0 && gargs[0] == "expire" &&
			(slices.Contains(gargs, "--expire=now") || slices.Contains(gargs, "--expire-unreachable=now")):
			r.add(RiskLow, "git reflog expire drops the record that lost commits are recovered from")
		}
	case "kill", "pkill", "killall":
		if name == "kill" && (has("-l", "-L", "--list", "--table") || has("-0") && len(flags) == 1) {
			break // lists the signals, or only asks whether the process exists
		}
		for _, t := range ops {
			if t == "1" || t == "-1" || (name != "kill" && (t == "init" || t == "systemd")) {
				r.add(RiskHigh, "%s %s stops init or every process, taking the system down", name, t)
			}
		}
		if flags["-1"] && name == "kill" && len(ops) == 0 {
			r.add(RiskHigh, "kill -1 signals every process you own")
		}
		r.add(RiskLow, "stops processes")
	case "shutdown", "reboot", "halt", "poweroff":
		r.add(RiskHigh, "%s stops or restarts the machine", name)
	case "init", "telinit":
		if len(ops) > 0 && (ops[0] == "0" || ops[0] == "6") {
			r.add(RiskHigh, "init %s stops or restarts the machine", ops[0])
		}
	case "systemctl":
		if len(ops) > 0 {
			switch ops[0] {
			case "poweroff", "reboot", "halt", "kexec":
				r.add(RiskHigh, "systemctl %s stops or restarts the machine", ops[0])
			case "stop", "disable", "mask", "restart", "kill":
				r.add(RiskLow, "systemctl %s changes running services", ops[0])
			}
		}
	case "cp", "install", "ln":
		checkReplace(r, name, has, ops)
		if _, dest := copyOperands(rest, ops, has); name == "cp" {
			checkInto(r, "copies", dest)
		}
	case "mv":
		checkReplace(r, name, has, ops)
		sources, dest := copyOperands(rest, ops, has)
		for _, t := range sources {
			if what, bad := dangerousTarget(t); bad && t != "." && t != ".." {
				r.add(RiskHigh, "moves %s", what)
			} else if d := keyDir(t); d != "" {
				r.add(RiskLow, "moves your private keys (%s) away: what uses them stops working", d)
			}
		}
		if dest == "/dev/null" {
			r.add(RiskHigh, "moves files into /dev/null, destroying them")
		}
		checkInto(r, "moves", dest)
	case "psql", "mysql", "mariadb", "sqlite3", "sqlcmd", "clickhouse-client", "cockroach":
		checkSQL(r, name, strings.Join(rest, " "))
	case "redis-cli":
		for _, o := range ops {
			if u := strings.ToUpper(o); u == "FLUSHALL" || u == "FLUSHDB" {
				r.add(RiskHigh, "redis-cli %s deletes every key", u)
			}
		}
	case "mongo", "mongosh":
		if strings.Contains(strings.Join(rest, " "), "dropDatabase") {
			r.add(RiskHigh, "%s drops a database", name)
		}
	case "aws":
		checkAWS(r, flags, ops)
	case "gsutil":
		if len(ops) > 0 && (ops[0] == "rb" || ops[0] == "rm" && (has("-r", "-R"))) {
			r.add(RiskHigh, "gsutil %s deletes a bucket's objects", ops[0])
		}
	case "gcloud", "az":
		switch {
		case name == "gcloud" && len(ops) > 1 && ops[0] == "projects" && ops[1] == "delete":
			r.add(RiskHigh, "gcloud projects delete deletes the whole project and everything in it")
		case name == "az" && len(ops) > 1 && ops[0] == "group" && ops[1] == "delete":
			r.add(RiskHigh, "az group delete deletes the resource group and every resource in it")
		case slices.Contains(ops, "delete"):
			r.add(RiskLow, "%s ... delete removes cloud resources", name)
		}
	case "rclone":
		if len(ops) > 0 {
			switch ops[0] {
			case "purge":
				r.add(RiskHigh, "rclone purge deletes the path and everything under it")
			case "delete", "deletefile", "rmdirs":
				r.add(RiskLow, "rclone %s deletes files", ops[0])
			case "sync":
				r.add(RiskLow, "rclone sync deletes files at the destination that the source lacks")
			}
		}
	case "s3cmd":
		if len(ops) > 0 && (ops[0] == "del" || ops[0] == "rm" || ops[0] == "rb") {
			if has("-r", "--recursive", "-f", "--force") {
				r.add(RiskHigh, "s3cmd %s deletes every object under the path", ops[0])
			} else {
				r.add(RiskLow, "s3cmd %s deletes objects", ops[0])
			}
		}
	case "ifdown", "ifconfig", "ip", "nmcli":
		// Over ssh, the session goes with the interface.
		down := name == "ifdown" ||
			name == "ifconfig" && len(ops) > 1 && ops[len(ops)-1] == "down" ||
			name == "ip" && len(ops) > 2 && strings.HasPrefix("link", ops[0]) && slices.Contains(ops, "down") ||
			name == "nmcli" && len(ops) > 1 && (strings.HasPrefix("networking", ops[0]) && ops[1] == "off" ||
				strings.HasPrefix("connection", ops[0]) && ops[1] == "down" || strings.HasPrefix("radio", ops[0]) && slices.Contains(ops, "off"))
		if down {
			r.add(RiskLow, "takes a network connection down: an ssh session over it is cut")
		}
	case "journalctl":
		if slices.ContainsFunc(rest, func(a string) bool { return strings.HasPrefix(a, "--vacuum-") }) {
			r.add(RiskLow, "journalctl --vacuum deletes old logs")
		}
	case "sysctl":
		if has("-w", "--write") || slices.ContainsFunc(ops, func(o string) bool { return strings.Contains(o, "=") }) {
			r.add(RiskLow, "sysctl changes kernel settings until the machine restarts")
		}
	case "terraform", "tofu":
		if len(ops) > 1 && ops[0] == "state" && ops[1] == "rm" {
			r.add(RiskLow, "%s state rm stops managing resources: they keep running, unknown to it", name)
		}
		if len(ops) > 0 && ops[0] == "destroy" {
			r.add(RiskHigh, "%s destroy deletes the infrastructure the configuration manages", name)
		} else if len(ops) > 0 && ops[0] == "apply" && (slices.Contains(rest, "-auto-approve") || has("--auto-approve")) {
			r.add(RiskLow, "%s apply -auto-approve changes infrastructure without showing the plan first", name)
		}
	case "helm":
		if len(ops) > 0 && (ops[0] == "uninstall" || ops[0] == "delete" || ops[0] == "del") {
			r.add(RiskLow, "helm %s removes a release and its resources", ops[0])
		}
	case "zpool", "zfs":
		if len(ops) > 0 && ops[0] == "destroy" {
			r.add(RiskHigh, "%s destroy deletes a pool or dataset and its data", name)
		}
	case "lvremove", "vgremove", "pvremove":
		r.add(RiskHigh, "%s deletes a volume and the data on it", name)
	case "passwd":
		if has("-d", "--delete") {
			r.add(RiskHigh, "passwd -d removes the password: the account needs none to log in")
		}
	case "userdel", "deluser":
		if has("-r", "--remove", "--remove-home", "--remove-all-files") {
			r.add(RiskHigh, "%s deletes the user and their home directory", name)
		} else {
			r.add(RiskLow, "%s deletes a user account", name)
		}
	case "crontab":
		if flags["-r"] {
			r.add(RiskHigh, "crontab -r deletes all your scheduled jobs")
		} else if len(ops) == 1 && !has("-l", "-e") {
			r.add(RiskLow, "crontab %s replaces all your scheduled jobs with the file's", ops[0])
		}
	case "ufw":
		switch {
		case len(ops) > 0 && ops[0] == "disable":
			r.add(RiskLow, "ufw disable turns the firewall off")
		case len(ops) > 0 && ops[0] == "reset" && has("--force"):
			r.add(RiskHigh, "ufw reset --force deletes every firewall rule without asking")
		case len(ops) > 0 && ops[0] == "reset":
			r.add(RiskLow, "ufw reset deletes every firewall rule (it asks first)")
		}
	case "iptables", "ip6tables", "nft":
		if has("-F", "--flush") || (len(ops) > 1 && ops[0] == "flush") {
			r.add(RiskHigh, "flushes the firewall rules")
		}
		if has("-P", "--policy") && slices.Contains(ops, "DROP") && (slices.Contains(ops, "INPUT") || slices.Contains(ops, "OUTPUT")) {
			r.add(RiskHigh, "drops all traffic by default: can cut the machine off the network, and your ssh session with it")
		}
	case "tee":
		for _, t := range ops {
			switch {
			case has("-a", "--append") && systemFile(t):
				r.add(RiskLow, "appends to the system file %s", t)
			case has("-a", "--append"):
			case systemFile(t):
				r.add(RiskHigh, "overwrites the system file %s", t)
			case dotFile(t):
				r.add(RiskHigh, "overwrites your %s", t)
			case t == "/proc/sysrq-trigger":
				r.add(RiskHigh, "triggers a kernel action at once (c crashes the machine, b reboots it)")
			case kernelSetting(t):
				r.add(RiskLow, "changes the kernel's %s until the machine restarts", t)
			}
		}
	case "sed", "perl":
		// The first operand is the script (or -e's, which flagSet does
		// not tell from operands): sed -i '/etc/d' is no path.
		if !has("-i", "--in-place") || len(ops) < 2 {
			break
		}
		for _, t := range ops[1:] {
			switch {
			case systemFile(t):
				r.add(RiskHigh, "edits the system file %s in place", t)
			case dotFile(t):
				r.add(RiskLow, "edits your %s in place", t)
			}
		}
	case "truncate":
		for _, t := range ops {
			if systemFile(t) {
				r.add(RiskHigh, "truncate cuts the system file %s short", t)
			}
		}
		r.add(RiskLow, "truncate cuts files short")
	case "chattr":
		r.add(RiskLow, "changes file attributes")
	case "eval", "source", ".":
		r.add(RiskLow, "%s runs code it reads", name)
	case "docker", "podman":
		checkContainers(r, name, flags, ops)
	case "docker-compose", "podman-compose":
		if len(ops) > 0 && ops[0] == "down" && has("-v", "--volumes") {
			r.add(RiskHigh, "%s down -v deletes the project's volumes and the data in them", name)
		}
	case "gpg", "gpg2":
		if has("--delete-secret-keys", "--delete-secret-key", "--delete-secret-and-public-key", "--delete-secret-and-public-keys") {
			r.add(RiskHigh, "gpg deletes secret keys: what was encrypted to them can no longer be decrypted")
		} else if has("--delete-keys", "--delete-key") {
			r.add(RiskLow, "gpg deletes keys from your keyring")
		}
	case "gh":
		if len(ops) > 1 && ops[0] == "repo" && ops[1] == "delete" {
			r.add(RiskHigh, "gh repo delete deletes the repository on GitHub, with its issues and pull requests")
		}
	case "dropdb":
		r.add(RiskHigh, "dropdb deletes a database and its data")
	case "mysqladmin":
		if slices.Contains(ops, "drop") {
			r.add(RiskHigh, "mysqladmin drop deletes a database and its data")
		}
	case "virsh":
		switch {
		case len(ops) > 0 && ops[0] == "undefine" && has("--remove-all-storage", "--storage", "--wipe-storage"):
			r.add(RiskHigh, "virsh undefine deletes the machine and its disks")
		case len(ops) > 0 && ops[0] == "undefine":
			r.add(RiskLow, "virsh undefine deletes the machine's definition")
		case len(ops) > 0 && ops[0] == "destroy":
			r.add(RiskLow, "virsh destroy cuts the machine's power at once")
		}
	case "usermod":
		if has("-G", "--groups") && !has("-a", "--append", "-r", "--remove") {
			r.add(RiskHigh, "usermod -G without -a replaces the user's groups: any left out (sudo, wheel) are lost")
		}
	case "setenforce":
		if len(ops) > 0 && (ops[0] == "0" || strings.EqualFold(ops[0], "permissive")) {
			r.add(RiskLow, "setenforce 0 turns SELinux's enforcement off")
		}
	case "rsync":
		for f := range flags {
			if !strings.HasPrefix(f, "--delete") {
				continue
			}
			dest := ""
			if len(ops) > 1 {
				dest = ops[len(ops)-1]
			}
			if what, bad := dangerousTarget(dest); bad && dest != "" {
				r.add(RiskHigh, "rsync --delete deletes whatever %s holds that the source lacks", what)
			} else {
				r.add(RiskLow, "rsync --delete deletes files at the destination that the source lacks")
			}
			break
		}
	case "tar":
		extract := has("-x", "--extract", "--get") || len(rest) > 0 && !strings.HasPrefix(rest[0], "-") && strings.ContainsRune(rest[0], 'x')
		for i, a := range rest {
			dir := ""
			switch {
			case (a == "-C" || a == "--directory") && i+1 < len(rest):
				dir = rest[i+1]
			case strings.HasPrefix(a, "--directory="):
				dir = strings.TrimPrefix(a, "--directory=")
			}
			if clean := strings.TrimRight(dir, "/"); extract && dir != "" && (clean == "" || systemPaths[clean]) {
				r.add(RiskHigh, "tar extracts over %s, replacing the files there", dir)
			}
		}
	case "history":
		if flags["-c"] {
			r.add(RiskLow, "history -c clears this shell's history")
		}
	case "kubectl":
		if slices.ContainsFunc(rest, func(a string) bool {
			return a == "--dry-run" || a == "--dry-run=client" || a == "--dry-run=server"
		}) {
			break // only shows what it would do
		}
		if len(ops) > 0 && ops[0] == "drain" {
			r.add(RiskLow, "kubectl drain evicts every pod from the node")
		}
		if len(ops) > 0 && ops[0] == "delete" {
			if has("--all", "-A", "--all-namespaces") || len(ops) > 1 && (ops[1] == "namespace" || ops[1] == "namespaces" || ops[1] == "ns" || strings.HasPrefix(ops[1], "namespace/") || strings.HasPrefix(ops[1], "ns/")) {
				r.add(RiskHigh, "kubectl delete removes a namespace or every resource of a kind, with what runs in it")
			} else {
				r.add(RiskLow, "kubectl delete removes cluster resources")
			}
		}
	case "apt", "apt-get", "dnf", "yum", "zypper", "snap", "pip", "pip3", "brew", "npm", "pnpm", "yarn", "gem", "cargo", "pipx":
		if len(ops) > 0 {
			switch ops[0] {
			case "remove", "purge", "autoremove", "erase", "rm", "uninstall", "un", "r":
				r.add(RiskLow, "%s %s removes installed packages", name, ops[0])
			case "unpublish":
				if name == "npm" || name == "pnpm" || name == "yarn" {
					r.add(RiskHigh, "%s unpublish removes the package from the registry, for everyone who depends on it", name)
				}
			case "publish", "push":
				publishes := name == "npm" || name == "pnpm" || name == "yarn" || name == "cargo" || name == "gem" && ops[0] == "push"
				if publishes && !has("--dry-run") {
					r.add(RiskLow, "%s %s publishes the package for everyone to download; its version number cannot be used again", name, ops[0])
				}
			}
		}
	case "pacman":
		if has("-R", "--remove") {
			r.add(RiskLow, "pacman -R removes installed packages")
		}
	}
}

// diskReadOnly reports the partitioning tools' modes that only read:
// listing, printing, verifying, opening an encrypted volume.
func diskReadOnly(name string, flags map[string]bool, ops []string) bool {
	only := func(fs ...string) bool {
		if len(flags) == 0 {
			return false
		}
		for f := range flags {
			if !slices.Contains(fs, f) {
				return false
			}
		}
		return true
	}
	switch name {
	case "fdisk":
		return only("-l", "--list", "-x", "--list-details")
	case "sfdisk":
		return only("-l", "--list", "-d", "--dump", "-J", "--json", "-V", "--verify", "-s", "--show-size", "--list-free", "-F")
	case "sgdisk":
		return only("-p", "--print", "-v", "--verify", "-i", "--info", "-b", "--backup", "-O", "--print-mbr")
	case "parted":
		return (len(flags) == 0 || only("-l", "--list", "-s", "--script", "-m", "--machine")) &&
			(flags["-l"] || flags["--list"] || len(ops) == 2 && ops[1] == "print")
	case "cryptsetup":
		return len(ops) > 0 && slices.Contains([]string{"open", "luksOpen", "close", "luksClose", "status", "luksDump", "isLuks", "luksUUID"}, ops[0])
	case "wipefs":
		// Without options it lists the signatures; --no-act erases none.
		return len(flags) == 0 || flags["-n"] || flags["--no-act"] || only("-J", "--json", "-p", "--parsable", "-O", "--output")
	}
	return false
}

// sqlDestroys are SQL statements that drop or empty what they name;
// DELETE FROM without WHERE empties a table.
var sqlDestroys = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(drop\s+(database|schema|table)|truncate(\s+table)?\s+[\w."]+|delete\s+from\s+[\w."]+\s*(;|$))`)
})

// checkSQL grades the statements a database client is given on its
// command line (psql -c, mysql -e, sqlite3 DB SQL).
func checkSQL(r *Risk, name, args string) {
	if m := sqlDestroys().FindString(args); m != "" {
		r.add(RiskHigh, "%s runs %s, which deletes data", name, strings.Join(strings.Fields(strings.TrimRight(m, "; ")), " "))
	}
}

// checkAWS grades the AWS CLI's deletions: emptying or removing a bucket
// and terminating instances lose data; other delete-* calls remove
// resources.
func checkAWS(r *Risk, flags map[string]bool, ops []string) {
	if len(ops) < 2 {
		return
	}
	switch svc, op := ops[0], ops[1]; {
	case svc == "s3" && op == "rm" && flags["--recursive"], svc == "s3" && op == "rb" && flags["--force"]:
		r.add(RiskHigh, "aws s3 %s deletes every object under the path", op)
	case op == "terminate-instances" || strings.HasPrefix(op, "delete-db") || op == "delete-bucket" || op == "delete-table":
		r.add(RiskHigh, "aws %s %s deletes resources and their data", svc, op)
	case strings.HasPrefix(op, "delete-") || strings.HasPrefix(op, "remove-") || svc == "s3" && (op == "rm" || op == "rb"):
		r.add(RiskLow, "aws %s %s removes cloud resources", svc, op)
	}
}

// checkContainers grades docker's and podman's deletions: pruning with
// --all or of volumes, and removing volumes, loses what cannot be pulled
// again; removing containers and images, what can be rebuilt.
func checkContainers(r *Risk, name string, flags map[string]bool, words []string) {
	all := flags["-a"] || flags["--all"]
	switch {
	case len(words) >= 2 && words[1] == "prune" && (words[0] == "volume" || words[0] == "system" && flags["--volumes"]):
		r.add(RiskHigh, "%s %s prune deletes volumes and the data in them", name, words[0])
	case len(words) >= 2 && words[1] == "prune" && all:
		r.add(RiskHigh, "%s %s prune --all deletes every image (and container, network) not in use", name, words[0])
	case len(words) >= 2 && words[1] == "prune":
		what := map[string]string{"system": "stopped containers, unused networks and dangling images",
			"builder": "the build cache"}[words[0]]
		if what == "" {
			what = "unused " + words[0] + "s"
		}
		r.add(RiskLow, "%s %s prune deletes %s", name, words[0], what)
	case len(words) >= 2 && words[0] == "compose" && words[1] == "down" && (flags["-v"] || flags["--volumes"]):
		r.add(RiskHigh, "%s compose down -v deletes the project's volumes and the data in them", name)
	case len(words) >= 2 && words[0] == "volume" && (words[1] == "rm" || words[1] == "remove"):
		r.add(RiskHigh, "%s volume rm deletes volumes and the data in them", name)
	case len(words) >= 1 && (words[0] == "rm" || words[0] == "rmi" || len(words) >= 2 && (words[1] == "rm" || words[1] == "remove")):
		r.add(RiskLow, "%s removes containers or images", name)
	}
}

// checkTruncation grades a statement that only empties a file: "> f",
// ": > f", "true > f", "cat /dev/null > f" (what the redirection
// overwrites otherwise is the command's output, which is its purpose).
func checkTruncation(r *Risk, st *syntax.Stmt) {
	var args []string
	if call, ok := st.Cmd.(*syntax.CallExpr); ok {
		args = words(call.Args)
	} else if st.Cmd != nil {
		return
	}
	if len(args) > 0 && !slices.Equal(args, []string{":"}) && !slices.Equal(args, []string{"true"}) &&
		!slices.Equal(args, []string{"cat", "/dev/null"}) {
		return
	}
	for _, rd := range st.Redirs {
		if rd.Word == nil || rd.Op != syntax.RdrOut && rd.Op != syntax.RdrClob && rd.Op != syntax.RdrAll &&
			!DupToFile(rd) {
			continue
		}
		// Devices, dotfiles and system files have reasons of their own.
		if t := wordString(rd.Word); !isDevice(t) && !strings.HasPrefix(t, "/dev/") && !dotFile(t) && !systemFile(t) {
			r.add(RiskLow, "empties %s", t)
		}
	}
}

func checkRedirect(r *Risk, rd *syntax.Redirect) {
	if rd.Word == nil {
		return
	}
	t := wordString(rd.Word)
	switch rd.Op {
	case syntax.RdrOut, syntax.RdrClob, syntax.RdrAll, syntax.AppOut, syntax.AppAll:
	case syntax.DplOut:
		if !DupToFile(rd) {
			return
		}
	default:
		return
	}
	truncates := rd.Op == syntax.RdrOut || rd.Op == syntax.RdrClob || rd.Op == syntax.RdrAll || rd.Op == syntax.DplOut
	switch {
	case t == "/proc/sysrq-trigger":
		r.add(RiskHigh, "triggers a kernel action at once (c crashes the machine, b reboots it)")
	case isDevice(t):
		r.add(RiskHigh, "writes over the device %s", t)
	case truncates && dotFile(t):
		r.add(RiskHigh, "overwrites your %s", t)
	case truncates && (strings.HasPrefix(t, "/etc/") || strings.HasPrefix(t, "/boot/") || strings.HasPrefix(t, "/usr/")):
		r.add(RiskHigh, "overwrites the system file %s", t)
	case systemFile(t):
		r.add(RiskLow, "appends to the system file %s", t)
	case kernelSetting(t):
		r.add(RiskLow, "changes the kernel's %s until the machine restarts", t)
	}
}

// kernelSetting reports whether p is one of the kernel's own files,
// whose writes change how it runs (/proc/sys/vm/swappiness), or act at
// once (/sys/block/sda/device/delete).
func kernelSetting(p string) bool {
	return strings.HasPrefix(p, "/proc/sys/") || strings.HasPrefix(p, "/sys/")
}

// checkReplace grades a copy, move, install or forced link onto one of
// your settings files or the system's: what the file held is gone, as
// after a redirection onto it. The files the system needs to boot or to
// let anyone log in (or use sudo) are high; the rest low, since putting
// a file in place is what these commands are for. Not where nothing is
// lost: a destination directory (-t), no overwriting (-n), a backup
// (-b), or a question first (-i).
func checkReplace(r *Risk, name string, has func(...string) bool, ops []string) {
	if len(ops) < 2 || has("-t", "--target-directory", "-n", "--no-clobber", "-b", "--backup", "-i", "--interactive") ||
		name == "ln" && !has("-f", "--force") || name == "install" && has("-d", "--directory") {
		return
	}
	t := ops[len(ops)-1]
	switch {
	case criticalFile(t):
		r.add(RiskHigh, "replaces the system file %s, which the system needs to start or to let anyone log in", t)
	case systemFile(t):
		r.add(RiskLow, "replaces the system file %s", t)
	case dotFile(t):
		r.add(RiskLow, "replaces your %s", t)
	}
}

// copyOperands splits a copy's or move's operands into what it copies
// and where to: the last operand, or -t's directory.
func copyOperands(args, ops []string, has func(...string) bool) (sources []string, dest string) {
	if !has("-t", "--target-directory") {
		if len(ops) < 2 {
			return nil, ""
		}
		return ops[:len(ops)-1], ops[len(ops)-1]
	}
	for i, a := range args {
		switch {
		case strings.HasPrefix(a, "--target-directory="):
			dest = strings.TrimPrefix(a, "--target-directory=")
		case (a == "-t" || a == "--target-directory") && i+1 < len(args):
			dest = args[i+1]
		case strings.HasPrefix(a, "-t") && !strings.HasPrefix(a, "--"):
			dest = a[2:]
		default:
			continue
		}
		break
	}
	for _, o := range ops {
		if o != dest {
			sources = append(sources, o)
		}
	}
	return sources, dest
}

// checkInto grades files copied or moved into / itself (over whatever
// is there of the system's) or into one of the system's directories.
func checkInto(r *Risk, verb, dest string) {
	clean := strings.TrimRight(dest, "/")
	switch {
	case dest != "" && clean == "":
		r.add(RiskHigh, "%s files over the whole filesystem (/), replacing the system's own", verb)
	case systemPaths[clean]:
		r.add(RiskLow, "%s files into the system directory %s", verb, clean)
	}
}

// criticalFile reports whether a broken p stops the machine from
// starting or anyone from logging in or using sudo.
func criticalFile(p string) bool {
	switch p {
	case "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers", "/etc/fstab", "/etc/crypttab", "/etc/ld.so.preload":
		return true
	}
	return strings.HasPrefix(p, "/boot/") || strings.HasPrefix(p, "/etc/pam.d/") || strings.HasPrefix(p, "/etc/sudoers.d/")
}

// The reasons for a PATH that lost the system's directories: commands
// the shell finds by name (ls, not its builtins) are then not found, in
// this shell, until it is set again (a new shell starts with it whole).
const (
	pathReplaced = "replaces PATH without the system's directories: this shell then finds only its builtins (a new shell starts with PATH whole)"
	pathUnset    = "unsets PATH: this shell then finds only its builtins (a new shell starts with PATH whole)"
)

// checkPathAssign grades a PATH=... (or export's, or zsh's path=(...))
// whose value neither keeps the old one ($PATH) nor names /bin or
// /usr/bin, nor comes from a command (PATH=$(getconf PATH)). An
// assignment before a command (PATH=/x cmd) is only that command's and
// is not passed here.
func checkPathAssign(r *Risk, a *syntax.Assign, shell string) {
	if a.Naked || a.Name == nil || a.Name.Value != "PATH" && (shell != "zsh" || a.Name.Value != "path") {
		return
	}
	var vals []*syntax.Word
	if a.Value != nil {
		vals = append(vals, a.Value)
	}
	if a.Array != nil {
		for _, e := range a.Array.Elems {
			vals = append(vals, e.Value)
		}
	}
	if a.Append || len(vals) == 0 || !replacesPath(vals) {
		return
	}
	r.add(RiskLow, pathReplaced)
}

// replacesPath reports whether a new PATH made of vals leaves the
// system's directories out.
func replacesPath(vals []*syntax.Word) bool {
	keeps := false
	for _, w := range vals {
		if w == nil {
			continue
		}
		syntax.Walk(w, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.ParamExp:
				keeps = keeps || n.Param != nil && (n.Param.Value == "PATH" || n.Param.Value == "path")
			case *syntax.CmdSubst:
				keeps = true
			}
			return !keeps
		})
		for _, dir := range strings.Split(wordString(w), ":") {
			if d := strings.TrimRight(dir, "/"); d == "/bin" || d == "/usr/bin" {
				keeps = true
			}
		}
	}
	return !keeps
}

// checkPathUnset grades `unset PATH` and fish's own ways to unset or
// replace it (set -e PATH, set -gx PATH /opt/bin).
func checkPathUnset(r *Risk, args []string, shell string) {
	if len(args) < 2 {
		return
	}
	flags, ops := flagSet(args[1:])
	switch {
	case args[0] == "unset" && (slices.Contains(ops, "PATH") || shell == "zsh" && slices.Contains(ops, "path")):
		r.add(RiskLow, pathUnset)
	case args[0] != "set" || shell != "fish" || len(ops) == 0 || ops[0] != "PATH":
	case flags["-e"] || flags["--erase"]:
		r.add(RiskLow, pathUnset)
	case flags["-a"] || flags["--append"] || flags["-p"] || flags["--prepend"] || flags["-q"] || flags["--query"] ||
		flags["-S"] || flags["--show"] || flags["-n"] || flags["--names"]:
	default:
		var vals []*syntax.Word
		for _, v := range ops[1:] {
			w, err := syntax.NewParser().Document(strings.NewReader(v))
			if err != nil {
				return
			}
			vals = append(vals, w)
		}
		if replacesPath(vals) {
			r.add(RiskLow, pathReplaced)
		}
	}
}

// insecureReason is what turning off a connection's checks costs.
const insecureReason = ": anyone between you and the server can read and change what is sent"

// checkInsecure grades a command that turns off the checks of who it
// talks to: curl -k, wget --no-check-certificate, ssh -o
// StrictHostKeyChecking=no, git's http.sslVerify false, npm's
// strict-ssl false, pip's --trusted-host, kubectl's and helm's
// --insecure-skip-tls-verify. Meant, often, but worth a second look.
func checkInsecure(r *Risk, name string, flags map[string]bool, rest, ops []string) {
	switch {
	case name == "curl" && (flags["-k"] || flags["--insecure"]):
		r.add(RiskLow, "curl -k skips checking the server's certificate"+insecureReason)
	case name == "wget" && flags["--no-check-certificate"]:
		r.add(RiskLow, "wget --no-check-certificate skips checking the server's certificate"+insecureReason)
	case (name == "ssh" || name == "scp" || name == "sftp" || name == "rsync") && sshSkipsHostKey(rest):
		r.add(RiskLow, "%s skips checking the host's key"+insecureReason, name)
	case name == "git" && gitNoSSLVerify(rest):
		r.add(RiskLow, "git skips checking the server's certificate (http.sslVerify false)"+insecureReason)
	case (name == "npm" || name == "pnpm" || name == "yarn") && len(ops) >= 4 && ops[0] == "config" && ops[1] == "set" &&
		ops[2] == "strict-ssl" && ops[3] == "false":
		r.add(RiskLow, "%s skips checking the registry's certificate"+insecureReason, name)
	case (name == "pip" || name == "pip3") && flags["--trusted-host"]:
		r.add(RiskLow, "pip --trusted-host skips checking that host's certificate"+insecureReason)
	case (name == "kubectl" || name == "helm") && flags["--insecure-skip-tls-verify"]:
		r.add(RiskLow, "%s skips checking the server's certificate"+insecureReason, name)
	}
}

// passwordReason is what a password given as an argument costs.
const passwordReason = ": it stays in your shell history, and other users see it in ps while the command runs"

// urlPassword matches a URL with a password in it: https://me:s3cret@host.
var urlPassword = regexp.MustCompile(`^[a-z][a-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@`)

// checkPasswordArgs grades a password given on the command line:
// mysql -pSECRET, curl -u me:SECRET, sshpass -p, docker login -p,
// openssl's pass:SECRET, a URL with one (git clone
// https://me:TOKEN@host/r).
func checkPasswordArgs(r *Risk, name string, args []string) {
	for i, a := range args {
		next := ""
		if i+1 < len(args) {
			next = args[i+1]
		}
		switch {
		case urlPassword.MatchString(a):
			r.add(RiskLow, "puts a password in a URL on the command line"+passwordReason)
		case (name == "mysql" || name == "mariadb" || name == "mysqldump" || name == "mysqladmin") &&
			(strings.HasPrefix(a, "-p") && len(a) > 2 || strings.HasPrefix(a, "--password=") && len(a) > len("--password=")),
			(name == "curl" && (a == "-u" || a == "--user") && strings.Contains(next, ":") && !strings.HasSuffix(next, ":")),
			(name == "sshpass" && a == "-p" && next != ""),
			(name == "docker" || name == "podman") && (a == "-p" || a == "--password") && next != "" && slices.Contains(args[:i], "login"),
			name == "openssl" && (a == "-passin" || a == "-passout" || a == "-pass") && strings.HasPrefix(next, "pass:"):
			r.add(RiskLow, "%s gets a password on the command line"+passwordReason, name)
		default:
			continue
		}
		return // once is enough
	}
}

// sshSkipsHostKey reports an ssh option that accepts any host key:
// StrictHostKeyChecking=no (or off), or a known-hosts file of /dev/null.
func sshSkipsHostKey(args []string) bool {
	for i, a := range args {
		o := ""
		switch {
		case a == "-o" && i+1 < len(args):
			o = args[i+1]
		case strings.HasPrefix(a, "-o"):
			o = a[2:]
		case a == "-e" && i+1 < len(args): // rsync -e 'ssh -o ...'
			o = args[i+1]
		default:
			continue
		}
		o = strings.ToLower(strings.NewReplacer(" ", "=", "\t", "=").Replace(o))
		if strings.Contains(o, "stricthostkeychecking=no") || strings.Contains(o, "stricthostkeychecking=off") ||
			strings.Contains(o, "userknownhostsfile=/dev/null") {
			return true
		}
	}
	return false
}

// gitNoSSLVerify reports git -c http.sslVerify=false or git config
// [--global] http.sslVerify false.
func gitNoSSLVerify(args []string) bool {
	for i, a := range args {
		switch strings.ToLower(a) {
		case "http.sslverify=false":
			return i > 0 && args[i-1] == "-c"
		case "http.sslverify":
			return i+1 < len(args) && strings.EqualFold(args[i+1], "false")
		}
	}
	return false
}

// checkInsecureAssign grades the variables that turn off the checks of
// a server's certificate: NODE_TLS_REJECT_UNAUTHORIZED=0,
// GIT_SSL_NO_VERIFY=true, PYTHONHTTPSVERIFY=0.
func checkInsecureAssign(r *Risk, a *syntax.Assign) {
	if a.Name == nil || a.Value == nil {
		return
	}
	v := strings.Trim(wordString(a.Value), `"'`)
	switch {
	case a.Name.Value == "NODE_TLS_REJECT_UNAUTHORIZED" && v == "0",
		a.Name.Value == "PYTHONHTTPSVERIFY" && v == "0",
		a.Name.Value == "GIT_SSL_NO_VERIFY" && v != "" && v != "0" && v != "false":
		r.add(RiskLow, "%s skips checking servers' certificates"+insecureReason, a.Name.Value)
	}
}

// DupToFile reports whether rd is a >&word that names a file, not a
// descriptor: bash reads >&file as &>file, output and errors written
// over it. explain says so too.
func DupToFile(rd *syntax.Redirect) bool {
	if rd.Op != syntax.DplOut || rd.Word == nil || rd.N != nil {
		return false
	}
	target := strings.Trim(wordString(rd.Word), `"`)
	return target != "-" && strings.Trim(target, "0123456789") != "" && !strings.HasPrefix(target, "$")
}

// keyDir is the directory of your private keys that p deletes keys
// from: all of ~/.ssh or ~/.gnupg, a private key in ~/.ssh (id_*, not
// known_hosts or a .pub), anything in ~/.gnupg; or "".
func keyDir(p string) string {
	for _, d := range []string{"~/.ssh", "$HOME/.ssh", "~/.gnupg", "$HOME/.gnupg"} {
		rest, ok := strings.CutPrefix(p, d)
		switch {
		case !ok || rest != "" && rest[0] != '/':
		case strings.Trim(rest, "/*") == "" || strings.HasSuffix(d, ".gnupg"):
			return d
		case strings.HasPrefix(path.Base(rest), "id_") && !strings.HasSuffix(rest, ".pub"):
			return d
		}
	}
	return ""
}

// dotFile reports whether p is one of your startup or settings files:
// ~/.bashrc, $HOME/.ssh/config.
func dotFile(p string) bool {
	return strings.HasPrefix(p, "~/.") || strings.HasPrefix(p, "$HOME/.")
}

// systemFile reports whether p is a file of the system's own, under
// /etc, /boot or /usr, but for /usr/local, which is the administrator's
// (install -m 755 x /usr/local/bin is what it is for).
func systemFile(p string) bool {
	return strings.HasPrefix(p, "/etc/") || strings.HasPrefix(p, "/boot/") ||
		strings.HasPrefix(p, "/usr/") && !strings.HasPrefix(p, "/usr/local/")
}

// checkPipe flags a download piped straight into an interpreter.
func checkPipe(r *Risk, b *syntax.BinaryCmd) {
	var cmds [][]string
	var collect func(s *syntax.Stmt)
	collect = func(s *syntax.Stmt) {
		switch c := s.Cmd.(type) {
		case *syntax.BinaryCmd:
			if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
				collect(c.X)
				collect(c.Y)
				return
			}
		case *syntax.CallExpr:
			cmds = append(cmds, words(c.Args))
			return
		}
		cmds = append(cmds, nil)
	}
	collect(b.X)
	collect(b.Y)
	downloaded, found := false, ""
	for _, c := range cmds {
		name, rest, _ := program(c)
		if downloaders[name] {
			downloaded = true
			continue
		}
		if downloaded && shells[name] {
			r.add(RiskHigh, "runs code downloaded from the network (%s piped into %s) without review", "download", name)
		}
		if name == "find" && len(rest) > 0 && rest[0] != "." && rest[0] != "./" {
			if what, bad := dangerousTarget(rest[0]); bad {
				found = what
			}
		} else if found != "" && (name == "rm" || name == "shred" || name == "unlink") && slices.Contains(c, "xargs") {
			r.add(RiskHigh, "deletes what find lists in %s", found)
		}
	}
}

// checkSubstDownload flags code fetched from the network and run without
// a pipe: `bash <(curl URL)`, `sh -c "$(curl URL)"`, `eval "$(wget -O- URL)"`,
// `source <(curl URL)`.
func checkSubstDownload(r *Risk, c *syntax.CallExpr, args []string) {
	name, _, _ := program(args)
	if !shells[name] && name != "eval" && name != "source" && name != "." {
		return
	}
	for _, a := range c.Args[1:] {
		syntax.Walk(a, func(n syntax.Node) bool {
			var stmts []*syntax.Stmt
			switch n := n.(type) {
			case *syntax.ProcSubst:
				stmts = n.Stmts
			case *syntax.CmdSubst:
				stmts = n.Stmts
			default:
				return true
			}
			for _, st := range stmts {
				syntax.Walk(st, func(m syntax.Node) bool {
					if call, ok := m.(*syntax.CallExpr); ok {
						if d, _, _ := program(words(call.Args)); downloaders[d] {
							r.add(RiskHigh, "runs code downloaded from the network (%s read by %s) without review", d, name)
						}
					}
					return true
				})
			}
			return false
		})
	}
}

// callsItself spots the classic fork bomb: a function that runs itself in
// a pipeline or in the background.
func callsItself(f *syntax.FuncDecl) bool {
	self := false
	syntax.Walk(f.Body, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 && c.Args[0].Lit() == f.Name.Value {
			self = true
		}
		return !self
	})
	if !self {
		return false
	}
	spreads := false
	syntax.Walk(f.Body, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				spreads = true
			}
		case *syntax.Stmt:
			if n.Background {
				spreads = true
			}
		}
		return !spreads
	})
	return spreads
}
