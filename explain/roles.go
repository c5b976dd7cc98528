package explain

import (
	"strconv"
	"strings"

	"github.com/cmdr-sh/cmdr/translate"
)

// Operand roles: what a program's arguments are, by their place, as its
// synopsis says (grep PATTERNS [FILE...], cp SOURCE... DEST, find
// [starting-point...] [expression]); an option's value has its own.

// compressors compress their operands, or decompress them (-d, or by
// the name un... gives them); "replaces" where the result takes the
// file's place unless -k keeps it, "keeps" where both stay.
var compressors = map[string]string{"gzip": "replaces", "gunzip": "replaces", "bzip2": "replaces", "bunzip2": "replaces",
	"xz": "replaces", "unxz": "replaces", "lzma": "replaces", "unlzma": "replaces", "zstd": "keeps", "unzstd": "keeps",
	"lz4": "keeps", "unlz4": "keeps", "compress": "replaces", "uncompress": "replaces"}

// interpreters run a script named by their first operand, or a program
// given by an option (-c, -e, -m).
var interpreters = map[string]bool{"python": true, "python3": true, "python2": true, "node": true, "nodejs": true, "ruby": true,
	"perl": true, "php": true, "lua": true, "Rscript": true}

// greps are the programs whose first operand is the pattern.
var greps = map[string]bool{"grep": true, "egrep": true, "fgrep": true, "zgrep": true, "zegrep": true, "bzgrep": true,
	"xzgrep": true, "rg": true, "ag": true, "ack": true, "pgrep": true, "pkill": true}

