package explain

import (
	"strings"
)

// find's numeric tests take +n (more than n), -n (less than n) or n
// (exactly n), which find(1) explains once for all of them; their values
// are read here with the test's unit.

// findUnits are the tests whose value counts something, and in what.
var findUnits = map[string]string{
	"-mtime": "days ago", "-atime": "days ago", "-ctime": "days ago",
	"-mmin": "minutes ago", "-amin": "minutes ago", "-cmin": "minutes ago",
	"-links": "links", "-uid": "", "-gid": "", "-inum": "", "-used": "days after the last status change",
}

// singular is a unit for 1: 1 day ago, 1 link.
var singular = map[string]string{"days ago": "day ago", "minutes ago": "minute ago", "links": "link", "bytes": "byte",
	"two-byte words": "two-byte word", "512-byte blocks": "512-byte block"}

// findSizes are -size's units.
var findSizes = map[byte]string{'c': "bytes", 'w': "two-byte words", 'b': "512-byte blocks", 'k': "KiB", 'M': "MiB", 'G': "GiB"}

// findValueDoc is what the value of find's test opt selects: -size
// +100M, -mtime -7, -perm /u+x; or "".
func findValueDoc(opt, word string) string {
	if opt == "-perm" {
		return permTestDoc(word)
	}
	unit, counted := findUnits[opt]
	n := word
	if opt == "-size" {
		unit, counted = "512-byte blocks", true
		if len(n) > 0 {
			if u, ok := findSizes[n[len(n)-1]]; ok {
				unit, n = u, n[:len(n)-1]
			}
		}
	}
	if !counted {
		return ""
	}
	sign := ""
	if n != "" && (n[0] == '+' || n[0] == '-') {
		sign, n = n[:1], n[1:]
	}
	if n == "" || strings.Trim(n, "0123456789") != "" {
		return ""
	}
	what := n
	if one, ok := singular[unit]; ok && n == "1" {
		what += " " + one
	} else if unit != "" {
		what += " " + unit
	}
	switch sign {
	case "+":
		what = "more than " + what
	case "-":
		what = "less than " + what
	default:
		what = "exactly " + what
	}
	switch {
	case sign == "" && n == "0" && unit == "days ago":
		return "less than a day ago (in whole days, the fraction dropped: 0)"
	case opt == "-size":
		what += " (rounded up to whole units)"
	case strings.HasSuffix(unit, "days ago"):
		what += " (in whole days, the fraction dropped)"
	}
	return what
}

// permTestDoc reads -perm's value: MODE exactly, -MODE all of its bits,
// /MODE any of them.
func permTestDoc(word string) string {
	how, mode := "exactly the mode", word
	switch {
	case strings.HasPrefix(word, "-"):
		how, mode = "every bit of", word[1:]
	case strings.HasPrefix(word, "/"):
		how, mode = "any bit of", word[1:]
	}
	if !isMode(mode) {
		return ""
	}
	if octalMode.MatchString(mode) {
		rwx, _, _ := strings.Cut(octalDoc(mode), ":")
		mode += " (" + rwx + ")"
	}
	if how == "exactly the mode" {
		return how + " " + mode
	}
	return how + " " + mode + " set (others may be too)"
}
