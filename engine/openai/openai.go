// Package openai is cmdr's backend for OpenAI-compatible chat servers:
// llama-server, Ollama, vLLM, TGI, mistral.rs, LM Studio, or a hosted API.
// It speaks /v1/chat/completions with server-sent-event streaming and
// /v1/models, retries rate limits and server errors with backoff, and
// sends the API key only as a bearer header: the key is never logged,
// printed or written anywhere.
package openai

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
)

// Name is the backend's registry name.
const Name = "openai"

// Params are the backend's settings.
var Params = []engine.Param{
	{Key: "openai.url", Env: "CMDR_OPENAI_URL", Default: "http://127.0.0.1:8080/v1", Doc: "base URL of the server, ending in /v1 (llama-server :8080, Ollama :11434, vLLM :8000, LM Studio :1234)"},
	{Key: "openai.model", Env: "CMDR_OPENAI_MODEL", Doc: "model name on the server; default: the first one /v1/models lists that is not an embedding, reranking or speech model"},
	{Key: "openai.api_key", Env: "CMDR_OPENAI_API_KEY", Doc: "API key, sent as a bearer token; best set in the environment", Secret: true},
	{Key: "openai.timeout", Env: "CMDR_OPENAI_TIMEOUT", Default: "60s", Doc: "limit for one request, retries included"},
	{Key: "openai.retries", Env: "CMDR_OPENAI_RETRIES", Default: "3", Doc: "retries after 429 or 5xx answers and refused connections"},
	{Key: "openai.stream", Env: "CMDR_OPENAI_STREAM", Default: "true", Doc: "stream answers with server-sent events"},
}

func init() {
	engine.Register(engine.Backend{
		Name:   Name,
		Doc:    "OpenAI-compatible HTTP server (/v1/chat/completions)",
		Params: Params,
		Open:   func(ctx context.Context, s engine.Settings) (engine.Engine, error) { return Open(ctx, s) },
		Check: func(s engine.Settings) error {
			_, err := newClient(s)
			return err
		},
	})
}

// Client is an engine.Engine backed by an OpenAI-compatible server.
type Client struct {
	base    *url.URL
	model   string
	key     string
	timeout time.Duration
	retries int
	stream  bool
	http    *http.Client
	// backoff is the first retry delay; tests shorten it.
	backoff time.Duration
	// reasoning is how this server's model is asked to answer, learnt
	// when it reasoned instead of answering (a reasoning mode).
	reasoning atomic.Int32
	// refuses holds the parameters the server refused (refusesMaxTokens...).
	refuses atomic.Uint32
}

// How a model that reasons before it answers (Qwen3, DeepSeek-R1,
// gpt-oss) is asked for its command. Nothing is sent at first: servers
// and models differ in what they accept, and OpenAI's own API refuses
// reasoning_effort for models without it. When the model spends its
// tokens reasoning and gives no command, the next way is tried, and the
// one that answers is kept for the client's life.
const (
	reasonAsIs     int32 = iota // no hint
	reasonOff                   // reasoning_effort "none" (Ollama) and enable_thinking false (llama-server, vLLM templates)
	reasonOffKwarg              // enable_thinking false only: the server refused reasoning_effort "none" (vLLM)
	reasonBudget                // the model always reasons (gpt-oss): let it, with room to answer after
)

// reasonWays name the ways for the agent's log.
var reasonWays = []string{"as is", `reasoning_effort "none" and enable_thinking false`, "enable_thinking false", "room to reason"}

// reasoningBudget is the answer length allowed to a model that cannot
// be asked not to reason.
const reasoningBudget = 1024

// Open validates the settings and, when no model is named, asks the server
// for its first model that can chat.
func Open(ctx context.Context, s engine.Settings) (*Client, error) {
	c, err := newClient(s)
	if err != nil {
		return nil, err
	}
	if c.model == "" {
		models, err := c.Models(ctx)
		if err != nil {
			return nil, err
		}
		if len(models) == 0 {
			return nil, engine.Unavailable(fmt.Errorf("%s lists no models; set CMDR_OPENAI_MODEL", c.endpoint("models")))
		}
		c.model = chatModel(models)
	}
	return c, nil
}

