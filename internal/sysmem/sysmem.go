// Package sysmem reports how much memory this machine can give a model.
package sysmem

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Available is MemAvailable from /proc/meminfo: what can be allocated
// without swapping. ok is false where it is not known (not Linux).
func Available() (bytes uint64, ok bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, found := strings.CutPrefix(sc.Text(), "MemAvailable:"); found {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb * 1024, true
			}
		}
	}
	return 0, false
}
