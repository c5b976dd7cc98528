package model

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/internal/randmodel"
)

// hub behaves like the Hugging Face hub where cmdr relies on it: the file
// listing API, resolve redirects carrying X-Linked-Etag and X-Linked-Size,
// storage that honours Range, gated repositories and missing ones. It can
// cut a transfer off midway, and announce a wrong checksum.
type hub struct {
	*httptest.Server
	content []byte
	sum     string
	blobs   map[string][]byte // by sha256: content, and a split model's parts
	split   []string          // the split model's parts' sha256s, in order

	mu        sync.Mutex
	cutNext   int  // transfers still to cut off halfway
	noRanges  bool // storage answers every GET with the whole file
	gets      int  // storage GETs
	ranges    []string
	cdnAuth   []string // Authorization headers that reached storage
	listCalls int
}

func tinyModel(t testing.TB) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tiny.gguf")
	if err := randmodel.WriteF16(p, randmodel.Shapes["tiny"], 3); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newHub(t *testing.T) *hub {
	h := &hub{content: tinyModel(t), blobs: map[string][]byte{}}
	h.sum = h.add(h.content)
	// A model split in two, as the hub holds big ones, in a folder of the
	// repository as some publishers put them.
	parts, err := randmodel.WriteF16Split(filepath.Join(t.TempDir(), "big"), 2, randmodel.Shapes["tiny"], 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		h.split = append(h.split, h.add(b))
	}
	wrong := strings.Repeat("ab", 32)
	entry := func(name, oid string) map[string]any {
		size := len(h.content)
		if b, ok := h.blobs[oid]; ok {
			size = len(b)
		}
		return map[string]any{"type": "file", "path": name, "size": 135,
			"lfs": map[string]any{"oid": oid, "size": size, "pointerSize": 135}}
	}
	repos := map[string][]map[string]any{
		"acme/tiny-GGUF": {{"type": "file", "path": "README.md", "size": 10},
			entry("tiny-Q8_0.gguf", h.sum), entry("tiny-Q4_K_M.gguf", h.sum), entry("tiny-Q4_K_M-imatrix.gguf", h.sum)},
		"acme/bad-GGUF":   {entry("bad-Q8_0.gguf", wrong)},
		"acme/gated-GGUF": {entry("gated-Q8_0.gguf", h.sum)},
		"acme/big-GGUF": {{"type": "directory", "path": "Q4_K_M", "size": 0},
			entry("Q4_K_M/big-Q4_K_M-00002-of-00002.gguf", h.split[1]), entry("Q4_K_M/big-Q4_K_M-00001-of-00002.gguf", h.split[0]),
			entry("big-Q8_0.gguf", h.sum)},
		"acme/torn-GGUF": {entry("torn-Q4_K_M-00001-of-00002.gguf", h.split[0])},
	}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		repo := ""
		for name := range repos {
			if strings.Contains(p, "/"+name+"/") {
				repo = name
			}
		}
		if repo == "acme/gated-GGUF" && r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, `{"error":"Access to model acme/gated-GGUF is restricted."}`, http.StatusUnauthorized)
			return
		}
		switch {
		case strings.HasPrefix(p, "/api/models/") && strings.HasSuffix(p, "/tree/main"):
			if repo == "" {
				http.Error(w, `{"error":"Repository not found"}`, http.StatusNotFound)
				return
			}
			h.mu.Lock()
			h.listCalls++
			h.mu.Unlock()
			json.NewEncoder(w).Encode(repos[repo])
		case strings.Contains(p, "/resolve/main/"):
			name := p[strings.Index(p, "/resolve/main/")+len("/resolve/main/"):]
			var oid string
			for _, e := range repos[repo] {
				if e["path"] == name {
					oid = e["lfs"].(map[string]any)["oid"].(string)
				}
			}
			if oid == "" {
				http.Error(w, "Entry not found", http.StatusNotFound)
				return
			}
			w.Header().Set("X-Linked-Etag", `"`+oid+`"`)
			w.Header().Set("X-Linked-Size", fmt.Sprint(len(h.blob(oid))))
			w.Header().Set("Location", "/cdn/"+oid+"?signed=1")
			w.WriteHeader(http.StatusFound)
		case strings.HasPrefix(p, "/cdn/"):
			h.mu.Lock()
			h.gets++
			if r.Method == "GET" {
				h.ranges = append(h.ranges, r.Header.Get("Range"))
			}
			h.cdnAuth = append(h.cdnAuth, r.Header.Get("Authorization"))
			cut := r.Method == "GET" && h.cutNext > 0
			if cut {
				h.cutNext--
			}
			h.mu.Unlock()
			content := h.blob(strings.TrimPrefix(p, "/cdn/"))
			if h.noRanges && r.Method == "GET" {
				w.WriteHeader(http.StatusOK)
				w.Write(content)
				return
			}
			if cut {
				// Half the bytes, then the connection dies.
				w.Header().Set("Content-Length", fmt.Sprint(len(content)))
				w.WriteHeader(http.StatusOK)
				w.Write(content[:len(content)/2])
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			}
			http.ServeContent(w, r, "m.gguf", time.Time{}, bytes.NewReader(content))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// add stores b as a blob and returns its sha256.
func (h *hub) add(b []byte) string {
	s := sha256.Sum256(b)
	sum := hex.EncodeToString(s[:])
	h.blobs[sum] = b
	return sum
}

// blob is the file with that sha256; an unknown one (a wrong checksum
// announced) gets the tiny model.
func (h *hub) blob(oid string) []byte {
	if b, ok := h.blobs[oid]; ok {
		return b
	}
	return h.content
}

func puller(t *testing.T, h *hub) *Puller {
	t.Setenv("HF_ENDPOINT", h.URL)
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HOME", t.TempDir()) // no token saved by a login
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	p := NewPuller()
	p.Retries = 2
	return p
}

func TestPullResumesVerifiesAndInstalls(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	h.cutNext = 1
	var last int64
	p.Progress = func(done, total int64) { last = done }
	m, err := p.Pull(context.Background(), "acme/tiny-GGUF:Q8_0")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(m.Path)
	if !bytes.Equal(got, h.content) || m.Name != "acme/tiny-GGUF/tiny-Q8_0.gguf" || last != int64(len(h.content)) {
		t.Fatalf("%+v, %d bytes, progress %d", m, len(got), last)
	}
	// The cut-off transfer was resumed from where it broke.
	if len(h.ranges) != 2 || h.ranges[0] != "" || h.ranges[1] != fmt.Sprintf("bytes=%d-", len(h.content)/2) {
		t.Fatalf("ranges %q", h.ranges)
	}
	if _, err := os.Stat(m.Path + ".part"); !os.IsNotExist(err) {
		t.Error("a .part file was left")
	}
	// Listed and resolvable by name and by repo:quant; never downloaded twice.
	found := false
	for _, l := range List() {
		found = found || l.Name == m.Name && l.Source == SourcePulled
	}
	if !found {
		t.Errorf("not listed: %+v", List())
	}
	for _, ref := range []string{m.Name, "acme/tiny-GGUF:q8_0", m.Path} {
		if p, err := Resolve(ref); err != nil || p != m.Path {
			t.Errorf("Resolve(%q) = %q, %v", ref, p, err)
		}
	}
	gets := h.gets
	if _, err := p.Pull(context.Background(), "acme/tiny-GGUF:Q8_0"); err != nil || h.gets != gets {
		t.Errorf("second pull: %v, %d storage requests more", err, h.gets-gets)
	}
	// The plain file wins over a variant of the same quantization.
	m, err = p.Pull(context.Background(), "acme/tiny-GGUF:Q4_K_M")
	if err != nil || filepath.Base(m.Path) != "tiny-Q4_K_M.gguf" {
		t.Fatalf("%+v %v", m, err)
	}
	if _, err := Remove(m.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(m.Path); !os.IsNotExist(err) {
		t.Error("rm left the file")
	}
}

// A pull interrupted for good leaves only a .part file, never a model;
// the next pull resumes it.
// A storage server that ignores Range sends the whole file again: the
// part is started over, and the checksum (computed while writing) covers
// only the new bytes, not what the part held before.
func TestPullRestartsWhenRangeIgnored(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	h.noRanges = true
	part := filepath.Join(Dir(), "acme", "tiny-GGUF", "tiny-Q8_0.gguf.part")
	os.MkdirAll(filepath.Dir(part), 0o755)
	os.WriteFile(part, []byte("stale bytes of an older transfer"), 0o644)
	m, err := p.Pull(context.Background(), "acme/tiny-GGUF/tiny-Q8_0.gguf")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(m.Path); !bytes.Equal(b, h.content) {
		t.Fatal("installed file differs from the hub's")
	}
	if h.ranges[0] == "" {
		t.Error("the part was not offered for resuming")
	}
}

func TestPullInterruptedThenResumed(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	p.Retries = 0
	h.cutNext = 1
	_, err := p.Pull(context.Background(), "acme/tiny-GGUF/tiny-Q8_0.gguf")
	if err == nil || !strings.Contains(err.Error(), "run the same pull again to resume") {
		t.Fatalf("got %v", err)
	}
	target := filepath.Join(Dir(), "acme", "tiny-GGUF", "tiny-Q8_0.gguf")
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatal("a half file sits where the model belongs")
	}
	if st, err := os.Stat(target + ".part"); err != nil || st.Size() != int64(len(h.content)/2) {
		t.Fatalf("part: %v", err)
	}
	if _, err := Resolve("acme/tiny-GGUF/tiny-Q8_0.gguf"); err == nil {
		t.Error("a partial model resolves")
	}
	if _, err := p.Pull(context.Background(), "acme/tiny-GGUF/tiny-Q8_0.gguf"); err != nil {
		t.Fatal(err)
	}
	if h.ranges[len(h.ranges)-1] != fmt.Sprintf("bytes=%d-", len(h.content)/2) {
		t.Errorf("not resumed: %q", h.ranges)
	}
}

func TestPullRefusals(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	for _, c := range []struct{ ref, want string }{
		{"acme/bad-GGUF:Q8_0", "checksum mismatch"},
		{"acme/gated-GGUF:Q8_0", "gated or private: accept its license on the hub and set HF_TOKEN"},
		{"acme/nothing-GGUF:Q8_0", "was not found on " + h.URL},
		{"acme/tiny-GGUF:Q3_K_S", "has no Q3_K_S file; it has Q4_K_M, Q8_0"},
		{"acme/tiny-GGUF/none.gguf", "has no file none.gguf"},
		{"not a ref", "bad model reference"},
	} {
		_, err := p.Pull(context.Background(), c.ref)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want %q", c.ref, err, c.want)
		}
	}
	// Nothing of the bad download is left anywhere.
	if files, _ := filepath.Glob(filepath.Join(Dir(), "acme", "bad-GGUF", "*")); len(files) != 0 {
		t.Errorf("left behind: %v", files)
	}
	// With the token: the hub gets it, storage never does.
	p.Token = "s3cret"
	h.cdnAuth = nil
	if _, err := p.Pull(context.Background(), "acme/gated-GGUF:Q8_0"); err != nil {
		t.Fatal(err)
	}
	for _, a := range h.cdnAuth {
		if a != "" {
			t.Fatal("the token was sent to storage")
		}
	}
}

