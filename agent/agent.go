package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/explain"
	"github.com/cmdr-sh/cmdr/internal/config"
	"github.com/cmdr-sh/cmdr/translate"
)

// ErrAlreadyRunning is returned by Run when another agent serves the
// socket or holds its lock.
var ErrAlreadyRunning = errors.New("a cmdr agent is already running for this user")

// Options configure an agent.
type Options struct {
	// Socket is the unix socket path; its directory is made private.
	Socket string
	// LoadConfig reads the configuration; Reload calls it again.
	LoadConfig func() (*config.Config, error)
	// Version and Build identify this cmdr build to clients.
	Version, Build string
	// Reload, when it receives, re-reads the configuration (SIGHUP).
	Reload <-chan os.Signal
}

// Agent serves requests on the socket with a warm engine.
type Agent struct {
	opts    Options
	pool    *pool
	started time.Time

	mu       sync.Mutex
	settings engine.Settings // the engine's settings, to tell if a reload changes them
	engName  string
	keep     time.Duration
	maxTok   int
	ctxOpts  translate.ContextOptions
	tools    *translate.ToolIndex
	queue    chan struct{}

	statsMu   sync.Mutex
	requests  int64
	errors    int64
	latencies []float64 // last latencyWindow totals, ms
	last      float64
	inFlight  atomic.Int32
	prefills  int64
	drafted   int64
	accepted  int64

	// prefillYield asks the running prefill, if any, to hand over at its
	// next batch boundary; prefillSeq tells a prefill whether it is still
	// the one registered. Under mu.
	prefillYield func()
	prefillSeq   uint64
	// typed is the line the last prefill evaluated, its tool hints and
	// its directory as read, which the next prompt for the same line
	// keeps (translate.GatherInput.Prior and Place). Under mu.
	typed typedLine

	stopOnce sync.Once
	stopCh   chan struct{}
}

const latencyWindow = 1000

// Run starts an agent and serves until ctx ends or a client asks it to
// stop. It removes its socket on the way out.
func Run(ctx context.Context, o Options) error {
	cfg, err := o.LoadConfig()
	if err != nil {
		return err
	}
	a := &Agent{opts: o, started: time.Now(), stopCh: make(chan struct{})}
	if err := a.apply(cfg, false); err != nil {
		return err
	}

	dir := filepath.Dir(o.Socket)
	if err := config.EnsurePrivateDir(dir); err != nil {
		return err
	}
	config.SweepScratch(dir)
	lock, err := lockAgent(filepath.Join(dir, "agent.lock"), o.Socket)
	if err != nil {
		return err
	}
	defer lock.Close()
	// Dial before listen: a live socket means another agent (one started
	// without the lock, by an older build) is serving.
	if c, err := net.DialTimeout("unix", o.Socket, time.Second); err == nil {
		c.Close()
		return ErrAlreadyRunning
	}
	if err := os.Remove(o.Socket); err == nil {
		slog.Info("removed stale socket", "path", o.Socket)
	}
	// The umask keeps the socket private from the moment it exists.
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", o.Socket)
	syscall.Umask(old)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.Socket, err)
	}
	defer os.Remove(o.Socket)
	if err := os.Chmod(o.Socket, 0o600); err != nil {
		ln.Close()
		return err
	}

	baseCtx, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	srv := &http.Server{
		Handler:           a.routes(),
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
		ErrorLog:          nil,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(&peerListener{Listener: ln, uid: os.Getuid()}) }()
	slog.Info("agent listening", "socket", o.Socket, "pid", os.Getpid(), "version", o.Version, "engine", a.engName)
	a.pool.warm()

wait:
	for {
		select {
		case <-ctx.Done():
			slog.Info("agent stopping", "reason", "signal")
			break wait
		case <-a.stopCh:
			slog.Info("agent stopping", "reason", "stop request")
			break wait
		case <-o.Reload:
			if err := a.Reload(); err != nil {
				slog.Error("reload failed; the current model keeps serving", "error", err)
			}
		case err := <-served:
			return fmt.Errorf("serving: %w", err)
		}
	}
	// Let running requests finish, then cancel them: generation stops
	// within a token once its context ends.
	grace, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		cancelAll()
		srv.Close()
	}
	a.pool.close()
	slog.Info("agent stopped")
	return nil
}

