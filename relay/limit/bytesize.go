package limit

import (
	"fmt"
	"strconv"
	"strings"
)

// ByteSize is a flag value of bytes: a number with an optional unit (B,
// KB, MB, GB, TB in powers of 1000; KiB, MiB, GiB, TiB in powers of
// 1024); -1 turns a limit off.
type ByteSize int64

var units = []struct {
	suffix string
	n      int64
}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}

func (b *ByteSize) String() string {
	for _, u := range units[:4] {
		if n := int64(*b); n != 0 && n%u.n == 0 && (n/u.n)%1024 != 0 {
			return strconv.FormatInt(n/u.n, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(*b), 10)
}

// Set parses a size.
func (b *ByteSize) Set(s string) error {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.n
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f*float64(mult) > 1<<62 {
		return fmt.Errorf("not a size: %q (e.g. 500MB, 8GiB, -1)", s)
	}
	*b = ByteSize(f * float64(mult))
	return nil
}
