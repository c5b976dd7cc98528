package agent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/internal/openaitest"
	"github.com/cmdr-sh/cmdr/internal/randmodel"
	"github.com/cmdr-sh/cmdr/internal/testbin"
)

// These tests drive the real thing: the cmdr binary's agent process, its
// real unix socket, a generated model on llama.cpp, and a real HTTP server
// standing in for a slow OpenAI-compatible backend where a test needs
// generation that lasts.

var (
	cmdrBin string
	tinyA   string
	tinyB   string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cmdr-agent-test")
	if err != nil {
		panic(err)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		var err error
		if cmdrBin, err = testbin.Cmdr(dir, "../cmd/cmdr"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		tinyA = filepath.Join(dir, "tiny-a.gguf")
		tinyB = filepath.Join(dir, "tiny-b.gguf")
		if err := randmodel.WriteF16(tinyA, randmodel.Shapes["tiny"], 1); err != nil {
			panic(err)
		}
		if err := randmodel.WriteF16(tinyB, randmodel.Shapes["tiny"], 2); err != nil {
			panic(err)
		}
		return m.Run()
	}()
	os.Exit(code)
}

// env is one user's isolated cmdr world: home, runtime and state dirs.
type env struct {
	t    *testing.T
	home string
	vars []string
	dir  string // where cmdr runs: the request's directory ("": the test's)
}

func newEnv(t *testing.T, vars ...string) *env {
	// A short base path: unix socket paths are limited to 108 bytes.
	home, err := os.MkdirTemp("", "cmdr")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(home, 0o755)
	e := &env{t: t, home: home}
	e.vars = append([]string{
		"HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "CMDR_QUIET_BUILD_WARNING=1",
		"CMDR_MODEL=" + tinyA, "CMDR_LOG_LEVEL=debug", "CMDR_THREADS=1",
	}, vars...)
	t.Cleanup(func() {
		e.cmdr("stop")
		if t.Failed() {
			if b, err := os.ReadFile(e.logPath()); err == nil {
				t.Logf("agent log:\n%s", b)
			}
		}
		os.RemoveAll(home)
	})
	return e
}

func (e *env) socket() string  { return filepath.Join(e.home, "run", "cmdr", "agent.sock") }
func (e *env) logPath() string { return filepath.Join(e.home, "state", "cmdr", "agent.log") }

type out struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

func (e *env) cmdr(args ...string) out {
	return e.cmdrEnv(nil, args...)
}

func (e *env) cmdrEnv(extra []string, args ...string) out {
	cmd := exec.Command(cmdrBin, args...)
	cmd.Env = append(append([]string{}, e.vars...), extra...)
	cmd.Dir = e.dir
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	t0 := time.Now()
	err := cmd.Run()
	o := out{so.String(), se.String(), 0, time.Since(t0)}
	if ee, ok := err.(*exec.ExitError); ok {
		o.code = ee.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return o
}

func (e *env) status() wire.Status {
	e.t.Helper()
	o := e.cmdr("status", "--json")
	if o.code != 0 {
		e.t.Fatalf("status: %s", o.stderr)
	}
	var st wire.Status
	if err := json.Unmarshal([]byte(o.stdout), &st); err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) client() *client.Client {
	return client.New(client.Options{Socket: e.socket()})
}

// raw sends an HTTP request straight to the socket.
func (e *env) raw(method, path string, body []byte) (*http.Response, []byte) {
	e.t.Helper()
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return net.Dial("unix", e.socket())
	}}}
	req, _ := http.NewRequest(method, "http://cmdr"+path, bytes.NewReader(body))
	resp, err := hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAutostartWarmAndSocketPerms(t *testing.T) {
	e := newEnv(t)
	if _, err := os.Stat(e.socket()); err == nil {
		t.Fatal("socket exists before any request")
	}
	cold := e.cmdr("suggest", "--json", "--", "list files")
	if cold.code != 0 {
		t.Fatalf("cold suggest: %s", cold.stderr)
	}
	warm := e.cmdr("suggest", "--json", "--", "list files")
	if warm.code != 0 {
		t.Fatalf("warm suggest: %s", warm.stderr)
	}
	var c, w wire.Suggestion
	json.Unmarshal([]byte(cold.stdout), &c)
	json.Unmarshal([]byte(warm.stdout), &w)
	if c.Command == "" || c.Command != w.Command {
		t.Fatalf("commands %q / %q", c.Command, w.Command)
	}
	if w.Timings.TokensCached == 0 {
		t.Errorf("the warm request reused no cached tokens: %+v", w.Timings)
	}
	// The cold request evaluated what no request had before; the warm
	// one only the uncached rest. Counted in tokens, not timed: a timing
	// here failed when the machine was busy (the speed is make bench's).
	if warmEval, coldEval := w.Timings.TokensIn-w.Timings.TokensCached, c.Timings.TokensIn-c.Timings.TokensCached; warmEval >= coldEval {
		t.Errorf("the warm request evaluated %d prompt tokens, the cold one %d", warmEval, coldEval)
	}
	st := e.status()
	if st.Requests != 2 || !st.Loaded || st.Engine != "llamacpp" || st.Model != "tiny-a.gguf" || st.PID == 0 || st.RSSBytes == 0 {
		t.Fatalf("status %+v", st)
	}
	fi, err := os.Stat(e.socket())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want 0600 socket", fi.Mode())
	}
	di, _ := os.Stat(filepath.Dir(e.socket()))
	if di.Mode().Perm() != 0o700 {
		t.Errorf("socket dir mode %v, want 0700", di.Mode().Perm())
	}
	if o := e.cmdr("stop"); o.code != 0 {
		t.Fatal(o.stderr)
	}
	if _, err := os.Stat(e.socket()); !os.IsNotExist(err) {
		t.Fatalf("socket still there after stop: %v", err)
	}
}

