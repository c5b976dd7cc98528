package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/cmdr-sh/cmdr/agent/client"
)

func runStop(ctx context.Context, args []string) error {
	fs := newFlags("stop")
	if err := parseFlags(fs, stopUsage, args, os.Stdout); err != nil {
		return err
	}
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	err = c.Stop(ctx)
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