func TestPullChecksDiskSpace(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	old := freeSpace
	defer func() { freeSpace = old }()
	freeSpace = func(string) (uint64, error) { return 1 << 20, nil }
	_, err := p.Pull(context.Background(), "acme/tiny-GGUF:Q8_0")
	if err == nil || !strings.Contains(err.Error(), "not enough disk space") {
		t.Fatalf("got %v", err)
	}
	if len(h.ranges) != 0 {
		t.Error("downloaded despite no room")
	}
	// The real statfs says this machine has room.
	if free, err := old(os.TempDir()); err != nil || free == 0 {
		t.Errorf("statfs: %d %v", free, err)
	}
}

func TestParseRef(t *testing.T) {
	for in, want := range map[string]Ref{
		"Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF:Q4_K_M": {Repo: "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF", Quant: "Q4_K_M"},
		"bartowski/x-GGUF/x-Q8_0.gguf":                 {Repo: "bartowski/x-GGUF", File: "x-Q8_0.gguf"},
		"hf.co/a/b:Q8_0":                               {Repo: "a/b", Quant: "Q8_0"},
		"a/b/sub/dir/f.gguf":                           {Repo: "a/b", File: "sub/dir/f.gguf"},
	} {
		if got, err := ParseRef(in); err != nil || got != want {
			t.Errorf("ParseRef(%q) = %+v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "a", "a/b", "a/b:", "../x/y:Q8_0", "a/b/c.txt", "a b/c:Q8_0"} {
		if _, err := ParseRef(bad); err == nil {
			t.Errorf("ParseRef(%q) accepted", bad)
		}
	}
	for name, q := range map[string]string{"qwen2.5-coder-1.5b-instruct-q4_k_m.gguf": "Q4_K_M", "x.Q8_0.gguf": "Q8_0",
		"Llama-3.2-1B-Instruct-IQ4_XS.gguf": "IQ4_XS", "model-f16.gguf": "F16", "plain.gguf": ""} {
		if got := quantOf(name); got != q {
			t.Errorf("quantOf(%q) = %q, want %q", name, got, q)
		}
	}
}

// storeHome points HOME and the XDG directories at a new directory with
// no other tool's models in sight, and returns it with a model's bytes.
func storeHome(t *testing.T) (string, []byte) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	t.Setenv("OLLAMA_MODELS", "")
	t.Setenv("HF_HOME", "")
	t.Setenv("HF_HUB_CACHE", "")
	return home, tinyModel(t)
}

// ollamaModel stores content in home's Ollama store as
// qwen2.5-coder:1.5b, as Ollama does: a manifest naming a model layer
// (and a template) stored as a blob, whose path it returns.
func ollamaModel(t *testing.T, home string, content []byte) string {
	sum := sha256.Sum256(content)
	digest := "sha256:" + hex.EncodeToString(sum[:])
	ol := filepath.Join(home, ".ollama", "models")
	os.MkdirAll(filepath.Join(ol, "blobs"), 0o755)
	blob := filepath.Join(ol, "blobs", strings.Replace(digest, ":", "-", 1))
	os.WriteFile(blob, content, 0o644)
	man := filepath.Join(ol, "manifests", "registry.ollama.ai", "library", "qwen2.5-coder", "1.5b")
	os.MkdirAll(filepath.Dir(man), 0o755)
	os.WriteFile(man, []byte(`{"schemaVersion":2,"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"`+digest+`","size":1},
		{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:00","size":1}]}`), 0o644)
	return blob
}

// Models other tools keep are found where they keep them, and never
// deleted by cmdr.
func TestDiscovery(t *testing.T) {
	home, content := storeHome(t)
	ollamaModel(t, home, content)
	// Hugging Face cache: a snapshot symlink into blobs.
	hf := filepath.Join(home, "cache", "huggingface", "hub", "models--acme--tiny-GGUF")
	os.MkdirAll(filepath.Join(hf, "blobs"), 0o755)
	os.MkdirAll(filepath.Join(hf, "snapshots", "abc123"), 0o755)
	os.WriteFile(filepath.Join(hf, "blobs", "f00"), content, 0o644)
	os.Symlink("../../blobs/f00", filepath.Join(hf, "snapshots", "abc123", "tiny-Q8_0.gguf"))
	// LM Studio.
	lm := filepath.Join(home, ".lmstudio", "models", "acme", "tiny-GGUF")
	os.MkdirAll(lm, 0o755)
	os.WriteFile(filepath.Join(lm, "tiny-Q4_0.gguf"), content, 0o644)
	// Added by path.
	mine := filepath.Join(home, "mine.gguf")
	os.WriteFile(mine, content, 0o644)
	if _, err := Add(mine); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(home, "bad.gguf")
	os.WriteFile(bad, content[:len(content)/3], 0o644)
	if _, err := Add(bad); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("a truncated file was added: %v", err)
	}

	want := map[string]string{
		"ollama:qwen2.5-coder:1.5b":              SourceOllama,
		"hf:acme/tiny-GGUF/tiny-Q8_0.gguf":       SourceHF,
		"lmstudio:acme/tiny-GGUF/tiny-Q4_0.gguf": SourceLMStudio,
		mine:                                     SourceAdded,
	}
	got := map[string]string{}
	for _, m := range List() {
		got[m.Name] = m.Source
		if m.Size != int64(len(content)) {
			t.Errorf("%s: size %d", m.Name, m.Size)
		}
		if _, err := Inspect(m.Path); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
	for n, s := range want {
		if got[n] != s {
			t.Errorf("%s: source %q, want %q (all: %v)", n, got[n], s, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("extra models: %v", got)
	}
	if _, err := Remove("ollama:qwen2.5-coder:1.5b"); err == nil || !strings.Contains(err.Error(), "belongs to ollama") {
		t.Errorf("rm of an Ollama model: %v", err)
	}
	if _, err := Remove(mine); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Error("rm deleted an added file")
	}
	// No model configured: the message names what was found.
	_, err := Resolve("")
	if err == nil || !strings.Contains(err.Error(), "3 found on this machine") || !strings.Contains(err.Error(), "cmdr model use") {
		t.Errorf("got %v", err)
	}
	if _, err := Resolve("nothing:here"); err == nil || !strings.Contains(err.Error(), "unknown model") || strings.Contains(err.Error(), "pull") {
		t.Errorf("got %v", err)
	}
	// Only what reads as a hub reference is offered for pulling.
	if _, err := Resolve("acme/other-GGUF:Q8_0"); err == nil || !strings.Contains(err.Error(), "`cmdr model pull acme/other-GGUF:Q8_0` downloads it") {
		t.Errorf("got %v", err)
	}
}

// A model answers to its file's name, with or without .gguf, and to its
// name without the other tool's prefix, where that names one file; one
// that names several says which.
func TestResolveShortNames(t *testing.T) {
	home, content := storeHome(t)
	blob := ollamaModel(t, home, content)
	mine := filepath.Join(home, "models", "mine.gguf")
	os.MkdirAll(filepath.Dir(mine), 0o755)
	os.WriteFile(mine, content, 0o644)
	// The same file name twice: a pulled model and an LM Studio one.
	pulled := filepath.Join(Dir(), "acme", "tiny-GGUF", "tiny-Q8_0.gguf")
	lm := filepath.Join(home, ".lmstudio", "models", "acme", "tiny-GGUF", "tiny-Q8_0.gguf")
	for _, p := range []string{pulled, lm} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, content, 0o644)
	}
	if _, err := Add(mine); err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{
		"mine":                                   mine,
		"mine.gguf":                              mine,
		"qwen2.5-coder:1.5b":                     blob,
		"acme/tiny-GGUF/tiny-Q8_0.gguf":          pulled, // the pulled model's full name
		"lmstudio:acme/tiny-GGUF/tiny-Q8_0.gguf": lm,
	} {
		if got, err := Resolve(ref); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", ref, got, err, want)
		}
	}
	// The name to configure: a short one's full name, a full one as given.
	for ref, want := range map[string]string{
		"mine":                mine,
		"qwen2.5-coder:1.5b":  "ollama:qwen2.5-coder:1.5b",
		"acme/tiny-GGUF:Q8_0": "acme/tiny-GGUF:Q8_0",
	} {
		if _, got, err := ResolveName(ref); err != nil || got != want {
			t.Errorf("ResolveName(%q) names %q, %v; want %q", ref, got, err, want)
		}
	}
	t.Chdir(filepath.Dir(mine))
	if path, name, err := ResolveName("mine.gguf"); err != nil || path != "mine.gguf" || name != mine {
		t.Errorf("a file here: ResolveName = %q, %q, %v; want the path as given and the absolute one %q", path, name, err, mine)
	}
	if _, _, err := ResolveName("tiny-Q8_0"); err == nil {
		t.Error("an ambiguous name resolved")
	}
	_, err := Resolve("tiny-Q8_0")
	if err == nil || !strings.Contains(err.Error(), "could be any of 2 models") ||
		!strings.Contains(err.Error(), "acme/tiny-GGUF/tiny-Q8_0.gguf, lmstudio:acme/tiny-GGUF/tiny-Q8_0.gguf") {
		t.Errorf("an ambiguous name: %v", err)
	}
	// A path's last part is not a name: a file that is not there is not
	// found by its name elsewhere.
	if _, err := Resolve(filepath.Join(home, "elsewhere", "mine.gguf")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a missing path: %v", err)
	}
}

