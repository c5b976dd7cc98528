package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// RuntimeDir is the private directory holding the agent's socket and
// locks: $XDG_RUNTIME_DIR/cmdr, or $TMPDIR/cmdr-$UID when no runtime
// directory is set (ssh sessions, containers, cron) or when the socket's
// path there would be too long to bind, and /tmp/cmdr-$UID when that is
// too. Every client and the agent it starts read the same environment,
// so they agree on the choice.
func RuntimeDir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(d) {
		if dir := filepath.Join(d, "cmdr"); socketFits(dir) {
			return dir
		}
	}
	name := fmt.Sprintf("cmdr-%d", os.Getuid())
	if dir := filepath.Join(os.TempDir(), name); socketFits(dir) {
		return dir
	}
	return filepath.Join("/tmp", name)
}

// socketName is the agent's socket within RuntimeDir.
const socketName = "agent.sock"

// maxSocketPath is the longest path a unix socket can be bound at:
// sockaddr_un's sun_path holds 108 bytes on Linux and 104 on macOS and
// the BSDs, its terminating NUL included. Beyond it, binding fails with
// a bare "invalid argument".
const maxSocketPath = 103

func socketFits(dir string) bool { return len(filepath.Join(dir, socketName)) <= maxSocketPath }

// SocketPath is the agent's unix socket.
func SocketPath() string { return filepath.Join(RuntimeDir(), socketName) }

// StateDir holds logs and other state: $XDG_STATE_HOME/cmdr.
func StateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "cmdr")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "state", "cmdr")
}

// DataDir holds what cmdr keeps for the user, such as downloaded models:
// $XDG_DATA_HOME/cmdr.
func DataDir() string {
	if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "cmdr")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "share", "cmdr")
}

// InitScriptPath is where `cmdr init SHELL --save` keeps the script that
// startup files source. Data, not cache: clearing caches must not leave
// every new shell failing on a missing file.
func InitScriptPath(shell string) string { return filepath.Join(DataDir(), "init."+shell) }

// CacheDir holds what cmdr can rebuild: $XDG_CACHE_HOME/cmdr.
func CacheDir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "cmdr")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "cmdr")
}

// ToolIndexPath caches the parsed manual pages behind tool retrieval.
func ToolIndexPath() string { return filepath.Join(CacheDir(), "tools.json") }

// LogPath is the agent's log file.
func LogPath() string { return filepath.Join(StateDir(), "agent.log") }

// EnsurePrivateDir creates dir with mode 0700, or checks that an existing
// one belongs to this user and fixes its mode. A directory owned by
// someone else is refused: in a shared /tmp it could be a trap.
func EnsurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if err := ownDir(dir, st); err != nil {
		return err
	}
	if st.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("making %s private: %w", dir, err)
		}
	}
	return nil
}

// ownDir says why dir (st, from Lstat) cannot be made private: it is not
// a directory (a symbolic link included), or another user owns it.
func ownDir(dir string, st os.FileInfo) error {
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	if uid, ok := ownerUID(st); ok && uid != os.Getuid() {
		return fmt.Errorf("%s belongs to uid %d, not to you (uid %d); remove it or set XDG_RUNTIME_DIR", dir, uid, os.Getuid())
	}
	return nil
}