// operandRoles gives the plain arguments of the command named name, its
// parts from start on, their roles.
func (w *walker) operandRoles(name string, start int) {
	var ops []int    // the plain operands, in order
	var flags []Part // the command's options
	expression := -1 // find's first word of the expression
	sub := ""        // its subcommand (apt install, systemctl restart)
	for i := start; i < len(w.parts); i++ {
		p := w.parts[i]
		if p.Depth != w.depth || p.Program != name {
			continue
		}
		switch {
		case p.Kind == KindSubcommand && sub == "":
			sub = p.Text
		case p.Kind == KindArgument && !p.value:
			ops = append(ops, i)
		case p.Kind == KindFlag || p.Kind == KindOperator:
			flags = append(flags, p)
			// find's options come before the starting points: -H,
			// -L, -P, -D debugopts, -Olevel.
			option := len(p.Text) >= 2 && p.Text[0] == '-' && strings.Contains("HLPDO", p.Text[1:2]) && (len(p.Text) == 2 || p.Text[1] == 'O')
			if expression < 0 && (len(ops) > 0 || !option) {
				expression = i
			}
		}
	}
	if len(ops) == 0 {
		if name == "bind" && w.shell == "bash" {
			w.bindRoles(start, nil, nil) // bind -x '"\C-l": clear': a value only
		}
		return
	}
	has := func(names ...string) bool {
		for _, f := range flags {
			for _, n := range names {
				if f.Text == n || strings.HasPrefix(f.Text, n+"=") {
					return true
				}
			}
		}
		return false
	}
	// A role goes before what else was said of the word: cp a "$1" has
	// the destination in positional parameter 1.
	set := func(i int, role string) {
		if doc := w.parts[i].Doc; doc != "argument" {
			role += ", " + w.parts[i].Text + ": " + doc
		}
		w.parts[i].Doc = role
	}
	all := func(role string) {
		for _, i := range ops {
			set(i, role)
		}
	}
	switch {
	case name == "find":
		for _, i := range ops {
			if expression < 0 || i < expression {
				set(i, "where the search starts")
			}
		}
	case greps[name]:
		rest := ops
		if !has("-e", "--regexp", "-f", "--file") {
			set(ops[0], "the pattern to search for")
			rest = ops[1:]
		}
		if name != "pgrep" && name != "pkill" {
			for _, i := range rest {
				set(i, "where to search")
			}
		}
	case name == "cp" || name == "mv" || name == "scp" || name == "rsync":
		verb := map[string]string{"cp": "what to copy", "mv": "what to move", "scp": "what to copy", "rsync": "what to copy"}[name]
		if has("-t", "--target-directory") {
			all(verb)
			return
		}
		if len(ops) < 2 {
			return
		}
		for _, i := range ops[:len(ops)-1] {
			set(i, verb)
		}
		set(ops[len(ops)-1], "the destination")
	case name == "ln":
		if len(ops) == 1 {
			set(ops[0], "what the link points to (the link is made here, by its name)")
			return
		}
		for _, i := range ops[:len(ops)-1] {
			set(i, "what the link points to")
		}
		set(ops[len(ops)-1], "the link to make (or the directory to make it in)")
	case name == "kill":
		for _, i := range ops {
			t := strings.Trim(w.parts[i].Text, `"'`)
			switch {
			case strings.Trim(t, "0123456789") == "" && t != "":
				set(i, "the process ID to signal")
			case strings.HasPrefix(t, "%"):
				set(i, "a job of this shell ("+t+")")
			case strings.HasPrefix(t, "$(") || strings.HasPrefix(t, "`"):
				set(i, "the process IDs to signal, the output of the command inside")
			case strings.HasPrefix(t, "$"):
				set(i, "the process ID to signal, from a variable")
			}
		}
	case name == "chown" || name == "chgrp":
		file := map[string]string{"chown": "a file whose owner to change", "chgrp": "a file whose group to change"}[name]
		if has("--reference") {
			all(file)
			return
		}
		set(ops[0], ownerDoc(name, strings.Trim(w.parts[ops[0]].Text, `"'`)))
		for _, i := range ops[1:] {
			set(i, file)
		}
	case packageManagers[name] && packageVerbs[sub] != "":
		all(packageVerbs[sub])
	case (name == "docker" || name == "podman") && (sub == "run" || sub == "create" || sub == "exec"):
		// docker run [OPTIONS] IMAGE [COMMAND] [ARG...]; exec takes a
		// container where run takes an image.
		if sub == "exec" {
			set(ops[0], "the container to run the command in")
		} else {
			set(ops[0], "the image to make the container from")
		}
		for _, i := range ops[1:] {
			set(i, "the command to run in the container")
		}
	case name == "systemctl" && unitVerbs[sub]:
		for _, i := range ops {
			if t := w.parts[i].Text; strings.ContainsAny(t, ".@*$\"'") {
				set(i, "a unit")
			} else {
				set(i, "a unit ("+t+" means "+t+".service)")
			}
		}
	case name == "man":
		for _, i := range ops {
			t := w.parts[i].Text
			if section, ok := manSections[t]; ok && i != ops[len(ops)-1] {
				set(i, "the manual's section "+t+": "+section)
			} else {
				set(i, "the page to show")
			}
		}
	case name == "tar":
		// What the operands are depends on the mode letter: tar xzf a.tgz
		// (bundled, or -x, --extract).
		what := ""
		for _, f := range flags {
			switch strings.TrimLeft(f.Text, "-") {
			case "c", "create":
				what = "what to put in the archive"
			case "x", "extract", "get":
				what = "what to take out of the archive (all of it without one)"
			case "t", "list":
				what = "what to list of the archive"
			case "r", "append", "u", "update":
				what = "what to add to the archive"
			}
		}
		if what != "" {
			all(what)
		}
	case name == "zip":
		set(ops[0], "the archive to make or add to")
		for _, i := range ops[1:] {
			set(i, "what to put in it")
		}
	case name == "unzip":
		set(ops[0], "the archive")
		for _, i := range ops[1:] {
			set(i, "what to take out of it (all of it without one)")
		}
	case name == "curl" || name == "wget":
		all("the URL to fetch")
	case name == "ping" || name == "traceroute" || name == "tracepath" || name == "mtr" || name == "host" || name == "nslookup":
		// The last: without ping's page, ping -c 3 h reads 3 as one.
		set(ops[len(ops)-1], "the host")
	case name == "set" && w.shell == "fish":
		// set [SCOPE] NAME [VALUE...]; with -q or -e, names alone.
		if has("-q", "--query", "-e", "--erase", "-n", "--names", "-S", "--show") {
			all("a variable")
			return
		}
		role := "the variable to set"
		if doc, _ := w.l.variable(w.ctx, "fish", w.parts[ops[0]].Text); doc != "" {
			role += ": " + doc
		}
		set(ops[0], role)
		for _, i := range ops[1:] {
			set(i, "an item of its new value (a list, one item per word)")
		}
	case name == "fish_add_path" && w.shell == "fish":
		all("a directory to add to $PATH (and keep there), if it exists")
	case name == "abbr" && w.shell == "fish" && len(ops) >= 2 && has("-a", "--add"):
		// abbr -a gco git checkout: the word, then what it becomes,
		// explained under it as the command line it is.
		set(ops[0], "the abbreviation: typed as a command, it becomes what follows")
		expansion := make([]string, 0, len(ops)-1)
		for _, i := range ops[1:] {
			expansion = append(expansion, w.parts[i].Text)
		}
		last := ops[len(ops)-1]
		whole := last == len(w.parts)-1 && last-ops[1] == len(ops)-2 // the words end the command, nothing between them
		if nested := w.commandLine(strings.Join(expansion, " "), w.shell); nested != nil && whole {
			// The words are shown as the commands they make.
			w.parts = append(w.parts[:ops[1]], nested...)
		} else {
			for _, i := range ops[1:] {
				set(i, "a word of what the abbreviation becomes")
			}
		}
	case name == "zmodload" && w.shell == "zsh" && !has("-u", "-e", "-L", "-l", "-d", "-A", "-R"):
		for _, i := range ops {
			if doc := w.l.zshModule(w.ctx, w.parts[i].Text); doc != "" {
				set(i, "the module to load: "+doc)
				w.parts[i].Source = "zshmodules(1)"
			} else {
				set(i, "the module to load")
			}
		}
	case name == "zstyle" && w.shell == "zsh" && !has("-d", "-g", "-s", "-b", "-a", "-t", "-T", "-m", "-L", "-e"):
		w.zstyleRoles(ops, set)
	case name == "tput" && !has("-S"):
		w.tputRoles(ops, set)
	case name == "unset":
		switch {
		case has("-f"):
			all("a function to remove")
		case w.shell == "bash" && !has("-v"):
			all("a variable to remove (bash removes a function of the name where there is no such variable)")
		default:
			all("a variable to remove")
		}
	case name == "ulimit":
		for _, i := range ops {
			if w.parts[i].Text == "unlimited" {
				set(i, "the new limit: none")
			} else {
				set(i, "the new limit")
			}
		}
	case name == "complete" && w.shell == "bash":
		switch {
		case has("-r"):
			all("a command whose completion is removed")
		case has("-p"):
			all("a command whose completion is printed")
		default:
			all("a command whose arguments are completed as the options say")
		}
	case name == "bind" && w.shell == "bash":
		w.bindRoles(start, ops, set)
	case name == "bindkey" && w.shell == "zsh" && len(ops) >= 2:
		// bindkey [-M keymap] KEY WIDGET, or -s KEY STRING.
		key, action := ops[len(ops)-2], ops[len(ops)-1]
		if doc := keyDoc(strings.Trim(w.parts[key].Text, `"'`)); doc != "" {
			set(key, "the key: "+doc)
		}
		if has("-s") {
			set(action, "what the key types, as if typed")
		} else if doc := w.widgetDoc(strings.Trim(w.parts[action].Text, `"'`)); doc != "" {
			set(action, "the widget the key runs: "+doc)
		} else {
			set(action, "the widget the key runs")
		}
	case interpreters[name] && translate.CommandShell(name) == "" && !has("-c", "-e", "-E", "-m", "-n", "-p", "--eval", "--print") ||
		translate.CommandShell(name) != "" && !has("-c", "-s"):
		// python3 app.py --port 8080, bash deploy.sh prod: the script,
		// then what it is given (bash -s reads its script from the input).
		set(ops[0], "the script to run")
		for _, i := range ops[1:] {
			set(i, "an argument the script is given")
		}
	case interpreters[name]:
		what := "the program"
		if has("-m") {
			what = "the module"
		}
		for _, i := range ops {
			// Without the interpreter's page, -m and -c take no value
			// here: the word after them is the module or the code.
			switch before := w.parts[i-1]; {
			case before.Kind == KindFlag && before.Text == "-m":
				set(i, "the module to run")
			case before.Kind == KindFlag && (before.Text == "-c" || before.Text == "-e" || before.Text == "-E"):
				set(i, "the code to run")
			case has("-n", "-p") && (name == "perl" || name == "ruby"):
				set(i, "a file to read, line by line")
			default:
				set(i, "an argument "+what+" is given")
			}
		}
	case translate.CommandShell(name) != "":
		// sh -c 'cmd "$1"' _ file: the words after the command line
		// are its $0, $1, ...
		for k, i := range ops {
			if !strings.HasPrefix(w.parts[i].Doc, "the commands to run, read by") {
				continue
			}
			for n, j := range ops[k+1:] {
				if n == 0 {
					set(j, "$0 of the commands (the name they run under)")
				} else {
					set(j, "$"+strconv.Itoa(n)+" of the commands")
				}
			}
			break
		}
	case name == "tr":
		sets := w.l.page(w.ctx, "tr")
		what := []string{"the characters to replace", "what they become, in order"}
		if has("-d", "--delete") {
			what = []string{"the characters to delete", "the characters to squeeze where they repeat"}
		} else if has("-s", "--squeeze-repeats") && len(ops) == 1 {
			what[0] = "the characters to squeeze where they repeat"
		}
		for n, i := range ops[:min(len(ops), 2)] {
			role := what[n]
			if doc := setDoc(sets, strings.Trim(w.parts[i].Text, `"'`)); doc != "" {
				role += ": " + doc
			}
			set(i, role)
		}
	case compressors[name] != "":
		if has("-l", "--list", "-t", "--test") {
			return
		}
		role, replaces := "a file to compress", compressors[name] == "replaces"
		if has("-d", "--decompress", "--uncompress") || strings.HasPrefix(name, "un") || strings.HasPrefix(name, "gun") {
			role = "a file to decompress"
		}
		if replaces && !has("-k", "--keep", "-c", "--stdout", "--to-stdout") {
			role += " (replaced by the result)"
		}
		all(role)
	case name == "pidof":
		all("a program whose running processes' IDs to print")
	case name == "read":
		for n, i := range ops {
			role := "a variable the line's next word goes in"
			if n == len(ops)-1 && n > 0 {
				role = "a variable the rest of the line goes in"
			} else if len(ops) == 1 {
				role = "the variable the line goes in"
			}
			set(i, role)
		}
	case name == "mapfile" || name == "readarray":
		set(ops[0], "the array to fill, a line per item")
	case name == "getopts":
		if doc := optstringDoc(strings.Trim(w.parts[ops[0]].Text, `"'`)); doc != "" {
			set(ops[0], doc)
		}
		if len(ops) > 1 {
			set(ops[1], "the variable each option's letter goes in (its value in OPTARG)")
		}
	case name == "autoload" && w.shell == "zsh":
		for _, i := range ops {
			if strings.HasPrefix(w.parts[i].Text, "/") {
				set(i, "a function's file: the function, named after it, is read from it when first called")
			} else {
				set(i, "a function to read from a directory in $fpath when first called")
			}
		}
	case name == "print" && w.shell == "zsh" && has("-P"):
		// print -P expands its words as a prompt.
		if p := w.l.promptEscapes(w.ctx, "zsh"); p != nil {
			for _, i := range ops {
				word := strings.Trim(w.parts[i].Text, `'"`)
				if doc := promptDoc(p, word); doc != "" {
					set(i, "text with prompt escapes: "+doc)
					w.parts[i].Source = p.name
				}
			}
		}
	case name == "prompt" && w.shell == "zsh":
		// promptinit's prompt [-s] THEME [ARG...], or -p/-h THEME...
		switch {
		case has("-l", "-c"):
		case has("-p"):
			all("a theme to preview")
		case has("-h"):
			all("a theme to show the help of")
		default:
			set(ops[0], "the prompt theme to use")
			for _, i := range ops[1:] {
				set(i, "an argument for the theme")
			}
		}
	case name == "shift":
		set(ops[0], "how many positional parameters to drop from the front")
	case name == "trap":
		for n, i := range ops {
			if doc := trapWhen(w.parts[i].Text); doc != "" {
				set(i, doc)
			} else if n == 0 && w.parts[i].Text == "-" {
				set(i, "resets what the conditions after it do to the shell's default")
			}
		}
	case name == "timeout":
		if doc := durationDoc(w.parts[ops[0]].Text); doc != "" {
			set(ops[0], "the time limit: "+doc)
		}
	case name == "shutdown":
		// shutdown [TIME] [WALL...]: the words after the time are the
		// message.
		if doc := shutdownTime(w.parts[ops[0]].Text); doc != "" {
			set(ops[0], "when: "+doc)
			for _, i := range ops[1:] {
				set(i, "the message sent to the users logged in")
			}
		}
	case strings.HasPrefix(name, "mkfs") || name == "mke2fs" || name == "mkswap":
		set(ops[0], "the device (or file) to make it on, whose contents are lost")
	case name == "dig":
		for _, i := range ops {
			if t := w.parts[i].Text; strings.HasPrefix(t, "@") {
				set(i, "the DNS server to ask")
			} else if strings.HasPrefix(t, "+") {
				set(i, "a query option")
			} else if strings.ToUpper(t) == t && len(t) <= 5 {
				set(i, "the record type")
			} else {
				set(i, "the name to look up")
			}
		}
	case name == "cd" || name == "pushd":
		if t := w.parts[ops[0]].Text; t == "-" {
			set(ops[0], "the directory before the last cd ($OLDPWD)")
		} else {
			set(ops[0], "the directory to go to")
		}
	case name == "source" || name == ".":
		set(ops[0], "the script to run in this shell (not in a new one)")
		for _, i := range ops[1:] {
			set(i, "an argument of the script")
		}
	case name == "rm" || name == "rmdir" || name == "unlink":
		all("what to delete")
	case name == "shred":
		what := "what to overwrite (it stays, its contents gone)"
		if has("-u", "--remove") {
			what = "what to overwrite, then delete"
		}
		all(what)
	case name == "mkdir":
		all("a directory to make")
	case name == "touch":
		all("a file to create, or whose times to update")
	case readers[name]:
		for _, i := range ops {
			if w.parts[i].Text == "-" {
				set(i, "standard input, read as a file")
			} else {
				set(i, "a file to read (standard input without one)")
			}
		}
	case name == "diff" || name == "cmp" || name == "comm" || name == "sdiff":
		if len(ops) == 2 {
			set(ops[0], "the first file (diff's old side)")
			set(ops[1], "the second file (diff's new side)")
		}
	case name == "join":
		if len(ops) == 2 {
			set(ops[0], "the first file")
			set(ops[1], "the second file")
		}
	case name == "df" || name == "du":
		all(map[string]string{"df": "a file whose file system to report on", "du": "a file or directory to measure"}[name])
	case name == "mount" && len(ops) == 2:
		set(ops[0], "what to mount (a device, an image, or a remote share)")
		set(ops[1], "where to mount it (an existing directory)")
	case name == "mount" || name == "umount":
		all("a mount point or what is mounted there")
	case name == "basename" || name == "dirname":
		if name == "basename" && len(ops) == 2 && !has("-a", "--multiple", "-s", "--suffix") {
			set(ops[0], "the path to strip")
			set(ops[1], "a suffix to remove as well")
			return
		}
		all(map[string]string{"basename": "a path whose last part to print", "dirname": "a path whose directory part to print"}[name])
	case name == "printf":
		set(ops[0], "the format")
		for _, i := range ops[1:] {
			set(i, "a value for the format")
		}
	case name == "git":
		w.gitRoles(sub, ops, has)
	case name == "nc" || name == "ncat" || name == "netcat" || name == "telnet":
		set(ops[0], "the host")
		for _, i := range ops[1:] {
			set(i, "the port")
		}
	case name == "tee":
		what := "a file to write the input to, as well as to the output"
		if has("-a", "--append") {
			what = "a file to add the input to, as well as to the output"
		}
		all(what)
	case name == "exit" || name == "return":
		set(ops[0], "the exit status (0 means success)")
	case name == "which" || name == "whereis" || name == "type":
		all("a command to look for")
	case name == "ssh":
		t := strings.Trim(w.parts[ops[0]].Text, `"'`)
		if user, host, ok := strings.Cut(t, "@"); ok {
			set(ops[0], "the host to log in to: "+host+", as the user "+user)
		} else {
			set(ops[0], "the host to log in to")
		}
		for _, i := range ops[1:] {
			if !strings.HasPrefix(w.parts[i].Doc, "the command to run there") {
				set(i, "the command to run there")
			}
		}
	}
}

