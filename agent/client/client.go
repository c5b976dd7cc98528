// Package client talks to the cmdr agent over its unix socket: it dials,
// starts the agent when none answers (under a lock, so many shells
// starting at once spawn one agent), checks that the agent comes from
// the same cmdr build, and reads streamed answers. It never loads a model.
package client

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/cmdr-sh/cmdr/agent/wire"
	"github.com/cmdr-sh/cmdr/internal/config"
)

// Options configure a client.
type Options struct {
	Socket string
	// Build identifies this client's cmdr build; an agent reporting
	// another build is asked to restart.
	Build string
	// Autostart starts an agent when none answers.
	Autostart bool
	// Exe is the cmdr binary to start the agent from (default: this one).
	Exe string
	// LogPath receives an autostarted agent's output.
	LogPath string
	// StartTimeout bounds waiting for an autostarted agent.
	StartTimeout time.Duration
}

// Client is a connection factory for one agent socket.
type Client struct {
	o    Options
	http *http.Client
}

// New returns a client.
func New(o Options) *Client {
	if o.StartTimeout <= 0 {
		o.StartTimeout = 30 * time.Second
	}
	c := &Client{o: o}
	c.http = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			d := net.Dialer{Timeout: 2 * time.Second}
			return d.DialContext(ctx, "unix", o.Socket)
		},
		DisableKeepAlives: true,
	}}
	return c
}

// Error is an error the agent reported.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// ErrNoAgent means no agent answers and autostart is off.
var ErrNoAgent = errors.New("the cmdr agent is not running")

// Status returns the agent's status.
func (c *Client) Status(ctx context.Context) (wire.Status, error) {
	var st wire.Status
	resp, err := c.do(ctx, http.MethodGet, wire.PathStatus, nil, true)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// Stop asks the agent to exit and waits until its socket is gone. It does
// not start an agent to stop it.
func (c *Client) Stop(ctx context.Context) error {
	resp, err := c.do(ctx, http.MethodPost, wire.PathStop, nil, false)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return c.waitGone(ctx)
}

// Reload asks the agent to re-read its configuration.
func (c *Client) Reload(ctx context.Context) (wire.Status, error) {
	var st wire.Status
	resp, err := c.do(ctx, http.MethodPost, wire.PathReload, nil, false)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// Suggest asks for a command; onToken, when not nil, receives the answer
// as it is generated.
func (c *Client) Suggest(ctx context.Context, req wire.SuggestRequest, onToken func(string)) (wire.Suggestion, error) {
	var out wire.Suggestion
	req.Stream = onToken != nil
	return out, c.call(ctx, wire.PathSuggest, req, onToken, &out)
}

// Prefill asks the agent to evaluate req's prompt for a request still
// being typed.
func (c *Client) Prefill(ctx context.Context, req wire.SuggestRequest) (wire.Prefilled, error) {
	var out wire.Prefilled
	req.Prefill, req.Stream = true, false
	return out, c.call(ctx, wire.PathSuggest, req, nil, &out)
}

// Explain asks for an explanation of a command.
func (c *Client) Explain(ctx context.Context, req wire.ExplainRequest, onToken func(string)) (wire.Explanation, error) {
	var out wire.Explanation
	req.Stream = onToken != nil
	return out, c.call(ctx, wire.PathExplain, req, onToken, &out)
}

func (c *Client) call(ctx context.Context, path string, req any, onToken func(string), out any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, http.MethodPost, path, body, true)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return readEvents(resp.Body, onToken, out)
}

// readEvents consumes an NDJSON stream up to its result or error event.
func readEvents(r io.Reader, onToken func(string), out any) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for sc.Scan() {
		var ev wire.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return fmt.Errorf("malformed answer from the agent: %v", err)
		}
		switch ev.Type {
		case wire.EventToken:
			if onToken != nil {
				onToken(ev.Text)
			}
		case wire.EventResult:
			return json.Unmarshal(ev.Result, out)
		case wire.EventError:
			return &Error{Status: http.StatusInternalServerError, Code: ev.Code, Message: ev.Error}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("the agent connection broke: %w", err)
	}
	// The agent died mid-answer (killed, crashed): the socket closed.
	return errors.New("the agent stopped before answering (see `cmdr status` and the agent log)")
}

// do sends one request, starting the agent first when allowed and needed,
// and restarting an agent of another build once.
func (c *Client) do(ctx context.Context, method, path string, body []byte, start bool) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := c.send(ctx, method, path, body)
		if err == nil && attempt == 0 && start && c.o.Autostart && c.o.Build != "" &&
			otherBuild(resp.Header.Get(wire.HeaderBuild), c.o.Build) {
			// Another cmdr build (an upgrade, a rebuild) left its agent
			// running: restart it so the user gets the code they installed.
			resp.Body.Close()
			if err := c.restart(ctx); err != nil {
				return nil, err
			}
			continue
		}
		if err == nil {
			if resp.StatusCode/100 != 2 {
				defer resp.Body.Close()
				return nil, statusError(resp)
			}
			return resp, nil
		}
		if !isNoAgent(err) || attempt > 0 {
			return nil, c.explain(ctx, err)
		}
		if !start || !c.o.Autostart {
			return nil, ErrNoAgent
		}
		if err := c.start(ctx); err != nil {
			return nil, err
		}
	}
}

