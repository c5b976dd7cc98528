package client

import (
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/agent/wire"
)

// Whatever the agent's stream holds (cut, malformed, huge), the reader
// returns an answer or an error; it never panics.
func FuzzReadEvents(f *testing.F) {
	for _, s := range []string{
		`{"type":"token","text":"ls"}` + "\n" + `{"type":"result","result":{"command":"ls"}}` + "\n",
		`{"type":"error","error":"boom","code":"busy"}` + "\n",
		`{"type":"token"`, "\n\n", `{"type":"result","result":[]}`, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var out wire.Suggestion
		n := 0
		err := readEvents(strings.NewReader(s), func(string) { n++ }, &out)
		if err == nil && !strings.Contains(s, `"result"`) {
			t.Fatalf("an answer without a result event: %q", s)
		}
	})
}