// notChat are words in the names of models that cannot chat: LM Studio
// lists its bundled embedding model first, and an Ollama user's list
// often starts with nomic-embed-text.
var notChat = []string{"embed", "rerank", "bge-", "e5-", "minilm", "whisper", "tts", "clip", "moderation", "dall-e"}

// chatModel is the first of models that reads as one that can chat, or
// the first when none does.
func chatModel(models []string) string {
	for _, m := range models {
		lower := strings.ToLower(m)
		if !slices.ContainsFunc(notChat, func(w string) bool { return strings.Contains(lower, w) }) {
			return m
		}
	}
	return models[0]
}

// newClient reads the settings into a Client, asking the server nothing.
func newClient(s engine.Settings) (*Client, error) {
	raw := strings.TrimRight(strings.TrimSpace(s.String("openai.url")), "/")
	if raw == "" {
		raw = "http://127.0.0.1:8080/v1"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("openai.url %q is not an http(s) URL like http://127.0.0.1:8080/v1", raw)
	}
	if u.User != nil {
		return nil, errors.New("openai.url must not carry credentials; set CMDR_OPENAI_API_KEY instead")
	}
	c := &Client{base: u, model: s.String("openai.model"), key: s.String("openai.api_key"), backoff: 250 * time.Millisecond}
	if c.timeout, err = s.Duration("openai.timeout", 60*time.Second); err != nil {
		return nil, err
	}
	if c.timeout <= 0 {
		return nil, fmt.Errorf("openai.timeout: %q leaves no time for a request", s.String("openai.timeout"))
	}
	if c.retries, err = s.Int("openai.retries", 3); err != nil {
		return nil, err
	}
	if c.retries < 0 {
		return nil, fmt.Errorf("openai.retries: %d is below 0", c.retries)
	}
	if c.stream, err = s.Bool("openai.stream", true); err != nil {
		return nil, err
	}
	c.http = &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		ResponseHeaderTimeout: c.timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   4,
	}}
	return c, nil
}

// SetBackoff changes the first retry delay (tests use a short one).
func (c *Client) SetBackoff(d time.Duration) { c.backoff = d }

func (c *Client) endpoint(path string) string { return c.base.String() + "/" + path }

// Info implements engine.Engine.
func (c *Client) Info() engine.Info {
	in := engine.Info{Backend: Name, Model: c.model}
	var notes []string
	if way := c.reasoning.Load(); way != reasonAsIs {
		notes = append(notes, "it reasons; asked with "+reasonWays[way])
	}
	var refused []string
	for _, p := range refusable {
		if c.refuses.Load()&p.bit != 0 {
			refused = append(refused, p.label)
		}
	}
	if len(refused) > 0 {
		notes = append(notes, "the server refuses "+strings.Join(refused, ", "))
	}
	in.Note = strings.Join(notes, "; ")
	return in
}

// Close implements engine.Engine.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// Models lists the model ids the server offers.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, min(c.timeout, 10*time.Second))
	defer cancel()
	resp, err := c.do(ctx, http.MethodGet, "models", nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := decodeJSON(resp, c.endpoint("models"), 8<<20, &body); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(body.Data))
	for _, m := range body.Data {
		ids = append(ids, m.ID)
	}
	return ids, nil
}

type chatRequest struct {
	Model     string           `json:"model"`
	Messages  []engine.Message `json:"messages"`
	MaxTokens int              `json:"max_tokens,omitempty"`
	// MaxCompletionTokens replaces MaxTokens where a server refuses it
	// (OpenAI's reasoning models).
	MaxCompletionTokens int      `json:"max_completion_tokens,omitempty"`
	Temperature         *float32 `json:"temperature,omitempty"`
	TopP                float32  `json:"top_p,omitempty"`
	TopK                int      `json:"top_k,omitempty"`
	Seed                *uint32  `json:"seed,omitempty"`
	Stop                []string `json:"stop,omitempty"`
	Stream              bool     `json:"stream"`
	// ReasoningEffort and ChatTemplateKwargs ask a reasoning model to
	// answer directly (see reasonOff).
	ReasoningEffort    string         `json:"reasoning_effort,omitempty"`
	ChatTemplateKwargs map[string]any `json:"chat_template_kwargs,omitempty"`
}