// With nothing anywhere, the message says exactly what to do.
func TestFirstRun(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_DATA_HOME", "XDG_CACHE_HOME", "OLLAMA_MODELS", "HF_HOME", "HF_HUB_CACHE"} {
		t.Setenv(v, "")
	}
	_, err := Resolve("")
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{"cmdr model pull", DefaultRef, "cmdr model add PATH", "CMDR_ENGINE=openai"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q lacks %q", err, s)
		}
	}
}

func TestInfo(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.gguf")
	os.WriteFile(p, tinyModel(t), 0o644)
	in, err := Inspect(p)
	if err != nil {
		t.Fatal(err)
	}
	if in.Architecture != "llama" || in.Parameters == 0 || !in.ChatTemplate || in.ContextLength == 0 || in.Quantization != "F16" {
		t.Errorf("%+v", in)
	}
	if in.MemoryEstimate(4096) <= in.WeightsBytes {
		t.Error("no KV cache in the estimate")
	}
	// The engine runs no more context than the model was trained for
	// (2048 tokens for the tiny shape): so does the estimate.
	if got := in.Context(4096); uint64(got) != in.ContextLength || in.Context(512) != 512 {
		t.Errorf("context of 4096 = %d, of 512 = %d (trained for %d)", got, in.Context(512), in.ContextLength)
	}
	os.WriteFile(p, []byte("not a model at all"), 0o644)
	if _, err := Inspect(p); err == nil || !strings.Contains(err.Error(), "not a GGUF model file") {
		t.Errorf("got %v", err)
	}
}

