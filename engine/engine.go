package engine

import (
	"context"
	"errors"
	"time"
)

// Role names a chat message's author.
type Role string

// Chat roles, as OpenAI-style chat templates name them.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// Message is one chat turn.
type Message struct {
	Role    Role   `json:"role"`
	Content string `json:"content"`
}

// Request is one generation. Zero values mean "the backend's default",
// except Temperature, where 0 means greedy decoding: cmdr wants repeatable
// commands, so greedy is the default everywhere.
type Request struct {
	Messages    []Message
	MaxTokens   int      // 0: DefaultMaxTokens
	Temperature float32  // 0: greedy
	TopK        int      // 0: backend default (40 for llama.cpp)
	TopP        float32  // 0: no nucleus cut
	Seed        *uint32  // nil: fixed seed 0, so runs repeat
	Stop        []string // generation ends before any of these
	// Grammar is a GBNF grammar constraining the answer; backends that
	// cannot apply one ignore it (see Info.Grammar).
	Grammar string
	// PromptOnly evaluates the prompt into the backend's cache and
	// generates nothing: it warms the cache for a request still being
	// typed. Since that request's last message will grow, a backend may
	// stop at the end of its content and leave what the template puts
	// after it to the request. Backends without a prompt cache of their
	// own return at once.
	PromptOnly bool
	// Yield, with PromptOnly, hands over to a newer prefill or a request:
	// once it is closed, evaluation ends at the next batch boundary,
	// keeping the batch in progress (cancelling ctx would abort it and
	// lose it). A request that arrives meanwhile may abort that batch
	// itself when it shares too little of it. A prefill that yields, or
	// whose batch a request aborted, returns no error.
	Yield <-chan struct{}
}

// DefaultMaxTokens bounds an answer when a request sets no limit. A shell
// command that needs more is not one a person would review on one line.
const DefaultMaxTokens = 256

// Token is one streamed piece of the answer.
type Token struct {
	Text string
	ID   int32 // -1 when the backend does not expose token ids
}

// StopReason says why generation ended.
type StopReason string

// Reasons a generation ends.
const (
	StopEOS    StopReason = "eos"    // the model ended its turn
	StopString StopReason = "stop"   // a stop string matched
	StopLength StopReason = "length" // MaxTokens reached
)

// Timings are measured by the backend.
type Timings struct {
	Queue      time.Duration `json:"queue_ns"`       // waiting for the model to be free
	PromptEval time.Duration `json:"prompt_eval_ns"` // evaluating the prompt's uncached suffix
	FirstToken time.Duration `json:"first_token_ns"` // request start to first token
	Total      time.Duration `json:"total_ns"`
}

// Result summarizes a finished generation.
type Result struct {
	Text         string `json:"text"`
	TokensIn     int    `json:"tokens_in"`     // prompt tokens
	TokensCached int    `json:"tokens_cached"` // prompt tokens reused from the KV cache
	TokensOut    int    `json:"tokens_out"`
	// Drafted and Accepted count the tokens proposed by drafting (prompt
	// lookup) and the ones the model confirmed; backends that do not
	// draft leave them 0.
	Drafted  int        `json:"drafted,omitempty"`
	Accepted int        `json:"accepted,omitempty"`
	Stop     StopReason `json:"stop"`
	Timings  Timings    `json:"timings"`
}

// TokenFunc receives each piece of the answer as it is generated. Returning
// an error stops generation and Generate returns that error.
type TokenFunc func(Token) error

// Engine is the seed design's InferenceEngine: a loaded model that
// generates chat answers. Implementations are safe for concurrent use;
// a backend with a single context serializes requests, honouring each
// request's context while it waits.
type Engine interface {
	// Info describes the backend and model.
	Info() Info
	// Generate answers req, streaming pieces to fn (which may be nil).
	// Cancelling ctx stops generation within one token and returns
	// ctx.Err().
	Generate(ctx context.Context, req Request, fn TokenFunc) (Result, error)
	// Close releases the model. It is idempotent.
	Close() error
}

// Info describes a loaded engine.
type Info struct {
	Backend string `json:"backend"`
	Model   string `json:"model"`
	// Grammar reports whether Request.Grammar is enforced.
	Grammar bool `json:"grammar"`
	// ContextSize is the context window in tokens, 0 if unknown.
	ContextSize int `json:"context_size"`
	// Threads is the CPU thread count used, 0 if not applicable.
	Threads int `json:"threads,omitempty"`
	// Note is what the backend learnt of the model while it ran (an
	// OpenAI-compatible server's reasoning model asked not to reason).
	Note string `json:"note,omitempty"`
}

// Tokenizer is the seed design's TokenProcessor. Backends that run the
// model themselves implement it exactly; for others CountTokens estimates.
type Tokenizer interface {
	// Tokenize splits text into token ids. special adds the model's BOS
	// token and parses control tokens such as <|im_start|>.
	Tokenize(text string, special bool) ([]int32, error)
	// Detokenize turns ids back into text.
	Detokenize(ids []int32) (string, error)
}

// CountTokens counts text's tokens with e's tokenizer, or estimates at
// four bytes a token (the usual figure for English and code with BPE
// vocabularies) when e has none.
func CountTokens(e Engine, text string) int {
	if t, ok := e.(Tokenizer); ok {
		if ids, err := t.Tokenize(text, false); err == nil {
			return len(ids)
		}
	}
	return (len(text) + 3) / 4
}

// ErrUnavailable marks errors that mean the backend cannot serve at all
// (server down, no model), as opposed to a bad request. Test with
// errors.Is; make one with Unavailable.
var ErrUnavailable = errors.New("backend unavailable")

// Unavailable marks err as ErrUnavailable while keeping its message.
func Unavailable(err error) error {
	if err == nil {
		return nil
	}
	return unavailable{err}
}

type unavailable struct{ err error }

func (u unavailable) Error() string   { return u.err.Error() }
func (u unavailable) Unwrap() []error { return []error{ErrUnavailable, u.err} }