// chatMessage is a message or a streamed delta. A reasoning model's
// thoughts come apart from its answer: as reasoning (Ollama, vLLM) or
// reasoning_content (llama-server, vLLM, DeepSeek).
type chatMessage struct {
	Content          string `json:"content"`
	Reasoning        string `json:"reasoning"`
	ReasoningContent string `json:"reasoning_content"`
}

type chatChoice struct {
	Delta        chatMessage `json:"delta"`
	Message      chatMessage `json:"message"`
	FinishReason *string     `json:"finish_reason"`
}

type chatResponse struct {
	Choices []chatChoice `json:"choices"`
	Usage   *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
	Error *apiError `json:"error"`
}

type apiError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
}

// Generate implements engine.Engine.
func (c *Client) Generate(ctx context.Context, req engine.Request, fn engine.TokenFunc) (engine.Result, error) {
	t0 := time.Now()
	if req.PromptOnly {
		// The chat API has no "evaluate only" call, and a one-token
		// answer would cost a shared server a generation per keystroke.
		return engine.Result{}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	for {
		mode := c.reasoning.Load()
		res, reasoned, err := c.generate(ctx, req, fn, mode)
		var se *StatusError
		badRequest := errors.As(err, &se) && (se.Code == http.StatusBadRequest || se.Code == http.StatusUnprocessableEntity)
		if badRequest && c.learnRefused(se.Message) {
			continue
		}
		refused := mode != reasonAsIs && badRequest
		thoughtOnly := err == nil && reasoned && strings.TrimSpace(res.Text) == ""
		switch {
		case !refused && !thoughtOnly:
			res.Timings.Total = time.Since(t0)
			return res, err
		case mode == reasonBudget && refused:
			return res, err
		case mode == reasonBudget:
			return res, fmt.Errorf("%s reasoned through %d tokens without giving a command; choose a model that answers directly", c.model, reasoningBudget)
		}
		next := mode + 1
		if mode == reasonOff && thoughtOnly {
			next = reasonBudget // it took the hint's form but reasons all the same
		}
		if refused {
			slog.Info("openai: the server refused a way of asking the model not to reason", "model", c.model, "way", reasonWays[mode], "error", err)
		}
		slog.Info("openai: the model reasons instead of answering; asking another way", "model", c.model, "way", reasonWays[next])
		c.reasoning.CompareAndSwap(mode, next)
	}
}

// generate asks for one answer the given way; reasoned tells that the
// model thought aloud (apart from its answer or in a <think> block).
func (c *Client) generate(ctx context.Context, req engine.Request, fn engine.TokenFunc, mode int32) (engine.Result, bool, error) {
	t0 := time.Now()
	var res engine.Result
	maxTok := req.MaxTokens
	if maxTok <= 0 {
		maxTok = engine.DefaultMaxTokens
	}
	temp := req.Temperature
	cr := chatRequest{
		Model: c.model, Messages: req.Messages, MaxTokens: maxTok, Temperature: &temp,
		TopP: req.TopP, TopK: req.TopK, Seed: req.Seed, Stop: req.Stop, Stream: c.stream,
	}
	switch mode {
	case reasonOff:
		cr.ReasoningEffort = "none"
		fallthrough
	case reasonOffKwarg:
		cr.ChatTemplateKwargs = map[string]any{"enable_thinking": false}
	case reasonBudget:
		cr.MaxTokens = max(maxTok, reasoningBudget)
	}
	c.leaveOut(&cr)
	body, err := json.Marshal(cr)
	if err != nil {
		return res, false, err
	}
	resp, err := c.do(ctx, http.MethodPost, "chat/completions", body)
	if err != nil {
		return res, false, c.ctxErr(ctx, err)
	}
	defer resp.Body.Close()

	stream := engine.NewStream(req.Stop)
	var think thinkFilter
	stopped, reasoned := false, false
	// forward passes answer text on, up to a stop string.
	forward := func(text string) error {
		out, stop := stream.Push(text)
		stopped = stop
		if out != "" && fn != nil {
			return fn(engine.Token{Text: out, ID: -1})
		}
		return nil
	}
	push := func(piece string, reasoning bool) error {
		if piece == "" || stopped {
			return nil
		}
		if res.TokensOut == 0 {
			res.Timings.FirstToken = time.Since(t0)
		}
		res.TokensOut++
		if reasoning {
			reasoned = true
			return nil
		}
		if piece = think.push(piece); piece == "" {
			return nil
		}
		return forward(piece)
	}
	finish := ""
	if c.stream && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		finish, err = readSSE(resp.Body, push, &res)
	} else {
		finish, err = readPlain(resp, c.endpoint("chat/completions"), push, &res)
	}
	if err != nil {
		return res, reasoned, c.ctxErr(ctx, err)
	}
	if rest := think.end(); rest != "" && !stopped {
		if err := forward(rest); err != nil {
			return res, reasoned, err
		}
	}
	if !stopped {
		if out := stream.Flush(); out != "" && fn != nil {
			if err := fn(engine.Token{Text: out, ID: -1}); err != nil {
				return res, reasoned, err
			}
		}
	}
	res.Text = stream.Text()
	switch {
	case stopped:
		res.Stop = engine.StopString
	case finish == "length":
		res.Stop = engine.StopLength
	default:
		res.Stop = engine.StopEOS
	}
	return res, reasoned || think.seen, nil
}

