//go:build !cgo

package llamacpp

import (
	"context"
	"errors"

	"github.com/cmdr-sh/cmdr/engine"
)

// ErrNoCgo explains why this build cannot run local models.
var ErrNoCgo = errors.New("this cmdr was built without cgo, so the llama.cpp engine is not included; " +
	"rebuild with `make build`, or use an OpenAI-compatible server: CMDR_ENGINE=openai CMDR_OPENAI_URL=http://host:port/v1")

func init() {
	engine.Register(engine.Backend{
		Name:   Name,
		Doc:    "llama.cpp in-process (not in this build: it was built without cgo)",
		Params: Params,
		Open: func(context.Context, engine.Settings) (engine.Engine, error) {
			return nil, ErrNoCgo
		},
		Validate: Validate,
		Check:    checkSettings,
	})
}

// Available reports whether this build includes llama.cpp.
const Available = false

// SystemInfo describes the compiled CPU features; there are none here.
func SystemInfo() string { return "llama.cpp not included (built without cgo)" }

// BuildFeatures lists compiled CPU features; none without cgo.
func BuildFeatures() []string { return nil }