// The disk filling up mid-download is said plainly, at once, and
// installs nothing (/dev/full stands in for the .part file's disk).
func TestPullDiskFullMidway(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	h := newHub(t)
	p := puller(t, h)
	dir := filepath.Join(Dir(), "acme", "tiny-GGUF")
	os.MkdirAll(dir, 0o755)
	if err := os.Symlink("/dev/full", filepath.Join(dir, "tiny-Q8_0.gguf.part")); err != nil {
		t.Fatal(err)
	}
	_, err := p.Pull(context.Background(), "acme/tiny-GGUF:Q8_0")
	if err == nil || !strings.Contains(err.Error(), "disk is full") || len(h.ranges) != 1 {
		t.Fatalf("got %v after %d transfers", err, len(h.ranges))
	}
	if _, err := os.Stat(filepath.Join(dir, "tiny-Q8_0.gguf")); !os.IsNotExist(err) {
		t.Fatal("a model was installed")
	}
}

// A hub that cannot be reached at all says what still works offline.
func TestPullHubUnreachable(t *testing.T) {
	t.Setenv("HF_ENDPOINT", "http://127.0.0.1:1")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	p := NewPuller()
	p.Retries = 0
	for _, ref := range []string{"acme/tiny-GGUF:Q8_0", "acme/tiny-GGUF/tiny-Q8_0.gguf"} {
		_, err := p.Pull(context.Background(), ref)
		if err == nil || !strings.Contains(err.Error(), "cannot reach the model hub http://127.0.0.1:1") || !strings.Contains(err.Error(), "cmdr model add PATH") {
			t.Errorf("%s: %v", ref, err)
		}
	}
}

