package attack

import (
	"context"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// FillResult is what filling the store achieved.
type FillResult struct {
	Sent, Accepted int            // SENDs and those answered OK
	Bytes          int64          // bodies accepted
	Codes          map[string]int // every answer of the fill by code
	Elapsed        time.Duration
}

// Fill sends bodies of size bytes to every queue s created (unsecured:
// no tag needed), round after round, each round pipelined in full frames,
// until a round has nothing accepted (every queue full, or the relay
// refuses) or dur has passed.
func Fill(ctx context.Context, s *Session, size int, dur time.Duration) (FillResult, error) {
	senders := s.Senders()
	if len(senders) == 0 {
		return FillResult{}, errNoQueues
	}
	start, before := time.Now(), s.Codes()
	body := make([]byte, size)
	b := &batcher{out: func(f []byte) error { return s.Write(ctx, f) }}
	answered := s.answersNow()
	var r FillResult
	for time.Since(start) < dur {
		okBefore := s.Codes()["OK"]
		for _, sid := range senders {
			if err := b.add(&wire.Transmission{EntityID: sid, Code: wire.SEND, Body: body}, nil); err != nil {
				return r, err
			}
		}
		if err := b.flush(); err != nil {
			return r, err
		}
		r.Sent += len(senders)
		if err := s.WaitAnswers(ctx, answered+r.Sent); err != nil {
			return r, err
		}
		if s.Codes()["OK"] == okBefore {
			break
		}
	}
	r.Codes = diff(s.Codes(), before)
	r.Accepted = r.Codes["OK"]
	r.Bytes = int64(r.Accepted) * int64(size)
	r.Elapsed = time.Since(start)
	return r, nil
}

func (s *Session) answersNow() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answers
}

func diff(after, before map[string]int) map[string]int {
	d := map[string]int{}
	for k, v := range after {
		if v-before[k] != 0 {
			d[k] = v - before[k]
		}
	}
	return d
}
