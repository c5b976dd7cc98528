package explain

import "testing"

// ssh's forwardings, sort's keys and cut's lists, as their pages
// describe them in prose.
func TestValueNotation(t *testing.T) {
	for _, c := range []struct{ prog, opt, word, want string }{
		{"ssh", "-L", "8080:localhost:80", "local port 8080 leads to localhost:80, reached from the server"},
		{"ssh", "-L", "127.0.0.1:8080:db:5432", "local port 8080 leads to db:5432, reached from the server"},
		{"ssh", "-R", "9000:127.0.0.1:3000", "the server's port 9000 leads to 127.0.0.1:3000, reached from this machine"},
		{"ssh", "-D", "1080", "a SOCKS proxy on local port 1080, its connections made from the server"},
		{"sort", "-k", "2,2n", "field 2, as numbers"},
		{"sort", "-k", "3r", "from field 3 to the end of the line, in reverse"},
		{"sort", "-k", "1.2,1.4", "characters 2 to 4 of field 1"},
		{"sort", "-k", "2,3", "fields 2 to 3"},
		{"sort", "--key", "5,5hr", "field 5, as human sizes (2K, 1G), in reverse"},
		{"cut", "-f", "1,3-5", "fields 1, 3 to 5"},
		{"cut", "-c", "1-10", "characters 1 to 10"},
		{"cut", "-f", "2", "field 2"},
		{"cut", "-f", "3-", "fields 3 to the last"},
		{"cut", "-b", "-4", "bytes 1 to 4"},
		{"ssh", "-L", "8080", ""}, {"sort", "-k", "x", ""}, {"sort", "-k", "2,2z", ""}, {"cut", "-f", "a", ""}, {"tar", "-f", "1", ""},
	} {
		if got := valueNotation(c.prog, c.opt, c.word); got != c.want {
			t.Errorf("%s %s %s: %q, want %q", c.prog, c.opt, c.word, got, c.want)
		}
	}
}
