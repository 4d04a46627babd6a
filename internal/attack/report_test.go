package attack_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/internal/attack"
	"github.com/sxweb/sxweb/internal/relaytest"
)

// TestAttackReport prints the figures of docs/relay-benchmarks.md
// ("Attacks"): the attacks as issue 9 ran them, against the relay with its
// default flags (plus SXWEB_ATTACK_ARGS). It asserts nothing and takes
// about two minutes. Run it for the relay of this tree and for an older
// build:
//
//	SXWEB_ATTACK_REPORT=1 go test -run TestAttackReport -v ./internal/attack
//	SXWEB_ATTACK_REPORT=1 SXWEB_RELAY_BIN=/tmp/relay-before go test -run TestAttackReport -v ./internal/attack
func TestAttackReport(t *testing.T) {
	if os.Getenv("SXWEB_ATTACK_REPORT") == "" {
		t.Skip("set SXWEB_ATTACK_REPORT=1 to print the attack figures")
	}
	args := strings.Fields(os.Getenv("SXWEB_ATTACK_ARGS"))
	t.Run("SlowBodies", func(t *testing.T) { reportSlow(t, args) })
	t.Run("SlowBodiesLockout", func(t *testing.T) { reportLockout(t, args) })
	t.Run("QueueFlood", func(t *testing.T) { reportFlood(t, args) })
	t.Run("MemoryAfterClose", func(t *testing.T) { reportMemory(t, args) })
	t.Run("DiskFill", func(t *testing.T) { reportFill(t, args) })
	t.Run("IdleSockets", func(t *testing.T) { reportIdle(t, args) })
}

func report(t *testing.T, format string, a ...any) {
	t.Helper()
	t.Logf("REPORT %s: %s", t.Name(), fmt.Sprintf(format, a...))
}

// 100 POSTs trickling a byte every 5 s: how many are held after 45 s.
func reportSlow(t *testing.T, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := relaytest.StartProcess(t, args...)
	slow := attack.SlowPosts(ctx, p.Addr, attack.From(0), 100, 5*time.Second)
	defer slow.Close()
	time.Sleep(45 * time.Second)
	report(t, "%d slow POSTs opened, %d held after 45 s", slow.Opened, slow.Held())
}

// 300 slow POSTs from one address under 256 descriptors: does a new
// client get in?
func reportLockout(t *testing.T, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := relaytest.StartProcessLimited(t, 256, args...)
	slow := attack.SlowPosts(ctx, p.Addr, attack.From(0), 300, 5*time.Second)
	defer slow.Close()
	time.Sleep(time.Second)
	fctx, fcancel := context.WithTimeout(ctx, 10*time.Second)
	defer fcancel()
	err := attack.Fresh(fctx, p.URL)
	fds, _ := p.FDs()
	report(t, "%d held, relay has %d descriptors; a new client: %v", slow.Held(), fds, errOr(err, "served"))
}

// One session tries 50,000 NEWs.
func reportFlood(t *testing.T, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := relaytest.StartProcess(t, args...)
	s, r, err := attack.Flood(ctx, p.URL, attack.From(0), 50_000)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, _ := p.Mem()
	size, _ := p.StoreSize()
	report(t, "50,000 NEWs in one session: %d created in %v, answers %v; RSS %.0f MiB, store %.1f MiB",
		r.Created, r.Elapsed.Round(time.Millisecond), r.Codes, float64(m.RSS)/mib, float64(size)/mib)
}

// A session of 20,000 queues closes: what memory stays. On a relay with
// limits they are turned off for this (a large legitimate client).
func reportMemory(t *testing.T, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if hasFlag(t, "-new-burst") {
		args = append(args, "-new-burst", "-1", "-new-burst-per-ip", "-1", "-max-subs", "-1", "-max-subs-per-ip", "-1")
	}
	p := relaytest.StartProcess(t, args...)
	base, _ := p.Mem()
	s, r, err := attack.Flood(ctx, p.URL, attack.From(0), 20_000)
	if err != nil {
		t.Fatal(err)
	}
	peak, _ := p.Mem()
	s.Close()
	time.Sleep(30 * time.Second)
	after, _ := p.Mem()
	report(t, "%d queues: anonymous memory %.1f MiB before, %.1f with the session open, %.1f 30 s after it closed (RSS %.1f / %.1f / %.1f)",
		r.Created, float64(base.Anon)/mib, float64(peak.Anon)/mib, float64(after.Anon)/mib,
		float64(base.RSS)/mib, float64(peak.RSS)/mib, float64(after.RSS)/mib)
}

// 40 queues filled to their quota with 16 KiB messages.
func reportFill(t *testing.T, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := relaytest.StartProcess(t, args...)
	s, _, err := attack.Flood(ctx, p.URL, attack.From(0), 40)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before, _ := p.StoreSize()
	r, err := attack.Fill(ctx, s, relayclient.MaxBody, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := p.StoreSize()
	report(t, "%d SENDs, %d accepted (%.1f MiB) in %v; store %.1f → %.1f MiB (%.1f MiB/s); answers %v", r.Sent, r.Accepted,
		float64(r.Bytes)/mib, r.Elapsed.Round(time.Millisecond), float64(before)/mib, float64(after)/mib,
		float64(after-before)/mib/r.Elapsed.Seconds(), r.Codes)
}

// 2,000 idle WebSockets from one address, with and without a hello.
func reportIdle(t *testing.T, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p := relaytest.StartProcess(t, args...)
	silent := attack.IdleSockets(ctx, p.URL, attack.From(0), 2000, false)
	defer silent.Close()
	idle := attack.IdleSockets(ctx, p.URL, attack.From(1), 2000, true)
	defer idle.Close()
	m, _ := p.Mem()
	fds, _ := p.FDs()
	time.Sleep(15 * time.Second)
	report(t, "accepted %d without hello, %d with; RSS %.1f MiB, %d descriptors; open 15 s later: %d without hello, %d with",
		silent.Accepted, idle.Accepted, float64(m.RSS)/mib, fds, silent.Open(), idle.Open())
}

func errOr(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}

// hasFlag reports whether the relay binary under test has flag.
func hasFlag(t *testing.T, flag string) bool {
	bin := os.Getenv("SXWEB_RELAY_BIN")
	if bin == "" {
		return true // this tree's relay
	}
	out, _ := exec.Command(bin, "-h").CombinedOutput()
	return strings.Contains(string(out), flag+" ")
}