// ownerDoc reads chown's OWNER[:GROUP] (or chgrp's GROUP).
func ownerDoc(prog, s string) string {
	if prog == "chgrp" {
		return "the new group, " + s
	}
	owner, group, ok := strings.Cut(s, ":")
	switch {
	case !ok:
		return "the new owner, " + owner
	case owner == "":
		return "the new group, " + group
	case group == "":
		return "the new owner, " + owner + ", and the owner's login group"
	}
	return "the new owner, " + owner + ", and group, " + group
}

// packageManagers read a verb, then packages.
var packageManagers = map[string]bool{"apt": true, "apt-get": true, "dnf": true, "yum": true, "zypper": true, "brew": true,
	"pip": true, "pip3": true, "pipx": true, "npm": true, "pnpm": true, "yarn": true, "gem": true, "cargo": true, "snap": true, "flatpak": true}

// packageVerbs is what a package manager's verb makes its operands.
var packageVerbs = map[string]string{"install": "a package to install", "add": "a package to install",
	"reinstall": "a package to install again", "remove": "a package to remove", "purge": "a package to remove, with its configuration",
	"uninstall": "a package to remove", "erase": "a package to remove", "show": "a package to describe", "info": "a package to describe",
	"search": "what to search the packages for", "upgrade": "a package to upgrade", "update": "a package to update"}

