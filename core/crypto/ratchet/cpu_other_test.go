//go:build !unix

package ratchet

import "time"

func cpuNow() time.Duration { return 0 }
