package main

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/sxweb/sxweb/core/chat"
)

// group is K natives in one group: nodes[0] hosts it (its link is what
// the browser follows).
type group struct {
	nodes   []*node
	link    string
	seconds float64 // how long it took to build
}

// buildGroup starts k nodes, makes the host's group and link, has the
// others join one at a time (as people follow a link), and waits until
// every member is connected with every other one.
func buildGroup(ctx context.Context, relayURL string, k int) (*group, error) {
	t0 := time.Now()
	g := &group{nodes: make([]*node, k)}
	var wg sync.WaitGroup
	errs := make([]error, k)
	sem := make(chan struct{}, 8)
	for i := range g.nodes {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			g.nodes[i], errs[i] = newNode(ctx, fmt.Sprintf("n%d-%04d", k, i), relayURL)
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			g.close()
			return nil, err
		}
	}
	host := g.nodes[0].client
	gid, err := host.CreateGroup(ctx, chat.GroupSettings{DisplayName: fmt.Sprintf("swarm of %d", k), DirectMessages: "off"})
	if err == nil {
		g.link, err = host.CreateGroupLink(ctx, gid)
	}
	if err != nil {
		g.close()
		return nil, err
	}
	for i, n := range g.nodes[1:] {
		if _, err := n.client.JoinGroup(ctx, g.link, chat.JoinOptions{}); err != nil {
			g.close()
			return nil, err
		}
		// one at a time: wait until it is connected with the host
		if err := waitUntil(ctx, func() bool { return n.directCount() >= 1 }); err != nil {
			g.close()
			return nil, fmt.Errorf("member %d never connected to the host: %w", i+1, err)
		}
	}
	err = waitUntil(ctx, func() bool {
		for _, n := range g.nodes {
			if n.directCount() < k-1 {
				return false
			}
		}
		return true
	})
	if err != nil {
		g.close()
		return nil, fmt.Errorf("the mesh of %d never completed: %w", k, err)
	}
	g.seconds = time.Since(t0).Seconds()
	log.Printf("swarm: group of %d built in %.1f s", k, g.seconds)
	return g, nil
}

func (g *group) close() {
	for _, n := range g.nodes {
		if n != nil {
			n.close()
		}
	}
}

// received counts the members that have a message with this text, and
// the latest first arrival among them.
func (g *group) received(text string) (count int, last time.Time) {
	for _, n := range g.nodes {
		if t, ok := n.receivedAt(text); ok {
			count++
			if t.After(last) {
				last = t
			}
		}
	}
	return count, last
}

// waitUntil polls cond until it holds (or ctx ends, or an hour passes:
// a limit against hangs, not a timing).
func waitUntil(ctx context.Context, cond func() bool) error {
	deadline := time.Now().Add(time.Hour)
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
