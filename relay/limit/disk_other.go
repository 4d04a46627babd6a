//go:build !unix

package limit

// FreeBytes returns -1: free space is unknown on this system.
func FreeBytes(string) int64 { return -1 }
