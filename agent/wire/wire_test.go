package wire

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDecodeRefusals(t *testing.T) {
	var r SuggestRequest
	for body, want := range map[string]string{
		strings.Repeat("x", MaxRequestBytes+1): "over the",
		"{\"text\":\"\xff\"}":                  "not valid UTF-8",
		`{"text":`:                             "malformed",
		`{"text":"a"} trailing`:                "malformed",
	} {
		if err := Decode([]byte(body), &r); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%.40q: %v, want %q", body, err, want)
		}
	}
	if err := Decode([]byte(`{"text":"list files","shell":"zsh","recent":["ls"]}`), &r); err != nil || r.Shell != "zsh" || r.Recent[0] != "ls" {
		t.Fatalf("%v %+v", err, r)
	}
}

// Whatever a client sends, Decode answers with an error or a value; it
// never panics, and never accepts bytes that are not UTF-8.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"text":"a","shell":"bash"}`, `{"text":"\u0000"}`, `[]`, `null`, `{"last_status":1e400}`, "\xff", `{"recent":[1,2]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r SuggestRequest
		if err := Decode(b, &r); err == nil && !utf8.Valid(b) {
			t.Fatal("accepted invalid UTF-8")
		}
		var e ExplainRequest
		Decode(b, &e)
	})
}
