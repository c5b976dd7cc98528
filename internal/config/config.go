// Package config resolves cmdr's settings: command-line flags override
// CMDR_* environment variables, which override
// $XDG_CONFIG_HOME/cmdr/config.toml, which overrides built-in defaults.
// Every setting is declared once, with its key, variable, default and
// documentation, so `cmdr config` can list them all with their sources.
package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/cmdr-sh/cmdr/engine"
)

// Setting declares one setting. Engine parameters are settings too.
type Setting = engine.Param

// General are the settings that do not belong to one backend.
var General = []Setting{
	{Key: "engine", Env: "CMDR_ENGINE", Default: "llamacpp", Doc: "inference backend: llamacpp (local GGUF) or openai (OpenAI-compatible server)"},
	{Key: "log_level", Env: "CMDR_LOG_LEVEL", Default: "info", Doc: "log level: debug, info, warn, error"},
	{Key: "max_tokens", Env: "CMDR_MAX_TOKENS", Default: "160", Doc: "longest suggestion, in tokens"},
	{Key: "context.os", Env: "CMDR_CONTEXT_OS", Default: "true", Doc: "tell the model the OS and distribution"},
	{Key: "context.listing", Env: "CMDR_CONTEXT_LISTING", Default: "true", Doc: "tell the model the names in the current directory (capped)"},
	{Key: "context.git", Env: "CMDR_CONTEXT_GIT", Default: "true", Doc: "tell the model the git branch and whether files changed"},
	{Key: "context.history", Env: "CMDR_CONTEXT_HISTORY", Default: "true", Doc: "tell the model the session's last command"},
	{Key: "context.tools", Env: "CMDR_CONTEXT_TOOLS", Default: "true", Doc: "tell the model which installed tools fit the request (from man pages)"},
	{Key: "context.budget", Env: "CMDR_CONTEXT_BUDGET", Default: "900", Doc: "most bytes of context per request, tool hints counted at their longest (about 4 per token)"},
	{Key: "keep_alive", Env: "CMDR_KEEP_ALIVE", Default: "forever", Doc: "how long the agent keeps the model loaded when idle: forever, a duration (10m), or 0 (unload after each request)"},
	{Key: "agent.queue", Env: "CMDR_QUEUE", Default: "32", Doc: "requests the agent holds waiting for the model before answering busy"},
	{Key: "agent.timeout", Env: "CMDR_TIMEOUT", Default: "60s", Doc: "longest a client waits for an answer"},
	{Key: "agent.start_timeout", Env: "CMDR_AGENT_START_TIMEOUT", Default: "30s", Doc: "longest a client waits for an autostarted agent to answer"},
	{Key: "agent.no_autostart", Env: "CMDR_NO_AUTOSTART", Default: "false", Doc: "never start the agent from a client command (1/true)"},
	{Key: "agent.log_max_bytes", Env: "CMDR_LOG_MAX_BYTES", Default: "5000000", Doc: "agent log size before it is rotated to agent.log.1"},
}

// Source says where a value came from.
type Source string

// Value sources, strongest first.
const (
	FromFlag    Source = "flag"
	FromEnv     Source = "env"
	FromFile    Source = "file"
	FromDefault Source = "default"
)

// All lists every setting: the general ones, then each registered
// backend's, in backend name order.
func All() []Setting {
	all := append([]Setting(nil), General...)
	seen := map[string]bool{}
	for _, s := range all {
		seen[s.Key] = true
	}
	for _, name := range engine.Names() {
		b, _ := engine.Lookup(name)
		for _, p := range b.Params {
			if !seen[p.Key] {
				seen[p.Key] = true
				all = append(all, p)
			}
		}
	}
	return all
}

type entry struct {
	value  string
	source Source
}

// Config is a resolved set of settings.
type Config struct {
	// File is the config file consulted (it may not exist).
	File string
	vals map[string]entry
	defs map[string]Setting
}

// FilePath is the config file location: $CMDR_CONFIG if set, else
// $XDG_CONFIG_HOME/cmdr/config.toml.
func FilePath() string {
	if p := os.Getenv("CMDR_CONFIG"); p != "" {
		return p
	}
	return filepath.Join(configHome(), "cmdr", "config.toml")
}

func configHome() string {
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return d
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".config")
}

// Load resolves every setting. flags maps keys to values given on the
// command line. A malformed config file is an error naming the file and
// line; a missing one is not.
func Load(flags map[string]string) (*Config, error) {
	c := &Config{File: FilePath(), vals: map[string]entry{}, defs: map[string]Setting{}}
	settings := All()
	for _, s := range settings {
		c.defs[s.Key] = s
		c.vals[s.Key] = entry{s.Default, FromDefault}
	}
	file, err := readFile(c.File, c.defs)
	if err != nil {
		return nil, err
	}
	for k, v := range file {
		c.vals[k] = entry{v, FromFile}
	}
	for _, s := range settings {
		if s.Env == "" {
			continue
		}
		if v, ok := os.LookupEnv(s.Env); ok && v != "" {
			c.vals[s.Key] = entry{v, FromEnv}
		}
	}
	for k, v := range flags {
		if _, ok := c.defs[k]; !ok {
			return nil, fmt.Errorf("unknown setting %q", k)
		}
		c.vals[k] = entry{v, FromFlag}
	}
	return c, nil
}