// unitVerbs are systemctl's commands that take units.
var unitVerbs = map[string]bool{"start": true, "stop": true, "restart": true, "reload": true, "try-restart": true,
	"reload-or-restart": true, "status": true, "enable": true, "disable": true, "mask": true, "unmask": true,
	"is-active": true, "is-enabled": true, "is-failed": true, "kill": true, "show": true, "cat": true, "edit": true}

// manSections are the manual's sections, as man(1) lists them.
var manSections = map[string]string{"1": "commands", "2": "system calls", "3": "library functions", "4": "special files",
	"5": "file formats", "6": "games", "7": "overviews and conventions", "8": "system administration"}

// xargsReplace marks, in the command xargs runs (its parts from start
// on), the words holding -I's replacement string: each is filled with a
// line of the input.
func (w *walker) xargsReplace(start int) {
	repl := ""
	for i := start - 1; i >= 0 && w.parts[i].Program == "xargs"; i-- {
		if p := w.parts[i]; p.value && (strings.HasSuffix(p.Doc, "-I") || strings.HasSuffix(p.Doc, "-i") || strings.HasSuffix(p.Doc, "--replace")) {
			repl = strings.Trim(p.Text, `'"`)
			break
		}
	}
	if repl == "" {
		return
	}
	for i := start; i < len(w.parts); i++ {
		p := &w.parts[i]
		if p.Kind != KindArgument || p.Depth != w.depth || !strings.Contains(p.Text, repl) {
			continue
		}
		what := "each line of the input, put here by xargs"
		if strings.Trim(p.Text, `'"`) != repl {
			what = "with each line of the input in place of " + repl
		}
		if p.Doc != "argument" {
			what = p.Doc + ": " + what
		}
		p.Doc = what
	}
}

