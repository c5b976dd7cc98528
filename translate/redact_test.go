package translate

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, secret, keep string }{
		{"curl -H 'Authorization: Bearer abcdef0123456789xyz' https://api.example.com", "abcdef0123456789xyz", "Authorization: Bearer"},
		{"export OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz123456", "abcdefghijklmnopqrstuvwxyz", "OPENAI_API_KEY="},
		{"git clone https://alice:hunter2secret@github.com/org/repo.git", "hunter2secret", "https://alice:"},
		{"psql postgres://bob:s3cr3tpw@db.local:5432/app", "s3cr3tpw", "postgres://bob:"},
		{"GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 gh pr list", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "gh pr list"},
		{"aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "aws configure"},
		{"mysql -u root -pTopSecret42 mydb", "TopSecret42", "mysql -u root -p"},
		{"sshpass -p 'letmein!' ssh host", "letmein!", "ssh host"},
		{"curl -u admin:hunter2 https://x", "hunter2", "curl -u admin:"},
		{"curl -s --user 'admin:s3cret' https://x", "s3cret", "--user 'admin:"},
		{"curl --proxy-user=bob:pw123 https://x", "pw123", "--proxy-user=bob:"},
		{"redis-cli -h db -a Sup3rSecret ping", "Sup3rSecret", "redis-cli -h db -a"},
		{"app --password hunter2 --verbose", "hunter2", "--verbose"},
		{"app --token=abc123def456", "abc123def456", "--token="},
		{`DB_PASSWORD="correct horse battery" ./run`, "correct horse", "./run"},
		{"echo $SECRET_KEY: 'xyz789xyz789'", "xyz789xyz789", "echo"},
		{"slack xoxb-123456789012-abcdefghij", "xoxb-123456789012-abcdefghij", "slack"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\nls", "b3BlbnNzaC1rZXk", "ls"},
		{"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", "eyJzdWIiOiIxMjM0NTY3ODkwIn0", "jwt"},
		{"huggingface-cli login --token hf_abcdefghijklmnopqrstuvwx", "hf_abcdefghijklmnopqrstuvwx", "huggingface-cli login"},
	}
	for _, c := range cases {
		got := Redact(c.in)
		if strings.Contains(got, c.secret) || !strings.Contains(got, c.keep) || !strings.Contains(got, Redacted) {
			t.Errorf("Redact(%q) = %q", c.in, got)
		}
	}
	// Ordinary commands pass unchanged.
	for _, s := range []string{"ls -la", "git commit -m 'fix token generation'", "echo basic authentication", "grep -r password_policy docs/", "find . -name '*.key'", "tar -czf backup.tgz ~/Documents", "curl https://example.com/api",
		"docker run -u 1000:1000 img", "curl -u admin https://x", "sort -u names.txt | redis-cli -x set k"} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestFixPromptIsRedacted(t *testing.T) {
	msgs := Messages(Request{Shell: "bash", LastCommand: "curl -H 'Authorization: Bearer abcdefghijklmnop1234' x", LastStatus: 22})
	last := msgs[len(msgs)-1].Content
	if strings.Contains(last, "abcdefghijklmnop1234") || !strings.Contains(last, "exit status 22") {
		t.Fatalf("%q", last)
	}
}
