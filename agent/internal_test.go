package agent

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
)

func TestLogFileRotates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "agent.log")
	l, err := OpenLogFile(p, 100)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 39) + "\n"
	for i := 0; i < 7; i++ {
		l.Write([]byte(line))
	}
	l.Close()
	cur, _ := os.ReadFile(p)
	old, _ := os.ReadFile(p + ".1")
	if len(cur) > 100 || len(old) == 0 || len(old) > 100 {
		t.Fatalf("current %d bytes, rotated %d bytes", len(cur), len(old))
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("log mode %v", fi.Mode().Perm())
	}
}

type countingEngine struct {
	engine.Engine
	closed *atomic.Int32
}

func (c countingEngine) Close() error { c.closed.Add(1); return nil }
func (countingEngine) Info() engine.Info {
	return engine.Info{Backend: "fake", Model: "m"}
}

func TestPoolLoadsOnceAndSwaps(t *testing.T) {
	var opens, closed atomic.Int32
	open := func(context.Context) (engine.Engine, error) {
		opens.Add(1)
		time.Sleep(20 * time.Millisecond)
		return countingEngine{closed: &closed}, nil
	}
	p := newPool(open, -1)
	done := make(chan func(), 8)
	for i := 0; i < 8; i++ {
		go func() {
			_, rel, _, err := p.acquire(context.Background())
			if err != nil {
				t.Error(err)
			}
			done <- rel
		}()
	}
	var rels []func()
	for i := 0; i < 8; i++ {
		rels = append(rels, <-done)
	}
	if opens.Load() != 1 {
		t.Fatalf("%d loads for 8 concurrent first requests", opens.Load())
	}
	// A swap while requests hold the old engine closes it only after them.
	if err := p.swap(open, -1); err != nil {
		t.Fatal(err)
	}
	if closed.Load() != 0 {
		t.Fatal("old engine closed while in use")
	}
	for _, r := range rels {
		r()
	}
	time.Sleep(10 * time.Millisecond)
	if closed.Load() != 1 {
		t.Fatalf("old engine closed %d times", closed.Load())
	}
	p.close()
	if closed.Load() != 2 {
		t.Fatalf("close: %d", closed.Load())
	}
	if _, _, _, err := p.acquire(context.Background()); !errors.Is(err, errPoolClosed) {
		t.Fatal(err)
	}
}

func TestPoolLoadErrorIsUnavailable(t *testing.T) {
	p := newPool(func(context.Context) (engine.Engine, error) { return nil, errors.New("model file x does not exist") }, -1)
	_, _, _, err := p.acquire(context.Background())
	if !errors.Is(err, engine.ErrUnavailable) || err.Error() != "model file x does not exist" {
		t.Fatalf("err = %v", err)
	}
}

func TestParseKeepAlive(t *testing.T) {
	for in, want := range map[string]time.Duration{"forever": -1, "": -1, "0": 0, "5m": 5 * time.Minute} {
		if got, err := parseKeepAlive(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := parseKeepAlive("soon"); err == nil {
		t.Error("bad keep_alive accepted")
	}
}