// A model the hub holds split across files is pulled whole: every part,
// resumed where a transfer broke, verified, installed beside the others
// under the names llama.cpp looks for, and known by its first part.
func TestPullSplitModel(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	total := int64(len(h.blobs[h.split[0]]) + len(h.blobs[h.split[1]]))
	var seen []int64
	p.Progress = func(done, all int64) {
		if all != total || len(seen) > 0 && done < seen[len(seen)-1] {
			t.Errorf("progress %d of %d after %v", done, all, seen)
		}
		seen = append(seen, done)
	}
	h.cutNext = 1
	m, err := p.Pull(context.Background(), "acme/big-GGUF:Q4_K_M")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(Dir(), "acme", "big-GGUF")
	first, second := filepath.Join(dir, "big-Q4_K_M-00001-of-00002.gguf"), filepath.Join(dir, "big-Q4_K_M-00002-of-00002.gguf")
	if m.Name != "acme/big-GGUF/big-Q4_K_M-00001-of-00002.gguf" || m.Path != first || m.Size != total || seen[len(seen)-1] != total {
		t.Fatalf("%+v (progress ended at %d of %d)", m, seen[len(seen)-1], total)
	}
	for i, path := range []string{first, second} {
		if b, _ := os.ReadFile(path); !bytes.Equal(b, h.blobs[h.split[i]]) {
			t.Errorf("part %d differs from the hub's", i+1)
		}
	}
	if parts, _ := filepath.Glob(filepath.Join(dir, "*.part")); len(parts) != 0 {
		t.Errorf("left: %v", parts)
	}
	in, err := Inspect(m.Path)
	if err != nil || len(in.Parts) != 2 || in.FileSize != total {
		t.Fatalf("inspect: %+v %v", in, err)
	}
	// One model in the list, of both parts' size, found by repo:quant.
	var listed []Model
	for _, l := range List() {
		if strings.HasPrefix(l.Name, "acme/big-GGUF/") {
			listed = append(listed, l)
		}
	}
	if len(listed) != 1 || listed[0].Name != m.Name || listed[0].Size != total {
		t.Errorf("listed: %+v", listed)
	}
	if path, err := Resolve("acme/big-GGUF:q4_k_m"); err != nil || path != first {
		t.Errorf("resolve: %q %v", path, err)
	}
	// Pulled again, by either part's name: nothing downloaded.
	gets := h.gets
	for _, ref := range []string{"acme/big-GGUF:Q4_K_M", "acme/big-GGUF/Q4_K_M/big-Q4_K_M-00002-of-00002.gguf"} {
		if again, err := p.Pull(context.Background(), ref); err != nil || again.Path != first || h.gets != gets {
			t.Errorf("%s again: %+v %v, %d storage requests", ref, again, err, h.gets-gets)
		}
	}
	// rm removes every part.
	if _, err := Remove(m.Name); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Errorf("rm left %v", left)
	}
}