// stopGrace is how long a stopping agent lets running requests finish.
// A client that finds the agent of an earlier build (an upgrade) stops it
// while other shells' requests may be under way: this lets an answer in
// progress end normally (a 1.5B model's command takes ~2 s on two cores).
// A new agent waits a second longer than this for the old one's lock.
const stopGrace = 4 * time.Second

// apply installs a configuration: the engine opener, keep_alive and the
// queue size. On reload it swaps the model only when engine settings
// changed.
func (a *Agent) apply(cfg *config.Config, reload bool) error {
	name := cfg.Engine()
	g, err := parseGeneral(cfg)
	if err != nil {
		return err
	}
	keep, queue, maxTok, ctxOpts := g.keep, g.queue, g.maxTok, g.ctxOpts
	backend := cfg.Backend(name)
	open := func(ctx context.Context) (engine.Engine, error) { return engine.Open(ctx, name, backend) }

	a.mu.Lock()
	changed := name != a.engName || !reflect.DeepEqual(backend, a.settings)
	a.mu.Unlock()
	switch {
	case !reload:
		a.pool = newPool(open, keep)
	case changed:
		if err := a.pool.swap(open, keep); err != nil {
			return err
		}
	default:
		a.pool.configure(open, keep)
	}
	a.mu.Lock()
	a.engName, a.settings, a.keep, a.maxTok, a.ctxOpts = name, backend, keep, maxTok, ctxOpts
	a.typed = typedLine{} // read under the settings before
	if a.tools == nil {
		a.tools = translate.NewToolIndex(translate.IndexOptions{CachePath: config.ToolIndexPath()})
		// Reading the man pages takes most of a second the first time;
		// a request arriving meanwhile waits for it rather than racing.
		if ctxOpts.Tools {
			go a.tools.Warm(context.Background())
		}
	}
	if a.queue == nil || cap(a.queue) != queue {
		// Requests already admitted release into the old channel.
		a.queue = make(chan struct{}, queue)
	}
	a.mu.Unlock()
	return nil
}

// general holds the settings the agent itself uses, whatever the engine.
type general struct {
	keep    time.Duration
	queue   int
	maxTok  int
	ctxOpts translate.ContextOptions
}

func parseGeneral(cfg *config.Config) (general, error) {
	var g general
	if _, err := engine.Lookup(cfg.Engine()); err != nil {
		return g, err
	}
	s := cfg.Settings()
	var err error
	if g.keep, err = parseKeepAlive(s.String("keep_alive")); err != nil {
		return g, err
	}
	if g.queue, err = s.Int("agent.queue", 32); err != nil || g.queue < 1 {
		return g, fmt.Errorf("agent.queue must be a positive number: %q", s.String("agent.queue"))
	}
	if g.maxTok, err = s.Int("max_tokens", translate.MaxCommandTokens); err != nil || g.maxTok < 1 {
		return g, fmt.Errorf("max_tokens must be a positive number: %q", s.String("max_tokens"))
	}
	g.ctxOpts, err = translate.ContextOptionsFrom(s)
	return g, err
}

// CheckConfig reports the first setting the agent could not use: its
// own, and its engine's as the engine reads them, without loading a
// model or calling a server. cmdr doctor runs it, so that a value which
// would stop the agent (or only a reload) is found before a request is.
func CheckConfig(cfg *config.Config) error {
	if _, err := parseGeneral(cfg); err != nil {
		return err
	}
	if _, err := ParseLogLevel(cfg.Get("log_level")); err != nil {
		return err
	}
	b, _ := engine.Lookup(cfg.Engine())
	if b.Check == nil {
		return nil
	}
	return b.Check(cfg.Backend(cfg.Engine()))
}

// ParseLogLevel reads log_level: debug, info, warn or error (empty:
// info).
func ParseLogLevel(v string) (slog.Level, error) {
	var l slog.Level
	v = strings.TrimSpace(v)
	if v == "" {
		return slog.LevelInfo, nil
	}
	if err := l.UnmarshalText([]byte(v)); err != nil {
		return slog.LevelInfo, fmt.Errorf("log_level %q: want debug, info, warn or error", v)
	}
	return l, nil
}

