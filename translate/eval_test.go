package translate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/engine"
)

// answerEngine answers from a table; the real backends are tested in
// their own packages, this only drives the scoring.
type answerEngine map[string]string

func (a answerEngine) Info() engine.Info { return engine.Info{Backend: "table", Model: "t"} }
func (a answerEngine) Close() error      { return nil }
func (a answerEngine) Generate(_ context.Context, req engine.Request, _ engine.TokenFunc) (engine.Result, error) {
	return engine.Result{Text: a[req.Messages[len(req.Messages)-1].Content]}, nil
}

func TestEvalScores(t *testing.T) {
	data := `{"id":"1","nl":"list files","ref":["ls -la","ls -al"]}
{"id":"2","nl":"count lines","ref":"wc -l file.txt"}
{"id":"3","nl":"broken","ref":["echo ok"]}

{"id":"4","nl":"clean all","ref":["rm -rf build"]}
`
	items, err := ReadEvalItems(strings.NewReader(data))
	if err != nil || len(items) != 4 || len(items[1].Ref) != 1 || items[1].Ref[0] != "wc -l file.txt" {
		t.Fatal(items, err) // "ref" may be one command or a list
	}
	e := answerEngine{
		"list files":  "ls   -al",           // exact after normalizing
		"count lines": "wc -w file.txt",     // same utility, different command
		"broken":      "echo 'unterminated", // does not parse, nor does the retry
		"clean all":   "sudo rm -rf /",      // risky, utility matches through sudo
	}
	rep, err := Eval(context.Background(), e, items, "bash", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.N != 4 || rep.SyntaxValid != 0.75 || rep.ExactMatch != 0.25 || rep.UtilityMatch != 0.75 || rep.RiskFlagged != 0.25 || rep.Errors != 1 {
		t.Fatalf("%+v", rep)
	}
}

func TestReadEvalItemsErrors(t *testing.T) {
	for _, bad := range []string{`{"nl":"x"}`, `{"ref":["ls"]}`, `not json`, `{"nl":"x","ref":""}`, `{"nl":"x","ref":[]}`} {
		if _, err := ReadEvalItems(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := ReadEvalItems(strings.NewReader(`{"nl":"x","ref":3}`)); err == nil || !strings.Contains(err.Error(), `line 1: "ref" must be a command or a list of commands`) {
		t.Errorf("a number for ref: %v", err)
	}
}

// sequenceEngine answers with the next answer on each call.
type sequenceEngine struct {
	answers []string
	calls   int
	last    []engine.Message
}

func (s *sequenceEngine) Info() engine.Info { return engine.Info{Backend: "seq", Model: "s"} }
func (s *sequenceEngine) Close() error      { return nil }
func (s *sequenceEngine) Generate(_ context.Context, req engine.Request, _ engine.TokenFunc) (engine.Result, error) {
	s.last = req.Messages
	a := s.answers[min(s.calls, len(s.answers)-1)]
	s.calls++
	return engine.Result{Text: a}, nil
}

func TestInvalidAnswerGetsOneRetry(t *testing.T) {
	e := &sequenceEngine{answers: []string{"echo 'oops", "echo 'fixed'"}}
	s, err := Suggest(context.Background(), e, Request{Text: "say fixed", Shell: "bash"}, nil)
	if err != nil || s.Command != "echo 'fixed'" || e.calls != 2 {
		t.Fatalf("%q %v after %d calls", s.Command, err, e.calls)
	}
	if last := e.last[len(e.last)-1].Content; !strings.Contains(last, "not valid bash syntax") {
		t.Fatalf("the retry did not quote the parse error: %q", last)
	}
	e = &sequenceEngine{answers: []string{"echo 'oops", "if then"}}
	_, err = Suggest(context.Background(), e, Request{Text: "x", Shell: "bash"}, nil)
	if !errors.Is(err, ErrInvalid) || e.calls != 2 {
		t.Fatalf("%v after %d calls", err, e.calls)
	}
}

func TestAlternativesAreDistinctAndValid(t *testing.T) {
	e := &sequenceEngine{answers: []string{"ls -la", "ls  -la", "ls -A", "echo 'broken", "find . -maxdepth 1", "du"}}
	s, err := Suggest(context.Background(), e, Request{Text: "list", Shell: "bash", Alternatives: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Command != "ls -la" || len(s.Alternatives) != 2 || s.Alternatives[0] != "ls -A" || s.Alternatives[1] != "find . -maxdepth 1" {
		t.Fatalf("%q %q", s.Command, s.Alternatives)
	}
	// The engine gives up after twice as many tries as wanted.
	e = &sequenceEngine{answers: []string{"ls"}}
	s, err = Suggest(context.Background(), e, Request{Text: "list", Shell: "bash", Alternatives: 2}, nil)
	if err != nil || len(s.Alternatives) != 0 || e.calls != 5 {
		t.Fatalf("%q %v after %d calls", s.Alternatives, err, e.calls)
	}
}
