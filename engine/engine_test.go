package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestStreamStopAcrossPieces(t *testing.T) {
	s := NewStream([]string{"END", "\n\n"})
	var shown strings.Builder
	for _, p := range []string{"ls -", "la E", "N", "D more"} {
		out, stop := s.Push(p)
		shown.WriteString(out)
		if stop {
			break
		}
	}
	if shown.String() != "ls -la " || s.Text() != "ls -la " {
		t.Fatalf("shown %q text %q", shown.String(), s.Text())
	}
}

func TestStreamHoldsPartialStopThenReleases(t *testing.T) {
	s := NewStream([]string{"STOP"})
	out, _ := s.Push("abc ST")
	if out != "abc " {
		t.Fatalf("out = %q, want the possible stop prefix held back", out)
	}
	out, stop := s.Push("AR")
	if stop || out != "STAR" {
		t.Fatalf("out = %q stop = %v", out, stop)
	}
	if s.Flush() != "" {
		t.Fatal("nothing should remain")
	}
}

func TestStreamUTF8(t *testing.T) {
	s := NewStream(nil)
	euro := "€" // 3 bytes
	out, _ := s.Push("a" + euro[:1])
	if out != "a" {
		t.Fatalf("out = %q", out)
	}
	out, _ = s.Push(euro[1:2])
	if out != "" {
		t.Fatalf("out = %q", out)
	}
	out, _ = s.Push(euro[2:] + "b")
	if out != euro+"b" {
		t.Fatalf("out = %q", out)
	}
	// A dangling fragment at the very end is still flushed, not lost.
	s.Push("\xf0\x9f")
	if got := s.Flush(); got != "\xf0\x9f" {
		t.Fatalf("flush = %q", got)
	}
}

func TestStreamStopAtStart(t *testing.T) {
	s := NewStream([]string{"x"})
	out, stop := s.Push("x")
	if !stop || out != "" || s.Text() != "" {
		t.Fatalf("out %q stop %v", out, stop)
	}
}

func TestSettings(t *testing.T) {
	s := Settings{"n": "12", "bad": "x", "b": "true", "d": "2s"}
	if v, err := s.Int("n", 1); err != nil || v != 12 {
		t.Fatal(v, err)
	}
	if v, err := s.Int("missing", 7); err != nil || v != 7 {
		t.Fatal(v, err)
	}
	if _, err := s.Int("bad", 0); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Fatal(err)
	}
	if v, err := s.Bool("b", false); err != nil || !v {
		t.Fatal(v, err)
	}
	if _, err := s.Bool("bad", false); err == nil {
		t.Fatal("bad bool accepted")
	}
	if v, err := s.Duration("d", 0); err != nil || v != 2*time.Second {
		t.Fatal(v, err)
	}
}

type fakeEngine struct{ Engine }

func TestRegistry(t *testing.T) {
	Register(Backend{Name: "test-registry", Open: func(context.Context, Settings) (Engine, error) { return fakeEngine{}, nil }})
	if _, err := Open(context.Background(), "test-registry", nil); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), "nope", nil)
	if err == nil || !strings.Contains(err.Error(), "test-registry") {
		t.Fatalf("unknown engine error should list known ones: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("duplicate registration must panic")
		}
	}()
	Register(Backend{Name: "test-registry"})
}

func TestResolver(t *testing.T) {
	if p, _ := ResolveModel("a.gguf"); p != "a.gguf" {
		t.Fatal(p)
	}
	SetModelResolver(func(ref string) (string, error) { return "/models/" + ref, nil })
	defer SetModelResolver(nil)
	if p, _ := ResolveModel("a.gguf"); p != "/models/a.gguf" {
		t.Fatal(p)
	}
}

func TestCountTokensEstimate(t *testing.T) {
	if n := CountTokens(fakeEngine{}, "12345678"); n != 2 {
		t.Fatal(n)
	}
}

func TestPhysicalCores(t *testing.T) {
	if n := PhysicalCores(); n < 1 {
		t.Fatal(n)
	}
}
