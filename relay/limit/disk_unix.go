//go:build unix

package limit

import "syscall"

// FreeBytes returns the bytes available to an unprivileged process on
// dir's file system, or -1 when unknown.
func FreeBytes(dir string) int64 {
	if dir == "" {
		return -1
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
