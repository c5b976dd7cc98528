// Package benchfmt holds the record format shared by cmdr's benchmark
// programs and renders their results into bench/results.json and
// docs/BENCHMARKS.md.
package benchfmt

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Record is one measured figure: the median of Runs runs, with min and max.
type Record struct {
	Suite   string  `json:"suite"` // engine, agent, ...
	Model   string  `json:"model"`
	Build   string  `json:"build"`
	Threads int     `json:"threads"`
	Metric  string  `json:"metric"`
	Unit    string  `json:"unit"`
	Median  float64 `json:"median"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Runs    int     `json:"runs"`
}

// Ratio compares two series by their medians; its range is the widest
// the series allow (num's min over den's max, and the reverse).
func Ratio(metric string, num, den []float64) Record {
	n, d := Stat("", "", num), Stat("", "", den)
	return Record{Metric: metric, Unit: "×", Median: n.Median / d.Median, Min: n.Min / d.Max, Max: n.Max / d.Min, Runs: len(num)}
}

// Stat summarizes samples.
func Stat(metric, unit string, v []float64) Record {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Record{Metric: metric, Unit: unit, Median: med, Min: s[0], Max: s[len(s)-1], Runs: len(s)}
}

// Append writes records as JSON lines to path.
func Append(path string, recs []Record) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// Machine describes the machine the figures come from.
var Machine = func() map[string]string { return map[string]string{} }

func ReadRecords(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		recs = append(recs, r)
	}
	return recs, sc.Err()
}

// Render writes results.json and fills the Markdown template's
// {{machine}}, {{engine_table}} and {{engine_ratios}} markers.
func Render(in, tmplPath, mdPath, jsonPath string) error {
	recs, err := ReadRecords(in)
	if err != nil {
		return err
	}
	m := Machine()
	js, err := json.MarshalIndent(map[string]any{"machine": m, "engine": recs}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(jsonPath, append(js, '\n'), 0o644); err != nil {
		return err
	}
	tmpl, err := os.ReadFile(tmplPath)
	if err != nil {
		return err
	}
	var mb strings.Builder
	for _, k := range []string{"rendered", "cpu", "cores", "memory", "kernel", "go", "llama.cpp"} {
		fmt.Fprintf(&mb, "- %s: %s\n", k, m[k])
	}
	doc := strings.NewReplacer(
		"{{machine}}", strings.TrimRight(mb.String(), "\n"),
		"{{engine_table}}", engineTable(recs),
		"{{engine_ratios}}", engineRatios(recs),
		"{{agent_table}}", suiteTable(recs, "agent"),
		"{{shell_table}}", suiteTable(recs, "shell"),
		"{{e2e_table}}", suiteTable(recs, "e2e"),
		"{{levers_table}}", leversTable(recs),
		"{{draft_table}}", suiteTable(recs, "draft"),
		"{{quality_table}}", suiteTable(recs, "quality"),
	).Replace(string(tmpl))
	return os.WriteFile(mdPath, []byte(doc), 0o644)
}

type rowKey struct {
	model, build string
	threads      int
}

func index(recs []Record) (map[rowKey]map[string]Record, []rowKey) {
	rows := map[rowKey]map[string]Record{}
	var keys []rowKey
	for _, r := range recs {
		if r.Suite != "" && r.Suite != "engine" {
			continue
		}
		k := rowKey{r.Model, r.Build, r.Threads}
		if rows[k] == nil {
			rows[k] = map[string]Record{}
			keys = append(keys, k)
		}
		rows[k][r.Metric] = r
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.model != b.model {
			return a.model < b.model
		}
		if a.build != b.build {
			return a.build < b.build
		}
		return a.threads < b.threads
	})
	return rows, keys
}

func engineTable(recs []Record) string {
	rows, keys := index(recs)
	var b strings.Builder
	cols := []string{"prompt_eval", "decode", "decode_grammar", "ttft_cold_300", "ttft_prefix_cached", "answer_30_tokens_cached", "bandwidth", "decode_of_bound"}
	b.WriteString("| model | build | threads | prompt eval tok/s | decode tok/s | decode tok/s, grammar | first token, 300-token prompt uncached (ms) | first token, system prompt cached (ms) | 30-token answer, cached (ms) | bandwidth GB/s | decode ÷ bandwidth bound |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| %s | %s | %d |", k.model, k.build, k.threads)
		for _, c := range cols {
			r, ok := rows[k][c]
			b.WriteString(cell(r, ok))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// cell is a table cell for r: its median with the range, " – " when the
// figure is missing (ok false). A † marks a figure whose runs differ by
// more than 2×: on this VM that is the host taking the CPU or memory
// bandwidth during some of them (kernels do not vary that much on their
// own), so its median is suspect.
func cell(r Record, ok bool) string {
	if !ok {
		return " – |"
	}
	mark := ""
	if r.Min > 0 && r.Max/r.Min > 2 {
		mark = " †"
	}
	return fmt.Sprintf(" %s (%s–%s)%s |", num(r.Median), num(r.Min), num(r.Max), mark)
}

// engineRatios states the comparisons the table supports: prefix reuse,
// native against portable, and grammar cost.
func engineRatios(recs []Record) string {
	rows, keys := index(recs)
	var b strings.Builder
	for _, k := range keys {
		r := rows[k]
		if k.build != "native" {
			continue
		}
		line := fmt.Sprintf("- %s, %d thread(s): the cached system prompt cuts the first token %.1f× (%s → %s ms)",
			k.model, k.threads, r["ttft_cold_300"].Median/r["ttft_prefix_cached"].Median,
			num(r["ttft_cold_300"].Median), num(r["ttft_prefix_cached"].Median))
		if d, p := r["decode_draft"].Median, r["decode_grammar"].Median; d > 0 && p > 0 {
			line += fmt.Sprintf("; prompt lookup: decode %.2f× (%s tok/s), %.0f%% of the answer's tokens drafted and confirmed",
				d/p, num(d), 100*r["draft_share"].Median)
		}
		if back := r["ttft_family_back"].Median; back > 0 {
			line += fmt.Sprintf("; back from another prompt family, its state restored from RAM: first token %s ms", num(back))
		}
		if g, d := r["decode_grammar"].Median, r["decode"].Median; g > 0 && d > 0 {
			line += fmt.Sprintf("; decode under the command grammar runs at %.0f%% of the speed without", 100*g/d)
		}
		if b := r["batch8_over_1"].Median; b > 0 {
			// A batch verifies 7 drafts and yields one token more; it
			// breaks even when the accepted drafts make up its extra cost.
			line += fmt.Sprintf("; a batch of 8 tokens costs %.1f× one, so drafting 7 tokens pays once %.1f of them are accepted on average", b, b-1)
		}
		if p, ok := rows[rowKey{k.model, "portable", k.threads}]; ok && p["decode"].Median > 0 {
			line += fmt.Sprintf("; native vs portable: decode %.2f×, prompt %.2f×",
				r["decode"].Median/p["decode"].Median, r["prompt_eval"].Median/p["prompt_eval"].Median)
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func num(v float64) string {
	if v > 0 && v < 1 {
		return strconv.FormatFloat(v, 'f', 3, 64) // ratios and sub-millisecond times
	}
	if v >= 100 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// leversTable has a row per runtime setting tried (in the order
// measured; Build names the setting) and a column per figure.
func leversTable(recs []Record) string {
	type key struct{ model, setting string }
	rows := map[key]map[string]Record{}
	var keys []key
	for _, r := range recs {
		if r.Suite != "levers" {
			continue
		}
		k := key{r.Model, r.Build}
		if rows[k] == nil {
			rows[k] = map[string]Record{}
			keys = append(keys, k)
		}
		rows[k][r.Metric] = r
	}
	var b strings.Builder
	b.WriteString("| model | setting | load (ms) | prompt eval tok/s | first token, system prompt cached (ms) | decode tok/s | 30-token answer, cached (ms) |\n")
	b.WriteString("|---|---|---:|---:|---:|---:|---:|\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| %s | %s |", k.model, k.setting)
		for _, c := range []string{"load", "prompt_eval", "ttft_prefix_cached", "decode", "answer_30_tokens_cached"} {
			r, ok := rows[k][c]
			b.WriteString(cell(r, ok))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// suiteTable lists one suite's figures, one per line.
func suiteTable(recs []Record, suite string) string {
	var b strings.Builder
	b.WriteString("| subject | figure | median | min | max | runs |\n|---|---|---:|---:|---:|---:|\n")
	n := 0
	for _, r := range recs {
		if r.Suite != suite {
			continue
		}
		n++
		fmt.Fprintf(&b, "| %s | %s (%s) | %s | %s | %s | %d |\n", r.Model, r.Metric, r.Unit, num(r.Median), num(r.Min), num(r.Max), r.Runs)
	}
	if n == 0 {
		return "(Not measured in this run.)"
	}
	return strings.TrimRight(b.String(), "\n")
}
