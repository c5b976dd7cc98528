package llamacpp

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/internal/config"
)

// Name is the backend's registry name.
const Name = "llamacpp"

// Params are the llama.cpp backend's settings.
var Params = []engine.Param{
	{Key: "model", Env: "CMDR_MODEL", Doc: "GGUF model: a file path or a name from `cmdr model list`"},
	{Key: "llamacpp.threads", Env: "CMDR_THREADS", Doc: "CPU threads; default: the number of physical cores (never more helps)"},
	{Key: "llamacpp.ctx_size", Env: "CMDR_CTX_SIZE", Default: "4096", Doc: "context window in tokens (capped at the model's training context)"},
	{Key: "llamacpp.batch", Env: "CMDR_BATCH", Default: "512", Doc: "prompt tokens evaluated per batch"},
	{Key: "llamacpp.mmap", Env: "CMDR_MMAP", Default: "auto", Doc: "map the model file instead of reading it: auto (off when weights are repacked), true, false"},
	{Key: "llamacpp.mlock", Env: "CMDR_MLOCK", Default: "false", Doc: "lock the model in RAM so it is never paged out"},
	{Key: "llamacpp.flash_attn", Env: "CMDR_FLASH_ATTN", Default: "false", Doc: "flash attention (slower for short prompts on CPU)"},
	{Key: "llamacpp.kv_type", Env: "CMDR_KV_TYPE", Default: "f16", Doc: "KV cache element type: f16, q8_0 or q4_0 (quantized ones halve or quarter the cache and turn flash attention on, which llama.cpp needs for them)"},
	{Key: "llamacpp.prefix_cache", Env: "CMDR_PREFIX_CACHE", Default: "true", Doc: "reuse the KV cache of a shared prompt prefix across requests"},
	{Key: "llamacpp.draft", Env: "CMDR_DRAFT", Default: "0", Doc: "most tokens drafted per step, checked by the model in one batch: by prompt lookup, or by draft_model when set (0: off, or 4 with draft_model; slower on 2 cores, see docs/BENCHMARKS.md)"},
	{Key: "llamacpp.draft_model", Env: "CMDR_DRAFT_MODEL", Doc: "a smaller GGUF model with the same vocabulary that drafts tokens for the model (a file path or a name from `cmdr model list`); pays only with cores to spare"},
	{Key: "llamacpp.state_dir", Env: "CMDR_STATE_CACHE", Doc: "where the shared prompt prefix's KV state is saved, so a new agent's first request skips it; default $XDG_CACHE_HOME/cmdr/kv, \"off\" to disable"},
}

type options struct {
	model                   string
	threads, ctxSize, batch int
	mmap, mmapAuto, mlock   bool
	flashAttn, prefixCache  bool
	kvType                  string
	draft                   int
	draftModel              string
	stateDir                string // "" when off
}

func parseOptions(s engine.Settings) (options, error) {
	o := options{model: strings.TrimSpace(s.String("model"))}
	var err error
	fail := func(e error) {
		if err == nil {
			err = e
		}
	}
	num := func(key string, def, lo, hi int) int {
		v, e := s.Int(key, def)
		if e != nil {
			fail(e)
		} else if v < lo || v > hi {
			fail(fmt.Errorf("%s: %d is out of range %d..%d", key, v, lo, hi))
		}
		return v
	}
	flag := func(key string, def bool) bool {
		v, e := s.Bool(key, def)
		fail(e)
		return v
	}
	o.threads = num("llamacpp.threads", engine.PhysicalCores(), 1, 512)
	o.ctxSize = num("llamacpp.ctx_size", 4096, 64, 1<<20)
	o.batch = num("llamacpp.batch", 512, 1, 1<<16)
	switch m := strings.ToLower(strings.TrimSpace(s.String("llamacpp.mmap"))); m {
	case "", "auto":
		o.mmapAuto = true
	default:
		o.mmap = flag("llamacpp.mmap", true)
	}
	o.mlock = flag("llamacpp.mlock", false)
	o.flashAttn = flag("llamacpp.flash_attn", false)
	switch o.kvType = strings.ToLower(strings.TrimSpace(s.String("llamacpp.kv_type"))); o.kvType {
	case "", "f16":
		o.kvType = "f16"
	case "q8_0", "q4_0":
		o.flashAttn = true
	default:
		fail(fmt.Errorf("llamacpp.kv_type: %q is not f16, q8_0 or q4_0", o.kvType))
	}
	o.prefixCache = flag("llamacpp.prefix_cache", true)
	o.draft = num("llamacpp.draft", 0, 0, 64)
	o.draftModel = strings.TrimSpace(s.String("llamacpp.draft_model"))
	switch d := strings.TrimSpace(s.String("llamacpp.state_dir")); d {
	case "off", "false", "none":
	case "":
		o.stateDir = defaultStateDir()
	default:
		o.stateDir = d
	}
	if !o.prefixCache {
		o.stateDir = ""
	}
	return o, err
}

// checkSettings is the backend's engine.Backend.Check.
func checkSettings(s engine.Settings) error {
	_, err := parseOptions(s)
	return err
}

// Quantizations maps the quantization names cmdr accepts to llama.cpp's
// file type numbers (enum llama_ftype).
var Quantizations = map[string]int{
	"f16":    1,
	"q4_0":   2,
	"q8_0":   7,
	"q4_k_m": 15,
	"q5_k_m": 17,
	"q6_k":   18,
}

// defaultStateDir is $XDG_CACHE_HOME/cmdr/kv: saved prompt states can be
// rebuilt, so they are cache.
func defaultStateDir() string { return filepath.Join(config.CacheDir(), "kv") }
