package translate

import (
	"regexp"
	"strings"
	"sync"
)

// Redacted replaces every secret Redact removes.
const Redacted = "[REDACTED]"

// secretPatterns find credentials in free text: history lines, directory
// listings, previous commands. Each keeps what identifies the kind of
// secret (a flag, a variable name, a scheme) and hides the value, so the
// model still sees the shape of the command. They are compiled on first
// use: every process pays package initialization, and the one every new
// shell starts (`cmdr init`) never redacts anything.
var secretPatterns = sync.OnceValue(func() []secretPattern {
	return []secretPattern{
		// PEM blocks: private keys and certificates, whole.
		{regexp.MustCompile(`(?s)-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE)[A-Z ]*-----.*?(-----END [A-Z0-9 ]*-----|$)`), Redacted},
		// Authorization headers: Bearer/Basic/Token values.
		{regexp.MustCompile(`(?i)(authorization:\s*(?:bearer\s+|basic\s+|token\s+)?|\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}`), "${1}" + Redacted},
		// user:password@ in URLs.
		{regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+):[^@\s/]+@`), "${1}:" + Redacted + "@"},
		// Well-known token formats.
		{regexp.MustCompile(`\b(sk-(proj-)?[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|hf_[A-Za-z0-9]{20,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,})\b`), Redacted},
		// NAME=value where NAME says secret: API_KEY=..., export TOKEN=...
		{regexp.MustCompile(`(?i)\b([A-Z0-9_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Z0-9_]*\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;&|]+)`), "${1}" + Redacted},
		// Command-line options that take a secret: --password x, -p=x, --token=x.
		{regexp.MustCompile(`(?i)(--?(password|passwd|pass|token|api-key|apikey|secret|auth-token|access-token)[ =])("[^"]*"|'[^']*'|[^\s;&|]+)`), "${1}" + Redacted},
		// mysql -pSECRET (no space) and sshpass -p SECRET.
		{regexp.MustCompile(`\b((?:mysql|mysqldump|mariadb)\s(?:[^|;&]*\s)?-p)([^\s;&|]+)`), "${1}" + Redacted},
		{regexp.MustCompile(`\b(sshpass\s+-p\s*)([^\s;&|]+)`), "${1}" + Redacted},
		// curl -u user:password (and the proxy's -U), redis-cli -a password.
		{regexp.MustCompile(`\b(curl\s(?:[^|;&]*\s)?(?:-u|-U|--user|--proxy-user)(?:\s+|=)?['"]?[^\s:'"]+:)([^\s;&|'"]+)`), "${1}" + Redacted},
		{regexp.MustCompile(`\b(redis-cli\s(?:[^|;&]*\s)?-a\s+)([^\s;&|]+)`), "${1}" + Redacted},
	}
})

type secretPattern struct {
	re   *regexp.Regexp
	repl string
}

// Redact hides secrets in s. It is applied to every piece of context
// before it is sent to any backend, local or remote.
func Redact(s string) string {
	if s == "" {
		return s
	}
	for _, p := range secretPatterns() {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	// A secret that was quoted may leave a stray quote pair; keep it tidy.
	return strings.ReplaceAll(s, `"`+Redacted+`"`, Redacted)
}
