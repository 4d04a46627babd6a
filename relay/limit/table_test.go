package limit

import (
	"bytes"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestTable(t *testing.T) {
	tb := NewTable(Params{MaxConns: 2, Burst: 3, Rate: 1})
	now := time.Unix(1_800_000_000, 0)
	k := netip.MustParseAddr("192.0.2.1")
	a, b := tb.Enter(k, now), tb.Enter(k, now)
	if a == nil || a != b || tb.Enter(k, now) != nil {
		t.Fatal("two requests of one address, then refused")
	}
	if tb.Enter(netip.MustParseAddr("192.0.2.2"), now) == nil {
		t.Fatal("another address refused")
	}
	for i := range 3 {
		if !tb.TakeNew(a, now) {
			t.Fatalf("burst: %d refused", i)
		}
	}
	if tb.TakeNew(a, now) || !tb.TakeNew(a, now.Add(time.Second)) {
		t.Fatal("rate after the burst")
	}
	if !a.Hold(10, 15) || a.Hold(6, 15) || !a.Hold(5, 15) || a.Held() != 15 {
		t.Fatalf("hold: %d", a.Held())
	}
	tb.Leave(a)
	tb.Leave(b)
	tb.Sweep(now.Add(time.Hour))
	if tb.Len() != 2 { // k holds 15, the other address has a request open
		t.Fatalf("%d tracked, want 2", tb.Len())
	}
	a.Release(15)
	tb.Sweep(now.Add(time.Hour))
	if tb.Len() != 1 {
		t.Fatalf("%d tracked after release", tb.Len())
	}
}

func TestWatermark(t *testing.T) {
	var logs bytes.Buffer
	used := int64(0)
	w := &Watermark{MaxStore: 1000, Used: func() (int64, error) { return used, nil }, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		What: "uploads", MaxFlag: "-files-max-store", FreeFlag: "-min-free-disk"}
	w.Measure()
	if !w.Reserve(600) || !w.Reserve(400) || w.Reserve(1) || !w.Refusing() {
		t.Fatal("reserve up to the limit, then refused")
	}
	used = 990
	w.Measure()
	if w.Reserve(1) {
		t.Fatal("resumed above 95%")
	}
	used = 900
	w.Measure()
	if !w.Reserve(1) {
		t.Fatal("not resumed below 95%")
	}
	if s := logs.String(); !strings.Contains(s, "store above -files-max-store") || !strings.Contains(s, "accepting uploads again") {
		t.Fatalf("log:\n%s", s)
	}
}

// A write held across a measurement still counts until it lands in Used.
func TestWatermarkHold(t *testing.T) {
	used := int64(0)
	w := &Watermark{MaxStore: 10, Used: func() (int64, error) { return used, nil }, MaxFlag: "-m", FreeFlag: "-f"}
	w.Measure()
	if !w.Hold(4) || !w.Hold(4) {
		t.Fatal("two holds under the limit")
	}
	w.Measure() // neither has landed
	if w.Hold(4) {
		t.Fatal("a third hold passed: the first two were forgotten by the measurement")
	}
	used = 4 // the first lands
	w.Landed(4)
	w.Release(4) // the second fails
	if !w.Refusing() {
		t.Fatal("the refusal ended before a measurement")
	}
	w.Measure()
	if !w.Hold(4) || w.Hold(4) {
		t.Fatal("after the measurement: one more fits, not two")
	}
}