// readFile parses the TOML config. Top-level keys and [section] tables
// map to dotted keys: [llamacpp] threads = 2 is "llamacpp.threads".
func readFile(path string, defs map[string]Setting) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, oneLine(pe.Message))
		}
		return nil, fmt.Errorf("%s: %s", path, oneLine(err.Error()))
	}
	out := map[string]string{}
	var walk func(prefix string, m map[string]any) error
	walk = func(prefix string, m map[string]any) error {
		// In file order would be best; sorted at least names the same
		// mistake first every time.
		for _, k := range slices.Sorted(maps.Keys(m)) {
			v := m[k]
			key := prefix + k
			if sub, ok := v.(map[string]any); ok {
				if err := walk(key+".", sub); err != nil {
					return err
				}
				continue
			}
			if _, ok := defs[key]; !ok {
				if near := nearestKey(key, defs); near != "" {
					return fmt.Errorf("%s: unknown setting %q; did you mean %q? (`cmdr config` lists them all)", path, key, near)
				}
				return fmt.Errorf("%s: unknown setting %q (see `cmdr config` for the list)", path, key)
			}
			switch x := v.(type) {
			case string:
				out[key] = x
			case int64, bool, float64:
				out[key] = fmt.Sprint(x)
			default:
				return fmt.Errorf("%s: %s must be a string, number or boolean", path, key)
			}
		}
		return nil
	}
	if err := walk("", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SetFlag sets key as if given on the command line.
func (c *Config) SetFlag(key, value string) { c.vals[key] = entry{value, FromFlag} }

// Settings returns every setting as engine.Settings, for typed parsing.
func (c *Config) Settings() engine.Settings {
	s := engine.Settings{}
	for k, e := range c.vals {
		s[k] = e.value
	}
	return s
}

// Get returns a setting's value ("" for an unknown key).
func (c *Config) Get(key string) string { return c.vals[key].value }

// Source returns where a setting's value came from.
func (c *Config) Source(key string) Source { return c.vals[key].source }

// Engine is the configured backend name.
func (c *Config) Engine() string { return strings.TrimSpace(c.Get("engine")) }

// Backend returns the settings for the named backend, for engine.Open.
func (c *Config) Backend(name string) engine.Settings {
	s := engine.Settings{}
	if b, err := engine.Lookup(name); err == nil {
		for _, p := range b.Params {
			s[p.Key] = c.Get(p.Key)
		}
	}
	return s
}

// Row is one line of `cmdr config`.
type Row struct {
	Key    string `json:"key"`
	Env    string `json:"env,omitempty"`
	Value  string `json:"value"`
	Source Source `json:"source"`
	Doc    string `json:"doc"`
}

// Rows lists every setting with its value and source, secrets masked.
func (c *Config) Rows() []Row {
	var rows []Row
	for _, s := range All() {
		e := c.vals[s.Key]
		v := e.value
		if s.Secret && v != "" {
			v = "(set, hidden)"
		}
		rows = append(rows, Row{Key: s.Key, Env: s.Env, Value: v, Source: e.source, Doc: s.Doc})
	}
	return rows
}

// oneLine escapes the control characters a parser quotes from the file
// (a line break inside a broken escape, say), so that its error stays on
// the one line the shells show.
func oneLine(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// otherEnv are the variables cmdr reads besides the settings': where
// config.toml is, the one-off in-process switch, and the shell
// integration's own (read by the scripts, or passed by them).
var otherEnv = []string{"CMDR_CONFIG", "CMDR_NO_AGENT", "CMDR_QUIET_BUILD_WARNING", "CMDR_KEY_REWRITE",
	"CMDR_KEY_EXPLAIN", "CMDR_HASH_ENTER", "CMDR_TYPEAHEAD", "CMDR_STREAM", "CMDR_HOOK_SHELL"}

// UnknownEnv lists the CMDR_ variables of environ ("NAME=value") that
// cmdr does not read, each with the one it most likely meant: a
// misspelled CMDR_THREAD is otherwise ignored without a word. The test
// and benchmark harnesses' own (CMDR_TEST_, CMDR_BENCH_) are not listed.
func UnknownEnv(environ []string) []string {
	known := map[string]Setting{}
	for _, s := range All() {
		if s.Env != "" {
			known[s.Env] = s
		}
	}
	for _, v := range otherEnv {
		known[v] = Setting{}
	}
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if _, ok := known[name]; ok || !strings.HasPrefix(name, "CMDR_") ||
			strings.HasPrefix(name, "CMDR_TEST_") || strings.HasPrefix(name, "CMDR_BENCH_") {
			continue
		}
		near := nearestKey(name, known)
		if near == "" {
			near = sameWords(name, known)
		}
		if near != "" {
			name += " (did you mean " + near + "?)"
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// sameWords is the one known name holding every word of name, or all
// of whose words name holds (CMDR_OPENAI_KEY for CMDR_OPENAI_API_KEY).
func sameWords(name string, known map[string]Setting) string {
	words := strings.Split(name, "_")
	found := ""
	for k := range known {
		kw := strings.Split(k, "_")
		if isSubset(words, kw) || isSubset(kw, words) {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

func isSubset(a, b []string) bool {
	for _, w := range a {
		if !slices.Contains(b, w) {
			return false
		}
	}
	return true
}

// nearestKey is the setting a mistyped key most likely meant: the same
// name in another section ("threads" for llamacpp.threads, "llamacpp.url"
// for openai.url), or one within two typing mistakes ("engin",
// "[llamacpp] thread"), a name in the wrong section counting one more.
func nearestKey(key string, defs map[string]Setting) string {
	lastOf := func(k string) string { return k[strings.LastIndex(k, ".")+1:] }
	best, bestDist := "", 3
	for _, k := range slices.Sorted(maps.Keys(defs)) {
		if lastOf(k) == lastOf(key) {
			return k
		}
		if d := min(editDistance(key, k), editDistance(lastOf(key), lastOf(k))+1); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance counts the typing mistakes between a and b: letters
// added, dropped, changed, or two swapped (the optimal string alignment
// distance).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