func TestNoAutostart(t *testing.T) {
	e := newEnv(t, "CMDR_NO_AUTOSTART=1")
	o := e.cmdr("suggest", "--", "x")
	if o.code != 1 || !strings.Contains(o.stderr, "not running") || !strings.Contains(o.stderr, "cmdr agent --daemon") {
		t.Fatalf("%+v", o)
	}
	if _, err := os.Stat(e.socket()); err == nil {
		t.Fatal("an agent was started")
	}
}

func TestTenConcurrentClients(t *testing.T) {
	e := newEnv(t)
	e.cmdr("status") // start it
	c := e.client()
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			s, err := c.Suggest(ctx, wire.SuggestRequest{Text: fmt.Sprintf("request number %d", i), Shell: "bash"}, nil)
			if err == nil && s.Command == "" {
				err = fmt.Errorf("client %d: empty command", i)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if st := e.status(); st.Requests != 10 || st.Errors != 0 {
		t.Fatalf("status %+v", st)
	}
}

// slowBackend is an OpenAI-compatible server that streams one token every
// 20 ms for as long as its client listens, and reports when a client
// goes away.
type slowBackend struct {
	*httptest.Server
	started   chan struct{}
	cancelled chan struct{}
	active    atomic.Int32
}

func newSlowBackend(t *testing.T) *slowBackend {
	b := &slowBackend{started: make(chan struct{}, 100), cancelled: make(chan struct{}, 100)}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"data":[{"id":"slow"}]}`)
			return
		}
		b.active.Add(1)
		defer b.active.Add(-1)
		w.Header().Set("Content-Type", "text/event-stream")
		b.started <- struct{}{}
		for {
			if _, err := fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n"); err != nil {
				b.cancelled <- struct{}{}
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				b.cancelled <- struct{}{}
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}))
	t.Cleanup(b.Close)
	return b
}

func (b *slowBackend) vars() []string {
	return []string{"CMDR_ENGINE=openai", "CMDR_OPENAI_URL=" + b.URL + "/v1", "CMDR_OPENAI_TIMEOUT=60s"}
}

func TestClientDisconnectCancels(t *testing.T) {
	b := newSlowBackend(t)
	e := newEnv(t, b.vars()...)
	e.cmdr("status")
	conn, err := net.Dial("unix", e.socket())
	if err != nil {
		t.Fatal(err)
	}
	body := `{"text":"anything","shell":"bash","stream":true}`
	fmt.Fprintf(conn, "POST /v1/suggest HTTP/1.1\r\nHost: cmdr\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	select {
	case <-b.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the backend never saw the request")
	}
	buf := make([]byte, 512)
	if _, err := conn.Read(buf); err != nil { // a token event arrived
		t.Fatal(err)
	}
	conn.Close()
	select {
	case <-b.cancelled:
	case <-time.After(2 * time.Second):
		t.Fatal("generation went on after the client hung up")
	}
	waitFor(t, "no request in flight", 2*time.Second, func() bool { return e.status().InFlight == 0 })
}

func TestBusyWhenQueueFull(t *testing.T) {
	b := newSlowBackend(t)
	e := newEnv(t, append(b.vars(), "CMDR_QUEUE=1")...)
	e.cmdr("status")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.client().Suggest(ctx, wire.SuggestRequest{Text: "slow one", Shell: "bash"}, nil)
	<-b.started
	t0 := time.Now()
	o := e.cmdr("suggest", "--", "second")
	if o.code != 1 || !strings.Contains(o.stderr, "busy") || time.Since(t0) > 5*time.Second {
		t.Fatalf("%+v", o)
	}
}

func TestOtherUserRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another user (setpriv)")
	}
	if _, err := exec.LookPath("setpriv"); err != nil {
		t.Skip("setpriv not installed")
	}
	e := newEnv(t)
	e.cmdr("status")
	// Loosen everything: only the peer-credential check is left.
	for _, p := range []string{e.home, filepath.Join(e.home, "run"), filepath.Dir(e.socket()), e.socket()} {
		if err := os.Chmod(p, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", cmdrBin, "status", "--json")
	cmd.Env = append(append([]string{}, e.vars...), "CMDR_NO_AUTOSTART=1")
	outb, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(outb), "may not use it") || strings.Count(string(outb), "\n") != 1 {
		t.Fatalf("another uid got: %v %s", err, outb)
	}
	if st := e.status(); st.PID == 0 {
		t.Fatal("agent gone")
	}
}

func TestStaleSocketAndKill9(t *testing.T) {
	b := newSlowBackend(t)
	e := newEnv(t, b.vars()...)
	pid := e.status().PID
	// A request in flight when the agent is killed fails fast and clearly.
	done := make(chan out, 1)
	go func() { done <- e.cmdr("suggest", "--", "slow") }()
	<-b.started
	syscall.Kill(pid, syscall.SIGKILL)
	select {
	case o := <-done:
		if o.code == 0 || !strings.Contains(o.stderr, "agent") || o.took > 10*time.Second {
			t.Fatalf("client after kill -9: %+v", o)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("client hung after the agent was killed")
	}
	if _, err := os.Stat(e.socket()); err != nil {
		t.Fatalf("expected a stale socket left behind: %v", err)
	}
	// SIGKILL is delivered asynchronously: until the process is gone, its
	// socket still accepts (and then drops) connections.
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := net.Dial("unix", e.socket())
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the killed agent's socket still accepts")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The next request starts a fresh agent over the stale socket.
	st := e.status()
	if st.PID == pid || st.PID == 0 {
		t.Fatalf("no fresh agent: %+v", st)
	}
}

func TestTwoAgentsRaceLeaveOne(t *testing.T) {
	e := newEnv(t)
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for i := 0; i < 3; i++ {
		cmd := exec.Command(cmdrBin, "agent")
		cmd.Env = e.vars
		var buf bytes.Buffer
		cmd.Stderr = &buf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outs = append(outs, &buf)
	}
	exited := make(chan int, 3)
	for i, cmd := range cmds {
		go func() { cmd.Wait(); exited <- i }()
	}
	// Two of them must give up; one keeps serving.
	var losers []int
	for len(losers) < 2 {
		select {
		case i := <-exited:
			losers = append(losers, i)
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of 3 racing agents exited", len(losers))
		}
	}
	for _, i := range losers {
		if !strings.Contains(outs[i].String(), "already running") {
			t.Errorf("loser %d said %q", i, outs[i].String())
		}
	}
	st := e.status()
	winner := 3 - losers[0] - losers[1]
	if st.PID != cmds[winner].Process.Pid {
		t.Fatalf("status pid %d, survivor %d", st.PID, cmds[winner].Process.Pid)
	}
	e.cmdr("stop")
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("survivor did not exit on stop")
	}
}

func TestMalformedAndOversized(t *testing.T) {
	e := newEnv(t)
	e.cmdr("status")
	cases := []struct {
		body []byte
		code int
		want string
	}{
		{bytes.Repeat([]byte("a"), 70<<10), 413, "too_large"},
		{[]byte(`{"text": "x", `), 400, "malformed"},
		{[]byte("{\"text\": \"\xff\xfe\"}"), 400, "UTF-8"},
		{[]byte(`{"text": "x", "shell": "tcsh"}`), 400, "unknown shell"},
		{[]byte(`{"text": "   "}`), 400, "empty"},
		{[]byte(`[1,2,3]`), 400, "malformed"},
	}
	for _, c := range cases {
		resp, body := e.raw("POST", wire.PathSuggest, c.body)
		if resp.StatusCode != c.code || !strings.Contains(string(body), c.want) {
			t.Errorf("%.40q: %d %s", c.body, resp.StatusCode, body)
		}
	}
	if resp, _ := e.raw("GET", "/v1/nothing", nil); resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
	resp, body := e.raw("GET", wire.PathStatus, nil)
	if resp.StatusCode != 200 || resp.Header.Get(wire.HeaderProtocol) != strconv.Itoa(wire.Version) || !strings.Contains(string(body), `"pid"`) {
		t.Fatalf("agent unwell after bad requests: %d %s", resp.StatusCode, body)
	}
}

func TestReloadSwapsModel(t *testing.T) {
	e := newEnv(t)
	cfgDir := filepath.Join(e.home, "config", "cmdr")
	os.MkdirAll(cfgDir, 0o700)
	writeCfg := func(model string) {
		os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(fmt.Sprintf("model = %q\n", model)), 0o600)
	}
	// The file sets the model; CMDR_MODEL must not override it here.
	e.vars = append(e.vars, "CMDR_MODEL=")
	writeCfg(tinyA)
	if o := e.cmdr("suggest", "--", "x"); o.code != 0 {
		t.Fatal(o.stderr)
	}
	pid := e.status().PID
	writeCfg(tinyB)
	o := e.cmdr("reload")
	if o.code != 0 || !strings.Contains(o.stdout, "tiny-b.gguf") {
		t.Fatalf("%+v", o)
	}
	st := e.status()
	if st.Model != "tiny-b.gguf" || st.PID != pid || !st.Loaded {
		t.Fatalf("after reload: %+v", st)
	}
	// A broken config is refused and the current model keeps serving.
	os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte("model = = broken\n"), 0o600)
	o = e.cmdr("reload")
	if o.code != 1 || !strings.Contains(o.stderr, "config.toml:1") {
		t.Fatalf("broken reload: %+v", o)
	}
	// (The CLI itself refuses the broken file; the agent does not care.)
	if _, err := e.client().Suggest(context.Background(), wire.SuggestRequest{Text: "x", Shell: "bash"}, nil); err != nil {
		t.Fatalf("after a failed reload: %v", err)
	}
	// SIGHUP reloads too.
	writeCfg(tinyA)
	syscall.Kill(pid, syscall.SIGHUP)
	waitFor(t, "SIGHUP reload", 5*time.Second, func() bool { return e.status().Model == "tiny-a.gguf" })
}

func TestKeepAlive(t *testing.T) {
	e := newEnv(t, "CMDR_KEEP_ALIVE=0")
	if o := e.cmdr("suggest", "--", "x"); o.code != 0 {
		t.Fatal(o.stderr)
	}
	// The model goes once the answer is out: soon after the client has
	// it, not before.
	waitFor(t, "unload right after the request with keep_alive=0", 2*time.Second, func() bool { return !e.status().Loaded })
	if st := e.status(); st.Requests != 1 {
		t.Errorf("the request is not counted: %+v", st)
	}
	e2 := newEnv(t, "CMDR_KEEP_ALIVE=300ms")
	if o := e2.cmdr("suggest", "--", "x"); o.code != 0 {
		t.Fatal(o.stderr)
	}
	if !e2.status().Loaded {
		t.Fatal("unloaded at once with keep_alive=300ms")
	}
	waitFor(t, "idle unload", 5*time.Second, func() bool { return !e2.status().Loaded })
	// The next request loads it again.
	if o := e2.cmdr("suggest", "--", "x"); o.code != 0 {
		t.Fatal(o.stderr)
	}
}

// olderBuild copies cmdr into the env's home as another build: its build
// ID comes from the file's time, set an hour back.
func (e *env) olderBuild() string {
	e.t.Helper()
	old := filepath.Join(e.home, "cmdr-old")
	data, err := os.ReadFile(cmdrBin)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(old, data, 0o755); err != nil {
		e.t.Fatal(err)
	}
	os.Chtimes(old, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour))
	return old
}

func TestAgentOfAnotherBuildIsRestarted(t *testing.T) {
	e := newEnv(t)
	old := e.olderBuild()
	cmd := exec.Command(old, "agent")
	cmd.Env = e.vars
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go cmd.Wait()
	waitFor(t, "old agent", 10*time.Second, func() bool { _, err := os.Stat(e.socket()); return err == nil })
	oldPID := cmd.Process.Pid
	o := e.cmdr("suggest", "--", "x")
	if o.code != 0 {
		t.Fatal(o.stderr)
	}
	st := e.status()
	if st.PID == oldPID {
		t.Fatal("the agent from another build was not restarted")
	}
}

// A request under way when another client restarts the agent for a new
// build (after an upgrade, another shell's request) still gets its
// answer: the old agent lets it finish before it exits.
func TestRestartLetsRequestsFinish(t *testing.T) {
	const answerTakes = 3 * time.Second // longer than the grace once was
	started := make(chan struct{}, 10)
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"data":[{"id":"test"}]}`)
			return
		}
		started <- struct{}{}
		select {
		case <-time.After(answerTakes):
		case <-r.Context().Done():
			return
		}
		fmt.Fprint(w, `{"choices":[{"message":{"content":"ls -la"},"finish_reason":"stop"}]}`)
	}))
	defer b.Close()
	e := newEnv(t, "CMDR_ENGINE=openai", "CMDR_OPENAI_URL="+b.URL+"/v1", "CMDR_OPENAI_STREAM=false", "CMDR_OPENAI_RETRIES=0")
	old := e.olderBuild()
	// The old build's client starts its agent and asks.
	first := make(chan out, 1)
	go func() {
		cmd := exec.Command(old, "suggest", "--", "list files")
		cmd.Env = e.vars
		var so, se strings.Builder
		cmd.Stdout, cmd.Stderr = &so, &se
		err := cmd.Run()
		code := 0
		if err != nil {
			code = 1
		}
		first <- out{stdout: so.String(), stderr: se.String(), code: code}
	}()
	select {
	case <-started:
	case <-time.After(15 * time.Second):
		t.Fatal("the old agent never asked the backend")
	}
	// (Asked directly: a client of this build would restart it.)
	var st wire.Status
	if _, b := e.raw(http.MethodGet, wire.PathStatus, nil); json.Unmarshal(b, &st) != nil || st.PID == 0 {
		t.Fatalf("status of the old agent: %q", b)
	}
	// The new build's type-ahead restarts it meanwhile: a prefill is
	// answered at once (skipped: a request is under way), where a request
	// would wait its turn, so the restart comes while the first request
	// runs.
	if o := e.cmdr("suggest", "--prefill", "--", "show files"); o.code != 0 {
		t.Fatalf("the new build's prefill: %+v", o)
	}
	if o := <-first; o.code != 0 || strings.TrimSpace(o.stdout) != "ls -la" {
		t.Fatalf("the request under way during the restart: %+v", o)
	}
	if e.status().PID == st.PID {
		t.Fatal("the agent from another build was not restarted")
	}
}

