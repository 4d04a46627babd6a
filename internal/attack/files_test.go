package attack_test

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sxweb/sxweb/internal/attack"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay/files"
)

// The attacks of issue 11 on the file relay of a cmd/relay process, each
// with canaries (a file canary and the message relay's) from 127.0.0.1.

// One address uploading as fast as it can stops at -files-max-per-ip
// (LIMIT); a canary from another address is served.
func TestAttackFileFillOneAddress(t *testing.T) {
	ctx, cancel := start(t)
	defer cancel()
	p := relaytest.StartProcess(t, "-files-max-per-ip", "32MiB")
	canary := attack.NewFileCanary(p.FilesURL)
	r, err := attack.FillFiles(ctx, p.FilesURL, []netip.Addr{attack.From(0)}, 4<<20, time.Minute)
	must(t, err)
	t.Logf("one address: %d chunks of 4 MiB tried, %d accepted (%d MiB) in %v; %v", r.Tried, r.Done, r.Bytes/mib,
		r.Elapsed.Round(time.Millisecond), r.Codes)
	if r.Bytes > 32*mib || r.Codes["LIMIT"] == 0 {
		t.Errorf("%d MiB accepted from one address, LIMIT %d times: want at most 32 MiB (-files-max-per-ip)", r.Bytes/mib, r.Codes["LIMIT"])
	}
	must(t, canary.Round(ctx))
}

// Four addresses filling together stop at the store watermark
// (-files-max-store: QUOTA, and the log says why); the chunk files stay
// within it and a chunk accepted before still downloads.
func TestAttackFileFillManyAddresses(t *testing.T) {
	ctx, cancel := start(t)
	defer cancel()
	p := relaytest.StartProcess(t, "-files-max-per-ip", "32MiB", "-files-max-store", "64MiB")
	canary := attack.NewFileCanary(p.FilesURL)
	before, data, err := canary.Up(ctx)
	must(t, err)
	froms := []netip.Addr{attack.From(0), attack.From(1), attack.From(2), attack.From(3)}
	r, err := attack.FillFiles(ctx, p.FilesURL, froms, 4<<20, time.Minute)
	must(t, err)
	chunks, _, err := p.FileBytes()
	must(t, err)
	t.Logf("four addresses: %d MiB accepted in %v, %.1f MiB/s; chunk files %d MiB; %v", r.Bytes/mib, r.Elapsed.Round(time.Millisecond),
		float64(r.Bytes)/mib/r.Elapsed.Seconds(), chunks/mib, r.Codes)
	if r.Codes["QUOTA"] == 0 || chunks > 64*mib+4*mib {
		t.Errorf("chunk files %d MiB, QUOTA %d times: the watermark did not stop the fill at 64 MiB", chunks/mib, r.Codes["QUOTA"])
	}
	if _, _, err := canary.Up(ctx); err == nil || !strings.Contains(err.Error(), "QUOTA") {
		t.Errorf("canary upload above the watermark: %v, want QUOTA", err)
	}
	must(t, canary.Down(ctx, before, data)) // accepted before: served
	if log := p.Stderr(); !strings.Contains(log, "store above -files-max-store") {
		t.Errorf("the log does not say why:\n%s", log)
	}
}

// Uploads trickling in from one address: the relay holds at most
// -files-max-uploads-per-ip of them (each holds a spool file besides its
// connection) and cuts each at its deadline (-request-timeout + 4 MiB at
// -files-min-rate); the canaries are served meanwhile.
func TestAttackFileSlowUploads(t *testing.T) {
	ctx, cancel := start(t)
	defer cancel()
	p := relaytest.StartProcessLimited(t, 512, "-request-timeout", "2s", "-files-min-rate", "2MiB")
	canary, err := attack.NewCanary(ctx, p.URL)
	must(t, err)
	defer canary.Close()
	fc := attack.NewFileCanary(p.FilesURL)
	slow, err := attack.StartSlowUploads(ctx, p.FilesURL, attack.From(0), 300, 500*time.Millisecond)
	must(t, err)
	defer slow.Close()
	time.Sleep(1500 * time.Millisecond) // those refused are closed (after net/http's half a second of lingering)
	held := slow.Held()
	_, fds := stats(t, p, "300 trickling uploads")
	must(t, fc.Round(ctx))
	must(t, canary.Round(ctx))
	if held > files.DefaultMaxUploadsPerAddr {
		t.Errorf("%d trickling uploads held, want at most %d (-files-max-uploads-per-ip)", held, files.DefaultMaxUploadsPerAddr)
	}
	if fds > 2*files.DefaultMaxUploadsPerAddr+40 {
		t.Errorf("%d descriptors open, want at most two per upload allowed + 40", fds)
	}
	time.Sleep(5 * time.Second) // past the deadline: 2 s + 4 MiB at 2 MiB/s
	t.Logf("trickling uploads: %d opened, %d held at once, %d held after 6.5 s", slow.Opened, held, slow.Held())
	if n := slow.Held(); n != 0 {
		t.Errorf("%d trickling uploads still held after their deadline", n)
	}
	_, inProgress, err := p.FileBytes()
	must(t, err)
	if inProgress != 0 {
		t.Errorf("%d uploads in progress left on disk after the deadline", inProgress)
	}
	must(t, fc.Round(ctx))
}

// One address creating chunks as fast as it can gets
// -files-new-burst-per-ip and the rate, then LIMIT; the canary creates
// and is served; the relay's memory stays small.
func TestAttackFileCreations(t *testing.T) {
	ctx, cancel := start(t)
	defer cancel()
	p := relaytest.StartProcess(t)
	canary := attack.NewFileCanary(p.FilesURL)
	n := 5000
	if long() {
		n = 50_000
	}
	r, err := attack.CreateChunks(ctx, p.FilesURL, attack.From(0), n)
	must(t, err)
	t.Logf("one address: %d creations in %v: %d created, %v", r.Tried, r.Elapsed.Round(time.Millisecond), r.Done, r.Codes)
	if max := files.DefaultNewBurstPerAddr + int(files.DefaultNewRatePerAddr*r.Elapsed.Seconds()) + 2; r.Done > max {
		t.Errorf("one address created %d chunks, want at most %d (burst + rate × time)", r.Done, max)
	}
	if r.Codes["LIMIT"] != r.Tried-r.Done {
		t.Errorf("%d refused with LIMIT, want every creation not made (%d)", r.Codes["LIMIT"], r.Tried-r.Done)
	}
	must(t, canary.Round(ctx))
	m, _ := stats(t, p, "after the creations")
	if m.RSS > 150*mib {
		t.Errorf("RSS %d MiB after the creations, want under 150 MiB", m.RSS/mib)
	}
}
