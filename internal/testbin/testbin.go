// Package testbin gives tests that run the real cmdr binary that binary:
// the one `make test` built (CMDR_TEST_BIN, with the native cgo flags), or
// one built now with the current environment.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Cmdr returns the cmdr binary's path. pkg is the cmd/cmdr directory
// relative to the calling test's package; dir receives a fresh build.
func Cmdr(dir, pkg string) (string, error) {
	if d := os.Getenv("CMDR_TEST_BIN"); d != "" {
		return filepath.Join(d, "cmdr"), nil
	}
	bin := filepath.Join(dir, "cmdr")
	if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		return "", fmt.Errorf("building cmdr: %v\n%s", err, out)
	}
	return bin, nil
}
