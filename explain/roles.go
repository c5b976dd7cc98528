package explain

import (
	"strings"
)

// Operand roles: what a program's arguments are, by their place, as its
// synopsis says (grep PATTERNS [FILE...], cp SOURCE... DEST, find
// [starting-point...] [expression]); an option's value has its own.

// greps are the programs whose first operand is the pattern.
var greps = map[string]bool{"grep": true, "egrep": true, "fgrep": true, "zgrep": true, "zegrep": true, "bzgrep": true,
	"xzgrep": true, "rg": true, "ag": true, "ack": true, "pgrep": true, "pkill": true}

// operandRoles gives the plain arguments of the command named name, its
// parts from start on, their roles.
func (w *walker) operandRoles(name string, start int) {
	var ops []int    // the plain operands, in order
	var flags []Part // the command's options
	firstFlag := -1
	for i := start; i < len(w.parts); i++ {
		p := w.parts[i]
		if p.Depth != w.depth || p.Program != name {
			continue
		}
		switch {
		case p.Kind == KindArgument && !p.value:
			ops = append(ops, i)
		case p.Kind == KindFlag || p.Kind == KindOperator:
			flags = append(flags, p)
			if firstFlag < 0 {
				firstFlag = i
			}
		}
	}
	if len(ops) == 0 {
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
	switch {
	case name == "find":
		for _, i := range ops {
			if firstFlag < 0 || i < firstFlag {
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
			for _, i := range ops {
				set(i, verb)
			}
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
			}
		}
	case name == "chown" || name == "chgrp":
		if has("--reference") {
			return
		}
		set(ops[0], ownerDoc(name, strings.Trim(w.parts[ops[0]].Text, `"'`)))
	case name == "ssh":
		t := strings.Trim(w.parts[ops[0]].Text, `"'`)
		if user, host, ok := strings.Cut(t, "@"); ok {
			set(ops[0], "the host to log in to: "+host+", as the user "+user)
		} else {
			set(ops[0], "the host to log in to")
		}
		for _, i := range ops[1:] {
			set(i, "the command to run there")
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
