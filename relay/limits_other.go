//go:build !unix

package relay

func maxConnsAuto() int { return maxConnsFor(4096) }
