package randmodel_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/engine/llamacpp"
	"github.com/cmdr-sh/cmdr/internal/randmodel"
)

// byteAlphabet is GPT-2's byte-to-unicode table, the alphabet byte-level
// BPE tokenizers spell their tokens in: printable bytes stand for
// themselves, the others for code points from 256 on.
func byteAlphabet() []string {
	out := make([]string, 256)
	n := 0
	for b := range 256 {
		if b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE {
			out[b] = string(rune(b))
		} else {
			out[b] = string(rune(256 + n))
			n++
		}
	}
	return out
}

// writeBPE writes a small tokenizer in the encoder.json/vocab.bpe format:
// every byte, then what merges make.
func writeBPE(t *testing.T, merges []string) string {
	t.Helper()
	dir := t.TempDir()
	ids := map[string]int{}
	for _, tok := range byteAlphabet() {
		ids[tok] = len(ids)
	}
	for _, m := range merges {
		ids[strings.ReplaceAll(m, " ", "")] = len(ids)
	}
	raw, _ := json.Marshal(ids)
	if err := os.WriteFile(filepath.Join(dir, "encoder.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	text := "#version: 0.2\n" + strings.Join(merges, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "vocab.bpe"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadBPE(t *testing.T) {
	// "# #" is a merge, only the first line's "#version" a header.
	dir := writeBPE(t, []string{"h e", "l l", "he ll", "hell o", "Ġ w", "# #"})
	b, err := randmodel.LoadBPE(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Tokens) != 256+6 || b.Tokens[256] != "he" || b.Tokens[256+5] != "##" {
		t.Errorf("tokens: %d, %q, %q", len(b.Tokens), b.Tokens[256], b.Tokens[len(b.Tokens)-1])
	}
	if !slices.Equal(b.Merges, []string{"h e", "l l", "he ll", "hell o", "Ġ w", "# #"}) {
		t.Errorf("merges %q", b.Merges)
	}

	for name, files := range map[string][2]string{
		"ids with a gap":  {`{"a": 0, "b": 2}`, "a b\n"},
		"not JSON":        {`{"a": 0`, "a b\n"},
		"three-way merge": {`{"a": 0, "b": 1}`, "a b a\n"},
		"no merges":       {`{"a": 0, "b": 1}`, "#version: 0.2\n"},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "encoder.json"), []byte(files[0]), 0o644)
		os.WriteFile(filepath.Join(dir, "vocab.bpe"), []byte(files[1]), 0o644)
		if _, err := randmodel.LoadBPE(dir); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	if _, err := randmodel.LoadBPE(t.TempDir()); err == nil {
		t.Error("an empty directory loaded")
	}
}

// bpeModel writes a tiny-shaped model with b's vocabulary padded to
// width tokens and opens it in llama.cpp.
func bpeModel(t *testing.T, b *randmodel.BPE, width int) *llamacpp.Engine {
	t.Helper()
	if !llamacpp.Available {
		t.Skip("built without cgo")
	}
	s := randmodel.Shapes["tiny"]
	s.Vocab = width
	path := filepath.Join(t.TempDir(), "bpe.gguf")
	if err := randmodel.WriteF16With(path, s, 1, b); err != nil {
		t.Fatal(err)
	}
	e, err := llamacpp.Open(context.Background(), engine.Settings{"model": path, "ctx_size": "512", "threads": "1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// pieces tokenizes text and spells each token on its own.
func pieces(t *testing.T, e *llamacpp.Engine, text string, special bool) []string {
	t.Helper()
	ids, err := e.Tokenize(text, special)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, id := range ids {
		p, err := e.Detokenize([]int32{id})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestBPEModelTokenizes(t *testing.T) {
	b, err := randmodel.LoadBPE(writeBPE(t, []string{"h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or"}))
	if err != nil {
		t.Fatal(err)
	}
	e := bpeModel(t, b, 3072)
	// The merges apply in rank order and the text round-trips, bytes
	// outside ASCII included.
	if got := pieces(t, e, "hello world", false); !slices.Equal(got, []string{"hello", " wor", "l", "d"}) {
		t.Errorf("hello world: %q", got)
	}
	text := "grep -r 'naïve' ~/ünïcode | wc -l\t→ done"
	ids, _ := e.Tokenize(text, false)
	if back, _ := e.Detokenize(ids); back != text {
		t.Errorf("round trip: %q", back)
	}
	// ChatML's markers are single control tokens, so the chat template
	// renders to the prompt a Qwen model sees.
	// (This vocabulary has no merges for the words: a token a letter.)
	if got := pieces(t, e, "<|im_start|>user\nhi<|im_end|>", true); len(got) != 9 || got[0] != "" || got[8] != "" || strings.Join(got, "") != "user\nhi" {
		t.Errorf("ChatML: %q", got)
	}
	res, err := e.Generate(context.Background(), engine.Request{Messages: []engine.Message{{Role: engine.RoleUser, Content: "hello"}}, MaxTokens: 4}, nil)
	if err != nil || res.TokensOut == 0 {
		t.Errorf("generate: %v, %d tokens", err, res.TokensOut)
	}

	if err := randmodel.WriteF16With(filepath.Join(t.TempDir(), "x.gguf"), randmodel.Shapes["tiny"], 1, &randmodel.BPE{Tokens: make([]string, 3070), Merges: []string{"a b"}}); err == nil {
		t.Error("a tokenizer wider than the shape was written")
	}
	dup := &randmodel.BPE{Tokens: append(slices.Clone(b.Tokens), "<|im_end|>"), Merges: b.Merges}
	if err := randmodel.WriteF16With(filepath.Join(t.TempDir(), "x.gguf"), randmodel.Shapes["tiny"], 1, dup); err == nil {
		t.Error("a tokenizer with its own <|im_end|> was written")
	}
}

// TestLlama3Tokenizer checks the tokenizer the benchmark models get
// (make models): Llama 3.2's, from the ollama module the build uses.
// Numbers go in groups of up to three digits and the space before them
// stands alone: that is the llama-bpe pre-tokenizer at work, not just the
// merges.
func TestLlama3Tokenizer(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to find the ollama module with")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/ollama/ollama").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	b, err := randmodel.LoadBPE(filepath.Join(strings.TrimSpace(string(out)), "tokenizer", "testdata", "llama3.2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Tokens) != 128000 {
		t.Errorf("%d tokens", len(b.Tokens))
	}
	e := bpeModel(t, b, randmodel.Shapes["0.5b"].Vocab)
	want := []string{"find", " files", " larger", " than", " ", "123", "4", " MB", " here"}
	if got := pieces(t, e, "find files larger than 1234 MB here", false); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
