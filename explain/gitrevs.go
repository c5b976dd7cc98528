package explain

import (
	"regexp"
	"strconv"
	"strings"
)

// git's revision notation (gitrevisions(7) describes it in prose): a
// name with ~N and ^N steps, reflog entries, ranges. A word that is one
// of these as git reads it says which commits it names; a plain name
// (a branch, a file) is left alone, as explain cannot tell which it is.

var (
	gitStep  = regexp.MustCompile(`^(~\d*|\^\d*)`)
	gitName  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./-]*$`)
	gitRefAt = regexp.MustCompile(`^(.*?)@\{([^}]*)\}$`)
)

// gitArgument reads an argument of git's subcommand sub as a revision:
// HEAD~1, main..feature, @{u}, and checkout's and switch's - for the
// branch before.
func gitArgument(prog, sub, word string) string {
	if prog != "git" || !revisionTakers[sub] {
		return "" // git add notes.txt~ names a file
	}
	if word == "-" && (sub == "checkout" || sub == "switch" || sub == "merge" || sub == "rebase") {
		return "the branch checked out before this one"
	}
	return gitRevDoc(word)
}

// revisionTakers are the subcommands whose arguments are mostly
// revisions, not paths.
var revisionTakers = map[string]bool{"log": true, "show": true, "diff": true, "reset": true, "checkout": true, "switch": true,
	"rebase": true, "merge": true, "cherry-pick": true, "revert": true, "branch": true, "tag": true, "rev-parse": true,
	"rev-list": true, "shortlog": true, "format-patch": true, "blame": true, "describe": true, "range-diff": true,
	"whatchanged": true, "archive": true, "cherry": true, "name-rev": true, "merge-base": true}

// gitRevDoc reads word as a revision or range, or "".
func gitRevDoc(word string) string {
	if a, b, ok := strings.Cut(word, "..."); ok {
		ra, rb := gitRevOrHead(a), gitRevOrHead(b)
		if ra == "" || rb == "" {
			return ""
		}
		return "the commits reachable from " + ra + " or from " + rb + ", but not from both"
	}
	if a, b, ok := strings.Cut(word, ".."); ok {
		ra, rb := gitRevOrHead(a), gitRevOrHead(b)
		if ra == "" || rb == "" {
			return ""
		}
		return "the commits reachable from " + rb + " but not from " + ra
	}
	if !strings.ContainsAny(word, "~^@") {
		return ""
	}
	return gitRev(word)
}

// gitRevOrHead is gitRev, HEAD for an empty end of a range.
func gitRevOrHead(s string) string {
	if s == "" {
		return "HEAD"
	}
	if doc := gitRev(s); doc != "" {
		return doc
	}
	if gitName.MatchString(s) {
		return s
	}
	return ""
}

// gitRev reads one revision: NAME, NAME~N, NAME^N chains, NAME@{...}.
func gitRev(s string) string {
	if m := gitRefAt.FindStringSubmatch(s); m != nil {
		name, at := m[1], m[2]
		if name == "" || name == "@" {
			name = "the current branch"
		} else if !gitName.MatchString(name) {
			return ""
		}
		switch {
		case at == "u" || at == "upstream":
			return "the upstream of " + name
		case at == "push":
			return "where " + name + " would push to"
		case at == "-1" && name == "the current branch":
			return "the branch checked out before this one"
		case strings.HasPrefix(at, "-") && isPort(at[1:]) && name == "the current branch":
			return "the branch checked out " + at[1:] + " switches ago"
		case at == "1":
			return "where " + name + " pointed before its last change (its reflog)"
		case isPort(at):
			return "where " + name + " pointed " + at + " changes ago (its reflog)"
		case at != "":
			return "where " + name + " pointed at " + at + " (its reflog)"
		}
		return ""
	}
	if rest, ok := strings.CutPrefix(s, "^"); ok && gitName.MatchString(rest) {
		return "leaving out the commits reachable from " + rest // git log ^main feature
	}
	i := strings.IndexAny(s, "~^")
	if i < 0 {
		return ""
	}
	cur := s[:i]
	if cur == "@" {
		cur = "HEAD"
	}
	if !gitName.MatchString(cur) {
		return ""
	}
	// ~N goes back N first parents; ^N is parent N (^ alone the first).
	back := 0
	for rest := s[i:]; rest != ""; {
		m := gitStep.FindString(rest)
		if m == "" {
			return ""
		}
		rest = rest[len(m):]
		n := 1
		if len(m) > 1 {
			var err error
			if n, err = strconv.Atoi(m[1:]); err != nil {
				return "" // more steps than an int holds: no revision of a real repository
			}
		}
		if m[0] == '~' || n == 1 {
			back += n
			continue
		}
		if back > 1 {
			cur = "the commit " + strconv.Itoa(back) + " before " + cur
		} else if back == 1 {
			cur = "the commit before " + cur
		}
		if n == 2 {
			cur = "the second parent of " + cur + " (the side a merge brought in)"
		} else {
			cur = "parent " + m[1:] + " of " + cur
		}
		back = 0
	}
	return stepsBack(back, cur)
}

// stepsBack is n first parents back from what.
func stepsBack(n int, what string) string {
	switch n {
	case 0:
		return what
	case 1:
		return "the commit before " + what
	}
	return strconv.Itoa(n) + " commits before " + what
}