// A split pull broken for good in its second part installs nothing; the
// next one downloads only what is missing.
func TestPullSplitModelInterrupted(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	p.Retries = 0
	// The first part whole, the second cut off halfway.
	h.cutNext = 0
	old := p.Progress
	p.Progress = func(done, total int64) {
		if done == int64(len(h.blobs[h.split[0]])) {
			h.mu.Lock()
			h.cutNext = 1
			h.mu.Unlock()
		}
	}
	_, err := p.Pull(context.Background(), "acme/big-GGUF:Q4_K_M")
	if err == nil || !strings.Contains(err.Error(), "run the same pull again to resume") {
		t.Fatalf("got %v", err)
	}
	p.Progress = old
	for _, l := range List() {
		if strings.HasPrefix(l.Name, "acme/big-GGUF/") {
			t.Errorf("a partial split model is listed: %+v", l)
		}
	}
	if _, err := Resolve("acme/big-GGUF:Q4_K_M"); err == nil {
		t.Error("a partial split model resolves")
	}
	h.ranges = nil
	m, err := p.Pull(context.Background(), "acme/big-GGUF:Q4_K_M")
	if err != nil {
		t.Fatal(err)
	}
	// Only the second part was asked for, from where it broke.
	if want := fmt.Sprintf("bytes=%d-", len(h.blobs[h.split[1]])/2); len(h.ranges) != 1 || h.ranges[0] != want {
		t.Errorf("ranges %q, want [%s]", h.ranges, want)
	}
	if _, err := Inspect(m.Path); err != nil {
		t.Error(err)
	}
}

