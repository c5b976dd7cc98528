package engine

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Param declares one backend-specific setting: the seed design's
// ConfigurationManager role. The registry lists them so `cmdr config` can
// show every knob, and resolves each from flags, environment and config
// file in that order of precedence.
type Param struct {
	Key     string // config file key, e.g. "llamacpp.threads"
	Env     string // environment variable, e.g. "CMDR_THREADS"
	Default string
	Doc     string
	Secret  bool // never printed or logged (API keys)
}

// Settings holds a backend's resolved parameters by Key.
type Settings map[string]string

// String returns the setting or "".
func (s Settings) String(key string) string { return s[key] }

// Int parses an integer setting; empty means def.
func (s Settings) Int(key string, def int) (int, error) {
	v := strings.TrimSpace(s[key])
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a whole number", key, v)
	}
	return n, nil
}

// Bool parses a boolean setting; empty means def.
func (s Settings) Bool(key string, def bool) (bool, error) {
	v := strings.TrimSpace(s[key])
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s: %q is not true or false", key, v)
	}
	return b, nil
}

// Duration parses a duration setting ("30s", "2m"); empty means def.
func (s Settings) Duration(key string, def time.Duration) (time.Duration, error) {
	v := strings.TrimSpace(s[key])
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a duration like 30s or 2m", key, v)
	}
	return d, nil
}

// Backend is a registered engine implementation.
type Backend struct {
	Name string
	Doc  string
	// Params are the backend's own settings.
	Params []Param
	// Open loads the configured model and returns a ready Engine.
	Open func(ctx context.Context, s Settings) (Engine, error)
	// Validate checks a model file without loading it (ModelLoader's
	// validation step); nil for backends that load no files.
	Validate func(path string) error
	// Check reads the settings as Open would, without loading a model or
	// calling a server, and reports the first it cannot use; nil for
	// backends with nothing to check.
	Check func(s Settings) error
}

var (
	regMu    sync.RWMutex
	backends = map[string]Backend{}
)

// Register makes a backend available by name. Backends call it from init;
// registering a name twice is a programming error.
func Register(b Backend) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := backends[b.Name]; dup {
		panic("engine: backend registered twice: " + b.Name)
	}
	backends[b.Name] = b
}

// Lookup returns the backend registered under name.
func Lookup(name string) (Backend, error) {
	regMu.RLock()
	defer regMu.RUnlock()
	b, ok := backends[name]
	if !ok {
		return Backend{}, fmt.Errorf("unknown engine %q (known: %s)", name, strings.Join(namesLocked(), ", "))
	}
	return b, nil
}

// Names lists the registered backends, sorted.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	return namesLocked()
}

func namesLocked() []string {
	n := make([]string, 0, len(backends))
	for k := range backends {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// Open looks the backend up and opens it with s.
func Open(ctx context.Context, name string, s Settings) (Engine, error) {
	b, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return b.Open(ctx, s)
}

// ModelResolver turns a model reference into a file path: the discovery
// hook of the seed design's ModelLoader role. The model store installs one
// so that names such as "ollama:qwen2.5-coder:1.5b" work wherever a path
// does; without it a reference must be a path.
type ModelResolver func(ref string) (path string, err error)

var (
	resolverMu sync.RWMutex
	resolver   ModelResolver
)

// SetModelResolver installs the discovery hook.
func SetModelResolver(r ModelResolver) {
	resolverMu.Lock()
	resolver = r
	resolverMu.Unlock()
}

// ResolveModel applies the discovery hook, if any, to ref.
func ResolveModel(ref string) (string, error) {
	resolverMu.RLock()
	r := resolver
	resolverMu.RUnlock()
	if r == nil {
		return ref, nil
	}
	return r(ref)
}
