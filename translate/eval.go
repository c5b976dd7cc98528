package translate

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path"
	"sort"
	"strings"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/cmdr-sh/cmdr/engine"
)

// EvalItem is one line of an evaluation dataset: a request and reference
// commands (any of which is a correct answer).
type EvalItem struct {
	ID  string `json:"id"`
	NL  string `json:"nl"`
	Ref Refs   `json:"ref"`
}

// Refs are an item's reference commands: a JSON list, or one string.
type Refs []string

// UnmarshalJSON takes a list of strings or a single string.
func (r *Refs) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*r = Refs{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New(`"ref" must be a command or a list of commands`)
	}
	*r = many
	return nil
}

// ReadEvalItems reads JSON lines with at least "nl" and "ref".
func ReadEvalItems(r io.Reader) ([]EvalItem, error) {
	var items []EvalItem
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it EvalItem
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		if it.NL == "" || len(it.Ref) == 0 || it.Ref[0] == "" {
			return nil, fmt.Errorf("line %d: needs \"nl\" and a non-empty \"ref\"", n)
		}
		items = append(items, it)
	}
	return items, sc.Err()
}

// EvalReport summarizes a run. Rates are from 0 to 1.
type EvalReport struct {
	N            int     `json:"n"`
	Errors       int     `json:"errors"`
	SyntaxValid  float64 `json:"syntax_valid"`
	UtilityMatch float64 `json:"utility_match"`
	ExactMatch   float64 `json:"exact_match"`
	RiskFlagged  float64 `json:"risk_flagged"`
	P50MS        float64 `json:"p50_ms"`
	P95MS        float64 `json:"p95_ms"`
	Engine       string  `json:"engine"`
	Model        string  `json:"model"`
}

// Eval asks e for every item and scores the answers: does the answer
// parse, does its first program match a reference's, is it the same
// command once normalized, and is it flagged risky. maxTokens bounds each
// answer (0: MaxCommandTokens); progress, if not nil, is called after each
// item.
func Eval(ctx context.Context, e engine.Engine, items []EvalItem, shell string, maxTokens int, progress func(done int)) (EvalReport, error) {
	info := e.Info()
	rep := EvalReport{N: len(items), Engine: info.Backend, Model: info.Model}
	var lat []float64
	var valid, util, exact, risky int
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		t0 := time.Now()
		s, err := Suggest(ctx, e, Request{Text: it.NL, Shell: shell, MaxTokens: maxTokens}, nil)
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		if err != nil {
			rep.Errors++
		} else {
			if ValidSyntax(s.Command, shell) == nil {
				valid++
			}
			if u := firstProgram(s.Command); u != "" {
				for _, ref := range it.Ref {
					if u == firstProgram(ref) {
						util++
						break
					}
				}
			}
			for _, ref := range it.Ref {
				if normalize(s.Command) == normalize(ref) {
					exact++
					break
				}
			}
			if s.Risk.Level != RiskNone {
				risky++
			}
		}
		if progress != nil {
			progress(i + 1)
		}
	}
	if n := float64(len(items)); n > 0 {
		rep.SyntaxValid, rep.UtilityMatch = float64(valid)/n, float64(util)/n
		rep.ExactMatch, rep.RiskFlagged = float64(exact)/n, float64(risky)/n
	}
	sort.Float64s(lat)
	rep.P50MS, rep.P95MS = nearestRank(lat, 50), nearestRank(lat, 95)
	return rep, nil
}

func nearestRank(sorted []float64, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

// ValidSyntax parses cmd in shell's syntax: bash and zsh with mvdan.cc/sh
// in their own dialects, fish with fish's own parser when fish is
// installed (`fish --no-execute` parses without running anything), else
// read as bash after its `and`/`or` and (substitution) forms are mapped.
func ValidSyntax(cmd, shell string) error {
	lang := syntax.LangBash
	switch shell {
	case "zsh":
		lang = syntax.LangZsh
	case "fish":
		if checked, err := fishParse(cmd); checked {
			return err
		}
		cmd = FishAsPOSIX(cmd)
	}
	_, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(cmd), "")
	return err
}

// StripComment drops a comment from the end of cmd ("ls -la  # every
// file"): a note for the reader, not part of the command, and zsh reads
// "#" as a comment only with INTERACTIVE_COMMENTS set, so on zsh's line
// it would become arguments. A command that does not parse as bash (or
// zsh) is left as it is: fish's syntax differs, but its comments are the
// same wherever bash can read the line.
func StripComment(cmd, shell string) string {
	if !strings.Contains(cmd, "#") {
		return cmd
	}
	lang := syntax.LangBash
	if shell == "zsh" {
		lang = syntax.LangZsh
	}
	f, err := syntax.NewParser(syntax.KeepComments(true), syntax.Variant(lang)).Parse(strings.NewReader(cmd), "")
	if err != nil {
		return cmd
	}
	cut := -1
	syntax.Walk(f, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.Comment); ok && (cut < 0 || int(c.Pos().Offset()) < cut) {
			cut = int(c.Pos().Offset())
		}
		return true
	})
	if cut < 0 {
		return cmd
	}
	return strings.TrimSpace(cmd[:cut])
}

// firstProgram is the first command's program name, wrappers skipped.
func firstProgram(cmd string) string {
	f, err := syntax.NewParser().Parse(strings.NewReader(cmd), "")
	if err != nil {
		return ""
	}
	name := ""
	syntax.Walk(f, func(n syntax.Node) bool {
		if name != "" {
			return false
		}
		if c, ok := n.(*syntax.CallExpr); ok && len(c.Args) > 0 {
			p, _, _ := program(words(c.Args))
			name = path.Base(p)
			return false
		}
		return true
	})
	return name
}

// normalize prints cmd in canonical form, so spacing and quoting style do
// not count as differences.
func normalize(cmd string) string {
	f, err := syntax.NewParser().Parse(strings.NewReader(cmd), "")
	if err != nil {
		return strings.Join(strings.Fields(cmd), " ")
	}
	var b strings.Builder
	syntax.NewPrinter(syntax.Minify(true)).Print(&b, f)
	return strings.TrimSpace(b.String())
}

// fishParse asks fish to parse cmd without executing it. fish 3 reports a
// syntax error on stderr but still exits 0, so stderr decides. checked is
// false when fish is not installed or did not answer in time.
func fishParse(cmd string) (checked bool, err error) {
	bin, lerr := exec.LookPath("fish")
	if lerr != nil {
		return false, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, bin, "--no-config", "--no-execute", "-c", cmd)
	var stderr strings.Builder
	c.Stderr = &stderr
	runErr := c.Run()
	if ctx.Err() != nil {
		return false, nil
	}
	if msg := strings.TrimSpace(stderr.String()); msg != "" || runErr != nil {
		line, _, _ := strings.Cut(msg, "\n")
		return true, fmt.Errorf("fish: %s", strings.TrimPrefix(line, "fish: "))
	}
	return true, nil
}