func TestProtocolMismatchRefused(t *testing.T) {
	e := newEnv(t)
	e.cmdr("status")
	conn, err := net.Dial("unix", e.socket())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /v1/status HTTP/1.1\r\nHost: cmdr\r\n%s: 999\r\n\r\n", wire.HeaderProtocol)
	buf := make([]byte, 1024)
	n, _ := conn.Read(buf)
	if !strings.Contains(string(buf[:n]), "409") {
		t.Fatalf("got %q", buf[:n])
	}
}

func TestModelErrorsKeepAgentServing(t *testing.T) {
	e := newEnv(t, "CMDR_MODEL="+filepath.Join(os.TempDir(), "no-such-model.gguf"))
	o := e.cmdr("suggest", "--", "x")
	if o.code != 1 || !strings.Contains(o.stderr, "does not exist") || strings.Count(o.stderr, "\n") != 1 {
		t.Fatalf("%+v", o)
	}
	st := e.status()
	if st.Loaded || !strings.Contains(st.LoadError, "does not exist") {
		t.Fatalf("%+v", st)
	}
}

func TestDaemonAndLog(t *testing.T) {
	e := newEnv(t, "CMDR_LOG_LEVEL=info")
	o := e.cmdr("agent", "--daemon")
	if o.code != 0 || !strings.Contains(o.stdout, "started") {
		t.Fatalf("%+v", o)
	}
	o = e.cmdr("agent", "--daemon")
	if o.code != 1 || !strings.Contains(o.stderr, "already running") {
		t.Fatalf("second daemon: %+v", o)
	}
	e.cmdr("suggest", "--", "zebra unicorn request")
	b, err := os.ReadFile(e.logPath())
	if err != nil || !strings.Contains(string(b), "agent listening") || !strings.Contains(string(b), "model loaded") {
		t.Fatalf("log: %v %s", err, b)
	}
	if strings.Contains(string(b), "zebra unicorn") {
		t.Fatal("the log holds the user's request at info level")
	}
}

