package explain

import "testing"

// sed's one-liners read command by command; a script with a command
// outside them (labels, branches, N) is left alone.
func TestSedDoc(t *testing.T) {
	for script, want := range map[string]string{
		"s/foo/bar/g":         "replaces 'foo' with 'bar', every match",
		"s|a|b|":              "replaces 'a' with 'b', the first match on each line",
		"s/x//2":              "replaces 'x' with nothing, match 2 on each line",
		"s/a/b/gI;s/c/d/":     "replaces 'a' with 'b', every match, ignoring case; then replaces 'c' with 'd', the first match on each line",
		`s/\/usr/\/opt/g`:     "replaces '/usr' with '/opt', every match",
		`s/^/"/`:              `puts '"' at the start of each line`,
		"/x/s/a/b/p":          "replaces 'a' with 'b', the first match on each line, in lines matching 'x', and prints the lines it changed",
		"/^$/d":               "deletes lines matching '^$'",
		"1d":                  "deletes line 1",
		"$d":                  "deletes the last line",
		"5,10p":               "prints lines 5 to 10",
		"/start/,/end/d":      "deletes the lines from a line matching 'start' to the next line matching 'end'",
		"/x/!d":               "deletes every line but lines matching 'x'",
		"100q":                "quits after line 100",
		"y/abc/xyz/":          "changes each character of 'abc' into the one at its place in 'xyz'",
		":a;N;$!ba;s/\\n/ /g": "", "s/a/b": "", "": "", "/x": "", "w out": "", "-n": "",
	} {
		if got := sedDoc(script); got != want {
			t.Errorf("sedDoc(%q) = %q, want %q", script, got, want)
		}
	}
}
