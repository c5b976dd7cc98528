package engine

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// PhysicalCores counts physical CPU cores, falling back to the logical CPU
// count where the topology is not readable. llama.cpp's matrix kernels
// saturate a core's vector units, so a second hyperthread on the same core
// only adds contention: on a 2-core machine, 4 threads made decoding about
// 250 times slower than 2. The count is capped by the CPUs this process may
// run on (taskset, cgroups), since threads beyond that only queue.
func PhysicalCores() int {
	logical := runtime.NumCPU()
	paths, _ := filepath.Glob("/sys/devices/system/cpu/cpu[0-9]*/topology/core_id")
	if len(paths) == 0 {
		return logical
	}
	cores := map[string]bool{}
	for _, p := range paths {
		core, err := os.ReadFile(p)
		if err != nil {
			return logical
		}
		pkg, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "physical_package_id"))
		cores[strings.TrimSpace(string(pkg))+"/"+strings.TrimSpace(string(core))] = true
	}
	n := len(cores)
	if n < 1 {
		return logical
	}
	return min(n, logical)
}
