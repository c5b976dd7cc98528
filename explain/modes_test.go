package explain

import "testing"

func TestModeDoc(t *testing.T) {
	for mode, want := range map[string]string{
		"755":      "rwxr-xr-x: the owner may read, write and run; the group and others may read and run",
		"0640":     "rw-r-----: the owner may read and write; the group may read; others may do nothing",
		"1777":     "rwxrwxrwx: everyone may read, write and run; sticky (in a directory, only a file's owner may delete it)",
		"4755":     "rwxr-xr-x: the owner may read, write and run; the group and others may read and run; setuid (it runs as its owner)",
		"u+x,go-w": "u+x: adds run (search, for a directory) for the owner; go-w: removes write for the group and others",
		"-x":       "-x: removes run (search, for a directory) for everyone (as the umask allows)",
		"g=u":      "g=u: gives the group the owner's permissions",
		"o=":       "o=: clears every permission of others",
		"u=rw,go=r": "u=rw: sets the permissions of the owner to read and write, and no more; " +
			"go=r: sets the permissions of the group and others to read, and no more",
		"8755": "", "75": "", "--": "", "-v": "", "u+y": "",
	} {
		if got := modeDoc(mode); got != want || isMode(mode) != (want != "") {
			t.Errorf("modeDoc(%q) = %q (a mode: %v), want %q", mode, got, isMode(mode), want)
		}
	}
}

// find's numeric tests read +n, -n and n in the test's unit; -perm's
// prefixes say all bits or any.
func TestFindValueDoc(t *testing.T) {
	for _, c := range []struct{ opt, word, want string }{
		{"-size", "+100M", "more than 100 MiB (rounded up to whole units)"},
		{"-size", "-1k", "less than 1 KiB (rounded up to whole units)"},
		{"-size", "10", "exactly 10 512-byte blocks (rounded up to whole units)"},
		{"-mtime", "-7", "less than 7 days ago (in whole days, the fraction dropped)"},
		{"-mtime", "0", "less than a day ago (in whole days, the fraction dropped: 0)"},
		{"-mmin", "+30", "more than 30 minutes ago"},
		{"-links", "2", "exactly 2 links"},
		{"-perm", "644", "exactly the mode 644 (rw-r--r--)"},
		{"-perm", "-u+x", "every bit of u+x set (others may be too)"},
		{"-perm", "/022", "any bit of 022 (----w--w-) set (others may be too)"},
		{"-name", "+7", ""}, {"-mtime", "7d", ""}, {"-size", "+", ""}, {"-perm", "/x", ""},
	} {
		if got := findValueDoc(c.opt, c.word); got != c.want {
			t.Errorf("find %s %s: %q, want %q", c.opt, c.word, got, c.want)
		}
	}
}

func TestFindValueSingular(t *testing.T) {
	for _, c := range []struct{ opt, word, want string }{
		{"-mtime", "+1", "more than 1 day ago (in whole days, the fraction dropped)"},
		{"-mmin", "-1", "less than 1 minute ago"},
		{"-links", "1", "exactly 1 link"},
		{"-size", "1c", "exactly 1 byte (rounded up to whole units)"},
		{"-size", "+1", "more than 1 512-byte block (rounded up to whole units)"},
	} {
		if got := findValueDoc(c.opt, c.word); got != c.want {
			t.Errorf("find %s %s: %q, want %q", c.opt, c.word, got, c.want)
		}
	}
}
