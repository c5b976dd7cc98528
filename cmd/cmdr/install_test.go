package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// install.sh in a throwaway HOME, under sh and under bash: it installs,
// sets up every installed shell, changes nothing when run again, and
// --uninstall restores the startup files byte for byte.
func TestInstallScript(t *testing.T) {
	script, _ := filepath.Abs("../../install.sh")
	for _, sh := range []string{"sh", "bash"} {
		t.Run(sh, func(t *testing.T) {
			home := t.TempDir()
			env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=dumb"}
			run := func(args ...string) string {
				t.Helper()
				cmd := exec.Command(sh, append([]string{script}, args...)...)
				cmd.Env = env
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("install.sh %s: %v\n%s", strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			bashrc := filepath.Join(home, ".bashrc")
			fishrc := filepath.Join(home, ".config", "fish", "config.fish")
			zshrc := filepath.Join(home, ".zshrc")
			os.MkdirAll(filepath.Dir(fishrc), 0o755)
			origBash, origFish := "alias ll='ls -l'\nexport EDITOR=vi", "set -g fish_greeting\n"
			os.WriteFile(bashrc, []byte(origBash), 0o644)
			os.WriteFile(fishrc, []byte(origFish), 0o644)

			out := run("--bin", cmdrBin, "--no-model")
			installed := filepath.Join(home, ".local", "bin", "cmdr")
			manual := filepath.Join(home, ".local", "share", "man", "man1", "cmdr.1")
			for _, p := range []string{installed, manual} {
				if _, err := os.Stat(p); err != nil {
					t.Fatalf("not installed: %v\n%s", err, out)
				}
			}
			files := map[string]string{}
			for f, shell := range map[string]string{bashrc: "bash", zshrc: "zsh", fishrc: "fish"} {
				if _, err := exec.LookPath(shell); err != nil {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil || !strings.Contains(string(b), installed+`" init`) {
					t.Fatalf("%s not set up: %v %q", f, err, b)
				}
				files[f] = string(b)
			}
			if !strings.HasPrefix(files[bashrc], origBash+"\n# >>> cmdr >>>") {
				t.Errorf("bashrc: %q", files[bashrc])
			}
			// A new interactive bash has the integration.
			cmd := exec.Command("bash", "-i", "-c", "declare -F __cmdr_rewrite")
			cmd.Env = env
			if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "__cmdr_rewrite") {
				t.Errorf("a new bash lacks the integration: %v %s", err, b)
			}

			// Again: nothing changes.
			out = run("--bin", cmdrBin, "--no-model")
			for f, want := range files {
				if b, _ := os.ReadFile(f); string(b) != want {
					t.Errorf("%s changed on the second run", f)
				}
			}
			if !strings.Contains(out, "already set up") {
				t.Errorf("second run: %s", out)
			}

			run("--uninstall")
			if b, _ := os.ReadFile(bashrc); string(b) != origBash {
				t.Errorf("bashrc not restored: %q", b)
			}
			if b, _ := os.ReadFile(fishrc); string(b) != origFish {
				t.Errorf("config.fish not restored: %q", b)
			}
			for _, gone := range []string{zshrc, installed, manual, bashrc + ".cmdr-backup", filepath.Join(home, ".local", "share", "cmdr")} {
				if _, err := os.Stat(gone); !os.IsNotExist(err) {
					t.Errorf("%s is left after --uninstall", gone)
				}
			}
			cmd = exec.Command(sh, script, "--uninstall")
			cmd.Env = env
			if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "nothing to uninstall") {
				t.Errorf("second uninstall: %v %s", err, b)
			}
		})
	}
}