func TestPullSplitModelRefusals(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	_, err := p.Pull(context.Background(), "acme/torn-GGUF:Q4_K_M")
	if err == nil || err.Error() != "acme/torn-GGUF has no torn-Q4_K_M-00002-of-00002.gguf: the model torn-Q4_K_M-00001-of-00002.gguf is split into 2 files and one is missing" {
		t.Errorf("torn: %v", err)
	}
	// The room needed is that of all the parts, checked before the first.
	old := freeSpace
	defer func() { freeSpace = old }()
	room := uint64(len(h.blobs[h.split[0]])) + spaceMargin
	freeSpace = func(string) (uint64, error) { return room, nil }
	_, err = p.Pull(context.Background(), "acme/big-GGUF:Q4_K_M")
	if err == nil || !strings.Contains(err.Error(), "not enough disk space") || len(h.ranges) != 0 {
		t.Errorf("no room: %v, %d transfers", err, len(h.ranges))
	}
	// A quantization's error lists the split one too.
	_, err = p.Pull(context.Background(), "acme/big-GGUF:Q6_K")
	if err == nil || !strings.Contains(err.Error(), "it has Q4_K_M, Q8_0") {
		t.Errorf("quantizations: %v", err)
	}
}

// A split model in another tool's store (the Hugging Face cache links
// each part into its blobs) is one model, listed by its first part.
func TestDiscoverySplit(t *testing.T) {
	home, _ := storeHome(t)
	parts, err := randmodel.WriteF16Split(filepath.Join(t.TempDir(), "big-Q4_K_M"), 2, randmodel.Shapes["tiny"], 4, nil)
	if err != nil {
		t.Fatal(err)
	}
	hf := filepath.Join(home, "cache", "huggingface", "hub", "models--acme--big-GGUF")
	snap := filepath.Join(hf, "snapshots", "abc123")
	os.MkdirAll(filepath.Join(hf, "blobs"), 0o755)
	os.MkdirAll(snap, 0o755)
	var total int64
	for i, p := range parts {
		b, _ := os.ReadFile(p)
		total += int64(len(b))
		blob := fmt.Sprintf("b%d", i)
		os.WriteFile(filepath.Join(hf, "blobs", blob), b, 0o644)
		os.Symlink("../../blobs/"+blob, filepath.Join(snap, filepath.Base(p)))
	}
	models := List()
	if len(models) != 1 || models[0].Name != "hf:acme/big-GGUF/big-Q4_K_M-00001-of-00002.gguf" || models[0].Size != total {
		t.Fatalf("listed %+v, want the first part, %d bytes", models, total)
	}
	if in, err := Inspect(models[0].Path); err != nil || len(in.Parts) != 2 {
		t.Errorf("inspect: %v", err)
	}
	if _, err := Add(parts[1]); err == nil || !strings.Contains(err.Error(), "part 2 of 2 of a split model: use its first part, big-Q4_K_M-00001-of-00002.gguf") {
		t.Errorf("a later part was added: %v", err)
	}
	// Without its second part it is no model.
	os.Remove(filepath.Join(snap, filepath.Base(parts[1])))
	if _, err := Inspect(models[0].Path); err == nil || !strings.Contains(err.Error(), "part 2 of 2 (big-Q4_K_M-00002-of-00002.gguf) is missing") {
		t.Errorf("inspect without part 2: %v", err)
	}
}