func TestAPIKeyNeverLogged(t *testing.T) {
	b := newSlowBackend(t)
	e := newEnv(t, append(b.vars(), "CMDR_OPENAI_API_KEY=sk-never-log-this", "CMDR_OPENAI_URL=http://127.0.0.1:1/v1", "CMDR_OPENAI_RETRIES=1")...)
	o := e.cmdr("suggest", "--", "x")
	if o.code == 0 || strings.Contains(o.stderr, "sk-never") {
		t.Fatalf("%+v", o)
	}
	st := e.cmdr("status", "--json")
	logb, _ := os.ReadFile(e.logPath())
	for what, text := range map[string]string{"log": string(logb), "status": st.stdout + st.stderr} {
		if strings.Contains(text, "sk-never-log-this") {
			t.Errorf("the API key appears in the %s", what)
		}
	}
	if !strings.Contains(string(logb), "cannot reach") {
		t.Errorf("the log lacks the failure:\n%s", logb)
	}
}

func TestSystemdUnit(t *testing.T) {
	e := newEnv(t)
	o := e.cmdr("agent", "--systemd-unit")
	if o.code != 0 || !strings.Contains(o.stdout, "ExecStart="+cmdrBin+" agent") {
		t.Fatalf("%+v", o)
	}
	if _, err := os.Stat(filepath.Join(e.home, "config", "systemd")); err == nil {
		t.Fatal("printing the unit installed it")
	}
	o = e.cmdr("agent", "--install-systemd")
	if o.code != 0 {
		t.Fatal(o.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.home, "config", "systemd", "user", "cmdr-agent.service")); err != nil {
		t.Fatal(err)
	}
}