// readers read the files given, or standard input without one.
var readers = map[string]bool{"cat": true, "tac": true, "less": true, "more": true, "head": true, "tail": true, "wc": true,
	"sort": true, "uniq": true, "nl": true, "md5sum": true, "sha1sum": true, "sha256sum": true, "sha512sum": true,
	"base64": true, "xxd": true, "hexdump": true, "od": true, "strings": true, "column": true, "fold": true,
	"fmt": true, "rev": true, "shuf": true, "expand": true, "unexpand": true, "zcat": true, "bzcat": true, "xzcat": true}

// gitRoles gives the operands of git's common subcommands their roles;
// one already read as a revision keeps its reading.
func (w *walker) gitRoles(sub string, ops []int, has func(...string) bool) {
	set := func(i int, role string) {
		if w.parts[i].Doc == "argument" {
			w.parts[i].Doc = role
		}
	}
	all := func(role string) {
		for _, i := range ops {
			set(i, role)
		}
	}
	if len(ops) == 0 {
		return
	}
	switch sub {
	case "clone":
		set(ops[0], "the repository to clone")
		if len(ops) > 1 {
			set(ops[1], "the directory to clone into")
		}
	case "add":
		for _, i := range ops {
			if w.parts[i].Text == "." {
				set(i, "what to stage: all changes under this directory")
			} else {
				set(i, "what to stage")
			}
		}
	case "push", "pull", "fetch":
		set(ops[0], "the remote")
		for _, i := range ops[1:] {
			set(i, "a branch (or refspec: local:remote)")
		}
	case "switch", "merge", "rebase", "cherry-pick", "revert":
		what := map[string]string{"switch": "the branch to switch to", "merge": "the branch to merge in",
			"rebase": "the base to replay the branch onto", "cherry-pick": "a commit to apply here", "revert": "a commit to undo"}[sub]
		all(what)
	case "checkout":
		set(ops[0], "the branch (or commit) to check out")
	case "branch":
		what := "the branch to create"
		if has("-d", "-D", "--delete") {
			what = "the branch to delete"
		}
		set(ops[0], what)
	case "rm":
		what := "what to delete and stop tracking"
		if has("--cached") {
			what = "what to stop tracking (the file stays)"
		}
		all(what)
	case "commit", "restore", "status":
		all("a path to limit it to")
	case "diff", "log", "show", "blame":
		// Before --, a word may name a commit as well as a path: git
		// tells them apart by what the repository holds.
		for _, i := range ops {
			if w.afterDashDash(i) {
				set(i, "a path to limit it to")
			}
		}
	}
}

