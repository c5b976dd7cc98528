package config

import (
	"os"
	"path/filepath"
	"testing"
)

// ScratchDirIfSafe (cmdr doctor's) agrees with ScratchDir (cmdr init's)
// on every state the runtime directory can be in, and changes nothing.
func TestScratchDirIfSafe(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(dir string) error
		safe  bool
	}{
		{"missing", func(string) error { return nil }, true},
		{"private", func(dir string) error { return os.Mkdir(dir, 0o700) }, true},
		{"open to others", func(dir string) error { return os.Mkdir(dir, 0o755) }, true},
		{"a symbolic link", func(dir string) error {
			target := dir + ".elsewhere"
			if err := os.Mkdir(target, 0o700); err != nil {
				return err
			}
			return os.Symlink(target, dir)
		}, false},
		{"a file", func(dir string) error { return os.WriteFile(dir, nil, 0o600) }, false},
		{"another user's", func(dir string) error {
			if os.Getuid() != 0 {
				t.Skip("needs root to give a directory away")
			}
			if err := os.Mkdir(dir, 0o700); err != nil {
				return err
			}
			return os.Chown(dir, 54321, 54321)
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			t.Setenv("XDG_RUNTIME_DIR", base)
			dir := filepath.Join(base, "cmdr")
			if err := c.setup(dir); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Lstat(dir)
			got := ScratchDirIfSafe()
			after, _ := os.Lstat(dir)
			if (before == nil) != (after == nil) || before != nil && before.Mode() != after.Mode() {
				t.Errorf("the check changed the directory: %v → %v", before, after)
			}
			if want := map[bool]string{true: dir, false: ""}[c.safe]; got != want {
				t.Errorf("ScratchDirIfSafe() = %q, want %q", got, want)
			}
			if fromInit := ScratchDir(); fromInit != got {
				t.Errorf("cmdr init would use %q, doctor expects %q", fromInit, got)
			}
		})
	}
}