// parseKeepAlive: "forever" (or -1) keeps the model, a duration unloads
// after that much idle time, 0 unloads after each request.
func parseKeepAlive(v string) (time.Duration, error) {
	switch v {
	case "", "forever", "-1", "inf":
		return -1, nil
	case "0":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("keep_alive %q: want forever, 0, or a duration like 10m", v)
	}
	return d, nil
}

// Reload re-reads the configuration and swaps the model if its settings
// changed. The socket stays open throughout; on error the running model
// keeps serving.
func (a *Agent) Reload() error {
	cfg, err := a.opts.LoadConfig()
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	if err := a.apply(cfg, true); err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	slog.Info("configuration reloaded", "engine", a.engName)
	return nil
}

func (a *Agent) stop() { a.stopOnce.Do(func() { close(a.stopCh) }) }

func (a *Agent) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.PathStatus, a.handleStatus)
	mux.HandleFunc("POST "+wire.PathSuggest, a.handleSuggest)
	mux.HandleFunc("POST "+wire.PathExplain, a.handleExplain)
	mux.HandleFunc("POST "+wire.PathStop, a.handleStop)
	mux.HandleFunc("POST "+wire.PathReload, a.handleReload)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(wire.HeaderProtocol, fmt.Sprint(wire.Version))
		w.Header().Set(wire.HeaderBuild, a.opts.Build)
		// Clients send their protocol; curl by hand need not.
		if p := r.Header.Get(wire.HeaderProtocol); p != "" && p != fmt.Sprint(wire.Version) {
			writeError(w, http.StatusConflict, wire.CodeBadRequest,
				fmt.Sprintf("client speaks protocol %s, this agent %d", p, wire.Version))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(wire.ErrorBody{Error: msg, Code: code})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// decode reads and validates a request body, answering the error itself.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, wire.MaxRequestBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, wire.CodeTooLarge,
			fmt.Sprintf("request is over the %d-byte limit", wire.MaxRequestBytes))
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, wire.CodeBadRequest, "reading request: "+err.Error())
		return false
	}
	if err := wire.Decode(body, v); err != nil {
		writeError(w, http.StatusBadRequest, wire.CodeBadRequest, err.Error())
		return false
	}
	return true
}

func (a *Agent) handleStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, a.Status())
}

// Status reports the agent's state.
func (a *Agent) Status() wire.Status {
	info, loaded, loadErr := a.pool.info()
	a.mu.Lock()
	st := wire.Status{
		PID: os.Getpid(), UptimeS: time.Since(a.started).Seconds(), Engine: a.engName,
		Model: info.Model, Loaded: loaded, Version: a.opts.Version, Build: a.opts.Build,
		Protocol: wire.Version, Socket: a.opts.Socket, KeepAlive: keepString(a.keep), EngineNote: info.Note,
	}
	if !loaded {
		st.Model = a.settings.String("model")
		if st.Model == "" {
			st.Model = a.settings.String("openai.model")
		}
	}
	a.mu.Unlock()
	if loadErr != nil {
		st.LoadError = loadErr.Error()
	}
	a.statsMu.Lock()
	st.Requests, st.Errors, st.LastMS, st.Prefills = a.requests, a.errors, a.last, a.prefills
	st.Drafted, st.Accepted = a.drafted, a.accepted
	st.P50MS, st.P95MS = percentile(a.latencies, 50), percentile(a.latencies, 95)
	a.statsMu.Unlock()
	st.InFlight = int(a.inFlight.Load())
	st.RSSBytes = rss()
	st.Goroutines = runtime.NumGoroutine()
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		st.OpenFDs = len(fds)
	}
	return st
}

func keepString(d time.Duration) string {
	if d < 0 {
		return "forever"
	}
	return d.String()
}

func percentile(v []float64, p int) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