// afterDashDash tells whether the part at i comes after its command's --.
func (w *walker) afterDashDash(i int) bool {
	prog := w.parts[i].Program
	for j := i - 1; j >= 0 && w.parts[j].Program == prog; j-- {
		if p := w.parts[j]; p.Kind == KindOperator && p.Text == "--" && p.Depth == w.parts[i].Depth {
			return true
		}
	}
	return false
}

// durationDoc reads timeout's and sleep's durations: 10s, 1.5m, 2h, 1d,
// or a bare number of seconds; "" for anything else.
func durationDoc(t string) string {
	num := strings.TrimRight(t, "smhd")
	unit := t[len(num):]
	if _, err := strconv.ParseFloat(num, 64); err != nil || len(unit) > 1 || num == "" || num[0] < '0' || num[0] > '9' {
		return ""
	}
	name := map[string]string{"": "second", "s": "second", "m": "minute", "h": "hour", "d": "day"}[unit]
	if num != "1" {
		name += "s"
	}
	return num + " " + name
}

// shutdownTime reads shutdown's time: now, +m (minutes from now) or
// hh:mm; "" for anything else.
func shutdownTime(t string) string {
	switch {
	case t == "now" || t == "+0":
		return "now"
	case strings.HasPrefix(t, "+") && len(t) > 1 && strings.Trim(t[1:], "0123456789") == "":
		if t == "+1" {
			return "in 1 minute"
		}
		return "in " + t[1:] + " minutes"
	case len(t) >= 4 && len(t) <= 5 && strings.Count(t, ":") == 1 && strings.Trim(t, "0123456789:") == "":
		return "at " + t
	}
	return ""
}

