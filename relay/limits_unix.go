//go:build unix

package relay

import "syscall"

// maxConnsAuto derives the connection limit from the process's descriptor
// limit (Go raises the soft limit to the hard one at start).
func maxConnsAuto() int {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return maxConnsFor(4096)
	}
	return maxConnsFor(r.Cur)
}
