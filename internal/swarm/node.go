package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/files/nethttp"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/boltstore"
	"github.com/sxweb/sxweb/core/store/memstore"
	"github.com/sxweb/sxweb/internal/fakefiles"
)

// node is one native member: its client, agent and what it received.
type node struct {
	name   string
	client *chat.Client
	agent  *agent.Agent
	st     store.Store
	done   chan struct{}

	mu        sync.Mutex
	direct    map[string]bool      // memberID → our group connection is up
	received  map[string]time.Time // text → first arrival
	msgText   map[string]string    // messageId → text as first received (names files, updates)
	byText    map[string]string    // text → messageId (to react to a message named by its text)
	marks     map[string]time.Time // text + "\x00" + mark → first time seen (see markOf)
	fileState map[string]fileSeen  // a file message's text → its state here
	errEvents int
}

// fileSeen is when a received file became available and was stored.
type fileSeen struct {
	messageID       string
	available, done time.Time
	state           string
}

// nodeOpts: where the node keeps its state ("" = memory) and whether it
// joins the natives' mesh.
type nodeOpts struct {
	dir       string
	mesh      bool
	fileRelay string // the file relay's URL (http://host/files)
}

// swarmLogs counts the nodes' diagnostics printed (a thousand nodes
// losing the relay at once would print thousands of lines).
var swarmLogs atomic.Int64

// openNode starts a native member (on its store in o.dir, kept across
// runs, or in memory).
func openNode(ctx context.Context, name, relayURL string, o nodeOpts) (*node, error) {
	st, err := openStore(o.dir, name)
	if err != nil {
		return nil, err
	}
	var logs atomic.Int64
	logf := func(format string, args ...any) { // the first few diagnostics of each node, 200 in all
		if logs.Add(1) <= 5 && swarmLogs.Add(1) <= 200 {
			log.Printf(name+": "+format, args...)
		}
	}
	ag, err := agent.New(agent.Config{Store: st, Relays: []string{relayURL}, Dial: wsdial.Dial, Logf: logf})
	if err != nil {
		st.Close()
		return nil, err
	}
	// Received files are kept in memory: a benchmark member downloads a
	// few, and its chunks are what is measured, not its disk.
	c, err := chat.New(chat.Config{Store: st, Agent: agentconn.Agent{Agent: ag},
		Files: fakefiles.NewStore(), FileRelay: o.fileRelay, FileHTTP: nethttp.Client{}})
	if err != nil {
		st.Close()
		return nil, err
	}
	h := agentconn.Handler(c)
	if !o.mesh {
		h = func(t *agent.Tx, ev agent.Event) error { return c.HandleEvent(t, withoutMesh(ev)) }
	}
	ag.SetHandler(h)
	n := &node{name: name, client: c, agent: ag, st: st, done: make(chan struct{}),
		direct: map[string]bool{}, received: map[string]time.Time{}, msgText: map[string]string{},
		byText: map[string]string{}, marks: map[string]time.Time{}, fileState: map[string]fileSeen{}}
	go n.loop()
	if err := c.Start(ctx); err == nil {
		err = ag.Start(ctx)
	}
	if err == nil {
		err = n.loadDirect(ctx)
	}
	if err == nil {
		err = c.SetProfile(ctx, chat.Profile{DisplayName: name})
	}
	if err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

func openStore(dir, name string) (store.Store, error) {
	if dir == "" {
		return memstore.New(), nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return boltstore.Open(filepath.Join(dir, name+".db"), boltstore.Options{})
}

// loadDirect reads which members a reopened node is connected with (its
// events only tell changes).
func (n *node) loadDirect(ctx context.Context) error {
	gs, err := n.client.Groups(ctx)
	if err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, g := range gs {
		ms, err := n.client.Members(ctx, g.GroupID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			n.direct[m.MemberID] = m.Connection == "direct"
		}
	}
	return nil
}

func (n *node) close() {
	n.client.Close()
	n.agent.Close()
	<-n.done
	n.st.Close()
}

func (n *node) loop() {
	defer close(n.done)
	for {
		evs, err := n.client.Events().PopBatch(context.Background(), 0)
		if err != nil {
			return
		}
		n.apply(evs)
	}
}

func (n *node) apply(evs []chat.Event) {
	now := time.Now()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ev := range evs {
		switch e := ev.(type) {
		case chat.MemberEvent:
			n.direct[e.Member.MemberID] = e.Member.Connection == "direct"
		case chat.MessageEvent:
			if _, seen := n.received[e.Message.Text]; !seen && e.Message.Sender != "me" {
				n.received[e.Message.Text] = now
			}
			if _, seen := n.msgText[e.Message.MessageID]; !seen {
				n.msgText[e.Message.MessageID] = e.Message.Text
				n.byText[e.Message.Text] = e.Message.MessageID
			}
			n.mark(e.Message.Text, e.Message, now)
		case chat.UpdateEvent:
			if text, ok := n.msgText[e.Message.MessageID]; ok {
				n.mark(text, e.Message, now)
			}
		case chat.FileEvent:
			text, ok := n.msgText[e.MessageID]
			if !ok {
				break
			}
			f := n.fileState[text]
			f.messageID, f.state = e.MessageID, e.State
			if e.State == chat.FileAvailable && f.available.IsZero() {
				f.available = now
			}
			if e.State == chat.FileDone && f.done.IsZero() {
				f.done = now
			}
			n.fileState[text] = f
		case chat.ErrorEvent:
			n.errEvents++
		}
	}
}

// mark notes, under the text a message first had, what a message event
// or an update shows of it: "edited:" + the new text, "deleted",
// "reaction:" + emoji + ":" + its count, "quoted" (a reply), "mentioned"
// (this member is named). The first time each is seen is kept: the
// benchmark asks when every member has seen an edit or a reaction.
func (n *node) mark(text string, m chat.Message, now time.Time) {
	var ms []string
	if m.Edited {
		ms = append(ms, "edited:"+m.Text)
	}
	if m.Deleted != "" {
		ms = append(ms, "deleted")
	}
	for _, r := range m.Reactions {
		ms = append(ms, fmt.Sprintf("reaction:%s:%d", r.Emoji, r.Count))
	}
	if m.Quote != nil {
		ms = append(ms, "quoted")
	}
	if m.Mentioned {
		ms = append(ms, "mentioned")
	}
	for _, k := range ms {
		if _, seen := n.marks[text+"\x00"+k]; !seen {
			n.marks[text+"\x00"+k] = now
		}
	}
}

// markedAt is when this member first saw mark on the message with text
// ("" : the message itself).
func (n *node) markedAt(text, mark string) (time.Time, bool) {
	if mark == "" {
		return n.receivedAt(text)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	t, ok := n.marks[text+"\x00"+mark]
	return t, ok
}

// messageID is the id here of the message with this text ("" if none).
func (n *node) messageID(text string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.byText[text]
}

// directCount is the number of members our group connection is up with.
func (n *node) directCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := 0
	for _, up := range n.direct {
		if up {
			k++
		}
	}
	return k
}

func (n *node) receivedAt(text string) (time.Time, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	t, ok := n.received[text]
	return t, ok
}

func (n *node) file(text string) fileSeen {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.fileState[text]
}