// Each way an agent is told to die mid-request: the request in flight
// ends at once with a clear error, and the next one is served by a new
// agent. SIGHUP is a reload and must not stop it.
func TestSignalsMidRequest(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			b := newSlowBackend(t)
			e := newEnv(t, b.vars()...)
			pid := e.status().PID
			done := make(chan out, 1)
			go func() { done <- e.cmdrEnv([]string{"CMDR_TIMEOUT=8s"}, "suggest", "--", "slow") }()
			<-b.started
			syscall.Kill(pid, sig)
			if sig == syscall.SIGHUP {
				time.Sleep(500 * time.Millisecond)
				if st := e.status(); st.PID != pid {
					t.Fatalf("SIGHUP replaced the agent: %d -> %d", pid, st.PID)
				}
				return
			}
			select {
			case o := <-done:
				if o.code == 0 || strings.Count(o.stderr, "\n") != 1 || o.took > 8*time.Second {
					t.Fatalf("client after %v: %+v", sig, o)
				}
			case <-time.After(9 * time.Second):
				t.Fatalf("client hung after %v", sig)
			}
			if st := e.status(); st.PID == pid || st.PID == 0 {
				t.Fatalf("no fresh agent after %v: %+v", sig, st)
			}
		})
	}
}

// A model file deleted while loaded keeps serving (its pages stay
// mapped); the next load says the file is gone.
func TestModelDeletedWhileLoaded(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.gguf")
	b, _ := os.ReadFile(tinyA)
	os.WriteFile(p, b, 0o644)
	e := newEnv(t, "CMDR_MODEL="+p)
	if o := e.cmdr("suggest", "--", "list files"); o.code != 0 {
		t.Fatal(o.stderr)
	}
	os.Remove(p)
	if o := e.cmdr("suggest", "--", "list files again"); o.code != 0 {
		t.Fatalf("after the file was deleted: %s", o.stderr)
	}
	e.cmdr("stop")
	if o := e.cmdr("suggest", "--", "list files"); o.code == 0 || !strings.Contains(o.stderr, "does not exist") {
		t.Fatalf("a new agent on a deleted model: %+v", o)
	}
}

// A runtime directory that cannot be created gives a one-line error
// naming it, and no hang.
func TestUnusableRuntimeDir(t *testing.T) {
	e := newEnv(t)
	for _, dir := range []string{"/proc/self/cmdr-test", "/dev/null/cmdr"} {
		o := e.cmdrEnv([]string{"XDG_RUNTIME_DIR=" + dir}, "suggest", "--", "list files")
		if o.code == 0 || strings.Count(o.stderr, "\n") != 1 || !strings.Contains(o.stderr, dir) || o.took > 10*time.Second {
			t.Errorf("%s: %+v", dir, o)
		}
	}
}

// A full disk under the log does not stop the agent: log lines are
// dropped, answers are not (/dev/full stands in for the full disk).
func TestLogOnFullDisk(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	e := newEnv(t)
	os.MkdirAll(filepath.Dir(e.logPath()), 0o700)
	if err := os.Symlink("/dev/full", e.logPath()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if o := e.cmdr("suggest", "--", fmt.Sprintf("list files %d", i)); o.code != 0 {
			t.Fatalf("with the log on a full disk: %+v", o)
		}
	}
}

// A model file truncated while loaded (mapped): the request that touches
// the missing pages may lose its agent, but it ends with a one-line error,
// and the next request says the file is corrupt instead of crashing again.
func TestModelTruncatedWhileLoaded(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.gguf")
	b, _ := os.ReadFile(tinyA)
	os.WriteFile(p, b, 0o644)
	e := newEnv(t, "CMDR_MODEL="+p, "CMDR_MMAP=true")
	if o := e.cmdr("suggest", "--", "list files"); o.code != 0 {
		t.Fatal(o.stderr)
	}
	os.Truncate(p, int64(len(b)/2))
	var last out
	for i := 0; i < 3; i++ {
		last = e.cmdr("suggest", "--", fmt.Sprintf("list files %d", i))
		if last.code != 0 && strings.Count(last.stderr, "\n") != 1 {
			t.Fatalf("not one line: %+v", last)
		}
		if last.code != 0 && strings.Contains(last.stderr, "truncated") {
			break
		}
	}
	if last.code == 0 || !strings.Contains(last.stderr, "truncated") {
		t.Fatalf("never said the model is truncated: %+v", last)
	}
	if st := e.status(); st.PID == 0 {
		t.Fatal("no agent serving")
	}
}

