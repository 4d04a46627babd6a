package attack

import (
	"context"
	"net/netip"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// FloodResult is what a queue flood achieved.
type FloodResult struct {
	Tried, Created int
	Codes          map[string]int // every answer by code (IDS, RATE, LIMIT, QUOTA, ...)
	Elapsed        time.Duration
}

// Flood creates up to n queues in one session from the address from, as
// fast as the relay takes them: NEWs pipelined in full frames, all under
// one recipient key (the relay cannot tell, and the attacker saves its
// X25519s). It returns when every NEW was answered, or ctx ended. The
// session stays open (its queues stay subscribed) until s is closed.
func Flood(ctx context.Context, url string, from netip.Addr, n int) (*Session, FloodResult, error) {
	start := time.Now()
	s, err := Open(ctx, url, from)
	if err != nil {
		return nil, FloodResult{}, err
	}
	rpriv, rpub := wire.NewKeyPair()
	_, dhPub := wire.NewKeyPair()
	mac, err := wire.MACKey(rpriv, s.Hello.AuthKey[:])
	if err != nil {
		s.Close()
		return nil, FloodResult{}, err
	}
	sign := wire.SignerFor(mac, s.Hello.SessionID[:])
	b := &batcher{out: func(f []byte) error { return s.Write(ctx, f) }}
	for i := range n {
		if err = b.add(&wire.Transmission{CorrID: corr(i), Code: wire.NEW, Key1: rpub, Key2: dhPub}, sign); err != nil {
			break
		}
	}
	if err == nil {
		err = b.flush()
	}
	if err == nil {
		err = s.WaitAnswers(ctx, n)
	}
	codes := s.Codes()
	return s, FloodResult{Tried: n, Created: codes["IDS"], Codes: codes, Elapsed: time.Since(start)}, err
}
