package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cmdr-sh/cmdr/agent"
	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/engine"
	"github.com/cmdr-sh/cmdr/internal/buildinfo"
	"github.com/cmdr-sh/cmdr/internal/config"
)

const agentUsage = `Usage: cmdr agent [--daemon] [--log-file PATH] [--systemd-unit | --install-systemd]

Runs the agent that keeps the model loaded, in the foreground (logs to
stderr) or, with --daemon, detached (logs to $XDG_STATE_HOME/cmdr/agent.log).
Client commands start it on demand, so running it by hand is optional.

SIGTERM or SIGINT stop it cleanly; SIGHUP re-reads the configuration
(like ` + "`cmdr reload`" + `).

Examples:
  cmdr agent                     # foreground, for debugging (CMDR_LOG_LEVEL=debug)
  cmdr agent --daemon
  cmdr agent --install-systemd && systemctl --user enable --now cmdr-agent`

func runAgent(ctx context.Context, args []string) error {
	fs := newFlags("agent")
	daemon := fs.Bool("daemon", false, "start detached and return once it answers")
	logFile := fs.String("log-file", "", "log to this file (rotated) instead of stderr")
	unit := fs.Bool("systemd-unit", false, "print a systemd user unit for the agent")
	install := fs.Bool("install-systemd", false, "write the unit to ~/.config/systemd/user/cmdr-agent.service")
	if err := parseFlags(fs, agentUsage, args, os.Stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("agent: unexpected argument %q", fs.Arg(0))
	}
	switch {
	case *unit:
		_, err := fmt.Print(systemdUnit())
		return err
	case *install:
		return installUnit()
	case *daemon:
		return startDaemon(ctx)
	}
	cfg, err := config.Load(nil)
	if err != nil {
		return err
	}
	var logOut io.Writer = os.Stderr
	if *logFile != "" {
		maxBytes, err := cfg.Settings().Int("agent.log_max_bytes", 5_000_000)
		if err != nil {
			return err
		}
		lf, err := agent.OpenLogFile(*logFile, int64(maxBytes))
		if err != nil {
			return err
		}
		defer lf.Close()
		logOut = lf
	}
	setupLogger(logOut, cfg.Get("log_level"))
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	err = agent.Run(ctx, agent.Options{
		Socket:     config.SocketPath(),
		LoadConfig: func() (*config.Config, error) { return config.Load(nil) },
		Version:    buildinfo.Version,
		Build:      buildinfo.BuildID(),
		Reload:     hup,
	})
	if errors.Is(err, agent.ErrAlreadyRunning) {
		slog.Info("not starting", "reason", err)
	}
	return err
}

// startDaemon spawns the agent detached and waits until it answers.
func startDaemon(ctx context.Context) error {
	cfg, err := config.Load(nil)
	if err != nil {
		return err
	}
	// A client that never autostarts: this command starts the agent itself.
	c := client.New(client.Options{Socket: config.SocketPath()})
	if _, err := c.Status(ctx); err == nil {
		return errors.New("a cmdr agent is already running (see `cmdr status`)")
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	if _, err := client.Spawn(exe, config.LogPath()); err != nil {
		return err
	}
	timeout, _ := cfg.Settings().Duration("agent.start_timeout", 30*time.Second)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if st, err := c.Status(ctx); err == nil {
			fmt.Printf("cmdr agent started (pid %d, socket %s)\n", st.PID, st.Socket)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the agent did not answer within %s; see %s", timeout, config.LogPath())
}

func systemdUnit() string {
	exe, err := os.Executable()
	if err != nil {
		exe = "cmdr"
	}
	return fmt.Sprintf(`[Unit]
Description=cmdr agent: keeps a local model warm for shell command suggestions
Documentation=https://github.com/cmdr-sh/cmdr

[Service]
Type=simple
ExecStart=%s agent
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=2
# The agent only answers its own user over a private socket; it needs
# nothing else.
NoNewPrivileges=true

[Install]
WantedBy=default.target
`, exe)
}

func installUnit() error {
	home, err := os.UserHomeDir()
	if err != nil {
		return err
	}
	dir := filepath.Join(home, ".config", "systemd", "user")
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		dir = filepath.Join(d, "systemd", "user")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, "cmdr-agent.service")
	if err := os.WriteFile(path, []byte(systemdUnit()), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s\nenable it with: systemctl --user daemon-reload && systemctl --user enable --now cmdr-agent\n", path)
	return nil
}

// newClient builds an agent client from the configuration.
func newClient() (*client.Client, *config.Config, error) {
	cfg, err := config.Load(nil)
	if err != nil {
		return nil, nil, err
	}
	// Catch what would only make an autostarted agent die in its log.
	if _, err := engine.Lookup(cfg.Engine()); err != nil {
		return nil, nil, err
	}
	s := cfg.Settings()
	noAuto, err := s.Bool("agent.no_autostart", false)
	if err != nil {
		return nil, nil, err
	}
	startTimeout, err := s.Duration("agent.start_timeout", 30*time.Second)
	if err != nil {
		return nil, nil, err
	}
	return client.New(client.Options{
		Socket:       config.SocketPath(),
		Build:        buildinfo.BuildID(),
		Autostart:    !noAuto,
		LogPath:      config.LogPath(),
		StartTimeout: startTimeout,
	}), cfg, nil
}

// checkSettings reports the first setting cmdr could not use: the
// agent's and its engine's (agent.CheckConfig), and the clients' own.
func checkSettings(cfg *config.Config) error {
	if err := agent.CheckConfig(cfg); err != nil {
		return err
	}
	s := cfg.Settings()
	if _, err := s.Bool("agent.no_autostart", false); err != nil {
		return err
	}
	for _, key := range []string{"agent.timeout", "agent.start_timeout"} {
		d, err := s.Duration(key, time.Second)
		if err != nil {
			return err
		}
		if d <= 0 {
			return fmt.Errorf("%s: %q leaves no time to wait", key, s.String(key))
		}
	}
	if n, err := s.Int("agent.log_max_bytes", 1); err != nil || n < 1 {
		return fmt.Errorf("agent.log_max_bytes must be a positive number: %q", s.String("agent.log_max_bytes"))
	}
	return nil
}

// agentRequest prepares a client and a context bounded by the client
// deadline (agent.timeout) for one request to the agent.
func agentRequest(ctx context.Context) (*client.Client, context.Context, context.CancelFunc, error) {
	c, cfg, err := newClient()
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := cfg.Settings().Duration("agent.timeout", 60*time.Second)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return c, ctx, cancel, nil
}

// clientError rewords agent errors for people.
func clientError(err error) error {
	if errors.Is(err, client.ErrNoAgent) {
		return errors.New("the cmdr agent is not running and CMDR_NO_AUTOSTART is set; start it with `cmdr agent --daemon`")
	}
	var ce *client.Error
	if errors.As(err, &ce) && ce.Code == "busy" {
		return fmt.Errorf("%s; try again in a moment", strings.TrimSuffix(ce.Message, "."))
	}
	return err
}
