package cfworker

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sxweb/sxweb/relay/store/record"
)

func TestStateRoundTrip(t *testing.T) {
	s := &queueState{q: record.Queue{RecipientID: bytes.Repeat([]byte{1}, 24), SenderID: bytes.Repeat([]byte{2}, 24),
		RecipientKey: bytes.Repeat([]byte{3}, 32), RecipientMAC: bytes.Repeat([]byte{4}, 32), BoxKey: bytes.Repeat([]byte{5}, 32),
		Suspended: true}, first: 3, next: 9, full: true, sub: bytes.Repeat([]byte{6}, 32)}
	got, err := decodeState(s.encode())
	if err != nil || !bytes.Equal(got.encode(), s.encode()) || !got.q.Suspended || !got.full || got.count() != 6 || got.pending != nil {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	if _, err := decodeState(s.encode()[:30]); err != ErrCorrupt {
		t.Fatalf("truncated state: %v", err)
	}
	v1, err := os.ReadFile("testdata/state_v1.bin") // written before queues had an active day
	if err != nil {
		t.Fatal(err)
	}
	old, err := decodeState(v1)
	if err != nil || old.q.Active != 0 || old.next != 2 {
		t.Fatalf("version 1 state: %+v %v", old, err)
	}
	old.q.Active = 7
	if back, err := decodeState(old.encode()); err != nil || back.q.Active != 7 {
		t.Fatalf("version 2 round trip: %+v %v", back, err)
	}
}

func TestCallRoundTrip(t *testing.T) {
	req := QueueReq{Push: true, Route: NewRoute(), Raw: []byte{9, 8, 7}}
	req.Session[0] = 42
	got, err := DecodeQueueReq(EncodeQueueReq(req))
	if err != nil || got.Push != req.Push || got.Route != req.Route || got.Session != req.Session || !bytes.Equal(got.Raw, req.Raw) {
		t.Fatalf("queue request: %+v %v", got, err)
	}
	ts := [][]byte{{1}, {}, {2, 3}}
	l, err := DecodeList(EncodeList(ts))
	if err != nil || len(l) != 3 || !bytes.Equal(l[2], ts[2]) {
		t.Fatalf("list: %v %v", l, err)
	}
	if _, err := DecodeList([]byte{0, 0, 0, 5, 1}); err != ErrBadRequest {
		t.Fatalf("truncated list: %v", err)
	}
}

// FuzzDecoders: the decoders of the bytes that pass between the Worker's
// parts (and of stored state) never panic, and what they accept encodes
// back to the same bytes.
func FuzzDecoders(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.bin")
	if len(seeds) == 0 {
		f.Fatal("no seeds in testdata/")
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := decodeState(b); err == nil {
			if _, err := decodeState(s.encode()); err != nil {
				t.Fatalf("re-encoded state does not decode: %v", err)
			}
		}
		if req, err := DecodeQueueReq(b); err == nil && !bytes.Equal(EncodeQueueReq(req), b) {
			t.Fatal("queue request does not round-trip")
		}
		if l, err := DecodeList(b); err == nil && !bytes.Equal(EncodeList(l), b) {
			t.Fatal("list does not round-trip")
		}
		decodeMsg(b)
	})
}
