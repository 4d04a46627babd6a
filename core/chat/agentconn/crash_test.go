package agentconn_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/chat/agentconn"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/core/store/boltstore"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// A native client on the durable store (boltstore) is killed (SIGKILL)
// several times in the middle of a burst of messages and restarted; each
// time it goes on from the last message it had reported sent, sending
// that one again with the same sendId (it cannot know whether the kill
// came before or after it was stored). Bob receives every message exactly
// once, in order.
func TestKilledSenderLosesNothingSendsNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("child processes skipped in -short")
	}
	const n = 60
	url := relaytest.Start(t, relay.Config{}).URL
	bob := newUser(t, url, "bob", false)
	inv, err := bob.CreateInvitation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "alice.db")
	from := 0
	for round := 0; from < n; round++ {
		kill := round < 4
		last, done := runSender(t, path, url, inv.Link, from, n, kill)
		if last >= from {
			from = last + 1 // the next one may or may not have been stored: sent again
		}
		if done {
			break
		}
		if round > 20 {
			t.Fatal("the sender never finished")
		}
	}
	var got []string
	waitFor(t, "bob has every message", func() bool {
		ms, _ := bob.Messages(ctx, chat.ChatRef{ContactID: inv.ContactID})
		got = got[:0]
		for _, m := range ms {
			got = append(got, m.Text)
		}
		return len(got) >= n
	})
	time.Sleep(200 * time.Millisecond) // a duplicate would come right behind
	ms, _ := bob.Messages(ctx, chat.ChatRef{ContactID: inv.ContactID})
	if len(ms) != n {
		t.Fatalf("bob has %d messages, want %d", len(ms), n)
	}
	for i, m := range ms {
		if want := fmt.Sprintf("msg %d", i); m.Text != want {
			t.Fatalf("message %d is %q, want %q", i, m.Text, want)
		}
	}
}

// runSender runs the sending child from message from; with kill it is
// killed after a random number of reported sends. It returns the last
// message reported sent (from-1 if none) and whether the child finished.
func runSender(t *testing.T, path, url, link string, from, n int, kill bool) (int, bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSenderChild$")
	cmd.Env = append(os.Environ(), "SXWEB_CRASH_CHILD=1", "STORE="+path, "RELAY="+url, "LINK="+link,
		"FROM="+strconv.Itoa(from), "N="+strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	after := 1 + rand.IntN(15)
	last, sends, done := from-1, 0, false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if i, ok := strings.CutPrefix(line, "sent "); ok {
			last, _ = strconv.Atoi(i)
			if sends++; kill && sends == after {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
		if line == "done" {
			done = true
		}
	}
	_ = cmd.Wait()
	return last, done
}

// TestCrashSenderChild is the sender of the test above, run as a child
// process (it does nothing otherwise).
func TestCrashSenderChild(t *testing.T) {
	if os.Getenv("SXWEB_CRASH_CHILD") == "" {
		return
	}
	st, err := boltstore.Open(os.Getenv("STORE"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, ag, err := agentconn.Open(ctx, agent.Config{Store: st, Relays: []string{os.Getenv("RELAY")}, Dial: wsdial.Dial}, chat.Config{})
	if err != nil {
		t.Fatal(err)
	}
	contact := childContact(t, c)
	from, _ := strconv.Atoi(os.Getenv("FROM"))
	n, _ := strconv.Atoi(os.Getenv("N"))
	for i := from; i < n; i++ {
		_, err := c.SendDirectMessage(ctx, contact, fmt.Sprintf("msg %d", i), chat.SendOptions{SendID: fmt.Sprintf("s%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("sent %d\n", i)
	}
	waitFor(t, "everything sent", func() bool {
		s, _ := c.Stats(ctx)
		return s.PendingDeliveries == 0
	})
	fmt.Println("done")
	c.Close()
	ag.Close()
	st.Close()
}

// childContact is the sender's contact with bob: made on the first run
// (and waited for until connected), found on the next ones.
func childContact(t *testing.T, c *chat.Client) string {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cs, err := c.Contacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 {
		if err := c.SetProfile(ctx, chat.Profile{DisplayName: "alice"}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Connect(ctx, os.Getenv("LINK")); err != nil {
			t.Fatal(err)
		}
	}
	for {
		cs, _ = c.Contacts(ctx)
		if len(cs) == 1 && cs[0].Status == "connected" {
			return cs[0].ContactID
		}
		if ctx.Err() != nil {
			t.Fatal("the contact never connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