// A prefill through the real client and agent leaves the typed request's
// prompt in llama.cpp's cache: the request that follows evaluates one
// token, and the agent counts the prefill. A prefill starts the agent.
func TestPrefillWarmsTheRequest(t *testing.T) {
	// Without tool hints, which a last word may add to (a translate test
	// covers what they keep), so that what is left is known.
	e := newEnv(t, "CMDR_CONTEXT_TOOLS=0")
	// What a shell sends at the space before the last word, then at Enter.
	session := []string{"--shell", "zsh", "--last-command", "make test", "--last-status", "2", "--recent", "cd src", "--"}
	args := append(slices.Clone(session), "# list all files ")
	o := e.cmdr(append([]string{"suggest", "--prefill", "--json"}, args...)...)
	var p wire.Prefilled
	if o.code != 0 || json.Unmarshal([]byte(o.stdout), &p) != nil || p.Skipped || p.TokensIn == 0 {
		t.Fatalf("prefill: %d %q %s", o.code, o.stdout, o.stderr)
	}
	if o := e.cmdr("suggest", "--prefill", "--shell", "zsh", "--", "# list"); o.code != 0 || o.stdout != "" {
		t.Fatalf("a prefill without --json printed %q (%s)", o.stdout, o.stderr)
	}
	e.cmdr(append([]string{"suggest", "--prefill"}, args...)...)
	o = e.cmdr(append([]string{"suggest", "--json"}, append(session, "# list all files here")...)...)
	var s wire.Suggestion
	if o.code != 0 || json.Unmarshal([]byte(o.stdout), &s) != nil {
		t.Fatalf("suggest: %d %q %s", o.code, o.stdout, o.stderr)
	}
	// Only the last word and the prompt's closing tokens are left (12
	// with the tiny model's tokenizer).
	if s.Timings.TokensIn-s.Timings.TokensCached > 16 {
		t.Errorf("after the prefill the request evaluated %d of %d tokens (the prefill saw %d)",
			s.Timings.TokensIn-s.Timings.TokensCached, s.Timings.TokensIn, p.TokensIn)
	}
	if st := e.status(); st.Prefills != 3 || st.Requests != 1 {
		t.Errorf("status: %d prefills, %d requests", st.Prefills, st.Requests)
	}
	if o := e.cmdr("suggest", "--prefill", "--no-agent", "--", "x"); o.code != 2 {
		t.Errorf("--prefill --no-agent: exit %d", o.code)
	}
}

// Type-ahead keeps a line's tool hints, through the real client and
// agent: each prefill of a line typed word by word lists the hints of the
// one before first, and so does the request, so no prefill reads a hint
// line the one before evaluated again; a new line starts afresh. (Which
// hints, and the cap, are tested in translate.)
func TestPrefillKeepsToolHints(t *testing.T) {
	e := newEnv(t, fakeTools(t)...)
	words := strings.Fields("# list duplicate files by checksum then compress them")
	for k := 2; k < len(words); k++ {
		if o := e.cmdr("suggest", "--prefill", "--shell", "bash", "--", strings.Join(words[:k], " ")+" "); o.code != 0 {
			t.Fatalf("prefill: %+v", o)
		}
	}
	if o := e.cmdr("suggest", "--shell", "bash", "--", strings.Join(words, " ")); o.code != 0 {
		t.Fatalf("suggest: %+v", o)
	}
	if o := e.cmdr("suggest", "--prefill", "--shell", "bash", "--", "# compress "); o.code != 0 {
		t.Fatalf("prefill: %+v", o)
	}
	b, err := os.ReadFile(e.logPath())
	if err != nil {
		t.Fatal(err)
	}
	var lists [][]string
	for _, m := range hintsLogged.FindAllStringSubmatch(string(b), -1) {
		lists = append(lists, strings.Fields(m[2]))
	}
	// Seven prefills, the request, the new line.
	if len(lists) != len(words) {
		t.Fatalf("%d hint lists logged, want %d", len(lists), len(words))
	}
	grew := false
	for i := 1; i < len(lists)-1; i++ {
		if before := lists[i-1]; len(lists[i]) < len(before) || !slices.Equal(lists[i][:len(before)], before) {
			t.Errorf("hints %v after %v", lists[i], before)
		}
		grew = grew || len(lists[i]) > len(lists[i-1]) && len(lists[i-1]) > 0
	}
	if !grew {
		t.Errorf("the hints never grew: %v", lists)
	}
	if last, typed := lists[len(lists)-1], lists[len(lists)-2]; slices.Equal(last[:min(len(typed), len(last))], typed) {
		t.Errorf("a new line kept the hints %v of the line before: %v", typed, last)
	}
}

