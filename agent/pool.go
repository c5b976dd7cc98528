package agent

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/cmdr-sh/cmdr/engine"
)

// opener loads an engine from the current configuration.
type opener func(ctx context.Context) (engine.Engine, error)

// pool keeps one engine loaded and shares it between requests. It loads
// on first use (one load at a time, however many requests wait), counts
// users, and applies keep_alive when the last user leaves: forever (the
// default) keeps the model, a duration unloads it after that much idle
// time, zero unloads it at once. A reload swaps in a new engine; the old
// one is closed when its last request finishes.
type pool struct {
	mu        sync.Mutex
	open      opener
	keepAlive time.Duration // < 0: forever
	cur       *slot
	loading   chan struct{} // closed when the running load ends
	loadErr   error
	idle      *time.Timer
	closed    bool
}

type slot struct {
	eng     engine.Engine
	refs    int
	retired bool
}

func newPool(open opener, keepAlive time.Duration) *pool {
	return &pool{open: open, keepAlive: keepAlive}
}

var errPoolClosed = errors.New("agent is shutting down")

// acquire returns the loaded engine and a release function, loading the
// model if needed. It waits no longer than ctx.
func (p *pool) acquire(ctx context.Context) (engine.Engine, func(), time.Duration, error) {
	var waited time.Duration
	for {
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			return nil, nil, waited, errPoolClosed
		}
		if s := p.cur; s != nil {
			s.refs++
			if p.idle != nil {
				p.idle.Stop()
				p.idle = nil
			}
			p.mu.Unlock()
			return s.eng, func() { p.release(s) }, waited, nil
		}
		if p.loading == nil {
			p.loading = make(chan struct{})
			go p.load(p.loading)
		}
		ch := p.loading
		p.mu.Unlock()
		t := time.Now()
		select {
		case <-ch:
			waited += time.Since(t)
		case <-ctx.Done():
			return nil, nil, waited, ctx.Err()
		}
		p.mu.Lock()
		err := p.loadErr
		p.mu.Unlock()
		if err != nil {
			// The request was fine; the backend cannot serve.
			return nil, nil, waited, engine.Unavailable(err)
		}
	}
}

// load runs detached from any request: a client that gives up must not
// abort a load that the next request will want.
func (p *pool) load(done chan struct{}) {
	t := time.Now()
	eng, err := p.open(context.Background())
	p.mu.Lock()
	defer p.mu.Unlock()
	defer close(done)
	p.loading = nil
	p.loadErr = err
	if err != nil {
		slog.Error("loading model failed", "error", err)
		return
	}
	if p.closed || p.cur != nil {
		// Shut down, or a reload swapped in a model while this one loaded.
		go eng.Close()
		return
	}
	slog.Info("model loaded", "engine", eng.Info().Backend, "model", eng.Info().Model, "took", time.Since(t).Round(time.Millisecond))
	p.cur = &slot{eng: eng}
	// With keep_alive 0 the requests waiting for this load must get it
	// before it is unloaded; their release applies keep_alive.
	if p.keepAlive != 0 {
		p.armIdleLocked()
	}
}

func (p *pool) release(s *slot) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s.refs--
	if s.refs > 0 {
		return
	}
	if s.retired {
		go s.eng.Close()
		return
	}
	p.armIdleLocked()
}

// armIdleLocked applies keep_alive to an unused current engine.
func (p *pool) armIdleLocked() {
	s := p.cur
	if s == nil || s.refs > 0 || p.keepAlive < 0 {
		return
	}
	if p.keepAlive == 0 {
		p.unloadLocked()
		return
	}
	if p.idle != nil {
		p.idle.Stop()
	}
	p.idle = time.AfterFunc(p.keepAlive, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.cur == s && s.refs == 0 {
			slog.Info("unloading idle model", "keep_alive", p.keepAlive)
			p.unloadLocked()
		}
	})
}

func (p *pool) unloadLocked() {
	if s := p.cur; s != nil {
		p.cur = nil
		s.retired = true
		if s.refs == 0 {
			go s.eng.Close()
		}
	}
}

// swap replaces the opener and keep_alive, loads the new engine, and
// retires the old one. On error the old engine stays in service.
func (p *pool) swap(open opener, keepAlive time.Duration) error {
	eng, err := open(context.Background())
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		eng.Close()
		return errPoolClosed
	}
	p.open, p.keepAlive = open, keepAlive
	p.unloadLocked()
	p.cur = &slot{eng: eng}
	p.loadErr = nil
	p.armIdleLocked()
	return nil
}

// configure changes the opener and keep_alive without reloading; the new
// keep_alive applies to the model now loaded.
func (p *pool) configure(open opener, keepAlive time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.open, p.keepAlive = open, keepAlive
	if p.idle != nil {
		p.idle.Stop()
		p.idle = nil
	}
	p.armIdleLocked()
}

// info reports the loaded engine, if any.
func (p *pool) info() (engine.Info, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil {
		return engine.Info{}, false, p.loadErr
	}
	return p.cur.eng.Info(), true, nil
}

// warm starts loading in the background.
func (p *pool) warm() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur == nil && p.loading == nil && !p.closed && p.keepAlive != 0 {
		p.loading = make(chan struct{})
		go p.load(p.loading)
	}
}

// close unloads the engine once no request uses it.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	if p.idle != nil {
		p.idle.Stop()
	}
	if s := p.cur; s != nil && s.refs == 0 {
		// Synchronously, so the process does not exit mid-free.
		p.cur = nil
		s.eng.Close()
		return
	}
	p.unloadLocked()
}
