package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/internal/openaitest"
)

// server is a real HTTP server that speaks the OpenAI chat API the way
// llama-server and Ollama do; each test scripts its answers.
type server struct {
	*httptest.Server
	calls   atomic.Int32
	lastReq atomic.Value // chatRequest
	lastKey atomic.Value // string
}

func newServer(t *testing.T, chat http.HandlerFunc) *server {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"object":"list","data":[{"id":"qwen2.5-coder:1.5b","object":"model"},{"id":"other"}]}`)
	})
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		var req chatRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":{"message":"bad json"}}`, 400)
			return
		}
		s.lastReq.Store(req)
		s.lastKey.Store(r.Header.Get("Authorization"))
		chat(w, r)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func client(t *testing.T, s *server, extra engine.Settings) *Client {
	t.Helper()
	set := engine.Settings{"openai.url": s.URL + "/v1", "openai.timeout": "5s"}
	for k, v := range extra {
		set[k] = v
	}
	c, err := Open(context.Background(), set)
	if err != nil {
		t.Fatal(err)
	}
	c.SetBackoff(time.Millisecond)
	t.Cleanup(func() { c.Close() })
	return c
}

var msgs = []engine.Message{{Role: engine.RoleUser, Content: "list files"}}

// With no model named, the first one that can chat is used: LM Studio
// and many Ollama installs list an embedding model first.
func TestChatModelChosen(t *testing.T) {
	for _, c := range []struct {
		list []string
		want string
	}{
		{[]string{"text-embedding-nomic-embed-text-v1.5", "qwen2.5-coder-1.5b-instruct"}, "qwen2.5-coder-1.5b-instruct"},
		{[]string{"nomic-embed-text:latest", "bge-m3", "llama3.2:3b"}, "llama3.2:3b"},
		{[]string{"whisper-1", "text-embedding-3-small"}, "whisper-1"},
		{[]string{"gpt-4o-mini", "text-embedding-3-small"}, "gpt-4o-mini"},
	} {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /v1/models", func(w http.ResponseWriter, r *http.Request) {
			var data []map[string]string
			for _, id := range c.list {
				data = append(data, map[string]string{"id": id, "object": "model"})
			}
			json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
		})
		srv := httptest.NewServer(mux)
		cl, err := Open(context.Background(), engine.Settings{"openai.url": srv.URL + "/v1"})
		if err != nil {
			t.Fatal(err)
		}
		if got := cl.Info().Model; got != c.want {
			t.Errorf("%v: chose %q, want %q", c.list, got, c.want)
		}
		cl.Close()
		srv.Close()
	}
}

func TestStreamed(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { openaitest.Stream(w, "ls", " -", "la") })
	c := client(t, s, engine.Settings{"openai.api_key": "sk-test-123"})
	if c.Info().Model != "qwen2.5-coder:1.5b" {
		t.Fatalf("model %q, want the first listed", c.Info().Model)
	}
	var pieces []string
	res, err := c.Generate(context.Background(), engine.Request{Messages: msgs, Stop: []string{"\n"}},
		func(tok engine.Token) error { pieces = append(pieces, tok.Text); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "ls -la" || strings.Join(pieces, "") != "ls -la" || len(pieces) < 2 {
		t.Fatalf("text %q pieces %q", res.Text, pieces)
	}
	if s.lastKey.Load() != "Bearer sk-test-123" {
		t.Fatalf("authorization %q", s.lastKey.Load())
	}
	req := s.lastReq.Load().(chatRequest)
	if !req.Stream || req.Model != "qwen2.5-coder:1.5b" || req.Messages[0].Content != "list files" || req.Stop[0] != "\n" {
		t.Fatalf("request %+v", req)
	}
}

func TestPlain(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"choices":[{"index":0,"message":{"role":"assistant","content":"du -sh *"},"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":4}}`)
	})
	c := client(t, s, engine.Settings{"openai.stream": "false", "openai.model": "m"})
	res, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "du -sh *" || res.TokensIn != 42 || res.TokensOut != 4 {
		t.Fatalf("%+v", res)
	}
}

func TestRetryAfter429(t *testing.T) {
	var n atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"error":{"message":"slow down"}}`, http.StatusTooManyRequests)
			return
		}
		openaitest.Stream(w, "pwd")
	})
	c := client(t, s, nil)
	res, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err != nil || res.Text != "pwd" || s.calls.Load() != 3 {
		t.Fatalf("res %q err %v calls %d", res.Text, err, s.calls.Load())
	}
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"message":"model crashed"}}`, http.StatusInternalServerError)
	})
	c := client(t, s, engine.Settings{"openai.retries": "2"})
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 500 || !strings.Contains(err.Error(), "model crashed") {
		t.Fatalf("err = %v", err)
	}
	if s.calls.Load() != 3 {
		t.Fatalf("calls = %d, want 1 + 2 retries", s.calls.Load())
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"message":"invalid api key","type":"auth"}}`, http.StatusUnauthorized)
	})
	c := client(t, s, engine.Settings{"openai.api_key": "sk-secret-value"})
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "CMDR_OPENAI_API_KEY") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "sk-secret-value") {
		t.Fatal("the API key leaked into an error message")
	}
	// Without a key the message says none was sent, and which variable
	// cmdr reads when the user set OpenAI's own.
	nokey := client(t, s, nil)
	if _, err := nokey.Generate(context.Background(), engine.Request{Messages: msgs}, nil); err == nil || !strings.Contains(err.Error(), "no API key was sent: set CMDR_OPENAI_API_KEY") {
		t.Errorf("no key: %v", err)
	}
	t.Setenv("OPENAI_API_KEY", "sk-users-own")
	if _, err := nokey.Generate(context.Background(), engine.Request{Messages: msgs}, nil); err == nil || !strings.Contains(err.Error(), "not OPENAI_API_KEY") {
		t.Errorf("OPENAI_API_KEY set: %v", err)
	}
	if k, _ := s.lastKey.Load().(string); k != "" {
		t.Errorf("a key was sent: %q", k)
	}
	if s.calls.Load() != 3 {
		t.Fatalf("calls = %d", s.calls.Load())
	}
}

