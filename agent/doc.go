// Package agent is cmdr's per-user daemon. It keeps one model loaded (and
// its system prompt's KV cache warm) behind a private unix socket, so a
// keypress in any shell pays only for its own new tokens.
//
// Safety: the socket lives in a 0700 directory and is created 0600; every
// connection's peer uid is checked with SO_PEERCRED and any uid but the
// agent's own is refused. One agent runs per user, guarded by an flock.
// The agent never executes anything: it only returns text.
//
// The protocol is in package wire and docs/PROTOCOL.md.
package agent