// The request's optional parameters a server may refuse, by name as its
// error message gives it: OpenAI's reasoning models refuse max_tokens
// (for max_completion_tokens) and any temperature but their own, and
// its API any parameter it does not know (top_k).
const (
	refusesMaxTokens = 1 << iota
	refusesTemperature
	refusesTopK
	refusesTopP
	refusesSeed
)

var refusable = []struct {
	bit   uint32
	name  *regexp.Regexp
	label string
}{
	{refusesMaxTokens, regexp.MustCompile(`\bmax_tokens\b`), "max_tokens (sent as max_completion_tokens)"},
	{refusesTemperature, regexp.MustCompile(`\btemperature\b`), "temperature"},
	{refusesTopK, regexp.MustCompile(`\btop_k\b`), "top_k"},
	{refusesTopP, regexp.MustCompile(`\btop_p\b`), "top_p"},
	{refusesSeed, regexp.MustCompile(`\bseed\b`), "seed"},
}

// learnRefused reads a 400 answer's message for a parameter the server
// will not take, and leaves it out from then on. It reports whether it
// learnt anything new, so a request is sent again at most once for each.
func (c *Client) learnRefused(msg string) bool {
	for _, p := range refusable {
		old := c.refuses.Load()
		if old&p.bit == 0 && p.name.MatchString(msg) && c.refuses.CompareAndSwap(old, old|p.bit) {
			slog.Info("openai: the server refuses a parameter; leaving it out", "model", c.model, "error", msg)
			return true
		}
	}
	return false
}

// leaveOut drops from r what the server was found to refuse.
func (c *Client) leaveOut(r *chatRequest) {
	refuses := c.refuses.Load()
	if refuses&refusesMaxTokens != 0 {
		r.MaxCompletionTokens, r.MaxTokens = r.MaxTokens, 0
	}
	if refuses&refusesTemperature != 0 {
		r.Temperature = nil
	}
	if refuses&refusesTopK != 0 {
		r.TopK = 0
	}
	if refuses&refusesTopP != 0 {
		r.TopP = 0
	}
	if refuses&refusesSeed != 0 {
		r.Seed = nil
	}
}

