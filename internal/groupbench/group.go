package groupbench

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/chat"
)

// Mode is the group design under test.
type Mode int

// Modes.
const (
	// OnDemand: group connections only; member contacts on demand (default).
	OnDemand Mode = iota
	// DirectAtJoin: the RFC's baseline, the opt-in DirectConnections setting
	// with a threshold above the group size, so every introduction carries
	// directConnReq and each pair of members also gets a contact.
	DirectAtJoin
)

func (m Mode) String() string {
	if m == DirectAtJoin {
		return "direct-at-join"
	}
	return "on-demand"
}

// Group is N nodes in one group on one relay; Nodes[0] is the host (the
// owner, who made the group link every other node followed).
type Group struct {
	Mode   Mode
	Nodes  []*Node
	Groups []string // each node's id of the group
	Link   string
	Logf   func(format string, args ...any)

	relayURL string
}

// progressf reports progress on stderr at once (a benchmark's own log
// shows only when it ends).
func progressf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// Timeout bounds every wait of the harness (a limit against hangs, not an
// assertion on speed).
var Timeout = 90 * time.Minute

// newGroup starts n nodes on relayURL and makes the host's group and link.
func newGroup(ctx context.Context, tb testing.TB, relayURL string, n int, mode Mode) *Group {
	tb.Helper()
	g := &Group{Mode: mode, Nodes: make([]*Node, n), Groups: make([]string, n), relayURL: relayURL, Logf: progressf}
	var wg sync.WaitGroup
	errs := make([]error, n)
	sem := make(chan struct{}, 16)
	for i := range g.Nodes {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			g.Nodes[i], errs[i] = newNode(ctx, fmt.Sprintf("m%03d", i), relayURL)
		}(i)
	}
	wg.Wait()
	tb.Cleanup(g.Close)
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	host := g.Nodes[0].Client
	gid, err := host.CreateGroup(ctx, chat.GroupSettings{DisplayName: "bench",
		DirectConnections: mode == DirectAtJoin, DirectConnectionsMax: n + 1})
	if err != nil {
		tb.Fatal(err)
	}
	g.Groups[0] = gid
	if g.Link, err = host.CreateGroupLink(ctx, gid); err != nil {
		tb.Fatal(err)
	}
	return g
}

// Close stops every node.
func (g *Group) Close() {
	var wg sync.WaitGroup
	for _, n := range g.Nodes {
		if n != nil {
			wg.Add(1)
			go func() { defer wg.Done(); n.Close() }()
		}
	}
	wg.Wait()
}

// join makes nodes[from:to] follow the group link (concurrently).
func (g *Group) join(ctx context.Context, tb testing.TB, from, to int) {
	tb.Helper()
	var wg sync.WaitGroup
	errs := make([]error, to)
	for i := from; i < to; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			g.Groups[i], errs[i] = g.Nodes[i].Client.JoinGroup(ctx, g.Link, chat.JoinOptions{})
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// meshDone reports whether nodes[:k] are all connected with each other
// (and, in DirectAtJoin, every pair that an introduction made has a
// connected contact: every pair but the host's, whose members joined by
// its link and were never introduced to it).
func (g *Group) meshDone(k int) bool {
	for i, n := range g.Nodes[:k] {
		if n.Connected() < k-1 || (g.Mode == DirectAtJoin && i > 0 && n.Contacts() < k-2) {
			return false
		}
	}
	return true
}

// contactsShort is how many contacts nodes[:k] lack in DirectAtJoin.
func (g *Group) contactsShort(k int) int {
	short := 0
	if g.Mode != DirectAtJoin {
		return 0
	}
	for _, n := range g.Nodes[1:k] {
		short += max(0, k-2-n.Contacts())
	}
	return short
}

// waitMesh waits until nodes[:k] form a complete mesh. In DirectAtJoin a
// contact that never connects (see docs/group-benchmarks.md) must not hang
// the run: once every group connection is up and the contacts made no
// progress for stall, it returns how many are missing.
func (g *Group) waitMesh(tb testing.TB, k int, stall time.Duration) (d time.Duration, missing int) {
	tb.Helper()
	lastChange, last := time.Now(), -1
	d = g.waitFor(tb, fmt.Sprintf("mesh of %d", k), k, func() bool {
		if g.meshDone(k) {
			return true
		}
		c, ct := g.progress(k)
		if c+ct != last {
			last, lastChange = c+ct, time.Now()
			return false
		}
		return c == k*(k-1) && time.Since(lastChange) > stall
	})
	if missing = g.contactsShort(k); missing > 0 {
		d -= stall
		g.Logf("%s %d: %d contacts never connected; %s", g.Mode, len(g.Nodes), missing, g.contactStates(k))
	}
	return d, missing
}

// contactStates counts the contacts of nodes[1:k] by status, and the
// members they have no contact with.
func (g *Group) contactStates(k int) string {
	by := map[string]int{}
	for i, n := range g.Nodes[1:k] {
		cs, _ := n.Client.Contacts(context.Background())
		for _, c := range cs {
			by[c.Status]++
		}
		ms, _ := n.Client.Members(context.Background(), g.Groups[i+1])
		for _, m := range ms {
			if m.ContactID == "" && m.MemberID != "" {
				by["member without contact"]++
			}
		}
	}
	return fmt.Sprint(by)
}

// progress sums the connections made so far by nodes[:k].
func (g *Group) progress(k int) (conns, contacts int) {
	for _, n := range g.Nodes[:k] {
		conns += n.Connected()
		contacts += n.Contacts()
	}
	return conns, contacts
}

// waitFor polls cond every 10 ms, logging progress every 30 s.
func (g *Group) waitFor(tb testing.TB, what string, k int, cond func() bool) time.Duration {
	tb.Helper()
	start := time.Now()
	lastLog := start
	for !cond() {
		if time.Since(start) > Timeout {
			c, d := g.progress(k)
			tb.Fatalf("timed out after %v waiting for %s (%d group connections, %d contacts up)", Timeout, what, c, d)
		}
		if time.Since(lastLog) > 30*time.Second {
			lastLog = time.Now()
			c, d := g.progress(k)
			g.Logf("%s %d: waiting %v for %s: %d/%d group connections, %d contacts", g.Mode, len(g.Nodes),
				time.Since(start).Round(time.Second), what, c, k*(k-1), d)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start)
}

// quiet waits until no node has outbox entries and no relay traffic moved
// for 300 ms (receipts flushed, handshakes finished).
func (g *Group) quiet(tb testing.TB) {
	tb.Helper()
	last, still := g.traffic(), 0
	g.waitFor(tb, "quiet", 0, func() bool {
		time.Sleep(100 * time.Millisecond)
		now := g.traffic()
		pending := 0
		for _, n := range g.Nodes {
			pending += n.Agent.Stats().PendingOutbox
		}
		if now == last && pending == 0 {
			still++
		} else {
			still = 0
		}
		last = now
		return still >= 3
	})
}

// traffic sums every node's relay traffic.
func (g *Group) traffic() Traffic {
	var t Traffic
	for _, n := range g.Nodes {
		t = t.Add(n.Traffic.Snapshot())
	}
	return t
}

// msgs sums every node's chat messages.
func (g *Group) msgs() MsgCount {
	var m MsgCount
	for _, n := range g.Nodes {
		m = m.Add(n.Msgs.Snapshot())
	}
	return m
}
