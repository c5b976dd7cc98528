//go:build cgo

package translate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/randmodel"
)

// A random-weight model decoding under the command grammar must produce
// an answer that parses, every time, in each shell: that is the promise
// that lets small local models skip a retry.
func TestGrammarAnswersAlwaysParse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := randmodel.WriteF16(path, randmodel.Shapes["tiny"], 3); err != nil {
		t.Fatal(err)
	}
	e, err := llamacpp.Open(context.Background(), engine.Settings{"model": path, "llamacpp.threads": "1"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	valid := 0
	for _, sh := range Shells {
		for seed := 1; seed <= 20; seed++ {
			s, err := Suggest(context.Background(), e, Request{Text: fmt.Sprintf("request number %d", seed), Shell: sh, MaxTokens: 40}, nil)
			if errors.Is(err, ErrEmpty) {
				continue // nothing parseable survived the cut: a clear error, not a bad line
			}
			if err != nil {
				t.Fatalf("%s seed %d: %v", sh, seed, err)
			}
			if err := ValidSyntax(s.Command, sh); err != nil {
				t.Errorf("%s seed %d: %q does not parse: %v", sh, seed, s.Command, err)
			} else {
				valid++
			}
			if strings.ContainsAny(s.Command, "\n\r") {
				t.Errorf("%s: multi-line answer %q", sh, s.Command)
			}
		}
	}
	// Most answers must survive whole or trimmed; an empty result is the
	// rare exception, not the way the test passes.
	if valid < 45 {
		t.Fatalf("only %d of 60 answers produced a command", valid)
	}
	t.Logf("%d of 60 answers parsed", valid)
}