// record counts a request served with timings tm, or failed when tm is
// nil.
func (a *Agent) record(tm *wire.Timings) {
	a.statsMu.Lock()
	defer a.statsMu.Unlock()
	a.requests++
	if tm == nil {
		a.errors++
		return
	}
	a.drafted, a.accepted = a.drafted+int64(tm.TokensDrafted), a.accepted+int64(tm.TokensAccepted)
	ms := tm.TotalMS
	a.last = ms
	if len(a.latencies) >= latencyWindow {
		a.latencies = a.latencies[1:]
	}
	a.latencies = append(a.latencies, ms)
}

func (a *Agent) handleStop(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{"stopping": true, "pid": os.Getpid()})
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	a.stop()
}

func (a *Agent) handleReload(w http.ResponseWriter, _ *http.Request) {
	if err := a.Reload(); err != nil {
		writeError(w, http.StatusInternalServerError, wire.CodeInternal, err.Error())
		return
	}
	writeJSON(w, a.Status())
}

func (a *Agent) handleSuggest(w http.ResponseWriter, r *http.Request) {
	var req wire.SuggestRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Shell == "" {
		req.Shell = "bash"
	}
	if !translate.ValidShell(req.Shell) {
		writeError(w, http.StatusBadRequest, wire.CodeBadRequest, fmt.Sprintf("unknown shell %q (want bash, zsh or fish)", req.Shell))
		return
	}
	treq := translate.Request{Text: req.Text, Shell: req.Shell, LastCommand: req.LastCommand, Recent: req.Recent, Alternatives: req.Alternatives}
	if req.LastStatus != nil {
		treq.LastStatus = *req.LastStatus
	}
	// A prefill may have no words yet: "# " starts evaluating the context.
	if translate.StripHash(req.Text) == "" && !treq.IsFix() && !req.Prefill {
		writeError(w, http.StatusBadRequest, wire.CodeBadRequest, "empty request: type what you want to do")
		return
	}
	if req.Prefill {
		a.prefill(w, r, treq, req.Cwd)
		return
	}
	a.mu.Lock()
	maxTok := a.maxTok
	a.mu.Unlock()
	treq.Context, _ = a.gather(r.Context(), treq, req.Cwd, false)
	slog.Debug("suggest", "tools", treq.Context.Tools)
	a.serve(w, r, req.Stream, func(ctx context.Context, eng engine.Engine, fn engine.TokenFunc) (any, *wire.Timings, error) {
		treq.MaxTokens = maxTok
		s, err := translate.Suggest(ctx, eng, treq, fn)
		if err != nil {
			return nil, nil, err
		}
		out := WireSuggestion(s)
		return &out, &out.Timings, nil
	})
}

func (a *Agent) handleExplain(w http.ResponseWriter, r *http.Request) {
	var req wire.ExplainRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Command == "" {
		writeError(w, http.StatusBadRequest, wire.CodeBadRequest, "no command to explain")
		return
	}
	a.serve(w, r, req.Stream, func(ctx context.Context, eng engine.Engine, fn engine.TokenFunc) (any, *wire.Timings, error) {
		res, err := eng.Generate(ctx, engine.Request{Messages: explain.SummaryMessages(req.Command, req.Docs), MaxTokens: 200}, fn)
		if err != nil {
			return nil, nil, err
		}
		info := eng.Info()
		out := wire.Explanation{Command: req.Command, Summary: translate.StripEscapes(res.Text), Engine: info.Backend, Model: info.Model}
		t := Timings(res)
		return &out, &t, nil
	})
}

// gather collects the grounded context for treq, run from cwd; typing
// marks a prefill, whose request is still being typed. It also returns
// the directory as read for the prompt, for the line to keep: the line's
// own when it still serves, a new reading otherwise, none when a git
// status was cut short by a prefill yielding.
func (a *Agent) gather(ctx context.Context, treq translate.Request, cwd string, typing bool) (*translate.Context, dirRead) {
	a.mu.Lock()
	ctxOpts, tools := a.ctxOpts, a.tools
	var prior []translate.Tool
	var dir dirRead
	if a.typed.continues(treq.Shell, cwd, treq.Text) {
		prior = a.typed.hints
		if a.typed.dir.serves(treq.Session(), time.Now()) {
			dir = a.typed.dir
		}
	}
	a.mu.Unlock()
	place := dir.place
	if place == nil {
		at := time.Now()
		p := translate.ReadPlace(ctx, cwd, ctxOpts)
		place = &p
		if ctx.Err() == nil {
			dir = dirRead{place: place, session: treq.Session(), at: at}
		}
	}
	c := translate.Gather(ctx, translate.GatherInput{Text: treq.Text, Shell: treq.Shell, Cwd: cwd, Recent: treq.Session(),
		Typing: typing, Prior: prior, Place: place}, ctxOpts, tools)
	return &c, dir
}