func TestMalformedSSE(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{\"content\":\"ls\"}}]}\n\ndata: {not json\n\n")
	})
	c := client(t, s, nil)
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("err = %v", err)
	}
}

// Something other than JSON where JSON was asked for (a web server or a
// proxy at that URL) is described by its type and first words; JSON that
// is broken is reported as such.
func TestNotJSON(t *testing.T) {
	page := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>\n<body>Welcome to nginx!</body></html>")
	}
	s := newServer(t, page)
	for _, stream := range []string{"true", "false"} {
		c := client(t, s, engine.Settings{"openai.stream": stream})
		_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
		want := s.URL + `/v1/chat/completions answered text/html, not JSON ("<html> <body>Welcome to nginx!</body></html>"): is CMDR_OPENAI_URL`
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("stream %s: %v", stream, err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", page)
	web := httptest.NewServer(mux)
	defer web.Close()
	_, err := Open(context.Background(), engine.Settings{"openai.url": web.URL + "/v1"})
	if err == nil || !strings.Contains(err.Error(), "/v1/models answered text/html, not JSON") {
		t.Errorf("models: %v", err)
	}
	s = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"choices":[{"message":`)
	})
	_, err = client(t, s, engine.Settings{"openai.stream": "false"}).Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err == nil || !strings.Contains(err.Error(), "malformed answer from "+s.URL) {
		t.Errorf("cut JSON: %v", err)
	}
}

func TestStreamCutShort(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{\"content\":\"ls\"}}]}\n\n")
	})
	c := client(t, s, nil)
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err == nil || !strings.Contains(err.Error(), "ended before") {
		t.Fatalf("err = %v", err)
	}
}

func TestErrorEventMidStream(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"error\":{\"message\":\"out of memory\"}}\n\n")
	})
	c := client(t, s, nil)
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err == nil || !strings.Contains(err.Error(), "out of memory") {
		t.Fatalf("err = %v", err)
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	release := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := client(t, s, engine.Settings{"openai.timeout": "300ms", "openai.model": "m"})
	t0 := time.Now()
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "CMDR_OPENAI_TIMEOUT") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(t0); d > 3*time.Second {
		t.Fatalf("took %s for a 300ms timeout", d)
	}
}

func TestStallMidStreamTimesOut(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{\"content\":\"ls\"}}]}\n\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c := client(t, s, engine.Settings{"openai.timeout": "300ms", "openai.model": "m"})
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; ; i++ {
			b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"delta": map[string]string{"content": "x"}}}})
			if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			time.Sleep(5 * time.Millisecond)
		}
	})
	c := client(t, s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := c.Generate(ctx, engine.Request{Messages: msgs}, func(engine.Token) error {
		if n++; n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = Open(context.Background(), engine.Settings{"openai.url": "http://" + addr + "/v1", "openai.retries": "0"})
	if !errors.Is(err, engine.ErrUnavailable) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("err = %v", err)
	}
}

func TestBadURLs(t *testing.T) {
	for _, u := range []string{"ftp://x/v1", "not a url", "http://user:pw@host/v1"} {
		if _, err := Open(context.Background(), engine.Settings{"openai.url": u, "openai.model": "m"}); err == nil {
			t.Errorf("%q accepted", u)
		} else if strings.Contains(err.Error(), "pw@") {
			t.Errorf("credentials echoed: %v", err)
		}
	}
}

// A prefill costs a shared server nothing: no request is sent.
func TestPromptOnlySendsNothing(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { openaitest.Stream(w, "ls") })
	c := client(t, s, nil)
	res, err := c.Generate(context.Background(), engine.Request{Messages: msgs, PromptOnly: true}, nil)
	if err != nil || res.Text != "" || s.calls.Load() != 0 {
		t.Fatalf("prefill: %+v, %v, %d calls", res, err, s.calls.Load())
	}
}

// sseThoughts streams a reasoning model's thoughts in the field a server
// uses for them, then stops for length: no answer.
func sseThoughts(w http.ResponseWriter, field string) {
	w.Header().Set("Content-Type", "text/event-stream")
	for _, p := range []string{"Okay, the user", " wants files listed."} {
		b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"index": 0, "delta": map[string]string{"content": "", field: p}}}})
		fmt.Fprintf(w, "data: %s\n\n", b)
	}
	fmt.Fprint(w, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n")
}

// A reasoning model that spends its tokens thinking is asked, the next
// time, to answer directly, in the ways servers understand; the way that
// works is kept for the requests after it.
func TestReasoningModel(t *testing.T) {
	// Ollama: reasoning_effort "none" turns thinking off; its thoughts
	// otherwise come as "reasoning".
	var ollama *server
	ollama = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if ollama.lastReq.Load().(chatRequest).ReasoningEffort == "none" {
			openaitest.Stream(w, "ls -la")
			return
		}
		sseThoughts(w, "reasoning")
	})
	// vLLM: reasoning_effort "none" is refused; enable_thinking false in
	// the template's arguments works; thoughts as reasoning_content.
	var vllm *server
	vllm = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		req := vllm.lastReq.Load().(chatRequest)
		switch {
		case req.ReasoningEffort != "":
			http.Error(w, `{"error":{"message":"reasoning_effort: Input should be 'low', 'medium' or 'high'"}}`, http.StatusBadRequest)
		case req.ChatTemplateKwargs["enable_thinking"] == false:
			openaitest.Stream(w, "ls -la")
		default:
			sseThoughts(w, "reasoning_content")
		}
	})
	// A model that always thinks, in its content (<think>), and answers
	// when it has the room.
	var always *server
	always = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if always.lastReq.Load().(chatRequest).MaxTokens >= reasoningBudget {
			openaitest.Stream(w, "<thi", "nk>The user wants", " files.</th", "ink>\n\nls", " -la")
			return
		}
		openaitest.Chunks(w, "<think>The user", " wants")
		fmt.Fprint(w, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n")
	})
	for _, c := range []struct {
		name  string
		s     *server
		calls int32 // for the first request, which learns the way
		way   int32
	}{{"ollama", ollama, 2, reasonOff}, {"vllm", vllm, 3, reasonOffKwarg},
		// Asked not to, it thinks all the same: it gets the room at once.
		{"always thinks", always, 3, reasonBudget}} {
		cl := client(t, c.s, nil)
		var pieces []string
		res, err := cl.Generate(context.Background(), engine.Request{Messages: msgs},
			func(tok engine.Token) error { pieces = append(pieces, tok.Text); return nil })
		if err != nil || res.Text != "ls -la" || strings.Join(pieces, "") != "ls -la" {
			t.Fatalf("%s: %q (streamed %q), %v", c.name, res.Text, pieces, err)
		}
		if got := c.s.calls.Load(); got != c.calls || cl.reasoning.Load() != c.way {
			t.Errorf("%s: %d requests, way %d; want %d, %d", c.name, got, cl.reasoning.Load(), c.calls, c.way)
		}
		if n := cl.Info().Note; n != "it reasons; asked with "+reasonWays[c.way] {
			t.Errorf("%s: note %q", c.name, n)
		}
		// Learnt: the next request asks the right way at once.
		if res, err := cl.Generate(context.Background(), engine.Request{Messages: msgs}, nil); err != nil || res.Text != "ls -la" || c.s.calls.Load() != c.calls+1 {
			t.Errorf("%s, again: %q %v after %d requests", c.name, res.Text, err, c.s.calls.Load())
		}
	}
}

// A model that never gets to its answer says so in one line; one that
// does not reason is never sent the hints.
func TestReasoningWithoutEnd(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { sseThoughts(w, "reasoning") })
	c := client(t, s, nil)
	_, err := c.Generate(context.Background(), engine.Request{Messages: msgs}, nil)
	if err == nil || err.Error() != fmt.Sprintf("qwen2.5-coder:1.5b reasoned through %d tokens without giving a command; choose a model that answers directly", reasoningBudget) {
		t.Fatalf("got %v", err)
	}
	// A server that refuses the room to reason says why.
	var small *server
	small = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if small.lastReq.Load().(chatRequest).MaxTokens > 500 {
			http.Error(w, `{"error":{"message":"this server generates 500 tokens at most"}}`, http.StatusBadRequest)
			return
		}
		sseThoughts(w, "reasoning")
	})
	sc := client(t, small, nil)
	if _, err := sc.Generate(context.Background(), engine.Request{Messages: msgs}, nil); err == nil || !strings.Contains(err.Error(), "500 tokens at most") {
		t.Fatalf("room refused: %v", err)
	}
	plain := newServer(t, func(w http.ResponseWriter, r *http.Request) { openaitest.Stream(w, "") })
	pc := client(t, plain, nil)
	if res, err := pc.Generate(context.Background(), engine.Request{Messages: msgs}, nil); err != nil || res.Text != "" || plain.calls.Load() != 1 {
		t.Fatalf("an empty answer: %q %v, %d requests", res.Text, err, plain.calls.Load())
	}
	if req := plain.lastReq.Load().(chatRequest); req.ReasoningEffort != "" || req.ChatTemplateKwargs != nil {
		t.Errorf("hints sent to a model that does not reason: %+v", req)
	}
}

func TestThinkFilter(t *testing.T) {
	for _, c := range []struct {
		pieces []string
		want   string
	}{
		{[]string{"<th", "ink>abc</th", "ink>\n ls", " -l"}, "ls -l"},
		{[]string{"  <think>x</think>ls"}, "ls"},
		{[]string{"<t", "ar"}, "<tar"},
		{[]string{"<thi"}, "<thi"},
		{[]string{"ls <think>"}, "ls <think>"},
		{[]string{"<think>never ends"}, ""},
	} {
		var f thinkFilter
		got := ""
		for _, p := range c.pieces {
			got += f.push(p)
		}
		got += f.end()
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.pieces, got, c.want)
		}
	}
}

// A server that refuses a parameter by name (OpenAI's reasoning models:
// max_tokens, temperature; its API: top_k) is sent the request again
// without it, once for each, and the next requests leave it out.
func TestRefusedParameters(t *testing.T) {
	var s *server
	s = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		req := s.lastReq.Load().(chatRequest)
		refuse := func(msg string) {
			http.Error(w, `{"error":{"message":"`+msg+`","type":"invalid_request_error"}}`, http.StatusBadRequest)
		}
		switch {
		case req.MaxTokens != 0:
			refuse("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.")
		case req.Temperature != nil:
			refuse("Unsupported value: 'temperature' does not support 0.8 with this model. Only the default (1) value is supported.")
		case req.TopK != 0:
			refuse("Unrecognized request argument supplied: top_k")
		case req.MaxCompletionTokens != engine.DefaultMaxTokens:
			refuse("max_completion_tokens missing")
		default:
			openaitest.Stream(w, "ls -la")
		}
	})
	c := client(t, s, nil)
	alt := engine.Request{Messages: msgs, Temperature: 0.8, TopK: 40}
	if res, err := c.Generate(context.Background(), alt, nil); err != nil || res.Text != "ls -la" || s.calls.Load() != 4 {
		t.Fatalf("%q %v after %d requests", res.Text, err, s.calls.Load())
	}
	if res, err := c.Generate(context.Background(), alt, nil); err != nil || res.Text != "ls -la" || s.calls.Load() != 5 {
		t.Fatalf("again: %q %v after %d requests", res.Text, err, s.calls.Load())
	}
	if n := c.Info().Note; n != "the server refuses max_tokens (sent as max_completion_tokens), temperature, top_k" {
		t.Errorf("note %q", n)
	}
	// A refusal that names nothing it can leave out is the error.
	long := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"message":"the request exceeds the available context size"}}`, http.StatusBadRequest)
	})
	lc := client(t, long, nil)
	if _, err := lc.Generate(context.Background(), alt, nil); err == nil || !strings.Contains(err.Error(), "exceeds the available context size") || long.calls.Load() != 1 {
		t.Fatalf("%v after %d requests", err, long.calls.Load())
	}
}