// optstringDoc reads getopts' option string: "ab:" is -a, and -b with a
// value; a leading colon reports errors quietly.
func optstringDoc(spec string) string {
	quiet := strings.HasPrefix(spec, ":")
	spec = strings.TrimPrefix(spec, ":")
	var opts []string
	for i := 0; i < len(spec); i++ {
		c := spec[i]
		if !isASCIILetter(c) && (c < '0' || c > '9') {
			return ""
		}
		o := "-" + string(c)
		if i+1 < len(spec) && spec[i+1] == ':' {
			o += " with a value"
			i++
		}
		opts = append(opts, o)
	}
	if len(opts) == 0 {
		return ""
	}
	doc := "the options it accepts: " + strings.Join(opts, ", ")
	if quiet {
		doc += " (errors left to the script: the leading colon)"
	}
	return doc
}

// widgetDoc is what a zle widget does, from zshzle(1)'s list or, for
// the ones zsh ships as functions (edit-command-line), zshcontrib(1).
func (w *walker) widgetDoc(name string) string {
	if p := w.l.page(w.ctx, "zshzle"); p != nil {
		if e, ok := p.entries[name]; ok && e.doc != "" {
			return e.doc
		}
	}
	if p := w.l.zshFunction(w.ctx, name); p != nil {
		return p.summary
	}
	return ""
}

