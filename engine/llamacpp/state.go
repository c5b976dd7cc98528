//go:build cgo

package llamacpp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/cmdr-sh/cmdr/gguf"
	"github.com/cmdr-sh/cmdr/internal/buildinfo"
)

// A new agent's first request would evaluate the whole system prompt and
// examples again (1-2 s on 2 cores). So the KV state of the prefix that
// requests share is saved on disk once it is known, and restored when the
// same model is opened again with the same settings by the same build.

// minSavedPrefix: a shorter shared prefix is not worth a file.
const minSavedPrefix = 32

// stateFile names the saved state for this model file (by path, size and
// modification time, of each part of a split model), context settings
// and build: any change makes a new name, so a stale state is never
// loaded.
func stateFile(dir, modelPath string, nCtx int, o options) string {
	if dir == "" {
		return ""
	}
	abs, _ := filepath.Abs(modelPath)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", abs)
	for _, p := range gguf.SplitParts(modelPath) {
		st, err := os.Stat(p)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%d\n%d\n", st.Size(), st.ModTime().UnixNano())
	}
	fmt.Fprintf(h, "%d\n%v\n%s\n%s\n", nCtx, o.flashAttn, o.kvType, buildinfo.BuildID())
	return filepath.Join(dir, hex.EncodeToString(h.Sum(nil)[:16])+".kv")
}

// restoreState loads the saved prefix, if any, into the context.
func (e *Engine) restoreState() {
	if e.statePath == "" {
		return
	}
	if _, err := os.Stat(e.statePath); err != nil {
		return
	}
	t0 := time.Now()
	toks, ok := e.lctx.loadState(e.statePath)
	if !ok {
		// A truncated or foreign file: forget it.
		os.Remove(e.statePath)
		e.lctx.keep(0)
		return
	}
	e.cached, e.savedLen = toks, len(toks)
	slog.Debug("llama.cpp: restored prompt state", "tokens", len(toks), "took", time.Since(t0))
}

// saveState writes the KV cache, which holds exactly the prefix shared by
// the last two requests, when that prefix is new and long enough. It is
// written to a temporary file and renamed, so a reader never sees half.
func (e *Engine) saveState(n int) {
	if e.statePath == "" || n < minSavedPrefix || n <= e.savedLen {
		return
	}
	if err := os.MkdirAll(filepath.Dir(e.statePath), 0o700); err != nil {
		return
	}
	tmp := fmt.Sprintf("%s.%d.tmp", e.statePath, os.Getpid())
	if !e.lctx.saveState(tmp, e.cached[:n]) {
		os.Remove(tmp)
		return
	}
	if os.Rename(tmp, e.statePath) == nil {
		e.savedLen = n
	}
}
