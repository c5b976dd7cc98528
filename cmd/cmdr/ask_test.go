package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// cmdr ask in a pty: request, the suggestion pre-filled, Tab to an
// alternative, Enter runs it in the shell; a high-risk command runs only
// after a typed "yes".
func TestAskInPty(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/models" {
			fmt.Fprint(w, `{"data":[{"id":"m"}]}`)
			return
		}
		var req struct {
			Messages []struct{ Content string }
			Seed     *int
		}
		json.NewDecoder(r.Body).Decode(&req)
		user := requestOf(req.Messages[len(req.Messages)-1].Content)
		answer := "echo unknown"
		switch {
		case strings.HasSuffix(user, "list all files") && req.Seed != nil:
			answer = "ls -A"
		case strings.HasSuffix(user, "list all files"):
			answer = "ls -la"
		case strings.HasSuffix(user, "clean up here"):
			answer = "rm -rf ./*"
		}
		fmt.Fprintf(w, `{"choices":[{"message":{"content":%q},"finish_reason":"stop"}]}`, answer)
	}))
	defer srv.Close()
	home := sandbox(t, cmdrBin)
	work := t.TempDir()
	mark := filepath.Join(work, "MARK")
	os.WriteFile(mark, nil, 0o644)
	cmd := exec.Command(cmdrBin, "ask", "--shell", "bash")
	cmd.Dir = work
	cmd.Env = append(baseEnv(home), "TERM=xterm", "SHELL=/bin/bash", "CMDR_ENGINE=openai",
		"CMDR_OPENAI_URL="+srv.URL+"/v1", "CMDR_OPENAI_STREAM=false", "CMDR_OPENAI_RETRIES=0")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var mu sync.Mutex
	var screen bytes.Buffer
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	// waitFor waits for s to appear after the mark left by the last call.
	seen := 0
	waitFor := func(s string) {
		t.Helper()
		for t0 := time.Now(); time.Since(t0) < 20*time.Second; time.Sleep(20 * time.Millisecond) {
			mu.Lock()
			out := screen.String()
			mu.Unlock()
			if i := strings.Index(out[seen:], s); i >= 0 {
				seen += i + len(s)
				return
			}
		}
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("timed out waiting for %q; output:\n%q", s, screen.String()[seen:])
	}
	send := func(s string) { f.Write([]byte(s)) }

	waitFor("cmdr> ")
	send("list all files\r")
	waitFor("(1 alternative: Tab)")
	waitFor("ls -la")
	send("\t") // the alternative
	waitFor("ls -A")
	send("\r")
	waitFor("MARK") // ls ran, through the shell
	waitFor("cmdr> ")

	send("clean up here\r")
	waitFor("high risk")
	waitFor("rm -rf ./*")
	send("\r")
	waitFor(`type "yes" to run it`)
	send("no\r")
	waitFor("not run")
	if _, err := os.Stat(mark); err != nil {
		t.Fatal("a refused command ran")
	}
	waitFor("cmdr> ")
	send("clean up here\r")
	waitFor("rm -rf ./*")
	send("\r")
	waitFor(`type "yes" to run it`)
	send("yes\r")
	waitFor("cmdr> ")
	if _, err := os.Stat(mark); !os.IsNotExist(err) {
		t.Fatal("the confirmed command did not run")
	}
	send("\x04") // Ctrl-D leaves
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("Ctrl-D did not leave")
	}
	if b, _ := os.ReadFile(filepath.Join(home, "state", "cmdr", "ask_history")); !strings.Contains(string(b), "list all files") {
		t.Errorf("history: %q", b)
	}
}

// Without a terminal, ask is suggest.
func TestAskWithoutTerminal(t *testing.T) {
	r := run(t, cmdrBin, []string{"CMDR_ENGINE=llamacpp", "CMDR_MODEL=" + tiny}, "ask", "--no-agent", "--", "list files")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("exit %d %q %q", r.code, r.stdout, r.stderr)
	}
}
