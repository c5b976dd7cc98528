package agent

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/translate"
)

func TestLogFileRotates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "agent.log")
	l, err := OpenLogFile(p, 100)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n"
	for i := 0; i < 7; i++ {
		l.Write([]byte(line))
	}
	l.Close()
	cur, _ := os.ReadFile(p)
	old, _ := os.ReadFile(p + ".1")
	if len(cur) > 100 || len(old) == 0 || len(old) > 100 {
		t.Fatalf("current %d bytes, rotated %d bytes", len(cur), len(old))
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("log mode %v", fi.Mode().Perm())
	}
}

type countingEngine struct {
	engine.Engine
	closed *atomic.Int32
}

func (c countingEngine) Close() error { c.closed.Add(1); return nil }
func (countingEngine) Info() engine.Info {
	return engine.Info{Backend: "fake", Model: "m"}
}

func TestPoolLoadsOnceAndSwaps(t *testing.T) {
	var opens, closed atomic.Int32
	open := func(context.Context) (engine.Engine, error) {
		opens.Add(1)
		time.Sleep(20 * time.Millisecond)
		return countingEngine{closed: &closed}, nil
	}
	p := newPool(open, -1)
	done := make(chan func(), 8)
	for i := 0; i < 8; i++ {
		go func() {
			_, rel, _, err := p.acquire(context.Background())
			if err != nil {
				t.Error(err)
			}
			done <- rel
		}()
	}
	var rels []func()
	for i := 0; i < 8; i++ {
		rels = append(rels, <-done)
	}
	if opens.Load() != 1 {
		t.Fatalf("%d loads for 8 concurrent first requests", opens.Load())
	}
	// A swap while requests hold the old engine closes it only after them.
	if err := p.swap(open, -1); err != nil {
		t.Fatal(err)
	}
	if closed.Load() != 0 {
		t.Fatal("old engine closed while in use")
	}
	for _, r := range rels {
		r()
	}
	time.Sleep(10 * time.Millisecond)
	if closed.Load() != 1 {
		t.Fatalf("old engine closed %d times", closed.Load())
	}
	p.close()
	if closed.Load() != 2 {
		t.Fatalf("close: %d", closed.Load())
	}
	if _, _, _, err := p.acquire(context.Background()); !errors.Is(err, errPoolClosed) {
		t.Fatal(err)
	}
}

func TestPoolLoadErrorIsUnavailable(t *testing.T) {
	p := newPool(func(context.Context) (engine.Engine, error) { return nil, errors.New("model file x does not exist") }, -1)
	_, _, _, err := p.acquire(context.Background())
	if !errors.Is(err, engine.ErrUnavailable) || err.Error() != "model file x does not exist" {
		t.Fatalf("err = %v", err)
	}
}