// A last word that brings a tool, through the real client and agent: the
// tool's line follows the request in the prompt, so the key press
// evaluates the word, that line and the template's closing, and not the
// request's words again.
func TestLastWordToolFollowsTheRequest(t *testing.T) {
	e := newEnv(t, fakeTools(t)...)
	o := e.cmdr("suggest", "--prefill", "--json", "--shell", "bash", "--", "# show checksums then")
	var p wire.Prefilled
	if o.code != 0 || json.Unmarshal([]byte(o.stdout), &p) != nil || p.Skipped || p.TokensIn == 0 {
		t.Fatalf("prefill: %d %q %s", o.code, o.stdout, o.stderr)
	}
	o = e.cmdr("suggest", "--json", "--shell", "bash", "--", "# show checksums then compress")
	var s wire.Suggestion
	if o.code != 0 || json.Unmarshal([]byte(o.stdout), &s) != nil {
		t.Fatalf("suggest: %d %q %s", o.code, o.stdout, o.stderr)
	}
	b, _ := os.ReadFile(e.logPath())
	lists := hintsLogged.FindAllStringSubmatch(string(b), -1)
	if len(lists) != 2 || strings.Contains(lists[0][2], "gzip") || !strings.HasSuffix(lists[1][2], "gzip") {
		t.Fatalf("hints logged: %v", lists)
	}
	// What the request adds to the prefill's prompt is all it evaluates.
	tm := s.Timings
	if added := tm.TokensIn - p.TokensIn; tm.TokensIn-tm.TokensCached > added || added <= 0 {
		t.Errorf("the request evaluated %d of %d tokens, the prefill had read %d",
			tm.TokensIn-tm.TokensCached, tm.TokensIn, p.TokensIn)
	}
}

// hintsLogged finds the tool hints the agent logs for each prefill and
// request (kind, then the names).
var hintsLogged = regexp.MustCompile(`msg=(prefill|suggest) tools="?\[([^\]]*)\]`)

// fakeTools installs a few programs with manual pages, for tool hints
// that do not depend on the machine's; it returns the agent's variables.
func fakeTools(t *testing.T) []string {
	dir := t.TempDir()
	bin, man := filepath.Join(dir, "bin"), filepath.Join(dir, "man")
	os.MkdirAll(bin, 0o755)
	os.MkdirAll(filepath.Join(man, "man1"), 0o755)
	for name, what := range map[string]string{"ls": "list directory contents", "md5sum": "compute and check MD5 message digest",
		"fdupes": "finds duplicate files in a given set of directories", "gzip": "compress or expand files",
		// Unrelated programs, so that word statistics are like a system's.
		"date": "print the system date", "ip": "manage network interfaces", "ps": "show running processes",
		"chmod": "change file permissions", "mail": "send mail", "at": "schedule jobs", "dig": "query DNS servers"} {
		os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755)
		os.WriteFile(filepath.Join(man, "man1", name+".1"), []byte(fmt.Sprintf(".SH NAME\n%s \\- %s\n", name, what)), 0o644)
	}
	return []string{"MANPATH=" + man, "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
}

// The space after "#" sends a prefill with no words, through the real
// client and agent: it evaluates the context, which the command just run
// changed, and the request typed after it finds all of that in the cache
// but the few tokens where the tool hints now begin ("\nRequest:", at
// most a token a character). A failed last command does not make it a
// fix request: the same prefill with a status of 0 has nothing new.
func TestPrefillBeforeTheFirstWord(t *testing.T) {
	e := newEnv(t, fakeTools(t)...)
	if o := e.cmdr("suggest", "--shell", "bash", "--last-command", "cd src", "--", "# list files"); o.code != 0 {
		t.Fatalf("suggest: %+v", o)
	}
	prefill := func(status, text string) wire.Prefilled {
		t.Helper()
		o := e.cmdr("suggest", "--prefill", "--json", "--shell", "bash", "--recent", "cd src", "--last-command", "make test", "--last-status", status, "--", text)
		var p wire.Prefilled
		if o.code != 0 || json.Unmarshal([]byte(o.stdout), &p) != nil || p.Skipped {
			t.Fatalf("prefill %q: %d %q %s", text, o.code, o.stdout, o.stderr)
		}
		return p
	}
	p := prefill("2", "#")
	if p.TokensIn-p.TokensCached < 5 {
		t.Fatalf("the prefill evaluated nothing of the changed context: %+v", p)
	}
	if again := prefill("0", "# "); again.TokensIn != p.TokensIn || again.TokensCached != again.TokensIn {
		t.Errorf("as a fix %+v, as a plain line %+v", p, again)
	}
	o := e.cmdr("suggest", "--json", "--shell", "bash", "--recent", "cd src", "--last-command", "make test", "--last-status", "2", "--", "# list duplicate files")
	var s wire.Suggestion
	if o.code != 0 || json.Unmarshal([]byte(o.stdout), &s) != nil {
		t.Fatalf("suggest: %d %q %s", o.code, o.stdout, o.stderr)
	}
	b, _ := os.ReadFile(e.logPath())
	var requests [][]string
	for _, m := range hintsLogged.FindAllStringSubmatch(string(b), -1) {
		if m[1] == "suggest" {
			requests = append(requests, strings.Fields(m[2]))
		}
	}
	if len(requests) != 2 || len(requests[1]) == 0 {
		t.Fatalf("the request had no tool hints:\n%s", b)
	}
	if lost := p.TokensIn - s.Timings.TokensCached; lost < 0 || lost > len("\nRequest:") {
		t.Errorf("the request reused %d of the %d tokens the prefill evaluated", s.Timings.TokensCached, p.TokensIn)
	}
	if o := e.cmdr("suggest", "--shell", "bash", "--", "# "); o.code != 2 || !strings.Contains(o.stderr, "no request") {
		t.Errorf("a request with no words: %+v", o)
	}
}