// typedLine is a line type-ahead evaluated: its request so far, the tool
// hints its prompt got, and its directory as read for it.
type typedLine struct {
	shell, cwd, text string
	hints            []translate.Tool
	dir              dirRead
}

// dirRead is a directory as read for a line, with the session (recent
// commands) and time of the reading.
type dirRead struct {
	place   *translate.Place
	session []string
	at      time.Time
}

// placeAge bounds how long a line keeps its directory as read. While a
// line is typed its shell runs nothing (the same session says so), but
// other programs may change the directory: a line typed for longer than
// this reads it again, and the prompt follows.
const placeAge = 30 * time.Second

// serves reports whether the reading still serves a prompt of the same
// line from session, at now.
func (d dirRead) serves(session []string, now time.Time) bool {
	return d.place != nil && slices.Equal(session, d.session) && now.Sub(d.at) < placeAge
}

// continues reports whether text, from shell in cwd, is the line typed
// further: it starts with the line's words, the last of them whole. A
// line left unfinished that a new one starts with serves as well: its
// hints are those its words get typed, as the new line's would be.
func (l typedLine) continues(shell, cwd, text string) bool {
	if l.text == "" || shell != l.shell || cwd != l.cwd || !strings.HasPrefix(text, l.text) {
		return false
	}
	rest := text[len(l.text):]
	return rest == "" || strings.HasSuffix(l.text, " ") || rest[0] == ' '
}

// prefill evaluates treq's prompt while the user is still typing it. It
// is skipped while a request runs. A newer prefill, sent at the next
// space, or a request makes it yield: it ends at its next batch boundary,
// so the batch in progress, whose tokens the newer prompt shares, is not
// lost. (Aborted at every space, a model whose batch takes longer than a
// word to type, as 1.5B on 2 cores, would never get anywhere.) A request
// does not always wait for that batch: the engine aborts it when the
// request shares too little of it (engine/llamacpp/preempt.go).
func (a *Agent) prefill(w http.ResponseWriter, r *http.Request, treq translate.Request, cwd string) {
	ctx := r.Context()
	// Once it yields, the context it is still gathering (git) is wasted.
	gctx, stopGather := context.WithCancel(ctx)
	defer stopGather()
	yield := make(chan struct{})
	var once sync.Once
	a.mu.Lock()
	if a.prefillYield != nil {
		a.prefillYield()
	}
	a.prefillSeq++
	seq := a.prefillSeq
	a.prefillYield = func() { once.Do(func() { close(yield); stopGather() }) }
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		if a.prefillSeq == seq {
			a.prefillYield = nil
		}
		a.mu.Unlock()
	}()
	// serve counts a request in flight before it makes the prefill yield,
	// so one of the two always sees the other.
	if a.inFlight.Load() > 0 {
		writeResult(w, wire.Prefilled{Skipped: true})
		return
	}
	yielded := func() bool {
		select {
		case <-yield:
			return true
		default:
			return false
		}
	}
	var dir dirRead
	treq.Context, dir = a.gather(gctx, treq, cwd, true)
	a.mu.Lock()
	current := a.prefillSeq == seq
	if current {
		a.typed = typedLine{shell: treq.Shell, cwd: cwd, text: treq.Text, hints: treq.Context.ToolInfo, dir: dir}
	}
	a.mu.Unlock()
	if !current || yielded() { // replaced while gathering: nothing evaluated yet
		writeResult(w, wire.Prefilled{Skipped: true})
		return
	}
	eng, release, _, err := a.pool.acquire(ctx)
	if err != nil {
		if ctx.Err() == nil {
			writeError(w, http.StatusServiceUnavailable, wire.CodeUnavailable, err.Error())
		}
		return
	}
	res, err := translate.Prefill(ctx, eng, treq, yield)
	release()
	out := wire.Prefilled{TokensIn: res.TokensIn, TokensCached: res.TokensCached,
		PromptEvalMS: float64(res.Timings.PromptEval.Microseconds()) / 1000}
	if err != nil && ctx.Err() == nil {
		writeError(w, http.StatusInternalServerError, wire.CodeInternal, err.Error())
		return
	}
	handedOver := yielded()
	if err == nil && !handedOver {
		a.statsMu.Lock()
		a.prefills++
		a.statsMu.Unlock()
	}
	slog.Debug("prefill", "tools", treq.Context.Tools, "tokens_in", out.TokensIn, "cached", out.TokensCached, "ms", out.PromptEvalMS, "cancelled", ctx.Err() != nil, "yielded", handedOver)
	if r.Context().Err() == nil {
		writeResult(w, out)
	}
}

