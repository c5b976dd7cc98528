package explain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// File modes, as chmod, install -m, mkdir -m and umask take them. chmod(1)
// describes the notation in prose, so the meaning of 755 or go-w is worked
// out here, as kill's signal numbers are.

var (
	octalMode    = regexp.MustCompile(`^[0-7]{3,4}$`)
	symbolicMode = regexp.MustCompile(`^[ugoa]*([-+]([rwxXst]+|[ugo])|=([rwxXst]*|[ugo]))+(,[ugoa]*([-+]([rwxXst]+|[ugo])|=([rwxXst]*|[ugo]))+)*$`)
)

// isMode tells whether word is a file mode: 755, 0644, u+x,go-w, -x.
func isMode(word string) bool {
	return octalMode.MatchString(word) || symbolicMode.MatchString(word)
}

// modeDoc spells a mode out: "rwxr-xr-x: the owner may read, write and
// run it; the group and others may read and run it", or for a symbolic
// one each clause: "u+x: adds run for the owner".
func modeDoc(word string) string {
	if octalMode.MatchString(word) {
		return octalDoc(word)
	}
	if !symbolicMode.MatchString(word) {
		return ""
	}
	var clauses []string
	for _, c := range strings.Split(word, ",") {
		clauses = append(clauses, c+": "+clauseDoc(c))
	}
	return strings.Join(clauses, "; ")
}

// octalDoc reads 755 or 4755: three digits of read (4), write (2) and
// run (1) for the owner, the group and others, after an optional one of
// setuid (4), setgid (2) and sticky (1).
func octalDoc(word string) string {
	if len(word) == 3 {
		word = "0" + word
	}
	var rwx strings.Builder
	var names, cans []string
	for i, class := range []string{"the owner", "the group", "others"} {
		d := word[i+1] - '0'
		for j, c := range "rwx" {
			if d&(4>>j) != 0 {
				rwx.WriteRune(c)
			} else {
				rwx.WriteByte('-')
			}
		}
		can := permissions(d)
		if n := len(cans); n > 0 && cans[n-1] == can {
			// "the group and others may read and run"
			names[n-1] += " and " + class
			continue
		}
		names, cans = append(names, class), append(cans, can)
	}
	if len(names) == 1 {
		names[0] = "everyone"
	}
	var who []string
	for i := range names {
		who = append(who, names[i]+" "+cans[i])
	}
	doc := rwx.String() + ": " + strings.Join(who, "; ")
	special := word[0] - '0'
	for _, s := range []struct {
		bit  byte
		name string
	}{{4, "setuid (it runs as its owner)"}, {2, "setgid (it runs as its group; a directory's new files take its group)"},
		{1, "sticky (in a directory, only a file's owner may delete it)"}} {
		if special&s.bit != 0 {
			doc += "; " + s.name
		}
	}
	return doc
}

// permissions is what one octal digit allows.
func permissions(d byte) string {
	var can []string
	for j, what := range []string{"read", "write", "run"} {
		if d&(4>>j) != 0 {
			can = append(can, what)
		}
	}
	switch len(can) {
	case 0:
		return "may do nothing"
	case 1:
		return "may " + can[0]
	case 2:
		return "may " + can[0] + " and " + can[1]
	}
	return "may read, write and run"
}

// clauseDoc reads one symbolic clause: u+x, go-w, a=rX, +x, g=u.
func clauseDoc(c string) string {
	i := strings.IndexAny(c, "-+=")
	who := classes(c[:i])
	var parts []string
	for rest := c[i:]; rest != ""; {
		op := rest[0]
		j := strings.IndexAny(rest[1:], "-+=")
		perms := rest[1:]
		if j >= 0 {
			perms, rest = rest[1:1+j], rest[1+j:]
		} else {
			rest = ""
		}
		what := permNames(perms)
		switch {
		case op == '+':
			parts = append(parts, "adds "+what+" for "+who)
		case op == '-':
			parts = append(parts, "removes "+what+" for "+who)
		case perms == "u" || perms == "g" || perms == "o":
			parts = append(parts, "gives "+who+" "+what)
		case perms == "":
			parts = append(parts, "clears every permission of "+who)
		default:
			parts = append(parts, "sets the permissions of "+who+" to "+what+", and no more")
		}
	}
	doc := strings.Join(parts, ", then ")
	if c[:i] == "" {
		doc += " (as the umask allows)"
	}
	return doc
}

// classes names the classes of a clause: "" and "a" are everyone.
func classes(s string) string {
	if s == "" || strings.Contains(s, "a") {
		return "everyone"
	}
	var names []string
	for _, c := range s {
		names = append(names, map[rune]string{'u': "the owner", 'g': "the group", 'o': "others"}[c])
	}
	return strings.Join(names, " and ")
}

// permName names a permission letter of a clause, or a class whose
// permissions it copies.
var permName = map[rune]string{'r': "read", 'w': "write", 'x': "run (search, for a directory)",
	'X': "run (for directories, and files someone may already run)", 's': "setuid/setgid", 't': "sticky",
	'u': "the owner's permissions", 'g': "the group's permissions", 'o': "others' permissions"}

// permNames names the permissions of a clause: r, w, x, X, s, t, or a
// class's (g=u: the owner's).
func permNames(s string) string {
	var names []string
	for _, c := range s {
		names = append(names, permName[c])
	}
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// operandModeDoc explains prog's mode operand: chmod's mode, or the mask
// umask sets, by what it leaves new files and directories.
func operandModeDoc(prog, word string) string {
	if prog == "chmod" {
		return modeDoc(word)
	}
	if !octalMode.MatchString(word) {
		return ""
	}
	mask, _ := strconv.ParseUint(word, 8, 16) // octalMode: 3 or 4 octal digits
	files, dirs := fmt.Sprintf("%04o", 0o666&^mask), fmt.Sprintf("%04o", 0o777&^mask)
	return "the mask: new files get " + strings.SplitN(octalDoc(files), ":", 2)[0] + ", new directories " + strings.SplitN(octalDoc(dirs), ":", 2)[0] +
		" (each bit set here is taken from what a program asks for)"
}
