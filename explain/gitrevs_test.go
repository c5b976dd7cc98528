package explain

import "testing"

// git's revision notation, as gitrevisions(7) describes it in prose.
func TestGitRevDoc(t *testing.T) {
	for word, want := range map[string]string{
		"HEAD~3":           "3 commits before HEAD",
		"HEAD^":            "the commit before HEAD",
		"HEAD~":            "the commit before HEAD",
		"@~2":              "2 commits before HEAD",
		"HEAD^2":           "the second parent of HEAD (the side a merge brought in)",
		"HEAD~2^2":         "the second parent of the commit 2 before HEAD (the side a merge brought in)",
		"main..feature":    "the commits reachable from feature but not from main",
		"main...feature":   "the commits reachable from main or from feature, but not from both",
		"HEAD~5..HEAD":     "the commits reachable from HEAD but not from 5 commits before HEAD",
		"..origin/main":    "the commits reachable from origin/main but not from HEAD",
		"@{u}":             "the upstream of the current branch",
		"main@{upstream}":  "the upstream of main",
		"@{-1}":            "the branch checked out before this one",
		"@{-3}":            "the branch checked out 3 switches ago",
		"main@{2}":         "where main pointed 2 changes ago (its reflog)",
		"HEAD@{yesterday}": "where HEAD pointed at yesterday (its reflog)",
		"^main":            "leaving out the commits reachable from main",
		"origin/main":      "", "file.txt": "", "a^b": "", "x..y z": "", "~": "", "@{": "",
	} {
		if got := gitRevDoc(word); got != want {
			t.Errorf("gitRevDoc(%q) = %q, want %q", word, got, want)
		}
	}
}
