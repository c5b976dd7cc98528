package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

const statusUsage = `Usage: cmdr status [--json]

Shows the agent's state (starting it if needed, unless CMDR_NO_AUTOSTART=1):
pid, uptime, engine and model, requests served and their latency.`

func runStatus(ctx context.Context, args []string) error {
	fs := newFlags("status")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, statusUsage, args, os.Stdout); err != nil {
		return err
	}
	c, ctx, cancel, err := agentRequest(ctx)
	if err != nil {
		return err
	}
	defer cancel()
	st, err := c.Status(ctx)
	if err != nil {
		return clientError(err)
	}
	if *asJSON {
		return writeJSON(st)
	}
	loaded := "not loaded"
	if st.Loaded {
		loaded = "loaded"
	}
	fmt.Printf("agent    pid %d, up %s, cmdr %s (protocol %d)\n", st.PID, (time.Duration(st.UptimeS) * time.Second).String(), st.Version, st.Protocol)
	fmt.Printf("socket   %s\n", st.Socket)
	fmt.Printf("engine   %s, model %s (%s, keep_alive %s)\n", st.Engine, orDash(st.Model), loaded, st.KeepAlive)
	if st.LoadError != "" {
		fmt.Printf("error    %s\n", st.LoadError)
	}
	if st.EngineNote != "" {
		fmt.Printf("         %s\n", st.EngineNote)
	}
	fmt.Printf("requests %d (%d failed), last %.0f ms, p50 %.0f ms, p95 %.0f ms\n", st.Requests, st.Errors, st.LastMS, st.P50MS, st.P95MS)
	if st.Drafted > 0 {
		fmt.Printf("drafting %d of %d drafted tokens kept (%.0f%%)\n", st.Accepted, st.Drafted, 100*float64(st.Accepted)/float64(st.Drafted))
	}
	_, err = fmt.Printf("memory   %.1f MiB resident\n", float64(st.RSSBytes)/(1<<20))
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