// otherBuild reports an agent that names a build different from ours. An
// answer without the header (a refusal, a foreign server) proves nothing.
func otherBuild(agent, ours string) bool { return agent != "" && agent != ours }

func (c *Client) send(ctx context.Context, method, path string, body []byte) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://cmdr"+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.Version))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.http.Do(req)
}

func statusError(resp *http.Response) error {
	var eb wire.ErrorBody
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &eb) != nil || eb.Error == "" {
		eb.Error = fmt.Sprintf("agent answered %s", resp.Status)
	}
	return &Error{Status: resp.StatusCode, Code: eb.Code, Message: eb.Error}
}

// isNoAgent reports a dial failure that means nothing is listening.
func isNoAgent(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)
}

func (c *Client) explain(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("no answer from the agent in time (CMDR_TIMEOUT): %w", context.DeadlineExceeded)
		}
		return ctx.Err()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
		return errors.New("the agent closed the connection (did it crash? see `cmdr status` and the agent log)")
	}
	return fmt.Errorf("talking to the agent at %s: %w", c.o.Socket, err)
}

// restart stops an agent of another build; the retry then starts ours.
func (c *Client) restart(ctx context.Context) error {
	if resp, err := c.send(ctx, http.MethodPost, wire.PathStop, nil); err == nil {
		resp.Body.Close()
	}
	if err := c.waitGone(ctx); err != nil {
		return err
	}
	return c.start(ctx)
}

// waitGone waits for the agent to exit: its socket stops answering and
// its lock is released (it may still be freeing its model after the
// socket closes).
func (c *Client) waitGone(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	lock := filepath.Join(filepath.Dir(c.o.Socket), "agent.lock")
	for time.Now().Before(deadline) {
		conn, err := net.DialTimeout("unix", c.o.Socket, time.Second)
		if err != nil && lockFree(lock) {
			return nil
		}
		if err == nil {
			conn.Close()
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return errors.New("the agent did not stop within 10s")
}

// start launches an agent under the startup lock and waits until it
// answers. A client that finds the lock taken waits for whoever holds it.
func (c *Client) start(ctx context.Context) error {
	dir := filepath.Dir(c.o.Socket)
	if err := config.EnsurePrivateDir(dir); err != nil {
		return err
	}
	deadline := time.Now().Add(c.o.StartTimeout)
	unlock, err := lockWait(ctx, filepath.Join(dir, "start.lock"), deadline)
	if err != nil {
		return err
	}
	defer unlock()
	if c.alive() {
		return nil // another client started it while we waited
	}
	exe := c.o.Exe
	if exe == "" {
		if exe, err = os.Executable(); err != nil {
			return err
		}
	}
	cmd, err := Spawn(exe, c.o.LogPath)
	if err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for wait := 5 * time.Millisecond; ; wait = min(wait*2, 200*time.Millisecond) {
		if c.alive() {
			return nil
		}
		select {
		case err := <-exited:
			// It exited: another agent won a race (fine if it answers now),
			// or it failed (the log says why).
			if c.alive() {
				return nil
			}
			if why := lastError(c.o.LogPath); why != "" {
				return fmt.Errorf("the agent failed to start: %s", why)
			}
			return fmt.Errorf("the agent failed to start (%v); see %s", err, c.o.LogPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Until(deadline)):
			return fmt.Errorf("the agent did not answer within %s (CMDR_AGENT_START_TIMEOUT); see %s", c.o.StartTimeout, c.o.LogPath)
		case <-time.After(wait):
		}
	}
}

// lastError finds the one-line error a failed agent printed last.
func lastError(logPath string) string {
	f, err := os.Open(logPath)
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > 4096 {
		f.Seek(st.Size()-4096, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		if rest, ok := bytes.CutPrefix(lines[i], []byte("cmdr: ")); ok {
			return string(rest)
		}
	}
	return ""
}

func (c *Client) alive() bool {
	conn, err := net.DialTimeout("unix", c.o.Socket, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// Spawn starts `exe agent` detached: its own session (setsid), so closing
// the terminal does not kill it, stdin from /dev/null, output appended to
// logPath. The caller may Wait for it or let it go.
func Spawn(exe, logPath string) (*exec.Cmd, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o700); err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening agent log: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(exe, "agent", "--log-file", logPath)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Dir = "/"
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the agent: %w", err)
	}
	return cmd, nil
}

// lockFree reports whether no process holds the flock on path.
func lockFree(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return true // no lock file: no agent ever ran here
	}
	defer f.Close()
	if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		return false
	}
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return true
}

// lockWait takes an exclusive flock on path, polling until deadline.
func lockWait(ctx context.Context, path string, deadline time.Time) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err == nil {
			return func() { f.Close() }, nil
		} else if !errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, errors.New("timed out waiting for another cmdr to start the agent")
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