// csiKeys are the keys terminals send as ESC [ or ESC O and a letter or
// a number and ~.
var csiKeys = map[string]string{"A": "Up", "B": "Down", "C": "Right", "D": "Left", "H": "Home", "F": "End",
	"3~": "Delete", "2~": "Insert", "5~": "Page Up", "6~": "Page Down", "1;5C": "Ctrl-Right", "1;5D": "Ctrl-Left"}

// keyDoc names the keys of a bindkey or bind sequence: ^R and \C-r are
// Ctrl-R, ^[x, \ex and \M-x Alt-x, ^[[A the Up arrow; "" where it is not
// one it can read.
func keyDoc(seq string) string {
	var keys []string
	for i := 0; i < len(seq); {
		esc := ""
		switch {
		case strings.HasPrefix(seq[i:], "^["):
			esc, i = "Esc", i+2
		case strings.HasPrefix(seq[i:], `\e`), strings.HasPrefix(seq[i:], `\E`):
			esc, i = "Esc", i+2
		}
		if esc != "" {
			rest := seq[i:]
			if strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "O") {
				for code, k := range csiKeys {
					// No code begins another, so the map's order is no matter.
					if strings.HasPrefix(rest[1:], code) {
						keys = append(keys, k)
						i += 1 + len(code)
						esc = ""
						break
					}
				}
				if esc == "" {
					continue
				}
			}
			if i < len(seq) && seq[i] > ' ' && seq[i] < 0x7f && seq[i] != '^' && seq[i] != '\\' {
				keys = append(keys, "Alt-"+string(seq[i]))
				i++
			} else {
				keys = append(keys, "Esc")
			}
			continue
		}
		switch {
		case (strings.HasPrefix(seq[i:], `\C-`) || strings.HasPrefix(seq[i:], `\M-`)) && i+3 < len(seq) && seq[i+3] != '\\':
			// readline's notation: \C-x is Ctrl-X, \M-x Alt-x.
			if seq[i+1] == 'C' {
				keys = append(keys, "Ctrl-"+strings.ToUpper(seq[i+3:i+4]))
			} else {
				keys = append(keys, "Alt-"+seq[i+3:i+4])
			}
			i += 4
		case seq[i] == '^' && i+1 < len(seq) && seq[i+1] == '?':
			keys, i = append(keys, "Backspace"), i+2
		case seq[i] == '^' && i+1 < len(seq):
			keys, i = append(keys, "Ctrl-"+strings.ToUpper(seq[i+1:i+2])), i+2
		case seq[i] > ' ' && seq[i] < 0x7f && seq[i] != '\\':
			keys, i = append(keys, string(seq[i])), i+1
		default:
			return ""
		}
	}
	return strings.Join(keys, " ")
}

// setDoc reads a set of characters as tr's page documents its forms:
// "[:lower:]" is all lower case letters, "a-z" a to z, "\r" return,
// other characters as they are; "" for plain characters alone (they say
// what they are), and for a form the page does not have.
func setDoc(p *page, set string) string {
	if p == nil || p.sets == nil {
		return ""
	}
	var parts []string
	plain, read := "", false // a run of plain characters; a form read
	flush := func() {
		if plain != "" {
			parts, plain = append(parts, strconv.Quote(plain)), ""
		}
	}
	for i := 0; i < len(set); {
		rest := set[i:]
		if !strings.HasPrefix(rest, "[:") && rest[0] != '\\' && !(len(rest) >= 3 && rest[1] == '-') {
			plain, i = plain+rest[:1], i+1
			continue
		}
		flush()
		read = true
		switch {
		case strings.HasPrefix(rest, "[:") && strings.Contains(rest, ":]"):
			end := strings.Index(rest, ":]") + 2
			doc, ok := p.sets[rest[:end]]
			if !ok {
				return ""
			}
			parts, i = append(parts, doc), i+end
		case rest[0] == '\\' && len(rest) > 1:
			doc, ok := p.sets[rest[:2]]
			if !ok {
				return ""
			}
			parts, i = append(parts, doc), i+2
		default: // a range, x-y
			parts, i = append(parts, rest[:1]+" to "+rest[2:3]), i+3
		}
	}
	flush()
	if !read {
		return "" // plain characters say what they are
	}
	return strings.Join(parts, ", ")
}