// thinkFilter holds back a <think> block at the start of an answer, as
// servers that leave a reasoning model's thoughts in its content send
// them, so that only the answer after it is streamed and kept.
type thinkFilter struct {
	held  string
	state int // 0: not yet known, 1: in the block, 2: past it (or none)
	seen  bool
}

const thinkOpen, thinkClose = "<think>", "</think>"

func (f *thinkFilter) push(piece string) string {
	switch f.state {
	case 2:
		return piece
	case 0:
		f.held += piece
		t := strings.TrimLeft(f.held, " \t\r\n")
		switch {
		case strings.HasPrefix(t, thinkOpen):
			f.state, f.seen, f.held = 1, true, t[len(thinkOpen):]
		case strings.HasPrefix(thinkOpen, t):
			return "" // "<thi" so far: it may become the block
		default:
			f.state = 2
			out := f.held
			f.held = ""
			return out
		}
	default:
		f.held += piece
	}
	if i := strings.Index(f.held, thinkClose); i >= 0 {
		out := strings.TrimLeft(f.held[i+len(thinkClose):], " \t\r\n")
		f.state, f.held = 2, ""
		return out
	}
	return ""
}

// end returns what is still held when the answer ends: text that only
// looked like a block's start; an unfinished block is dropped.
func (f *thinkFilter) end() string {
	if f.state == 0 {
		return f.held
	}
	return ""
}

// ctxErr prefers the context's own error (cancelled, deadline) over the
// transport error it caused, and names the timeout.
func (c *Client) ctxErr(ctx context.Context, err error) error {
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("%s did not answer within %s (CMDR_OPENAI_TIMEOUT): %w", c.base.Host, c.timeout, context.DeadlineExceeded)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// readSSE consumes a server-sent-event stream of chat chunks.
func readSSE(r io.Reader, push func(piece string, reasoning bool) error, res *engine.Result) (string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	finish := ""
	done := false
	for sc.Scan() {
		line := sc.Text()
		data, ok := strings.CutPrefix(line, "data:")
		if !ok {
			// Comments (": ping"), event names and blank separators carry
			// nothing for chat completions.
			continue
		}
		data = strings.TrimSpace(data)
		if data == "[DONE]" {
			done = true
			break
		}
		var chunk chatResponse
		if err := json.Unmarshal([]byte(data), &chunk); err != nil {
			return finish, fmt.Errorf("malformed event in the server's stream: %.80q", data)
		}
		if chunk.Error != nil {
			return finish, fmt.Errorf("server error mid-stream: %s", chunk.Error.Message)
		}
		if chunk.Usage != nil {
			res.TokensIn = chunk.Usage.PromptTokens
		}
		for _, ch := range chunk.Choices {
			if err := push(ch.Delta.Reasoning+ch.Delta.ReasoningContent, true); err != nil {
				return finish, err
			}
			if err := push(ch.Delta.Content, false); err != nil {
				return finish, err
			}
			if ch.FinishReason != nil && *ch.FinishReason != "" {
				finish = *ch.FinishReason
				done = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		return finish, fmt.Errorf("reading the server's stream: %w", err)
	}
	if !done {
		return finish, errors.New("the server's stream ended before the answer was complete")
	}
	return finish, nil
}

func readPlain(hr *http.Response, url string, push func(piece string, reasoning bool) error, res *engine.Result) (string, error) {
	var resp chatResponse
	if err := decodeJSON(hr, url, 16<<20, &resp); err != nil {
		return "", err
	}
	if resp.Error != nil {
		return "", fmt.Errorf("server error: %s", resp.Error.Message)
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("the server's answer has no choices")
	}
	if resp.Usage != nil {
		res.TokensIn = resp.Usage.PromptTokens
	}
	m := resp.Choices[0].Message
	if err := push(m.Reasoning+m.ReasoningContent, true); err != nil {
		return "", err
	}
	if err := push(m.Content, false); err != nil {
		return "", err
	}
	if resp.Usage != nil {
		res.TokensOut = resp.Usage.CompletionTokens
	}
	if f := resp.Choices[0].FinishReason; f != nil {
		return *f, nil
	}
	return "", nil
}

// decodeJSON reads at most limit bytes of resp's body into v. What is not
// JSON at all is described by its type and first words: a web page or a
// proxy's notice at that URL (a wrong port or path) is the usual cause.
func decodeJSON(resp *http.Response, url string, limit int64, v any) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	if err != nil {
		return fmt.Errorf("reading %s: %w", url, err)
	}
	err = json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return fmt.Errorf("malformed answer from %s: %w", url, err)
	}
	kind := resp.Header.Get("Content-Type")
	if kind == "" {
		kind = "no content type"
	}
	start := strings.Join(strings.Fields(string(body[:min(len(body), 200)])), " ")
	return fmt.Errorf("%s answered %s, not JSON (%.80q): is CMDR_OPENAI_URL an OpenAI-compatible server's /v1 URL?", url, kind, start)
}

// StatusError is a non-2xx answer the client gave up on.
type StatusError struct {
	Code    int
	Message string // the server's error message, if it sent one
	URL     string
	// NoKey: the request carried no API key.
	NoKey bool
}

func (e *StatusError) Error() string {
	hint := ""
	switch e.Code {
	case http.StatusUnauthorized, http.StatusForbidden:
		hint = " (check CMDR_OPENAI_API_KEY)"
		if e.NoKey {
			hint = " (no API key was sent: set CMDR_OPENAI_API_KEY)"
			if os.Getenv("OPENAI_API_KEY") != "" {
				// Never sent on its own: it is meant for OpenAI, and the
				// URL may be anyone's.
				hint = " (no API key was sent: cmdr reads CMDR_OPENAI_API_KEY, not OPENAI_API_KEY)"
			}
		}
	case http.StatusNotFound:
		hint = " (check CMDR_OPENAI_URL ends in /v1 and CMDR_OPENAI_MODEL)"
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Code)
	}
	return fmt.Sprintf("%s answered %d: %s%s", e.URL, e.Code, msg, hint)
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500
}

