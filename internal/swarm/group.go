package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
)

// group is K natives in one group: nodes[0] hosts it (its link is what
// the browser follows).
type group struct {
	nodes   []*node
	link    string
	mesh    bool
	seconds float64 // how long it took to build (or to reopen)
}

// saved is what -data keeps of a built group, to reopen it.
type saved struct {
	Link string `json:"link"`
	Size int    `json:"size"`
	Mesh bool   `json:"mesh"`
}

func nodeName(k, i int) string { return fmt.Sprintf("%s%d-%04d", namePrefix, k, i) }

// startNodes opens the k nodes of a group of size k, 8 at a time.
func startNodes(ctx context.Context, relayURL string, k int, o nodeOpts) ([]*node, error) {
	nodes := make([]*node, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range nodes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			nodes[i], errs[i] = openNode(ctx, nodeName(k, i), relayURL, o)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, n := range nodes {
			if n != nil {
				n.close()
			}
		}
		return nil, err
	}
	return nodes, nil
}

// openGroup reopens a group built by an earlier run (-data), or builds it.
func openGroup(ctx context.Context, relayURL, dir string, k int, mesh bool) (*group, error) {
	t0 := time.Now()
	if dir != "" {
		var s saved
		if b, err := os.ReadFile(groupFile(dir, k)); err == nil && json.Unmarshal(b, &s) == nil && s.Mesh == mesh {
			nodes, err := startNodes(ctx, relayURL, k, nodeOpts{dir: groupDir(dir, k), mesh: mesh, fileRelay: fileRelayOf(relayURL)})
			if err != nil {
				return nil, err
			}
			g := &group{nodes: nodes, link: s.Link, mesh: mesh}
			if err := g.waitConnected(ctx); err == nil && !mesh {
				err = g.noForwarding(ctx)
			}
			if err != nil {
				g.close()
				return nil, err
			}
			g.seconds = time.Since(t0).Seconds()
			log.Printf("swarm: group of %d reopened in %.1f s", k, g.seconds)
			return g, nil
		}
	}
	g, err := buildGroup(ctx, relayURL, dir, k, mesh)
	if err != nil {
		return nil, err
	}
	if dir != "" {
		b, _ := json.Marshal(saved{Link: g.link, Size: k, Mesh: mesh})
		if err := os.WriteFile(groupFile(dir, k), b, 0o644); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func groupDir(dir string, k int) string {
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, fmt.Sprintf("group-%d", k))
}

func groupFile(dir string, k int) string { return filepath.Join(dir, fmt.Sprintf("group-%d.json", k)) }

// buildGroup starts k nodes, makes the host's group and link, has the
// others join (four at a time, as people follow a link), and waits until
// every member is connected with every other one (mesh) or with the host.
func buildGroup(ctx context.Context, relayURL, dir string, k int, mesh bool) (*group, error) {
	t0 := time.Now()
	nodes, err := startNodes(ctx, relayURL, k, nodeOpts{dir: groupDir(dir, k), mesh: mesh, fileRelay: fileRelayOf(relayURL)})
	if err != nil {
		return nil, err
	}
	g := &group{nodes: nodes, mesh: mesh}
	host := g.nodes[0].client
	gid, err := host.CreateGroup(ctx, chat.GroupSettings{DisplayName: fmt.Sprintf("swarm of %d", k), DirectMessages: "off"})
	if err == nil {
		g.link, err = host.CreateGroupLink(ctx, gid)
	}
	if err != nil {
		g.close()
		return nil, err
	}
	if err := g.join(ctx); err != nil {
		g.close()
		return nil, err
	}
	if err := g.waitConnected(ctx); err != nil {
		g.report()
		g.close()
		return nil, fmt.Errorf("the group of %d never completed: %w", k, err)
	}
	if !mesh {
		if err := g.noForwarding(ctx); err != nil {
			g.close()
			return nil, err
		}
	}
	g.seconds = time.Since(t0).Seconds()
	log.Printf("swarm: group of %d built in %.1f s (mesh %v)", k, g.seconds, mesh)
	return g, nil
}

// join has every member but the host follow the link, four at a time,
// each waiting until it is connected with the host.
func (g *group) join(ctx context.Context) error {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	errs := make([]error, len(g.nodes))
	for i, n := range g.nodes[1:] {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := n.client.JoinGroup(ctx, g.link, chat.JoinOptions{}); err != nil {
				errs[i] = err
				return
			}
			if err := waitUntil(ctx, func() bool { return n.directCount() >= 1 }); err != nil {
				errs[i] = fmt.Errorf("%s never connected to the host: %w", n.name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// waitConnected waits for the full mesh, or (without it) for every
// native connected with the host and the host with every native.
func (g *group) waitConnected(ctx context.Context) error {
	k := len(g.nodes)
	return waitUntil(ctx, func() bool {
		if g.nodes[0].directCount() < k-1 {
			return false
		}
		for _, n := range g.nodes[1:] {
			if d := n.directCount(); g.mesh && d < k-1 || d < 1 {
				return false
			}
		}
		return true
	})
}

// report logs the members each node is not connected with (diagnostics
// of a group that does not complete).
func (g *group) report() {
	for _, n := range g.nodes {
		gs, _ := n.client.Groups(context.Background())
		if len(gs) == 0 {
			log.Printf("%s: no group", n.name)
			continue
		}
		ms, _ := n.client.Members(context.Background(), gs[0].GroupID)
		for _, m := range ms {
			if m.Connection != "direct" && (g.mesh || n == g.nodes[0]) {
				log.Printf("%s (%s): %s is %s/%s, events say %d direct", n.name, gs[0].Status, m.DisplayName, m.Status, m.Connection, n.directCount())
			}
		}
	}
}

func (g *group) close() {
	for _, n := range g.nodes {
		if n != nil {
			n.close()
		}
	}
}

// received counts the members that have a message with this text (mark
// "") or have seen mark on it (node.mark), and the latest first arrival
// among them.
func (g *group) received(text, mark string) (count int, last time.Time) {
	for _, n := range g.nodes {
		if t, ok := n.markedAt(text, mark); ok {
			count++
			if t.After(last) {
				last = t
			}
		}
	}
	return count, last
}

// waitLimit bounds every wait (against hangs, not a timing).
var waitLimit = 30 * time.Minute

// waitUntil polls cond until it holds (or ctx ends, or waitLimit passes).
func waitUntil(ctx context.Context, cond func() bool) error {
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// fileRelayOf is the file relay beside a relay (cmd/serve serves both:
// ws://host/relay → http://host/files).
func fileRelayOf(relayURL string) string {
	u := strings.Replace(strings.Replace(relayURL, "wss://", "https://", 1), "ws://", "http://", 1)
	return strings.TrimSuffix(u, "/relay") + "/files"
}

// files reports, for the file message with this text, how many members
// have it available (or done) and the latest arrival among them.
func (g *group) files(text string) (count int, last time.Time) {
	for _, n := range g.nodes {
		if f := n.file(text); !f.available.IsZero() {
			count++
			if f.available.After(last) {
				last = f.available
			}
		}
	}
	return count, last
}

// download has the first n members download the file with this text, all
// at once, and returns how long until every one has it.
func (g *group) download(ctx context.Context, text string, n int) (time.Duration, error) {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, nd := range g.nodes[:min(n, len(g.nodes))] {
		f := nd.file(text)
		if f.messageID == "" {
			return 0, fmt.Errorf("%s has no file %q", nd.name, text)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = nd.client.DownloadFile(ctx, f.messageID)
		}()
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

// react has every member (the first n) react with emoji to the message
// with this text, 64 at a time (people reacting within a moment), and
// returns how long the calls took.
func (g *group) react(ctx context.Context, text, emoji string, n int) (time.Duration, error) {
	start := time.Now()
	nodes := g.nodes[:min(n, len(g.nodes))]
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i, nd := range nodes {
		id := nd.messageID(text)
		if id == "" {
			return 0, fmt.Errorf("%s has no message %q", nd.name, text)
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = nd.client.React(ctx, id, emoji, true)
		}()
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

// send has member i send text to the group.
func (g *group) send(ctx context.Context, i int, text string) error {
	if i < 0 || i >= len(g.nodes) {
		return fmt.Errorf("no member %d", i)
	}
	c := g.nodes[i].client
	gs, err := c.Groups(ctx)
	if err != nil {
		return err
	}
	if len(gs) == 0 {
		return fmt.Errorf("%s is in no group", g.nodes[i].name)
	}
	_, err = c.SendGroupMessage(ctx, gs[0].GroupID, text)
	return err
}

// introBucket is where core/chat keeps, at the host, the pairs of members
// it introduced that are not connected yet (and whose messages it
// forwards to each other meanwhile).
const introBucket = "c.intro"

// noForwarding (a group without the natives' mesh) deletes the host's
// pairs of natives: they never connect (withoutMesh), so the host would
// forward every message a native sends to all the other natives — a
// thousand natives reacting at once would be a million forwarded
// messages, a load of the swarm, not of the browser. Pairs with the
// browser are made when it joins, after this, and go as it connects.
func (g *group) noForwarding(ctx context.Context) error {
	st := g.nodes[0].st
	kvs, err := st.List(ctx, introBucket, "")
	if err != nil || len(kvs) == 0 {
		return err
	}
	var b store.Batch
	for _, kv := range kvs {
		b.Delete(introBucket, kv.Key)
	}
	log.Printf("swarm: the host forgets %d introduced pairs of natives", len(kvs))
	return store.Commit(ctx, st, &b)
}