// yieldPrefill makes a running prefill end at its next batch boundary, so
// that a request waits for no more than the batch in progress, and the
// engine decides about that one: the llama.cpp engine keeps it when the
// request's prompt shares enough of it, and aborts it otherwise.
func (a *Agent) yieldPrefill() {
	a.mu.Lock()
	if a.prefillYield != nil {
		a.prefillYield()
		a.prefillYield = nil
	}
	a.mu.Unlock()
}

// writeResult sends v as a stream's single result event.
func writeResult(w http.ResponseWriter, v any) {
	raw, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/x-ndjson")
	json.NewEncoder(w).Encode(wire.Event{Type: wire.EventResult, Result: raw})
}

// WireSuggestion converts a suggestion for the wire.
func WireSuggestion(s translate.Suggestion) wire.Suggestion {
	return wire.Suggestion{Command: s.Command, Risk: string(s.Risk.Level), Reasons: s.Risk.Reasons,
		Alternatives: s.Alternatives, Engine: s.Engine, Model: s.Model, Timings: Timings(s.Result)}
}

// Timings converts an engine result's measurements for the wire.
func Timings(r engine.Result) wire.Timings {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return wire.Timings{QueueMS: ms(r.Timings.Queue), PromptEvalMS: ms(r.Timings.PromptEval), FirstTokenMS: ms(r.Timings.FirstToken),
		TotalMS: ms(r.Timings.Total), TokensIn: r.TokensIn, TokensCached: r.TokensCached, TokensOut: r.TokensOut,
		TokensDrafted: r.Drafted, TokensAccepted: r.Accepted}
}

// streamEvery spaces a stream's token events after the first. Each event
// wakes the client and the shell drawing it, and on two cores that work
// stalls both of llama.cpp's threads at their next barrier: an event per
// token made zsh's streamed Ctrl-G ~0.1 s slower than an unstreamed one
// (docs/BENCHMARKS.md, "Streaming into the line").
const streamEvery = 100 * time.Millisecond

// tokenEvents sends a stream's token events: the first at once, then at
// most one each streamEvery, carrying what came since, sent between
// tokens. A timer sends what is held back when no token follows in time
// (a remote server that stalls); end stops it, so that the handler
// writes alone again.
type tokenEvents struct {
	send func(wire.Event) error

	mu      sync.Mutex // the fields below, and send, while the stream runs
	pending strings.Builder
	sent    time.Time
	timer   *time.Timer
	ended   bool
}

// add takes a generated piece; an error is the client's connection's.
func (e *tokenEvents) add(text string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.pending.WriteString(text)
	wait := streamEvery - time.Since(e.sent)
	if wait <= 0 {
		return e.flush()
	}
	if e.timer == nil {
		// Later than the next token of a steady stream, which sends the
		// pieces itself and stops the timer.
		e.timer = time.AfterFunc(wait+streamEvery, func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if !e.ended {
				e.flush() // a client gone cancels the request through its context
			}
		})
	}
	return nil
}

