// Package wire defines the protocol between cmdr clients and the agent:
// HTTP/1.1 over the agent's unix socket, JSON request bodies, and NDJSON
// (one JSON object per line) streamed responses. It imports only the
// standard library so clients stay light.
//
// Every request carries the Cmdr-Protocol header; the agent answers every
// response with Cmdr-Protocol and Cmdr-Build, so a client can tell an agent
// left running by another cmdr build and ask it to restart. The protocol is
// documented in docs/PROTOCOL.md and can be driven by hand:
//
//	curl --unix-socket "$XDG_RUNTIME_DIR/cmdr/agent.sock" http://cmdr/v1/status
//	curl --unix-socket ... -d '{"text":"list files","shell":"bash"}' http://cmdr/v1/suggest
package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Version is the protocol version. Bump it on any incompatible change.
const Version = 1

// Headers exchanged on every request and response.
const (
	HeaderProtocol = "Cmdr-Protocol"
	HeaderBuild    = "Cmdr-Build"
)

// MaxRequestBytes bounds a request body. A natural-language line and its
// context fit easily; anything larger is refused before it is parsed.
const MaxRequestBytes = 64 << 10

// Paths of the agent's endpoints.
const (
	PathStatus  = "/v1/status"
	PathSuggest = "/v1/suggest"
	PathExplain = "/v1/explain"
	PathStop    = "/v1/stop"
	PathReload  = "/v1/reload"
)

// SuggestRequest asks for a command.
type SuggestRequest struct {
	Text  string `json:"text"`
	Shell string `json:"shell"`
	Cwd   string `json:"cwd,omitempty"`
	// LastCommand and LastStatus describe the previous command of the
	// shell session, for fixes and context.
	LastCommand string `json:"last_command,omitempty"`
	LastStatus  *int   `json:"last_status,omitempty"`
	// Recent are the commands before LastCommand, oldest first.
	Recent []string `json:"recent,omitempty"`
	// Alternatives asks for up to this many other candidates (at most 5).
	Alternatives int `json:"alternatives,omitempty"`
	// Stream asks for token events as they are generated.
	Stream bool `json:"stream,omitempty"`
	// Prefill asks only to evaluate the request's prompt, for a request
	// still being typed; the result is a Prefilled. A prefill gives way
	// to every other request, and a newer prefill replaces an older one.
	Prefill bool `json:"prefill,omitempty"`
}

// Prefilled is the result of a prefill.
type Prefilled struct {
	// Skipped: another request was running, so nothing was evaluated.
	Skipped      bool    `json:"skipped,omitempty"`
	TokensIn     int     `json:"tokens_in"`
	TokensCached int     `json:"tokens_cached"`
	PromptEvalMS float64 `json:"prompt_eval_ms"`
}

// ExplainRequest asks for an explanation of a command.
type ExplainRequest struct {
	Command string `json:"command"`
	Shell   string `json:"shell,omitempty"`
	// Docs are the documented meanings of the command's parts (from the
	// installed manual pages); the summary is grounded in them.
	Docs   string `json:"docs,omitempty"`
	Stream bool   `json:"stream,omitempty"`
}

// Event is one line of a streamed response. Type is "token" (Text holds a
// piece of the answer), "result" (the final answer) or "error".
type Event struct {
	Type    string          `json:"type"`
	Text    string          `json:"text,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   string          `json:"error,omitempty"`
	Code    string          `json:"code,omitempty"`
	Elapsed float64         `json:"elapsed_ms,omitempty"`
}

// Event types.
const (
	EventToken  = "token"
	EventResult = "result"
	EventError  = "error"
)

// Error codes carried by error events and error responses, so a client can
// react without matching message text.
const (
	CodeBadRequest  = "bad_request"
	CodeTooLarge    = "too_large"
	CodeBusy        = "busy"
	CodeUnavailable = "unavailable" // no model, backend down
	CodeInternal    = "internal"
	CodeForbidden   = "forbidden"
	CodeShutdown    = "shutting_down"
)

// Suggestion is the result of a suggest request.
type Suggestion struct {
	Command string `json:"command"`
	// Risk is none, low or high; Reasons say why, for people.
	Risk         string   `json:"risk"`
	Reasons      []string `json:"reasons"`
	Alternatives []string `json:"alternatives"`
	Engine       string   `json:"engine"`
	Model        string   `json:"model"`
	Timings      Timings  `json:"timings"`
}

// Explanation is the result of an explain request.
type Explanation struct {
	Command string `json:"command"`
	Summary string `json:"summary"`
	Engine  string `json:"engine"`
	Model   string `json:"model"`
}

// Timings are per-request measurements in milliseconds.
type Timings struct {
	QueueMS      float64 `json:"queue_ms"`
	LoadMS       float64 `json:"load_ms"`
	PromptEvalMS float64 `json:"prompt_eval_ms"`
	FirstTokenMS float64 `json:"first_token_ms"`
	TotalMS      float64 `json:"total_ms"`
	TokensIn     int     `json:"tokens_in"`
	TokensCached int     `json:"tokens_cached"`
	TokensOut    int     `json:"tokens_out"`
	// TokensDrafted of the answer's tokens were proposed by drafting
	// (llamacpp.draft, llamacpp.draft_model), TokensAccepted of them kept.
	TokensDrafted  int `json:"tokens_drafted,omitempty"`
	TokensAccepted int `json:"tokens_accepted,omitempty"`
}

// Status describes a running agent.
type Status struct {
	PID      int     `json:"pid"`
	UptimeS  float64 `json:"uptime_s"`
	Engine   string  `json:"engine"`
	Model    string  `json:"model"`
	Loaded   bool    `json:"loaded"`
	Requests int64   `json:"requests"`
	// Prefills counts the prefills that ran to the end.
	Prefills int64 `json:"prefills"`
	// Drafted and Accepted total the requests' drafted tokens and those
	// kept: whether drafting pays on this machine.
	Drafted  int64   `json:"drafted,omitempty"`
	Accepted int64   `json:"accepted,omitempty"`
	Errors   int64   `json:"errors"`
	InFlight int     `json:"in_flight"`
	LastMS   float64 `json:"last_ms"`
	P50MS    float64 `json:"p50_ms"`
	P95MS    float64 `json:"p95_ms"`
	RSSBytes int64   `json:"rss_bytes"`
	// Goroutines and OpenFDs show leaks under load (make soak).
	Goroutines int    `json:"goroutines"`
	OpenFDs    int    `json:"open_fds"`
	Version    string `json:"version"`
	Build      string `json:"build"`
	Protocol   int    `json:"protocol"`
	Socket     string `json:"socket"`
	KeepAlive  string `json:"keep_alive"`
	LoadError  string `json:"load_error,omitempty"`
	// EngineNote is what the engine learnt of the model (engine.Info.Note).
	EngineNote string `json:"engine_note,omitempty"`
}

// ErrorBody is the JSON body of a non-streamed error response.
type ErrorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// Decode parses a request body into v, refusing bodies over
// MaxRequestBytes, invalid UTF-8, malformed JSON and trailing data.
func Decode(body []byte, v any) error {
	if len(body) > MaxRequestBytes {
		return fmt.Errorf("request of %d bytes is over the %d-byte limit", len(body), MaxRequestBytes)
	}
	if !utf8.Valid(body) {
		return errors.New("request is not valid UTF-8")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("malformed request: %v", err)
	}
	return nil
}
