package agent_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/agent"
	_ "github.com/cmdr-sh/cmdr/engine/llamacpp"
	_ "github.com/cmdr-sh/cmdr/engine/openai"
	"github.com/cmdr-sh/cmdr/internal/config"
)

// CheckConfig finds each setting the agent could not start with, as
// starting would, and never loads a model or calls a server for it.
func TestCheckConfig(t *testing.T) {
	t.Setenv("CMDR_CONFIG", filepath.Join(t.TempDir(), "none.toml"))
	for _, s := range config.All() {
		if s.Env != "" {
			t.Setenv(s.Env, "")
		}
	}
	check := func(flags map[string]string) error {
		t.Helper()
		cfg, err := config.Load(flags)
		if err != nil {
			t.Fatal(err)
		}
		return agent.CheckConfig(cfg)
	}
	// The defaults, a model that does not exist, and a server that is not
	// there are all fine to check: loading and calling come later.
	for _, flags := range []map[string]string{
		nil,
		{"model": "/nowhere/x.gguf", "log_level": "debug"},
		{"engine": "openai", "openai.url": "http://127.0.0.1:1/v1", "openai.retries": "0"},
	} {
		if err := check(flags); err != nil {
			t.Errorf("%v: %v", flags, err)
		}
	}
	for _, c := range []struct {
		flags map[string]string
		want  string
	}{
		{map[string]string{"engine": "gpt"}, "gpt"},
		{map[string]string{"max_tokens": "abc"}, "max_tokens must be a positive number"},
		{map[string]string{"agent.queue": "0"}, "agent.queue must be a positive number"},
		{map[string]string{"keep_alive": "soon"}, "keep_alive"},
		{map[string]string{"context.budget": "lots"}, "context.budget"},
		{map[string]string{"log_level": "loud"}, `log_level "loud"`},
		{map[string]string{"llamacpp.threads": "0"}, "llamacpp.threads"},
		{map[string]string{"llamacpp.kv_type": "q2"}, "llamacpp.kv_type"},
		{map[string]string{"llamacpp.mlock": "maybe"}, "llamacpp.mlock"},
		{map[string]string{"engine": "openai", "openai.url": "ftp://host/v1"}, "openai.url"},
		{map[string]string{"engine": "openai", "openai.timeout": "0s"}, "openai.timeout"},
		{map[string]string{"engine": "openai", "openai.retries": "-1"}, "openai.retries"},
		// The other engine's settings are not read.
		{map[string]string{"engine": "openai", "llamacpp.kv_type": "q2", "max_tokens": "0"}, "max_tokens"},
	} {
		if err := check(c.flags); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error naming %q", c.flags, err, c.want)
		}
	}
	if err := check(map[string]string{"engine": "openai", "llamacpp.kv_type": "q2"}); err != nil {
		t.Errorf("the other engine's setting was read: %v", err)
	}
}