func TestParseKeepAlive(t *testing.T) {
	for in, want := range map[string]time.Duration{"forever": -1, "": -1, "0": 0, "5m": 5 * time.Minute} {
		if got, err := parseKeepAlive(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := parseKeepAlive("soon"); err == nil {
		t.Error("bad keep_alive accepted")
	}
}

// prefillEngine's prefills run until cancelled or told to yield, and say
// which on stopped; its answers are instant.
type prefillEngine struct {
	engine.Engine
	prefilling chan struct{}
	stopped    chan string
}

func (p prefillEngine) Info() engine.Info { return engine.Info{Backend: "fake", Model: "m"} }
func (p prefillEngine) Close() error      { return nil }
func (p prefillEngine) Generate(ctx context.Context, req engine.Request, _ engine.TokenFunc) (engine.Result, error) {
	if !req.PromptOnly {
		return engine.Result{Text: "ls -la", TokensIn: 10}, nil
	}
	if strings.Contains(req.Messages[len(req.Messages)-1].Content, "quick") {
		return engine.Result{TokensIn: 10}, nil
	}
	p.prefilling <- struct{}{}
	select {
	case <-ctx.Done():
		p.stopped <- "cancelled"
		return engine.Result{TokensIn: 10, TokensCached: 4}, ctx.Err()
	case <-req.Yield:
		p.stopped <- "yielded"
		return engine.Result{TokensIn: 10, TokensCached: 6}, nil
	}
}

// A prefill gives way: a newer prefill or a request makes it yield (end at
// a batch boundary) rather than cancelling it. (The engine's side of it,
// keeping what a stopped prefill evaluated and aborting a batch a request
// shares too little of, is tested on llama.cpp in engine/llamacpp.)
func TestPrefillGivesWay(t *testing.T) {
	fe := prefillEngine{prefilling: make(chan struct{}, 4), stopped: make(chan string, 4)}
	a := &Agent{started: time.Now(), stopCh: make(chan struct{}), queue: make(chan struct{}, 4), maxTok: 8,
		pool: newPool(func(context.Context) (engine.Engine, error) { return fe, nil }, -1)}
	srv := httptest.NewServer(a.routes())
	defer srv.Close()
	post := func(body string) (int, string) {
		resp, err := http.Post(srv.URL+wire.PathSuggest, "application/json", strings.NewReader(body))
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	wait := func(ch chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
			t.Fatalf("timed out waiting for %s", what)
		}
	}
	stop := func(want, what string) {
		t.Helper()
		select {
		case how := <-fe.stopped:
			if how != want {
				t.Errorf("%s: %s, want %s", what, how, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("timed out waiting for %s", what)
		}
	}
	done := make(chan string, 4)
	go func() { _, b := post(`{"text":"# list","shell":"bash","prefill":true}`); done <- b }()
	wait(fe.prefilling, "the first prefill")
	go func() { _, b := post(`{"text":"# list all","shell":"bash","prefill":true}`); done <- b }()
	stop("yielded", "the first prefill, replaced")
	wait(fe.prefilling, "the second prefill")
	if b := <-done; !strings.Contains(b, `"tokens_cached":6`) {
		t.Errorf("a prefill that yielded reports %s", b)
	}
	code, body := post(`{"text":"# list all files","shell":"bash"}`)
	if code != http.StatusOK || !strings.Contains(body, "ls -la") {
		t.Fatalf("request during a prefill: %d %s", code, body)
	}
	stop("yielded", "the second prefill, giving way to a request")
	if b := <-done; !strings.Contains(b, `"tokens_cached":6`) {
		t.Errorf("a prefill that gave way reports %s", b)
	}

	// While a request runs, a prefill is skipped at once.
	a.inFlight.Add(1)
	code, body = post(`{"text":"# list","shell":"bash","prefill":true}`)
	a.inFlight.Add(-1)
	if code != http.StatusOK || !strings.Contains(body, `skipped`) {
		t.Fatalf("prefill during a request: %d %s", code, body)
	}
	if code, body := post(`{"text":"# quick","shell":"bash","prefill":true}`); code != http.StatusOK || !strings.Contains(body, `"tokens_in":10`) {
		t.Fatalf("prefill: %d %s", code, body)
	}
	// Only the prefill that ran to the end counts.
	if st := a.Status(); st.Prefills != 1 || st.Requests != 1 {
		t.Errorf("status counts %d prefills and %d requests", st.Prefills, st.Requests)
	}
}

// A line's hints carry over only to the same line typed further: same
// shell and directory, its words first, the last of them whole.
func TestTypedLineContinues(t *testing.T) {
	l := typedLine{shell: "bash", cwd: "/w", text: "# list big"}
	for _, c := range []struct {
		shell, cwd, text string
		want             bool
	}{
		{"bash", "/w", "# list big", true},
		{"bash", "/w", "# list big files", true},
		{"bash", "/w", "# list bigger files", false},
		{"bash", "/w", "# list", false},
		{"zsh", "/w", "# list big files", false},
		{"bash", "/v", "# list big files", false},
	} {
		if got := l.continues(c.shell, c.cwd, c.text); got != c.want {
			t.Errorf("%q after %q: %v", c.text, l.text, got)
		}
	}
	if !(typedLine{shell: "bash", text: "# list "}).continues("bash", "", "# list files") {
		t.Error("a line ending in a space does not continue")
	}
	if (typedLine{}).continues("bash", "", "# list") {
		t.Error("no line continues")
	}
}

// A line keeps its directory as read while its session (recent commands)
// stays the same, for placeAge.
func TestDirReadServes(t *testing.T) {
	now := time.Now()
	d := dirRead{place: &translate.Place{}, session: []string{"cd src", "make"}, at: now}
	for _, c := range []struct {
		session []string
		at      time.Time
		want    bool
	}{
		{[]string{"cd src", "make"}, now.Add(placeAge / 2), true},
		{[]string{"cd src", "make", "ls"}, now.Add(time.Second), false},
		{[]string{"cd src", "make"}, now.Add(placeAge), false},
	} {
		if got := d.serves(c.session, c.at); got != c.want {
			t.Errorf("%q after %v: %v", c.session, c.at.Sub(now), got)
		}
	}
	if (dirRead{session: d.session, at: now}).serves(d.session, now) {
		t.Error("a line with no directory read served one")
	}
}
