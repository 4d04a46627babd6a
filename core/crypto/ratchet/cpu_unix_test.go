//go:build unix

package ratchet

import (
	"syscall"
	"time"
)

// cpuNow is the process's user+system CPU time. Benchmarks report CPU
// time per operation beside wall time because the build machine is
// shared: wall time grows with other processes' load, CPU time much less.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
