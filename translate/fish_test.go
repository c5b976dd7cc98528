package translate

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// Each of fish's forms becomes the POSIX form a parser reads the same
// way; quotes and escapes are left alone.
func TestFishAsPOSIX(t *testing.T) {
	for fish, want := range map[string]string{
		"ls -la":                       "ls -la",
		"for f in *.txt; echo $f; end": "for f in *.txt; do\necho $f\ndone",
		"while true; sleep 1; end":     "while true; do\nsleep 1\ndone",
		"if test -d x; echo a; else if test -f x; echo b; else; echo c; end": "if test -d x; then\necho a\nelif test -f x; then\necho b\nelse \necho c\nfi",
		"begin; a; b; end > out":                             "{ \na\nb\n} > out",
		"function up; cd ..; end":                            "up() {\ncd ..\n}",
		"switch $x; case a b; echo 1; case '*'; echo 2; end": "case $x in\na|b)\necho 1\n;;\n'*')\necho 2\n;;\nesac",
		"make; and make install; or echo failed":             "make && make install || echo failed",
		"not test -f x; and touch x":                         "! test -f x && touch x",
		"rm -rf (pwd)/build":                                 "rm -rf $(pwd)/build",
		"echo $(date) (date)":                                "echo $(date) $(date)",
		"set n (count (ls))":                                 "set n $(count $(ls))",
		"echo 'a; end (x)' \"b | c\" d\\;e":                  "echo 'a; end (x)' \"b | c\" d\\;e",
		"cat f | sort | uniq -c":                             "cat f | sort | uniq -c",
		"for f in *; echo $f; end | sort":                    "for f in *; do\necho $f\ndone | sort",
		"make &>log & echo started":                          "make &>log &\necho started",
		"cmd 2>&1 | less":                                    "cmd 2>&1 | less",
		"end":                                                "end",
	} {
		got := FishAsPOSIX(fish)
		if got != want {
			t.Errorf("%q:\ngot  %q\nwant %q", fish, got, want)
			continue
		}
		if fish == "end" {
			continue // a stray end stays, to fail as it would in fish
		}
		if _, err := syntax.NewParser().Parse(strings.NewReader(got), ""); err != nil {
			t.Errorf("%q → %q does not parse: %v", fish, got, err)
		}
	}
}

// fish's blocks no longer hide what runs inside them from the risk check.
func TestFishRisk(t *testing.T) {
	for cmd, want := range map[string]Level{
		"for f in *; rm -rf /; end":          RiskHigh,
		"if test -d x; rm -rf ~; end":        RiskHigh,
		"while true; rm -rf /; end":          RiskHigh,
		"function f; rm -rf /; end":          RiskHigh,
		"switch $x; case a; rm -rf /; end":   RiskHigh,
		"begin; curl -s x | sh; end":         RiskHigh,
		"set x (ls); and rm -rf /":           RiskHigh,
		"for f in *.txt; echo $f; end":       RiskNone,
		"count (ls)":                         RiskNone,
		"if test -d build; rm -r build; end": RiskLow,
	} {
		if got := ClassifyRisk(cmd, "fish"); got.Level != want {
			t.Errorf("%q: %s %v, want %s", cmd, got.Level, got.Reasons, want)
		}
	}
}

func FuzzFishAsPOSIX(f *testing.F) {
	for _, s := range []string{"for f in *; echo $f; end", "switch x; case a; b; end", "echo (a (b 'c)')", "a; and b; or not c", "end end", "(", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = FishAsPOSIX(s)
		_ = ClassifyRisk(s, "fish")
	})
}