// flush sends what is held back, with mu held or after end.
func (e *tokenEvents) flush() error {
	e.stopTimer()
	if e.pending.Len() == 0 {
		return nil
	}
	text := e.pending.String()
	e.pending.Reset()
	e.sent = time.Now()
	return e.send(wire.Event{Type: wire.EventToken, Text: translate.StripEscapes(text)})
}

// end stops the timer's sends.
func (e *tokenEvents) end() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ended = true
	e.stopTimer()
}

func (e *tokenEvents) stopTimer() {
	if e.timer != nil {
		e.timer.Stop()
		e.timer = nil
	}
}

type work func(ctx context.Context, eng engine.Engine, fn engine.TokenFunc) (any, *wire.Timings, error)

// serve admits a request, gets the engine, runs do and streams its events
// as NDJSON. The request's context is the client's connection: a client
// that hangs up cancels its generation within one token.
func (a *Agent) serve(w http.ResponseWriter, r *http.Request, stream bool, do work) {
	t0 := time.Now()
	a.mu.Lock()
	queue := a.queue
	a.mu.Unlock()
	select {
	case queue <- struct{}{}:
		defer func() { <-queue }()
	default:
		a.record(nil)
		writeError(w, http.StatusServiceUnavailable, wire.CodeBusy,
			fmt.Sprintf("agent busy: %d requests already waiting (CMDR_QUEUE)", cap(queue)))
		return
	}
	a.inFlight.Add(1)
	defer a.inFlight.Add(-1)
	a.yieldPrefill()
	ctx := r.Context()

	eng, release, loadWait, err := a.pool.acquire(ctx)
	if err != nil {
		a.fail(w, ctx, err, false)
		return
	}
	defer release()

	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	flusher, _ := w.(http.Flusher)
	started := false
	send := func(ev wire.Event) error {
		started = true
		if err := enc.Encode(ev); err != nil {
			return err
		}
		if flusher != nil {
			flusher.Flush()
		}
		return nil
	}
	events := &tokenEvents{send: send}
	var fn engine.TokenFunc
	if stream {
		fn = func(t engine.Token) error { return events.add(t.Text) }
	}
	result, tm, err := do(ctx, eng, fn)
	events.end()
	if err != nil {
		a.fail(w, ctx, err, started)
		return
	}
	tm.LoadMS = float64(loadWait.Microseconds()) / 1000
	total := float64(time.Since(t0).Microseconds()) / 1000
	tm.TotalMS = total
	raw, _ := json.Marshal(result)
	// Counted before the answer goes out, so that a client holding it
	// finds it in the status (the model's unloading, with keep_alive 0,
	// comes after). A client gone by then does not undo the work.
	a.record(tm)
	err = events.flush() // the pieces held back go before the result
	if err == nil {
		err = send(wire.Event{Type: wire.EventResult, Result: raw, Elapsed: total})
	}
	if err != nil {
		slog.Debug("the client went away before the answer", "error", err)
		return
	}
	slog.Debug("request served", "path", r.URL.Path, "ms", total, "first_token_ms", tm.FirstTokenMS, "tokens_in", tm.TokensIn, "cached", tm.TokensCached, "tokens_out", tm.TokensOut)
}

// fail reports err as an HTTP error, or as an error event once the stream
// has started. A client that went away gets nothing.
func (a *Agent) fail(w http.ResponseWriter, ctx context.Context, err error, started bool) {
	a.record(nil)
	if ctx.Err() != nil {
		slog.Debug("request cancelled by client")
		return
	}
	status, code := http.StatusInternalServerError, wire.CodeInternal
	switch {
	case errors.Is(err, engine.ErrUnavailable):
		status, code = http.StatusServiceUnavailable, wire.CodeUnavailable
	case errors.Is(err, errPoolClosed):
		status, code = http.StatusServiceUnavailable, wire.CodeShutdown
	case errors.Is(err, translate.ErrEmpty), errors.Is(err, translate.ErrInvalid):
		status, code = http.StatusUnprocessableEntity, wire.CodeBadRequest
	}
	slog.Warn("request failed", "error", err)
	if started {
		json.NewEncoder(w).Encode(wire.Event{Type: wire.EventError, Error: err.Error(), Code: code})
		return
	}
	writeError(w, status, code, err.Error())
}
