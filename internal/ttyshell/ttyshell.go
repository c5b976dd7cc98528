// Package ttyshell starts bash, zsh and fish as interactive shells in a
// private tmux server, with cmdr's init line in their startup files, the
// way a user runs them. The shell tests and the end-to-end benchmarks
// share it, so both measure the same set-up.
package ttyshell

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Prompt is the prompt every shell started here shows; the text after its
// last occurrence on screen is the line being edited.
const Prompt = "READY> "

// InitLine is the README's install line for sh, with cmdr at bin.
func InitLine(sh, bin string) string {
	if sh == "fish" {
		return bin + " init fish | source"
	}
	return fmt.Sprintf(`eval "$(%s init %s)"`, bin, sh)
}

// Env is a clean environment for a shell whose home is home: the XDG
// directories inside it, so each shell gets its own cmdr agent, and
// nothing of the caller's but PATH.
func Env(home string) []string {
	return []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=C.UTF-8",
		"XDG_RUNTIME_DIR=" + filepath.Join(home, "run"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data")}
}

// Setup writes sh's startup file in home (an Env home): Prompt as the
// prompt, history in home, then rc. It returns the command line that
// starts the shell and what to add to Env.
func Setup(sh, home, rc string) (argv, env []string, err error) {
	write := func(path, text string) error {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, []byte(text), 0o644)
	}
	switch sh {
	case "bash":
		path := filepath.Join(home, ".bashrc")
		err = write(path, fmt.Sprintf("PS1='%s'\nHISTFILE=%s/.bash_history\n%s\n", Prompt, home, rc))
		return []string{"bash", "--noprofile", "--rcfile", path, "-i"}, nil, err
	case "zsh":
		err = write(filepath.Join(home, ".zshrc"), fmt.Sprintf("PS1='%s'\nHISTFILE=%s/.zsh_history\nSAVEHIST=100\nHISTSIZE=100\n%s\n", Prompt, home, rc))
		return []string{"zsh", "-i"}, []string{"ZDOTDIR=" + home}, err
	case "fish":
		// A fish with no generated completions parses every man page in a
		// background process on its first start: tens of seconds of CPU,
		// taken from the tests and the model being timed (on 2 cores it
		// made fish look 2 s slower).
		if err := os.MkdirAll(filepath.Join(home, "data", "fish", "generated_completions"), 0o755); err != nil {
			return nil, nil, err
		}
		// Autosuggestions and a right prompt would show as text after the
		// line.
		err = write(filepath.Join(home, "config", "fish", "config.fish"), fmt.Sprintf(
			"set -g fish_greeting\nset -g fish_autosuggestion_enabled 0\nfunction fish_prompt; printf '%s'; end\nfunction fish_right_prompt; end\n%s\n", Prompt, rc))
		return []string{"fish", "-i"}, nil, err
	}
	return nil, nil, fmt.Errorf("unknown shell %q", sh)
}

// Start runs argv with exactly env in a detached session of a new tmux
// server on socket sock, in a window of cols×rows, in directory dir.
func Start(sock, dir string, cols, rows int, env, argv []string) error {
	args := []string{"-S", sock, "-f", "/dev/null", "new-session", "-d", "-c", dir,
		"-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), "env", "-i"}
	args = append(append(args, env...), argv...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("tmux: %v %s", err, out)
	}
	return nil
}

// Stop ends the tmux server on sock, and with it the shell.
func Stop(sock string) { _ = exec.Command("tmux", "-S", sock, "kill-server").Run() }
