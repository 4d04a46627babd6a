package relay

import (
	"github.com/sxweb/sxweb/relay/limit"
)

// Estimated store bytes a queue record with its sender index entry
// takes, until the next measurement corrects the estimate (msgCost for a
// message).
const (
	queueEstimate = 512
	page          = 4096 // bbolt's page size on Linux
)

// msgCost estimates what a message with a body of n bytes takes in the
// store file: with its id, timestamp and key, a large one fills whole
// pages of its own (a 16 KiB body takes five); small ones share leaf
// pages, which bbolt fills to about half when it splits them.
func msgCost(n int) int {
	v := n + 64
	if v > page/4 {
		return (v + page - 1) / page * page
	}
	return 2 * v
}

// usager is a store that can tell how much of its file is in use
// (store.Bolt).
type usager interface {
	Usage() (used, size int64, err error)
}

// newWatermark returns the store watermark (limit.Watermark): above
// MaxStore, or below MinFreeDisk free on the data directory's file
// system, NEW and SEND get QUOTA; ACK, DEL, GET and expiry go on.
func newWatermark(s *Server) *limit.Watermark {
	w := &limit.Watermark{MaxStore: s.lim.MaxStore, MinFreeDisk: s.lim.MinFreeDisk, Dir: s.cfg.DataDir, Log: s.log,
		What: "NEW and SEND", MaxFlag: "-max-store", FreeFlag: "-min-free-disk"}
	if u, ok := s.cfg.Store.(usager); ok {
		w.Used = func() (int64, error) {
			used, _, err := u.Usage()
			return used, err
		}
	}
	return w
}

// watch measures the store every second until the server stops.
func (s *Server) watch() {
	defer s.wg.Done()
	s.mark.Watch(s.stop)
}
