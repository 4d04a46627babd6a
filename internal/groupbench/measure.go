package groupbench

import (
	"context"
	"testing"
	"time"

	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
	"github.com/sxweb/sxweb/relay/wire"
)

// Result is one row: a group of N in one Mode.
type Result struct {
	N    int
	Mode Mode

	// Connections and subscriptions (chat.Stats and agent.Stats) of the
	// host and, averaged, of the other members.
	Host, Member Load

	// Build: N-1 nodes (host included) until their mesh is complete.
	Build Phase
	// Join: the N-th member follows the link; until it is connected with
	// every member (and, in DirectAtJoin, has a contact with each).
	Join Phase

	// Resubscribe after a reconnect: the host alone, one member alone, and
	// all N at once when the relay restarts.
	ResubHost, ResubMember, ResubAll Resub

	// One group message from a member to the N-1 others.
	Msg GroupMsg

	Elapsed time.Duration // wall time of the whole run
}

// Load is what one client keeps.
type Load struct {
	GroupConns, Contacts float64 // connections (chat.Stats)
	Subs                 float64 // queues subscribed (agent.Stats)
}

// Stall is how long contacts may make no progress, once the group
// connections are complete, before a run counts them as missing.
var Stall = 10 * time.Second

// Phase is the cost of building (part of) the mesh.
type Phase struct {
	Time    time.Duration // until complete (without the stall wait)
	Missing int           // DirectAtJoin: contacts that never connected
	Msgs    MsgCount      // chat messages handed to agents (all nodes)
	Traffic Traffic       // relay traffic of all nodes
}

// Resub is one resubscription.
type Resub struct {
	Time    time.Duration // from the drop (or the relay's restart) until Up
	Traffic Traffic
	Clients int
}

// GroupMsg is the cost of one group message.
type GroupMsg struct {
	Reach     time.Duration // until the last member received it
	Delivered time.Duration // until the sender saw it delivered to all (sent to all above 20 members: no receipts)
	Sender    Traffic       // the sender's relay traffic
	All       Traffic       // every node's traffic, receipts and acks included
}

// Run builds a group of n in mode on a fresh in-process relay and measures it.
func Run(tb testing.TB, n int, mode Mode) Result {
	tb.Helper()
	start := time.Now()
	ctx := context.Background()
	r := relaytest.Start(tb, relay.Config{})
	g := newGroup(ctx, tb, r.URL, n, mode)
	res := Result{N: n, Mode: mode}

	t0, m0 := g.traffic(), g.msgs()
	g.join(ctx, tb, 1, n-1)
	res.Build.Time, res.Build.Missing = g.waitMesh(tb, n-1, Stall)
	g.quiet(tb)
	t1, m1 := g.traffic(), g.msgs()
	res.Build.Traffic, res.Build.Msgs = t1.Sub(t0), m1.Sub(m0)

	g.join(ctx, tb, n-1, n)
	res.Join.Time, res.Join.Missing = g.waitMesh(tb, n, Stall)
	res.Join.Missing -= res.Build.Missing // those still count at N
	g.quiet(tb)
	t2, m2 := g.traffic(), g.msgs()
	res.Join.Traffic, res.Join.Msgs = t2.Sub(t1), m2.Sub(m1)

	res.Host, res.Member = g.load(ctx, tb)
	res.ResubHost = g.resubOne(tb, 0)
	res.ResubMember = g.resubOne(tb, n/2)
	res.ResubAll = g.resubAll(tb, r)
	g.quiet(tb)
	res.Msg = g.groupMessage(ctx, tb, 1)
	res.Elapsed = time.Since(start)
	return res
}

// load reads every node's connection counts.
func (g *Group) load(ctx context.Context, tb testing.TB) (host, member Load) {
	tb.Helper()
	for i, n := range g.Nodes {
		s, err := n.Client.Stats(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		l := Load{GroupConns: float64(s.GroupConnections), Contacts: float64(s.DirectConnections),
			Subs: float64(n.Agent.Stats().Subscriptions)}
		if i == 0 {
			host = l
			continue
		}
		member.GroupConns += l.GroupConns
		member.Contacts += l.Contacts
		member.Subs += l.Subs
	}
	k := float64(len(g.Nodes) - 1)
	member.GroupConns /= k
	member.Contacts /= k
	member.Subs /= k
	return host, member
}

// resubOne drops node i's relay connection and waits for its Up.
func (g *Group) resubOne(tb testing.TB, i int) Resub {
	tb.Helper()
	n := g.Nodes[i]
	ups, before := n.Ups(), n.Traffic.Snapshot()
	n.Traffic.Drop()
	d := g.waitFor(tb, "resubscribe", 0, func() bool { return n.Ups() > ups })
	return Resub{Time: d, Traffic: n.Traffic.Snapshot().Sub(before), Clients: 1}
}

// resubAll restarts the relay and waits until every node is back up.
func (g *Group) resubAll(tb testing.TB, r *relaytest.Relay) Resub {
	tb.Helper()
	ups := make([]int64, len(g.Nodes))
	for i, n := range g.Nodes {
		ups[i] = n.Ups()
	}
	before := g.traffic()
	r.Restart()
	d := g.waitFor(tb, "resubscribe all", 0, func() bool {
		for i, n := range g.Nodes {
			if n.Ups() <= ups[i] {
				return false
			}
		}
		return true
	})
	return Resub{Time: d, Traffic: g.traffic().Sub(before), Clients: len(g.Nodes)}
}

// groupMessage sends one message from node i and waits until everyone has
// it and the sender saw it delivered to all.
func (g *Group) groupMessage(ctx context.Context, tb testing.TB, i int) GroupMsg {
	tb.Helper()
	s := g.Nodes[i]
	text := "probe " + time.Now().Format(time.RFC3339Nano)
	before, sBefore := g.traffic(), s.Traffic.Snapshot()
	start := time.Now()
	id, err := s.Client.SendGroupMessage(ctx, g.Groups[i], text)
	if err != nil {
		tb.Fatal(err)
	}
	var out GroupMsg
	g.waitFor(tb, "group message", 0, func() bool {
		var last time.Time
		for j, n := range g.Nodes {
			if j == i {
				continue
			}
			ts, ok := n.ReceivedAt(text)
			if !ok {
				return false
			}
			if ts.After(last) {
				last = ts
			}
		}
		out.Reach = last.Sub(start)
		return true
	})
	g.waitFor(tb, "delivered", 0, func() bool {
		ts, ok := s.DeliveredAt(id)
		out.Delivered = ts.Sub(start)
		return ok
	})
	g.quiet(tb)
	out.Sender, out.All = s.Traffic.Snapshot().Sub(sBefore), g.traffic().Sub(before)
	return out
}

// Subs is the number of SUB commands in t.
func (t Traffic) Subs() int64 { return t.Up[wire.SUB] }

// Sends is the number of SEND commands in t.
func (t Traffic) Sends() int64 { return t.Up[wire.SEND] }
