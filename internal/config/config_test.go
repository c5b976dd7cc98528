package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cmdr-sh/cmdr/engine"
)

func init() {
	engine.Register(engine.Backend{Name: "cfgtest", Params: []engine.Param{
		{Key: "cfgtest.threads", Env: "CMDR_CFGTEST_THREADS", Default: "4"},
		{Key: "cfgtest.key", Env: "CMDR_CFGTEST_KEY", Secret: true},
		{Key: "model", Env: "CMDR_CFGTEST_MODEL"},
	}})
}

func writeConfig(t *testing.T, body string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CMDR_CONFIG", p)
}

func TestPrecedence(t *testing.T) {
	writeConfig(t, "engine = \"openai\"\n[cfgtest]\nthreads = 3\n")
	t.Setenv("CMDR_ENGINE", "")
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Engine() != "openai" || c.Source("engine") != FromFile {
		t.Fatalf("engine %q from %s", c.Engine(), c.Source("engine"))
	}
	if c.Get("cfgtest.threads") != "3" || c.Source("cfgtest.threads") != FromFile {
		t.Fatal(c.Get("cfgtest.threads"))
	}
	t.Setenv("CMDR_CFGTEST_THREADS", "5")
	c, _ = Load(nil)
	if c.Get("cfgtest.threads") != "5" || c.Source("cfgtest.threads") != FromEnv {
		t.Fatal("env must override the file")
	}
	c, _ = Load(map[string]string{"cfgtest.threads": "6"})
	if c.Get("cfgtest.threads") != "6" || c.Source("cfgtest.threads") != FromFlag {
		t.Fatal("flags must override env")
	}
	if got := c.Backend("cfgtest"); got["cfgtest.threads"] != "6" {
		t.Fatalf("backend settings %v", got)
	}
	if c.Get("log_level") != "info" || c.Source("log_level") != FromDefault {
		t.Fatal("default")
	}
}

func TestMalformedFileNamesLine(t *testing.T) {
	writeConfig(t, "engine = \"openai\"\n\nthreads = = 2\n")
	_, err := Load(nil)
	if err == nil || !strings.Contains(err.Error(), "config.toml:3") {
		t.Fatalf("err = %v", err)
	}
}

func TestUnknownKey(t *testing.T) {
	writeConfig(t, "[cfgtest]\nthreadz = 2\n")
	_, err := Load(nil)
	if err == nil || !strings.Contains(err.Error(), `"cfgtest.threadz"; did you mean "cfgtest.threads"?`) {
		t.Fatalf("err = %v", err)
	}
	// The same name in the wrong section, a typo, and nothing near.
	for body, want := range map[string]string{
		"threads = 2\n":          `did you mean "cfgtest.threads"?`,
		"engin = \"openai\"\n":   `did you mean "engine"?`,
		"[cfgtest]\nmodle = 1\n": `did you mean "model"?`,
		"frobnicate = 1\n":       `unknown setting "frobnicate" (see`,
	} {
		writeConfig(t, body)
		if _, err := Load(nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %s", body, err, want)
		}
	}
	if _, err := Load(map[string]string{"nope": "1"}); err == nil {
		t.Fatal("unknown flag key accepted")
	}
}

func TestSecretsHidden(t *testing.T) {
	writeConfig(t, "")
	t.Setenv("CMDR_CFGTEST_KEY", "sk-very-secret")
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows() {
		if strings.Contains(r.Value, "sk-very-secret") {
			t.Fatal("secret shown in config rows")
		}
	}
	if c.Get("cfgtest.key") != "sk-very-secret" {
		t.Fatal("the secret must still reach the backend")
	}
}

func TestMissingFileIsFine(t *testing.T) {
	t.Setenv("CMDR_CONFIG", filepath.Join(t.TempDir(), "none.toml"))
	if _, err := Load(nil); err != nil {
		t.Fatal(err)
	}
}

// Whatever the config file holds, loading it gives settings or a one-line
// error naming the file; it never panics.
func FuzzConfigFile(f *testing.F) {
	for _, s := range []string{"engine = \"openai\"\n", "[cfgtest]\nthreads = 2\n", "model = \n", "a.b.c = 1", "[[x]]\n", "engine = [1,2]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := filepath.Join(t.TempDir(), "config.toml")
		os.WriteFile(p, []byte(s), 0o600)
		t.Setenv("CMDR_CONFIG", p)
		if _, err := Load(nil); err != nil && (strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), p)) {
			t.Fatalf("%q: error %q is not one line naming the file", s, err)
		}
	})
}

// A runtime directory whose socket path would be too long to bind gives
// way to the temporary directory's, and that to /tmp's.
func TestRuntimeDirSocketFits(t *testing.T) {
	uid := fmt.Sprintf("cmdr-%d", os.Getuid())
	long := "/" + strings.Repeat("d", 50) + "/" + strings.Repeat("e", 50)
	for _, c := range []struct{ runtime, tmp, want string }{
		{"/run/user/1000", "/tmp", "/run/user/1000/cmdr"},
		{"", "/var/tmp", "/var/tmp/" + uid},
		{long, "/var/tmp", "/var/tmp/" + uid},
		{long, long, "/tmp/" + uid},
		{"relative/dir", "/var/tmp", "/var/tmp/" + uid},
	} {
		t.Setenv("XDG_RUNTIME_DIR", c.runtime)
		t.Setenv("TMPDIR", c.tmp)
		if got := RuntimeDir(); got != c.want {
			t.Errorf("XDG_RUNTIME_DIR=%q TMPDIR=%q: %s, want %s", c.runtime, c.tmp, got, c.want)
		}
		if n := len(SocketPath()); n > 103 {
			t.Errorf("the socket path is %d bytes", n)
		}
	}
}

// A misspelled variable is named with the one it most likely meant (the
// variables the CLI and the shell scripts read are checked against it in
// cmd/cmdr, where every backend is registered).
func TestUnknownEnv(t *testing.T) {
	got := UnknownEnv([]string{"CMDR_CFGTEST_THREAD=2", "CMDR_KEY_CFGTEST=x", "CMDR_CFGTEST_THREADS=2", "PATH=/bin", "CMDR_TEST_BIN=x", "CMDR_WHATEVER=1", "CMDR_HASH_ENTER=0"})
	want := []string{"CMDR_CFGTEST_THREAD (did you mean CMDR_CFGTEST_THREADS?)", "CMDR_KEY_CFGTEST (did you mean CMDR_CFGTEST_KEY?)", "CMDR_WHATEVER"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