// A line's prefills and its request read its directory once, through the
// real client and agent (git, a process that can take a few hundred
// milliseconds in a large repository, is a script here that counts its
// runs): the line keeps what was read while its session stays the same.
// After a command (a new session), or on another line, it is read again.
func TestLineReadsItsDirectoryOnce(t *testing.T) {
	vars := fakeTools(t)
	bin := strings.Split(strings.TrimPrefix(vars[1], "PATH="), string(os.PathListSeparator))[0]
	calls := filepath.Join(t.TempDir(), "git-calls")
	os.WriteFile(filepath.Join(bin, "git"), []byte("#!/bin/sh\necho \"$*\" >>"+calls+"\n"), 0o755)
	e := newEnv(t, vars...)
	e.dir = t.TempDir()
	os.MkdirAll(filepath.Join(e.dir, ".git"), 0o755)
	os.WriteFile(filepath.Join(e.dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	runs := func() int {
		b, _ := os.ReadFile(calls)
		return strings.Count(string(b), "status")
	}
	send := func(last string, prefill bool, text string) {
		t.Helper()
		args := []string{"suggest", "--shell", "bash", "--last-command", last, "--", text}
		if prefill {
			args = append([]string{"suggest", "--prefill"}, args[1:]...)
		}
		if o := e.cmdr(args...); o.code != 0 {
			t.Fatalf("%q: %+v", text, o)
		}
	}
	for _, l := range []string{"#", "# list ", "# list big "} {
		send("make", true, l)
	}
	send("make", false, "# list big files")
	if n := runs(); n != 1 {
		t.Errorf("a line read its directory %d times", n)
	}
	send("make", false, "# show the branch")
	if n := runs(); n != 2 {
		t.Errorf("another line: %d reads in all, want 2", n)
	}
	send("ls", true, "# list big ")
	send("ls", false, "# list big files")
	if n := runs(); n != 3 {
		t.Errorf("the line after a command: %d reads in all, want 3", n)
	}
}

// With a draft model configured, each suggestion says how many of its
// tokens were drafted and kept, and status totals them, so that a user
// can see whether drafting pays; without one neither appears.
func TestDraftingReported(t *testing.T) {
	e := newEnv(t, "CMDR_DRAFT_MODEL="+tinyA)
	var drafted, accepted int
	for _, text := range []string{"list files", "show disk usage", "find big logs"} {
		r := e.cmdr("suggest", "--json", "--", text)
		var s wire.Suggestion
		if err := json.Unmarshal([]byte(r.stdout), &s); r.code != 0 || err != nil {
			t.Fatalf("suggest %q: %s %v", text, r.stderr, err)
		}
		if s.Timings.TokensAccepted > s.Timings.TokensDrafted {
			t.Errorf("%q: %d of %d drafted tokens kept", text, s.Timings.TokensAccepted, s.Timings.TokensDrafted)
		}
		drafted, accepted = drafted+s.Timings.TokensDrafted, accepted+s.Timings.TokensAccepted
	}
	st := e.status()
	if drafted == 0 || accepted == 0 || st.Drafted != int64(drafted) || st.Accepted != int64(accepted) {
		t.Errorf("requests drafted %d and kept %d; status says %d and %d", drafted, accepted, st.Drafted, st.Accepted)
	}
	want := fmt.Sprintf("drafting %d of %d drafted tokens kept", accepted, drafted)
	if r := e.cmdr("status"); !strings.Contains(r.stdout, want) {
		t.Errorf("status does not say %q:\n%s", want, r.stdout)
	}

	plain := newEnv(t)
	if r := plain.cmdr("suggest", "--json", "--", "list files"); r.code != 0 || strings.Contains(r.stdout, "drafted") {
		t.Errorf("without drafting: %s %s", r.stdout, r.stderr)
	}
	if r := plain.cmdr("status"); strings.Contains(r.stdout, "drafting") {
		t.Errorf("status speaks of drafting without it:\n%s", r.stdout)
	}
}

// A stream's token events are spaced: the first piece goes out at once,
// pieces that follow it closely travel together, and what is held back
// goes out soon even when no piece follows (a server that stalls). Each
// event wakes the client and the shell drawing it, which on two cores
// slows the model's next token.
func TestStreamGroupsPieces(t *testing.T) {
	const answer = "ls -l /tmp/some/where/else"
	got, all := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"data":[{"id":"m"}]}`)
			return
		}
		// Each wait fails the test rather than hang it.
		wait := func(ch chan struct{}, what string) {
			select {
			case <-ch:
			case <-time.After(10 * time.Second):
				t.Error(what)
			}
		}
		openaitest.Chunks(w, answer[:1])
		wait(got, "the first piece did not reach the client while the answer was generated")
		var rest []string
		for _, c := range answer[1:] {
			rest = append(rest, string(c))
		}
		openaitest.Chunks(w, rest...)
		wait(all, "the pieces held back did not reach the client while the server stalled")
		openaitest.Stream(w)
	}))
	defer srv.Close()
	e := newEnv(t, "CMDR_ENGINE=openai", "CMDR_OPENAI_URL="+srv.URL+"/v1", "CMDR_OPENAI_MODEL=m")
	e.cmdr("status")
	var pieces []string
	s, err := e.client().Suggest(context.Background(), wire.SuggestRequest{Text: "list tmp", Shell: "bash"}, func(p string) {
		pieces = append(pieces, p)
		if len(pieces) == 1 {
			close(got)
		}
		if strings.Join(pieces, "") == answer {
			close(all)
		}
	})
	if err != nil || s.Command != answer {
		t.Fatalf("answer %q, error %v", s.Command, err)
	}
	if len(pieces) == 0 || pieces[0] != answer[:1] || strings.Join(pieces, "") != answer {
		t.Fatalf("pieces %q", pieces)
	}
	// 25 pieces back to back after the first: one event, two if the
	// machine stalled for a tenth of a second among them.
	if len(pieces) > 4 {
		t.Errorf("%d token events for %d pieces: %q", len(pieces), len(answer), pieces)
	}
}