// do sends a request, retrying refused connections, 429 and 5xx with
// exponential backoff (honouring Retry-After), and returns a 2xx response.
func (c *Client) do(ctx context.Context, method, path string, body []byte) (*http.Response, error) {
	target := c.endpoint(path)
	var last error
	for attempt := 0; ; attempt++ {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, rd)
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "application/json, text/event-stream")
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		resp, err := c.http.Do(req)
		wait := c.backoff << attempt
		wait += time.Duration(rand.Int64N(int64(wait)/4 + 1))
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			last = engine.Unavailable(fmt.Errorf("cannot reach %s: %v", target, unwrapURLError(err)))
		case resp.StatusCode/100 == 2:
			return resp, nil
		default:
			se := &StatusError{Code: resp.StatusCode, URL: target, Message: errorMessage(resp.Body), NoKey: c.key == ""}
			resp.Body.Close()
			if !retryable(resp.StatusCode) {
				return nil, se
			}
			last = se
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && ra >= 0 {
				wait = min(time.Duration(ra)*time.Second, 10*time.Second)
			}
		}
		if attempt >= c.retries {
			return nil, last
		}
		slog.Debug("openai: retrying", "url", target, "attempt", attempt+1, "wait", wait, "error", last)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// unwrapURLError drops url.Error's "Post URL:" prefix, which repeats the
// address the message already names.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// errorMessage extracts {"error": {"message": ...}} or a short text body.
func errorMessage(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 4096))
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil && len(e.Error) > 0 {
		var ae apiError
		if json.Unmarshal(e.Error, &ae) == nil && ae.Message != "" {
			return ae.Message
		}
		var s string
		if json.Unmarshal(e.Error, &s) == nil {
			return s
		}
	}
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