// A model pulled before needs no hub: with HF_HUB_OFFLINE set, or the hub
// out of reach, pull finds it here; one that is not here says why.
func TestPullOffline(t *testing.T) {
	h := newHub(t)
	p := puller(t, h)
	for _, ref := range []string{"acme/tiny-GGUF/tiny-Q4_K_M-imatrix.gguf", "acme/tiny-GGUF:Q4_K_M", "acme/big-GGUF:Q4_K_M"} {
		if _, err := p.Pull(context.Background(), ref); err != nil {
			t.Fatal(err)
		}
	}
	check := func(how string) {
		t.Helper()
		for ref, want := range map[string]string{
			"acme/tiny-GGUF:Q4_K_M":                               "tiny-Q4_K_M.gguf", // the plain file, as online
			"acme/tiny-GGUF/tiny-Q4_K_M-imatrix.gguf":             "tiny-Q4_K_M-imatrix.gguf",
			"acme/big-GGUF:q4_k_m":                                "big-Q4_K_M-00001-of-00002.gguf",
			"acme/big-GGUF/Q4_K_M/big-Q4_K_M-00002-of-00002.gguf": "big-Q4_K_M-00001-of-00002.gguf",
		} {
			m, err := p.Pull(context.Background(), ref)
			if err != nil || filepath.Base(m.Path) != want || m.Size == 0 {
				t.Errorf("%s, %s: %+v %v, want %s", how, ref, m, err, want)
			}
		}
	}
	t.Setenv("HF_HUB_OFFLINE", "1")
	lists := h.listCalls
	check("HF_HUB_OFFLINE")
	if h.listCalls != lists {
		t.Error("the hub was asked while HF_HUB_OFFLINE is set")
	}
	if _, err := p.Pull(context.Background(), "acme/tiny-GGUF:Q8_0"); err == nil || !strings.Contains(err.Error(), "HF_HUB_OFFLINE is set") {
		t.Errorf("offline, not here: %v", err)
	}
	t.Setenv("HF_HUB_OFFLINE", "")
	h.Close()
	check("hub down")
	if _, err := p.Pull(context.Background(), "acme/tiny-GGUF:Q8_0"); err == nil || !strings.Contains(err.Error(), "cannot reach the model hub") {
		t.Errorf("hub down, not here: %v", err)
	}
	// Half a split model is not a model.
	os.Remove(filepath.Join(Dir(), "acme", "big-GGUF", "big-Q4_K_M-00002-of-00002.gguf"))
	if _, err := p.Pull(context.Background(), "acme/big-GGUF:Q4_K_M"); err == nil {
		t.Error("half a split model was found")
	}
}

// The token a Hugging Face login saved is used when HF_TOKEN is not set.
func TestPullSavedToken(t *testing.T) {
	h := newHub(t)
	puller(t, h)
	os.WriteFile(filepath.Join(os.Getenv("HF_HOME"), "token"), []byte("s3cret\n"), 0o600)
	p := NewPuller()
	if _, err := p.Pull(context.Background(), "acme/gated-GGUF:Q8_0"); err != nil {
		t.Fatal(err)
	}
	// HF_TOKEN_PATH names another file; HF_TOKEN wins over both.
	t.Setenv("HF_TOKEN_PATH", filepath.Join(t.TempDir(), "none"))
	if NewPuller().Token != "" {
		t.Error("a token from HF_HOME despite HF_TOKEN_PATH")
	}
	t.Setenv("HF_TOKEN", "from-env")
	if NewPuller().Token != "from-env" {
		t.Error("HF_TOKEN does not win")
	}
}
