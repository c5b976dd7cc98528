// Package openaitest writes answers the way an OpenAI-compatible server
// streams them (server-sent events of chat chunks), for the fake servers
// in cmdr's tests.
package openaitest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Chunks sends pieces as streamed chat chunks, each flushed at once, and
// leaves the stream open: a test can go on to hang or fail it.
func Chunks(w http.ResponseWriter, pieces ...string) {
	w.Header().Set("Content-Type", "text/event-stream")
	for _, p := range pieces {
		b, _ := json.Marshal(map[string]any{"choices": []any{map[string]any{"index": 0, "delta": map[string]string{"content": p}}}})
		fmt.Fprintf(w, "data: %s\n\n", b)
		w.(http.Flusher).Flush()
	}
}

// Stream sends pieces as a whole streamed answer: the chunks, a final
// chunk with finish_reason stop, and [DONE].
func Stream(w http.ResponseWriter, pieces ...string) {
	Chunks(w, pieces...)
	fmt.Fprint(w, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
	fmt.Fprint(w, "data: [DONE]\n\n")
}
