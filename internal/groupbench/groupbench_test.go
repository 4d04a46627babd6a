package groupbench

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

var (
	sizes = flag.String("groupbench.sizes", "10,50,100,300", "group sizes for BenchmarkGroups")
	modes = flag.String("groupbench.modes", "on-demand,direct-at-join", "modes for BenchmarkGroups")
)

// TestSmoke runs the whole harness on a group of 4 in both modes and
// checks the counts a user would see: N-1 group connections and no
// contact on demand; with direct connections at join also a contact with
// each member introduced to it (N-2: all but the host, whose link they
// followed).
func TestSmoke(t *testing.T) {
	const n = 4
	var rs []Result
	for _, mode := range []Mode{OnDemand, DirectAtJoin} {
		r := Run(t, n, mode)
		rs = append(rs, r)
		contacts := 0.0
		if mode == DirectAtJoin {
			contacts = n - 2
		}
		want := Load{GroupConns: n - 1, Contacts: contacts, Subs: n - 1 + contacts}
		if missing := r.Build.Missing + r.Join.Missing; missing > 0 {
			t.Errorf("%s: %d contacts never connected", mode, missing)
		}
		if r.Member != want {
			t.Errorf("%s: member %+v, want %+v", mode, r.Member, want)
		}
		// the host has no contacts and also subscribes its group link's address
		want = Load{GroupConns: n - 1, Subs: n}
		if r.Host != want {
			t.Errorf("%s: host %+v, want %+v", mode, r.Host, want)
		}
		if got := r.ResubMember.Traffic.Subs(); got != int64(n-1+contacts) {
			t.Errorf("%s: member resubscribed %d queues, want %v", mode, got, n-1+contacts)
		}
		if got, want := r.ResubAll.Traffic.Subs(), int64(r.relaySubs()); got != want {
			t.Errorf("%s: relay restart resubscribed %d queues, want %d", mode, got, want)
		}
		if got := r.Msg.Sender.Sends(); got != n-1 {
			t.Errorf("%s: a group message took %d SENDs, want %d", mode, got, n-1)
		}
	}
	if rs[1].relaySubs() <= rs[0].relaySubs() {
		t.Errorf("direct at join holds %v subscriptions, on demand %v", rs[1].relaySubs(), rs[0].relaySubs())
	}
	t.Log(Markdown(rs))
}

// BenchmarkGroups builds each group size in both modes, side by side, and
// prints the tables of docs/group-benchmarks.md. Each size runs once
// whatever b.N is: run with -benchtime=1x (see the doc for the command).
func BenchmarkGroups(b *testing.B) {
	var rs []Result
	for _, f := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 3 {
			b.Fatalf("bad size %q", f)
		}
		for _, mode := range []Mode{OnDemand, DirectAtJoin} {
			if !strings.Contains(*modes, mode.String()) {
				continue
			}
			b.Run(fmt.Sprintf("N=%d/%s", n, mode), func(b *testing.B) {
				var r Result
				for range b.N {
					r = Run(b, n, mode)
				}
				b.ReportMetric(r.Member.Subs, "subs/member")
				b.ReportMetric(r.relaySubs(), "subs/relay")
				b.ReportMetric(float64(r.ResubMember.Traffic.BytesUp+r.ResubMember.Traffic.BytesDown), "resub-B/member")
				b.ReportMetric(float64(r.Join.Time.Milliseconds()), "join-ms")
				b.ReportMetric(float64(r.Msg.Sender.BytesUp), "msg-B-up")
				rs = append(rs, r)
				b.Logf("N=%d %s done in %v", n, mode, r.Elapsed)
			})
		}
	}
	fmt.Println(Markdown(rs))
}
