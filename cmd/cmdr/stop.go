package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/cmdr-sh/cmdr/agent/client"
	"github.com/cmdr-sh/cmdr/internal/buildinfo"
	"github.com/cmdr-sh/cmdr/internal/config"
)

func runStop(ctx context.Context, args []string) error {
	fs := newFlags("stop")
	if err := parseFlags(fs, stopUsage, args, os.Stdout); err != nil {
		return err
	}
	// Stopping reads no configuration: the socket's place does not depend
	// on it, and an agent must stay stoppable after config.toml breaks.
	c := client.New(client.Options{Socket: config.SocketPath(), Build: buildinfo.BuildID()})
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err := c.Stop(ctx)
	if errors.Is(err, client.ErrNoAgent) {
		fmt.Println("cmdr agent is not running")
		return nil
	}
	if err != nil {
		return clientError(err)
	}
	fmt.Println("cmdr agent stopped")
	return nil
}

const (
	stopUsage   = "Usage: cmdr stop\n\nStops the agent; its socket is removed. It never starts one."
	reloadUsage = "Usage: cmdr reload\n\nRe-reads config.toml in the running agent and swaps the model if it changed.\nThe agent keeps its own environment (set when it started)."
)

func runReload(ctx context.Context, args []string) error {
	fs := newFlags("reload")
	if err := parseFlags(fs, reloadUsage, args, os.Stdout); err != nil {
		return err
	}
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	st, err := c.Reload(ctx)
	if errors.Is(err, client.ErrNoAgent) {
		fmt.Println("cmdr agent is not running; it will read the new configuration when it starts")
		return nil
	}
	if err != nil {
		return clientError(err)
	}
	_, err = fmt.Printf("cmdr agent reloaded: engine %s, model %s\n", st.Engine, orDash(st.Model))
	return err
}
