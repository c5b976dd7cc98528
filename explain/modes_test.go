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
