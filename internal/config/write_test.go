package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSetInFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	t.Setenv("CMDR_CONFIG", p)
	// Created when missing.
	if _, err := SetInFile("model", "a.gguf"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "model = \"a.gguf\"\n" {
		t.Fatalf("%q", b)
	}
	// Replaced in place; comments and tables kept; top-level keys go
	// before the first table.
	os.WriteFile(p, []byte("# mine\nengine = \"llamacpp\"\n\n[cfgtest]\nthreads = 2\n"), 0o644)
	SetInFile("model", `C:\odd "name".gguf`)
	SetInFile("engine", "openai")
	want := "# mine\nengine = \"openai\"\n\nmodel = \"C:\\\\odd \\\"name\\\".gguf\"\n[cfgtest]\nthreads = 2\n"
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Fatalf("got\n%s\nwant\n%s", b, want)
	}
	c, err := Load(nil)
	if err != nil || c.Get("model") != `C:\odd "name".gguf` || c.Get("cfgtest.threads") != "2" {
		t.Fatalf("%v %q", err, c.Get("model"))
	}
	// A key the file cannot hold is refused, and the file is unchanged.
	if _, err := SetInFile("no.such", "x"); err == nil {
		t.Error("unknown key written")
	}
	if b, _ := os.ReadFile(p); string(b) != want {
		t.Error("file changed by a refused write")
	}
}
