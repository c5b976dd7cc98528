package agent

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// peerUIDBy runs the platform's credential query on a unix connection's
// file descriptor.
func peerUIDBy(c net.Conn, query func(fd int) (int, error)) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, errors.New("not a unix socket connection")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	uid, qerr := -1, error(nil)
	if err := raw.Control(func(fd uintptr) { uid, qerr = query(int(fd)) }); err != nil {
		return -1, err
	}
	return uid, qerr
}

// peerListener accepts only connections from processes of one uid. The
// socket's 0600 mode already keeps others out; this holds even when the
// mode or directory is loosened, by accident or on purpose.
type peerListener struct {
	net.Listener
	uid int
}

func (l *peerListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		uid, err := peerUID(c)
		if err == nil && uid == l.uid {
			return c, nil
		}
		slog.Warn("refused a connection from another user", "peer_uid", uid, "error", err)
		go refuse(c, uid)
	}
}

// refuse answers with a plain 403 so the other user's client prints a
// clear reason rather than a reset connection.
func refuse(c net.Conn, uid int) {
	defer c.Close()
	body := fmt.Sprintf("{\"error\":\"this cmdr agent belongs to uid %d; uid %d may not use it\",\"code\":\"forbidden\"}\n", os.Getuid(), uid)
	c.SetDeadline(time.Now().Add(time.Second))
	// Read the request head first: closing on a client still writing
	// would reset its connection and hide the reason from it.
	r := bufio.NewReaderSize(io.LimitReader(c, 64<<10), 4096)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" || line == "\n" {
			break
		}
	}
	fmt.Fprintf(c, "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

// lockFile is an flock held for the agent's lifetime: one agent per user
// even when two start at the same instant.
type lockFile struct{ f *os.File }

func tryLock(path string) (*lockFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrAlreadyRunning
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	f.Truncate(0)
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return &lockFile{f}, nil
}

func (l *lockFile) Close() error { return l.f.Close() }

// lockAgent takes the agent lock. A held lock with nothing answering on
// the socket is an agent that is starting or still shutting down (freeing
// a large model takes a moment); wait a few seconds for it to finish
// either way before giving up.
func lockAgent(path, socket string) (*lockFile, error) {
	deadline := time.Now().Add(stopGrace + time.Second)
	for {
		l, err := tryLock(path)
		if !errors.Is(err, ErrAlreadyRunning) {
			return l, err
		}
		if c, derr := net.DialTimeout("unix", socket, time.Second); derr == nil {
			c.Close()
			return nil, ErrAlreadyRunning
		}
		if time.Now().After(deadline) {
			return nil, ErrAlreadyRunning
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// rss is the process's resident memory in bytes (Linux; 0 elsewhere).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(string(f[1]), 10, 64)
	return pages * int64(os.Getpagesize())
}
