//go:build cgo

package llamacpp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/gguf"
	"github.com/cmdr-sh/cmdr/internal/randmodel"
)

var tinyPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cmdr-llamacpp-test")
	if err != nil {
		panic(err)
	}
	tinyPath = filepath.Join(dir, "tiny.gguf")
	if err := randmodel.WriteF16(tinyPath, randmodel.Shapes["tiny"], 1); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func open(t *testing.T, extra engine.Settings) *Engine {
	t.Helper()
	// No saved prompt state unless a test asks: it would land in the
	// developer's cache and make first requests differ between runs.
	s := engine.Settings{"model": tinyPath, "llamacpp.ctx_size": "1024", "llamacpp.threads": "2", "llamacpp.state_dir": "off"}
	for k, v := range extra {
		s[k] = v
	}
	e, err := Open(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func chat(user string) []engine.Message {
	return []engine.Message{
		{Role: engine.RoleSystem, Content: "You translate requests into one shell command."},
		{Role: engine.RoleUser, Content: user},
	}
}

func TestTinyModelIsSmall(t *testing.T) {
	st, err := os.Stat(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() >= 2<<20 {
		t.Fatalf("tiny model is %d bytes, want < 2 MB", st.Size())
	}
}

func TestTokenizeRoundTrip(t *testing.T) {
	e := open(t, nil)
	for _, s := range []string{
		"list all files",
		"find . -name '*.go' | xargs wc -l",
		"grüße, naïve café — 日本語",
		"emoji 🚀🔥 and tabs\tand\nnewlines",
		"  leading spaces",
	} {
		ids, err := e.Tokenize(s, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			t.Fatalf("%q: no tokens", s)
		}
		got, err := e.Detokenize(ids)
		if err != nil {
			t.Fatal(err)
		}
		if got != s {
			t.Errorf("round trip %q -> %v -> %q", s, ids, got)
		}
		if n := engine.CountTokens(e, s); n != len(ids) {
			t.Errorf("CountTokens = %d, want %d", n, len(ids))
		}
	}
	if _, err := e.Detokenize([]int32{1 << 30}); err == nil {
		t.Error("out-of-range token accepted")
	}
	// Control tokens are parsed only when asked.
	ids, _ := e.Tokenize("<|im_start|>", true)
	plain, _ := e.Tokenize("<|im_start|>", false)
	if len(ids) != 1 || len(plain) <= 1 {
		t.Errorf("special %v plain %v", ids, plain)
	}
}

func TestChatTemplateFromMetadata(t *testing.T) {
	e := open(t, nil)
	if e.tmpl != randmodel.ChatTemplate {
		t.Fatalf("template %q, want the model's own", templateName(e.tmpl))
	}
	p := e.renderPrompt(chat("hi"))
	want := "<|im_start|>system\nYou translate requests into one shell command.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"
	if p != want {
		t.Fatalf("prompt %q", p)
	}
}

func TestGrammarAlwaysHolds(t *testing.T) {
	e := open(t, nil)
	line := regexp.MustCompile(`^[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$`)
	for seed := uint32(1); seed <= 6; seed++ {
		s := seed
		res, err := e.Generate(context.Background(), engine.Request{
			Messages: chat(fmt.Sprintf("request %d", seed)), MaxTokens: 24, Temperature: 1.5, Seed: &s,
			Grammar: `root ::= [^\x00-\x20\x7F] [^\x00-\x1F\x7F]*`,
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !line.MatchString(res.Text) {
			t.Errorf("seed %d: %q breaks the grammar", seed, res.Text)
		}
	}
	// A narrow grammar: the answer must be one of its sentences, and the
	// model must end (EOS) once the grammar is complete.
	narrow := regexp.MustCompile(`^ls( -[alh]{1,3})?$`)
	for seed := uint32(1); seed <= 4; seed++ {
		s := seed
		res, err := e.Generate(context.Background(), engine.Request{
			Messages: chat("list"), MaxTokens: 16, Temperature: 1, Seed: &s,
			Grammar: `root ::= "ls" (" -" [alh] [alh]? [alh]?)?`,
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !narrow.MatchString(res.Text) {
			t.Errorf("seed %d: %q", seed, res.Text)
		}
		if res.Stop != engine.StopEOS {
			t.Errorf("seed %d: stop %q, want eos after a complete grammar", seed, res.Stop)
		}
	}
}

func TestBadGrammarIsAnError(t *testing.T) {
	e := open(t, nil)
	_, err := e.Generate(context.Background(), engine.Request{Messages: chat("x"), Grammar: "root ::= ("}, nil)
	if err == nil || !strings.Contains(err.Error(), "grammar") {
		t.Fatalf("err = %v", err)
	}
	// The engine keeps working afterwards.
	if _, err := e.Generate(context.Background(), engine.Request{Messages: chat("x"), MaxTokens: 2}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestStopString(t *testing.T) {
	e := open(t, nil)
	var streamed strings.Builder
	res, err := e.Generate(context.Background(), engine.Request{
		Messages: chat("x"), MaxTokens: 32, Stop: []string{"world"},
		Grammar: `root ::= "hello world and more"`,
	}, func(tok engine.Token) error { streamed.WriteString(tok.Text); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "hello " || streamed.String() != "hello " || res.Stop != engine.StopString {
		t.Fatalf("text %q streamed %q stop %q", res.Text, streamed.String(), res.Stop)
	}
}

func TestMaxTokens(t *testing.T) {
	e := open(t, nil)
	res, err := e.Generate(context.Background(), engine.Request{Messages: chat("x"), MaxTokens: 5, Grammar: `root ::= [a-z]+`}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.TokensOut != 5 || res.Stop != engine.StopLength {
		t.Fatalf("out %d stop %q", res.TokensOut, res.Stop)
	}
}

func TestPrefixReuseIsExactAndUsed(t *testing.T) {
	reqs := []string{"find big files", "find big files in home", "show disk usage"}
	run := func(e *Engine) ([]string, []int) {
		var texts []string
		var cached []int
		for _, r := range reqs {
			res, err := e.Generate(context.Background(), engine.Request{Messages: chat(r), MaxTokens: 12}, nil)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, res.Text)
			cached = append(cached, res.TokensCached)
		}
		return texts, cached
	}
	withTexts, withCached := run(open(t, nil))
	withoutTexts, withoutCached := run(open(t, engine.Settings{"llamacpp.prefix_cache": "false"}))
	for i := range reqs {
		if withTexts[i] != withoutTexts[i] {
			t.Errorf("request %d: %q with reuse, %q without", i, withTexts[i], withoutTexts[i])
		}
		if withoutCached[i] != 0 {
			t.Errorf("request %d reused %d tokens with the cache off", i, withoutCached[i])
		}
	}
	// The system prompt (over 10 tokens) is shared by every request.
	if withCached[0] != 0 || withCached[1] < 10 || withCached[2] < 10 {
		t.Errorf("cached tokens %v: the shared prefix was not reused", withCached)
	}
	// The same request twice reuses all but the last prompt token.
	e := open(t, nil)
	a, _ := e.Generate(context.Background(), engine.Request{Messages: chat("again"), MaxTokens: 4}, nil)
	b, _ := e.Generate(context.Background(), engine.Request{Messages: chat("again"), MaxTokens: 4}, nil)
	if b.TokensCached != b.TokensIn-1 || a.Text != b.Text {
		t.Errorf("repeat: cached %d of %d, %q vs %q", b.TokensCached, b.TokensIn, a.Text, b.Text)
	}
}

func TestCancelWithinOneToken(t *testing.T) {
	e := open(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	res, err := e.Generate(ctx, engine.Request{Messages: chat("x"), MaxTokens: 200, Grammar: `root ::= [a-z]+`},
		func(engine.Token) error {
			n++
			if n == 3 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if res.TokensOut > 4 {
		t.Fatalf("%d tokens after cancelling at 3", res.TokensOut)
	}
	// A callback error stops generation the same way.
	boom := errors.New("client went away")
	_, err = e.Generate(context.Background(), engine.Request{Messages: chat("x"), MaxTokens: 50},
		func(engine.Token) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	// And the engine still answers, with its cache consistent.
	if _, err := e.Generate(context.Background(), engine.Request{Messages: chat("x"), MaxTokens: 3}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestCancelDuringPrompt(t *testing.T) {
	e := open(t, engine.Settings{"llamacpp.batch": "64"})
	long := strings.Repeat("find every file below this directory that changed today ", 60)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err := e.Generate(ctx, engine.Request{Messages: chat(long), MaxTokens: 4}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	// The partly evaluated prompt is reused or re-evaluated correctly.
	fresh := open(t, nil)
	a, err := e.Generate(context.Background(), engine.Request{Messages: chat(long), MaxTokens: 6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := fresh.Generate(context.Background(), engine.Request{Messages: chat(long), MaxTokens: 6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != b.Text {
		t.Fatalf("after an aborted prompt: %q, fresh engine: %q", a.Text, b.Text)
	}
}

func TestWaitingRequestHonoursContext(t *testing.T) {
	e := open(t, nil)
	e.slot <- struct{}{} // the model is busy
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := e.Generate(ctx, engine.Request{Messages: chat("x")}, nil)
	<-e.slot
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestConcurrentRequestsAreSerialized(t *testing.T) {
	e := open(t, nil)
	prompts := []string{"a", "bb", "ccc", "dddd"}
	want := map[string]string{}
	for _, p := range prompts {
		res, err := e.Generate(context.Background(), engine.Request{Messages: chat(p), MaxTokens: 8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want[p] = res.Text
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 4; i++ {
		for _, p := range prompts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := e.Generate(context.Background(), engine.Request{Messages: chat(p), MaxTokens: 8}, nil)
				if err != nil {
					errs <- err
				} else if res.Text != want[p] {
					errs <- fmt.Errorf("%q: %q, want %q", p, res.Text, want[p])
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPromptTooLong(t *testing.T) {
	e := open(t, engine.Settings{"llamacpp.ctx_size": "64"})
	_, err := e.Generate(context.Background(), engine.Request{Messages: chat(strings.Repeat("word ", 1000))}, nil)
	if err == nil || !strings.Contains(err.Error(), "context") {
		t.Fatalf("err = %v", err)
	}
}

func TestBadModelFiles(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(tinyPath)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A valid header whose architecture llama.cpp does not know.
	var w gguf.Writer
	w.AddKV("general.architecture", "frobnicator")
	_ = w.AddTensor("x.weight", gguf.TypeF32, []uint64{4}, func(out io.Writer) error { _, err := out.Write(make([]byte, 16)); return err })
	unknown := filepath.Join(dir, "unknown-arch.gguf")
	f, _ := os.Create(unknown)
	if _, err := w.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	f.Close()

	corrupt := append([]byte(nil), data...)
	copy(corrupt[8:16], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
	cases := map[string]struct {
		path, want string
	}{
		"missing":   {filepath.Join(dir, "nope.gguf"), "does not exist"},
		"not gguf":  {write("text.gguf", []byte("this is not a model at all")), "not a GGUF file"},
		"empty":     {write("empty.gguf", nil), "not a GGUF file"},
		"truncated": {write("trunc.gguf", data[:len(data)/2]), "truncated"},
		"header":    {write("header.gguf", data[:100]), "corrupt"},
		"corrupt":   {write("corrupt.gguf", corrupt), "implausible"},
		"directory": {dir, "directory"},
		"arch":      {unknown, "frobnicator"},
	}
	for name, c := range cases {
		_, err := Open(context.Background(), engine.Settings{"model": c.path})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
		}
	}
	if _, err := Open(context.Background(), engine.Settings{}); !errors.Is(err, engine.ErrUnavailable) {
		t.Errorf("no model: %v", err)
	}
	if _, err := Open(context.Background(), engine.Settings{"model": tinyPath, "llamacpp.threads": "zero"}); err == nil {
		t.Error("bad thread count accepted")
	}
	// The process survived all of that and still loads a good model.
	open(t, nil)
}

// A model split across files, as big models come from the hub, loads from
// its first part and is the same model as the one file; a missing part is
// an error, not llama.cpp aborting the process.
func TestSplitModel(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "tiny")
	parts, err := randmodel.WriteF16Split(prefix, 3, randmodel.Shapes["tiny"], 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(path string) string {
		e := open(t, engine.Settings{"model": path})
		res, err := e.Generate(context.Background(), engine.Request{Messages: chat("find big files"), MaxTokens: 12}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.Text
	}
	if split, whole := answer(parts[0]), answer(tinyPath); split != whole || whole == "" {
		t.Fatalf("split model answered %q, the one file %q", split, whole)
	}
	if _, err := Open(context.Background(), engine.Settings{"model": parts[1]}); err == nil || !strings.Contains(err.Error(), "use its first part") {
		t.Errorf("a later part: %v", err)
	}
	// A saved prompt state is of all the parts: a changed later part
	// changes the weights as much as a changed first one.
	dir := t.TempDir()
	before := stateFile(dir, parts[0], 1024, options{kvType: "f16"})
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(parts[2], later, later); err != nil {
		t.Fatal(err)
	}
	if after := stateFile(dir, parts[0], 1024, options{kvType: "f16"}); after == before || before == "" {
		t.Errorf("state file %q before a part changed, %q after", before, after)
	}
	os.Remove(parts[2])
	if _, err := Open(context.Background(), engine.Settings{"model": parts[0]}); err == nil || !strings.Contains(err.Error(), "part 3 of 3 (tiny-00003-of-00003.gguf) is missing") {
		t.Errorf("a missing part: %v", err)
	}
}

func TestTypeTableMatchesGGML(t *testing.T) {
	for typ := gguf.TensorType(0); typ < 40; typ++ {
		if !typ.Known() {
			continue
		}
		bs, ts := typeTraits(int(typ))
		if uint64(bs) != typ.BlockSize() || uint64(ts) != typ.TypeSize() {
			t.Errorf("%s: ggml says block %d size %d, gguf package says %d %d", typ, bs, ts, typ.BlockSize(), typ.TypeSize())
		}
	}
}

func TestQuantizeAndLoad(t *testing.T) {
	out := filepath.Join(t.TempDir(), "tiny-q8.gguf")
	if err := Quantize(tinyPath, out, "q8_0", 2); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if f.TypeCounts()[gguf.TypeQ8_0] == 0 {
		t.Fatalf("no Q8_0 tensors: %v", f.TypeCounts())
	}
	e, err := Open(context.Background(), engine.Settings{"model": out})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Generate(context.Background(), engine.Request{Messages: chat("x"), MaxTokens: 3}, nil); err != nil {
		t.Fatal(err)
	}
	if err := Quantize(tinyPath, out, "q9_9", 1); err == nil {
		t.Fatal("unknown quantization accepted")
	}
}

func TestCloseIsIdempotent(t *testing.T) {
	e := open(t, nil)
	e.Close()
	e.Close()
	if _, err := e.Generate(context.Background(), engine.Request{Messages: chat("x")}, nil); !errors.Is(err, errClosed) {
		t.Fatalf("err = %v", err)
	}
	if _, err := e.Tokenize("x", false); !errors.Is(err, errClosed) {
		t.Fatalf("err = %v", err)
	}
}

func TestBuildIsNative(t *testing.T) {
	// Tests run through `make test`, which compiles with -march=native;
	// a baseline build would make every timing here meaningless.
	if len(BuildFeatures()) == 0 {
		t.Fatal("llama.cpp was compiled without CPU feature flags; run the tests with `make test`")
	}
	if !strings.Contains(SystemInfo(), "REPACK = 1") {
		t.Errorf("weight repacking is off: %s", SystemInfo())
	}
}

// The prefix two requests share is saved; a new engine on the same model
// and settings starts with it in its KV cache, and answers exactly as one
// that evaluated everything.
func TestSavedPromptState(t *testing.T) {
	dir := t.TempDir()
	sys := strings.Repeat("You translate requests into one shell command. ", 4)
	msgs := func(u string) []engine.Message {
		return []engine.Message{{Role: engine.RoleSystem, Content: sys}, {Role: engine.RoleUser, Content: u}}
	}
	greedy := func(e *Engine, u string) engine.Result {
		t.Helper()
		res, err := e.Generate(context.Background(), engine.Request{Messages: msgs(u), MaxTokens: 8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a := open(t, engine.Settings{"llamacpp.state_dir": dir})
	greedy(a, "list files")
	if files, _ := filepath.Glob(filepath.Join(dir, "*.kv")); len(files) != 0 {
		t.Fatal("saved before any prefix was shared")
	}
	shared := greedy(a, "show disk usage").TokensCached
	files, _ := filepath.Glob(filepath.Join(dir, "*.kv"))
	if len(files) != 1 || shared < minSavedPrefix {
		t.Fatalf("files %v, shared %d", files, shared)
	}
	a.Close()

	b := open(t, engine.Settings{"llamacpp.state_dir": dir})
	first := greedy(b, "count lines")
	if first.TokensCached != shared {
		t.Fatalf("first request of a new engine reused %d tokens, want %d", first.TokensCached, shared)
	}
	fresh := open(t, nil)
	if want := greedy(fresh, "count lines"); want.Text != first.Text {
		t.Fatalf("restored state answers %q, fresh %q", first.Text, want.Text)
	}
	b.Close()

	// Other settings: another file. A damaged file is dropped, not used.
	c := open(t, engine.Settings{"llamacpp.state_dir": dir, "llamacpp.ctx_size": "512"})
	if greedy(c, "x").TokensCached != 0 {
		t.Fatal("a state saved at another context size was used")
	}
	c.Close()
	if stateFile(dir, tinyPath, 1024, options{kvType: "f16"}) == stateFile(dir, tinyPath, 1024, options{kvType: "q8_0"}) {
		t.Fatal("states saved with f16 and q8_0 caches share a name")
	}
	os.WriteFile(files[0], []byte("garbage"), 0o600)
	d := open(t, engine.Settings{"llamacpp.state_dir": dir})
	if res := greedy(d, "count lines"); res.TokensCached != 0 || res.Text != first.Text {
		t.Fatalf("damaged state: cached %d, %q", res.TokensCached, res.Text)
	}
	if _, err := os.Stat(files[0]); !os.IsNotExist(err) {
		t.Error("the damaged file was kept")
	}
}

// A quantized KV cache works (llama.cpp needs flash attention for it,
// turned on with it) and keeps the prefix cache; unknown types are refused
// at load.
func TestKVType(t *testing.T) {
	// The tiny model's heads are 16 wide: too narrow for a quantized
	// cache's 32-wide blocks, where llama.cpp would abort the process.
	_, err := Open(context.Background(), engine.Settings{"model": tinyPath, "llamacpp.kv_type": "q8_0"})
	if err == nil || !strings.Contains(err.Error(), "multiple of 32") {
		t.Fatalf("q8_0 cache with 16-wide heads: %v", err)
	}
	shape := randmodel.Shapes["tiny"]
	shape.Heads, shape.HeadsKV = 2, 1
	wide := filepath.Join(t.TempDir(), "wide-heads.gguf")
	if err := randmodel.WriteF16(wide, shape, 1); err != nil {
		t.Fatal(err)
	}
	for _, kv := range []string{"q8_0", "q4_0"} {
		e := open(t, engine.Settings{"model": wide, "llamacpp.kv_type": kv})
		if !e.opts.flashAttn {
			t.Errorf("%s: flash attention off", kv)
		}
		var last engine.Result
		for _, u := range []string{"list files", "show disk usage"} {
			res, err := e.Generate(context.Background(), engine.Request{Messages: chat(u), MaxTokens: 6}, nil)
			if err != nil {
				t.Fatalf("%s: %v", kv, err)
			}
			last = res
		}
		if last.TokensCached == 0 || last.TokensOut == 0 {
			t.Errorf("%s: cached %d, out %d", kv, last.TokensCached, last.TokensOut)
		}
	}
	_, err = Open(context.Background(), engine.Settings{"model": tinyPath, "llamacpp.kv_type": "q3"})
	if err == nil || !strings.Contains(err.Error(), "llamacpp.kv_type") {
		t.Fatalf("kv_type q3: %v", err)
	}
}

// BatchCost measures and leaves the cache as it was: the next answer is
// the same as without it.
func TestBatchCostLeavesCache(t *testing.T) {
	e := open(t, nil)
	req := engine.Request{Messages: chat("list files"), MaxTokens: 6}
	want, err := e.Generate(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := e.BatchCost(context.Background(), 8); err != nil || d <= 0 {
		t.Fatalf("%v %v", d, err)
	}
	got, err := e.Generate(context.Background(), req, nil)
	if err != nil || got.Text != want.Text || got.TokensCached == 0 {
		t.Fatalf("after BatchCost: %q (cached %d), want %q", got.Text, got.TokensCached, want.Text)
	}
}

// Alternating between prompt families (suggestions, explanations, another
// shell) restores each family's KV state from RAM instead of evaluating it
// again, and the restored state answers exactly as a fresh evaluation.
func TestSnapshotsKeepPromptFamilies(t *testing.T) {
	family := func(i int) []engine.Message {
		sys := fmt.Sprintf("Family %d. ", i) + strings.Repeat(fmt.Sprintf("Instructions for family number %d, to be followed closely. ", i), 6)
		return []engine.Message{{Role: engine.RoleSystem, Content: sys}, {Role: engine.RoleUser, Content: "list the files here"}}
	}
	gen := func(e *Engine, msgs []engine.Message) engine.Result {
		t.Helper()
		res, err := e.Generate(context.Background(), engine.Request{Messages: msgs, MaxTokens: 6}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	e := open(t, nil)
	a1 := gen(e, family(1))
	if a1.TokensIn < 2*minSnapshot || e.stable < minSnapshot {
		t.Fatalf("prompt of %d tokens (%d before the last message) is too short for this test", a1.TokensIn, e.stable)
	}
	// Same family, another request: the live cache keeps the prefix, no copy.
	same := family(1)
	same[1].Content = "show disk usage"
	if r := gen(e, same); r.TokensCached < e.stable || len(e.snaps) != 0 {
		t.Fatalf("same family: cached %d, %d copies", r.TokensCached, len(e.snaps))
	}
	gen(e, family(1))
	b1 := gen(e, family(2))
	if b1.TokensCached >= 20 || len(e.snaps) != 1 {
		t.Fatalf("new family: cached %d, %d copies", b1.TokensCached, len(e.snaps))
	}
	a2 := gen(e, family(1))
	b2 := gen(e, family(2))
	if a2.TokensCached != a2.TokensIn-1 || b2.TokensCached != b2.TokensIn-1 {
		t.Errorf("returning to a family reused %d of %d and %d of %d tokens", a2.TokensCached, a2.TokensIn, b2.TokensCached, b2.TokensIn)
	}
	fresh := open(t, engine.Settings{"llamacpp.prefix_cache": "false"})
	if want := gen(fresh, family(1)); a1.Text != want.Text || a2.Text != want.Text {
		t.Errorf("family 1 answers %q then %q (restored); without any cache %q", a1.Text, a2.Text, want.Text)
	}
	if want := gen(fresh, family(2)); b1.Text != want.Text || b2.Text != want.Text {
		t.Errorf("family 2 answers %q then %q (restored); without any cache %q", b1.Text, b2.Text, want.Text)
	}
	if len(fresh.snaps) != 0 {
		t.Error("copies kept with the prefix cache off")
	}

	// More families than copies: the least recently used goes first.
	for i := 3; i <= 3+maxSnapshots; i++ {
		gen(e, family(i))
	}
	if len(e.snaps) != maxSnapshots {
		t.Errorf("%d copies kept, want %d", len(e.snaps), maxSnapshots)
	}
	if r := gen(e, family(1)); r.TokensCached >= 20 {
		t.Errorf("the oldest family was kept (%d tokens reused)", r.TokensCached)
	}
	if r := gen(e, family(3+maxSnapshots-1)); r.TokensCached != r.TokensIn-1 {
		t.Errorf("a recent family was dropped (%d of %d tokens reused)", r.TokensCached, r.TokensIn)
	}
}

// A prefill leaves the prompt up to the end of the request's content in
// the cache, so the request that follows evaluates only the template's
// closing (its last token too, for the logits) and answers exactly as
// without it; a prefill cancelled part-way leaves a cache that is still
// correct.
func TestPrefill(t *testing.T) {
	msgs := chat("find big files in my home directory")
	fresh := open(t, engine.Settings{"llamacpp.prefix_cache": "false"})
	want, err := fresh.Generate(context.Background(), engine.Request{Messages: msgs, MaxTokens: 8}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := fresh.Generate(context.Background(), engine.Request{Messages: msgs, PromptOnly: true}, nil); err != nil || r.TokensOut != 0 {
		t.Fatalf("prefill without a cache: %+v %v", r, err)
	}

	e := open(t, nil)
	p, err := e.Generate(context.Background(), engine.Request{Messages: msgs, PromptOnly: true}, nil)
	if err != nil || p.TokensOut != 0 || p.Text != "" || len(e.cached) != p.TokensIn {
		t.Fatalf("prefill: %+v, %v, %d cached", p, err, len(e.cached))
	}
	// What ChatML puts after a user turn's content, in this vocabulary.
	bos, _ := e.model.tokenize("", true)
	closing, _ := e.model.tokenize("<|im_end|>\n<|im_start|>assistant\n", true)
	if want := len(closing) - len(bos); e.closing != want {
		t.Errorf("the template's closing is %d tokens, want %d", e.closing, want)
	}
	got, err := e.Generate(context.Background(), engine.Request{Messages: msgs, MaxTokens: 8}, nil)
	if err != nil || got.TokensCached != p.TokensIn || got.TokensIn != p.TokensIn+e.closing || got.Text != want.Text {
		t.Fatalf("after prefill of %d: cached %d of %d, %q (want %q), %v", p.TokensIn, got.TokensCached, got.TokensIn, got.Text, want.Text, err)
	}

	// A long prompt, cancelled while it is evaluated.
	long := chat(strings.Repeat("find big files in my home directory and then some more words ", 40))
	for _, d := range []time.Duration{0, time.Millisecond, 5 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		_, err := e.Generate(ctx, engine.Request{Messages: long, PromptOnly: true}, nil)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("cancelled prefill: %v", err)
		}
		if have := e.lctx.cachedLen(); have != len(e.cached) {
			t.Fatalf("after a cancelled prefill the cache holds %d tokens, the engine thinks %d", have, len(e.cached))
		}
		got, err := e.Generate(context.Background(), engine.Request{Messages: msgs, MaxTokens: 8}, nil)
		if err != nil || got.Text != want.Text {
			t.Fatalf("after a prefill cancelled at %v: %q, want %q (%v)", d, got.Text, want.Text, err)
		}
	}
}

// A prefill told to yield stops between batches: it keeps whole batches,
// and the cache stays correct.
func TestPrefillYields(t *testing.T) {
	long := chat(strings.Repeat("find big files in my home directory and then some more words ", 40))
	closed := make(chan struct{})
	close(closed)
	e := open(t, nil)
	_, err := e.Generate(context.Background(), engine.Request{Messages: long, PromptOnly: true, Yield: closed}, nil)
	if err != nil || len(e.cached) != 0 || e.lctx.cachedLen() != 0 {
		t.Fatalf("yielded before starting: %v, %d cached (%d in the KV cache)", err, len(e.cached), e.lctx.cachedLen())
	}
	for _, d := range []time.Duration{200 * time.Microsecond, time.Millisecond, 3 * time.Millisecond, 10 * time.Millisecond} {
		e := open(t, nil)
		y := make(chan struct{})
		time.AfterFunc(d, func() { close(y) })
		r, err := e.Generate(context.Background(), engine.Request{Messages: long, PromptOnly: true, Yield: y}, nil)
		n := len(e.cached)
		t.Logf("yield after %v: %d of %d tokens evaluated", d, n, r.TokensIn)
		if err != nil || (n%prefillChunk != 0 && n != r.TokensIn) || e.lctx.cachedLen() != n {
			t.Fatalf("yielded after %v: %v, %d of %d tokens cached (%d in the KV cache)", d, err, n, r.TokensIn, e.lctx.cachedLen())
		}
	}
}

func TestDrafterProposes(t *testing.T) {
	d := newDrafter(8)
	hist := []int32{5, 1, 2, 3, 4, 9, 9, 7, 1, 2}
	// The tail 1 2 3 occurred at the start: propose what followed it,
	// draftStart tokens at first.
	if got := d.propose(hist, 3, 8); fmt.Sprint(got) != "[4 9]" {
		t.Errorf("propose = %v, want the 2 tokens after the earlier 1 2 3", got)
	}
	d.verified(2, 2)
	if got := d.propose(hist, 3, 8); fmt.Sprint(got) != "[4 9 9 7]" {
		t.Errorf("after a full match: propose = %v, want 4 tokens", got)
	}
	if got := d.propose(hist, 3, 1); fmt.Sprint(got) != "[4]" {
		t.Errorf("propose with room 1 = %v", got)
	}
	if got := d.propose(hist, 8, 8); got != nil {
		t.Errorf("no earlier 1 2 8: propose = %v", got)
	}
	d.verified(4, 4)
	if d.k != 8 {
		t.Errorf("all accepted twice: k = %d, want 8", d.k)
	}
	d.verified(1, 8)
	if d.k != 2 {
		t.Errorf("one of 8 accepted: k = %d, want 2", d.k)
	}
	for i := 0; i < draftMisses; i++ {
		d.verified(0, 1)
	}
	if d.k != 0 || d.propose(hist, 3, 8) != nil {
		t.Errorf("after %d misses drafting goes on (k = %d)", draftMisses, d.k)
	}
	if off := newDrafter(0); off.propose(hist, 3, 8) != nil {
		t.Error("drafting when off")
	}
}

// Drafted tokens are kept only as far as the model would have chosen them:
// the answer is the one without drafting, the cache stays exact, and on
// prompts that repeat themselves (random weights fall into loops too)
// drafts are accepted.
func TestPromptLookupIsExact(t *testing.T) {
	with := open(t, engine.Settings{"llamacpp.draft": "8"})
	without := open(t, engine.Settings{"llamacpp.draft": "0"})
	accepted := 0
	for _, u := range []string{"list files", "copy report.txt to report.txt.bak and report.txt to backup/report.txt",
		strings.Repeat("ab cd ef ", 20), "find . -name x -name x -name x -name x"} {
		seed := uint32(7)
		for _, req := range []engine.Request{
			{Messages: chat(u), MaxTokens: 48},
			{Messages: chat(u), MaxTokens: 48, Grammar: `root ::= [^\x00-\x20\x7F] [^\x00-\x1F\x7F]*`},
			// Sampled: each token is still drawn once, from the same logits.
			{Messages: chat(u), MaxTokens: 48, Temperature: 0.8, Seed: &seed},
		} {
			a, err := with.Generate(context.Background(), req, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := without.Generate(context.Background(), req, nil)
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != b.Text || a.TokensOut != b.TokensOut {
				t.Errorf("%q: drafting answered %q (%d tokens), without %q (%d)", u, a.Text, a.TokensOut, b.Text, b.TokensOut)
			}
			if b.Drafted != 0 || a.Accepted > a.Drafted {
				t.Errorf("%q: drafted %d/%d with, %d without", u, a.Accepted, a.Drafted, b.Drafted)
			}
			if have := with.lctx.cachedLen(); have != len(with.cached) {
				t.Fatalf("cache holds %d tokens, the engine thinks %d", have, len(with.cached))
			}
			accepted += a.Accepted
		}
	}
	if accepted == 0 {
		t.Error("no drafted token was ever accepted")
	}
}

// A draft model's tokens are checked as prompt lookup's are, so every
// token of the answer is the model's own choice, whatever the draft
// proposes: checked against the model's logits for the answer evaluated
// as a whole (the plain answer is no reference here: a batch's logits
// differ from one token's in the last bits, ~5e-7 on the tiny model,
// enough to flip a near tie of its random weights). The model drafting
// for itself proposes what the model chooses, so most drafts are
// accepted; one with other weights (the same vocabulary) proposes mostly
// tokens the model turns down.
func TestDraftModelIsExact(t *testing.T) {
	other := filepath.Join(t.TempDir(), "other.gguf")
	if err := randmodel.WriteF16(other, randmodel.Shapes["tiny"], 2); err != nil {
		t.Fatal(err)
	}
	ref := open(t, nil)
	for _, c := range []struct {
		name, path string
		self       bool
	}{{"itself", tinyPath, true}, {"other weights", other, false}} {
		e := open(t, engine.Settings{"llamacpp.draft_model": c.path})
		if e.draft == nil {
			t.Fatal("no draft model loaded")
		}
		drafted, accepted := 0, 0
		for _, u := range []string{"list files", "copy report.txt to report.txt.bak", "find . -name x -size +1M"} {
			var ids []int32
			r, err := e.Generate(context.Background(), engine.Request{Messages: chat(u), MaxTokens: 32}, func(tok engine.Token) error {
				ids = append(ids, tok.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != r.TokensOut {
				t.Fatalf("%d tokens seen, %d generated", len(ids), r.TokensOut)
			}
			if i, why := greedyFrom(t, ref, chat(u), ids); why != "" {
				t.Errorf("%s, %q: token %d of %q is not the model's choice: %s", c.name, u, i, r.Text, why)
			}
			if have := e.lctx.cachedLen(); have != len(e.cached) {
				t.Fatalf("%s: the cache holds %d tokens, the engine thinks %d", c.name, have, len(e.cached))
			}
			if have := e.draft.lctx.cachedLen(); have != len(e.draft.cached) {
				t.Fatalf("%s: the draft's cache holds %d tokens, it thinks %d", c.name, have, len(e.draft.cached))
			}
			drafted, accepted = drafted+r.Drafted, accepted+r.Accepted
		}
		t.Logf("%s: %d of %d drafted tokens accepted", c.name, accepted, drafted)
		if drafted == 0 || accepted > drafted {
			t.Errorf("%s: %d of %d drafted tokens accepted", c.name, accepted, drafted)
		}
		if c.self && accepted*4 < drafted*3 {
			t.Errorf("drafting for itself, only %d of %d drafted tokens were accepted", accepted, drafted)
		}
		// Under a grammar and sampled, drafting runs through the same
		// check; its answer still keeps to the grammar.
		seed := uint32(7)
		for _, req := range []engine.Request{
			{Messages: chat("list files"), MaxTokens: 32, Grammar: `root ::= [a-z] [a-z ]*`},
			{Messages: chat("list files"), MaxTokens: 32, Temperature: 0.8, Seed: &seed},
		} {
			r, err := e.Generate(context.Background(), req, nil)
			if err != nil || r.TokensOut == 0 || req.Grammar != "" && !regexp.MustCompile(`^[a-z][a-z ]*$`).MatchString(r.Text) {
				t.Errorf("%s: %+v: %q, %v", c.name, req, r.Text, err)
			}
			if have := e.draft.lctx.cachedLen(); have != len(e.draft.cached) {
				t.Fatalf("%s: the draft's cache holds %d tokens, it thinks %d", c.name, have, len(e.draft.cached))
			}
		}
	}
}

// greedyFrom evaluates msgs' prompt and answer in one batch in e and
// reports the first answer token that is not the most likely one after
// those before it (ties within 1e-4 allowed), with why.
func greedyFrom(t *testing.T, e *Engine, msgs []engine.Message, answer []int32) (int, string) {
	t.Helper()
	prompt, err := e.model.tokenize(e.renderPrompt(msgs), true)
	if err != nil {
		t.Fatal(err)
	}
	e.lctx.keep(0)
	e.cached = e.cached[:0]
	seq := append(prompt, answer[:len(answer)-1]...)
	if err := e.lctx.decode(context.Background(), seq, 0, true); err != nil {
		t.Fatal(err)
	}
	defer e.lctx.keep(0)
	for i, id := range answer {
		l := e.lctx.logits(len(prompt)-1+i, e.model.nVoc)
		best := int32(0)
		for j := range l {
			if l[j] > l[best] {
				best = int32(j)
			}
		}
		if l[id] < l[best]-1e-4 {
			return i, fmt.Sprintf("its logit %g, token %d's %g", l[id], best, l[best])
		}
	}
	return 0, ""
}

// A prefill brings the draft model along, so that the request's drafts
// start from the prompt the user typed; a cancelled request leaves both
// caches as they think they are.
func TestDraftModelPrefill(t *testing.T) {
	e := open(t, engine.Settings{"llamacpp.draft_model": tinyPath})
	msgs := chat("find big files in my home directory")
	p, err := e.Generate(context.Background(), engine.Request{Messages: msgs, PromptOnly: true}, nil)
	if err != nil || len(e.draft.cached) != p.TokensIn || !slices.Equal(e.draft.cached, e.cached) {
		t.Fatalf("after a prefill of %d tokens the draft holds %d (%v)", p.TokensIn, len(e.draft.cached), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err = e.Generate(ctx, engine.Request{Messages: msgs, MaxTokens: 32}, func(engine.Token) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled request: %v", err)
	}
	if have := e.draft.lctx.cachedLen(); have != len(e.draft.cached) {
		t.Fatalf("after a cancel the draft's cache holds %d tokens, it thinks %d", have, len(e.draft.cached))
	}
}

// A draft model must spell every token as the model does; any other is
// refused at load with a one-line reason.
func TestDraftModelVocabulary(t *testing.T) {
	dir := t.TempDir()
	wide := randmodel.Shapes["tiny"]
	wide.Vocab += 2 * vocabSlack
	other := &randmodel.BPE{Tokens: []string{"a", "b", "ab"}, Merges: []string{"a b"}}
	bpe := filepath.Join(dir, "bpe.gguf")
	if err := randmodel.WriteF16With(bpe, randmodel.Shapes["tiny"], 1, other); err != nil {
		t.Fatal(err)
	}
	wideFile := filepath.Join(dir, "wide.gguf")
	if err := randmodel.WriteF16(wideFile, wide, 1); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		wideFile:                        "vocabulary has 3328 tokens, the model's 3072",
		bpe:                             "cannot draft for this model: token ",
		filepath.Join(dir, "none.gguf"): "does not exist",
	} {
		_, err := Open(context.Background(), engine.Settings{"model": tinyPath, "llamacpp.draft_model": path, "llamacpp.state_dir": "off"})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("draft model %s: %v, want one line with %q", filepath.Base(path), err, want)
		}
	}
	// A table padded wider (as model families pad theirs) drafts only
	// tokens the model has.
	padded := randmodel.Shapes["tiny"]
	padded.Vocab += vocabSlack / 2
	paddedFile := filepath.Join(dir, "padded.gguf")
	if err := randmodel.WriteF16(paddedFile, padded, 3); err != nil {
		t.Fatal(err)
	}
	e := open(t, engine.Settings{"llamacpp.draft_model": paddedFile})
	if e.draft.limit != e.model.nVoc {
		t.Errorf("a padded draft vocabulary drafts up to token %d, the model has %d", e.draft.limit, e.model.nVoc)
	}
}
