//go:build unix

package relay

import "syscall"

// freeBytes returns the bytes available to the relay on dir's file
// system, or -1 when unknown.
func freeBytes(dir string) int64 {
	if dir == "" {
		return -1
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
