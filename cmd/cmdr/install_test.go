package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// install.sh in a throwaway HOME, under sh and under bash: it installs,
// sets up every installed shell with a saved script, changes nothing when
// run again, updates an older install's line, and --uninstall restores the
// startup files byte for byte.
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
			// Each startup file sources the script saved for its shell,
			// which names the installed binary.
			data := filepath.Join(home, ".local", "share", "cmdr")
			files := map[string]string{}
			for f, shell := range map[string]string{bashrc: "bash", zshrc: "zsh", fishrc: "fish"} {
				if _, err := exec.LookPath(shell); err != nil {
					continue
				}
				saved := filepath.Join(data, "init."+shell)
				b, err := os.ReadFile(f)
				if err != nil || !strings.Contains(string(b), "\nsource "+saved+"\n") {
					t.Fatalf("%s not set up: %v %q", f, err, b)
				}
				files[f] = string(b)
				if b, err := os.ReadFile(saved); err != nil || !strings.Contains(string(b), "__cmdr_bin "+installed+"\n") && !strings.Contains(string(b), "__cmdr_bin="+installed+"\n") {
					t.Fatalf("%s does not run %s: %v", saved, installed, err)
				}
			}
			if !strings.HasPrefix(files[bashrc], origBash+"\n# >>> cmdr >>>") {
				t.Errorf("bashrc: %q", files[bashrc])
			}
			// New interactive shells have the integration.
			for shell, argv := range map[string][]string{
				"bash": {"bash", "-i", "-c", "declare -F __cmdr_rewrite"},
				"zsh":  {"zsh", "-i", "-c", "whence -w __cmdr_rewrite"},
				"fish": {"fish", "-i", "-c", "functions -q __cmdr_rewrite; and echo __cmdr_rewrite"},
			} {
				if _, err := exec.LookPath(shell); err != nil {
					continue
				}
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Env = env
				if b, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(b), "__cmdr_rewrite") {
					t.Errorf("a new %s lacks the integration: %v %s", shell, err, b)
				}
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
			// A block an older install added (the eval form) is brought
			// up to date, and uninstall still restores the file.
			old := strings.Replace(files[bashrc], "source "+filepath.Join(data, "init.bash"), `eval "$("`+installed+`" init bash)"`, 1)
			os.WriteFile(bashrc, []byte(old), 0o644)
			if out = run("--bin", cmdrBin, "--no-model"); !strings.Contains(out, "updated the line") {
				t.Errorf("old block not updated: %s", out)
			}
			if b, _ := os.ReadFile(bashrc); string(b) != files[bashrc] {
				t.Errorf("bashrc after the update: %q", b)
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
			cmd := exec.Command(sh, script, "--uninstall")
			cmd.Env = env
			if b, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(b), "nothing to uninstall") {
				t.Errorf("second uninstall: %v %s", err, b)
			}
		})
	}
}
