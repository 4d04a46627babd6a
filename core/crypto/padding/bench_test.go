package padding

import (
	"math"
	"math/rand/v2"
	"testing"
)

func BenchmarkPadUnpad(b *testing.B) {
	msg := make([]byte, 100)
	for b.Loop() {
		p, _ := Pad(msg)
		Unpad(p)
	}
}

// Layers around the padded payload as the agent writes them (see
// docs/crypto.md): inside the padding the inner tag, the ratchet's
// Overhead and the agent message head; outside it the box envelope.
const (
	insidePad  = 1 + 85 + 43 + Overhead
	outsidePad = 42
)

var candidates = []struct {
	name    string
	buckets []int
}{
	{"A_256-1K-4K-max", []int{256, 1024, 4096, MaxPadded}},
	{"B_256-512-2K-8K-max", []int{256, 512, 2048, 8192, MaxPadded}},
	{"C_pow2_256-max", Buckets[:]},
	{"SMP_16K", []int{16384}},
}

// chatMix draws an application body size: 60% short (60-250 B: texts,
// reactions, receipts), 25% 250 B-1 KB (long texts, member events), 10%
// 1-4 KB (link previews, profiles), 5% 4-15 KB (thumbnails, images in
// profiles). logUniform draws sizes log-uniformly in 16 B-15 KB.
func chatMix(r *rand.Rand) int {
	switch p := r.Float64(); {
	case p < 0.60:
		return 60 + r.IntN(191)
	case p < 0.85:
		return 250 + r.IntN(751)
	case p < 0.95:
		return 1000 + r.IntN(3001)
	default:
		return 4000 + r.IntN(11001)
	}
}

func logUniform(r *rand.Rand) int {
	return int(math.Exp(math.Log(16) + r.Float64()*(math.Log(15000)-math.Log(16))))
}

// BenchmarkBucketChoice measures each candidate bucket set on two size
// distributions: mean SEND body bytes, expansion over the raw body, and
// the Shannon entropy of the bucket (bits of length leaked per message).
func BenchmarkBucketChoice(b *testing.B) {
	dists := []struct {
		name string
		draw func(*rand.Rand) int
	}{{"chatmix", chatMix}, {"loguniform", logUniform}}
	for _, d := range dists {
		for _, c := range candidates {
			b.Run(d.name+"/"+c.name, func(b *testing.B) {
				var wire, raw float64
				var counts map[int]int
				for b.Loop() {
					r := rand.New(rand.NewPCG(1, 2))
					counts = map[int]int{}
					wire, raw = 0, 0
					for range 100000 {
						n := d.draw(r)
						bk := bucketOf(c.buckets, n+insidePad)
						counts[bk]++
						wire += float64(bk + outsidePad)
						raw += float64(n)
					}
				}
				var h float64
				for _, k := range counts {
					p := float64(k) / 100000
					h -= p * math.Log2(p)
				}
				b.ReportMetric(wire/100000, "mean-wire-B")
				b.ReportMetric(wire/raw, "expansion")
				b.ReportMetric(h, "leak-bits")
			})
		}
	}
}

func bucketOf(buckets []int, n int) int {
	for _, bk := range buckets {
		if n <= bk {
			return bk
		}
	}
	return -1
}
