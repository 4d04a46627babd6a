package store

import "sync"

// cacheMax bounds the queue records Bolt keeps in memory.
const cacheMax = 100_000

// cache holds recently used queue records so that lookups (every command
// does one) and Peeks of empty queues need no bbolt read transaction.
//
// Coherence: the commit loop updates it after each successful commit, in
// commit order, and bumps gen. A reader that missed fills it only if gen did
// not change since before its read transaction began, so it never puts back
// a record older than one a commit has already installed.
//
// Ids that were looked up and do not exist are cached too ("absent"), so
// that a lookup of an unknown id costs what a lookup of a cached queue
// costs: AUTH for an unknown queue must not be told apart by its timing.
type cache struct {
	mu     sync.RWMutex
	gen    uint64
	byRID  map[string]*record // records are never modified once cached
	bySID  map[string]string
	absent map[string]bool // key: "r"+id or "s"+id
}

func newCache() *cache {
	return &cache{byRID: map[string]*record{}, bySID: map[string]string{}, absent: map[string]bool{}}
}

func absentKey(id []byte, bySender bool) string {
	if bySender {
		return "s" + string(id)
	}
	return "r" + string(id)
}

// lookup returns the cached record for id, or known-absent, or a miss.
func (c *cache) lookup(id []byte, bySender bool) (r *record, absent bool, gen uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if bySender {
		if rid, ok := c.bySID[string(id)]; ok {
			r = c.byRID[rid]
		}
	} else {
		r = c.byRID[string(id)]
	}
	if r == nil {
		absent = c.absent[absentKey(id, bySender)]
	}
	return r, absent, c.gen
}

// fillAbsent records that id does not exist (read at generation gen).
func (c *cache) fillAbsent(id []byte, bySender bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.absent) >= cacheMax {
		n := 0
		for k := range c.absent {
			delete(c.absent, k)
			if n++; n >= cacheMax/10 {
				break
			}
		}
	}
	c.absent[absentKey(id, bySender)] = true
}

func (c *cache) get(rid []byte) (*record, uint64) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.byRID[string(rid)], c.gen
}

// fill caches r read at generation gen, unless a commit happened since.
func (c *cache) fill(r *record, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.putLocked(r)
	}
}

func (c *cache) putLocked(r *record) {
	if len(c.byRID) >= cacheMax {
		n := 0
		for rid, old := range c.byRID { // map order is random: evict ~10%
			delete(c.byRID, rid)
			delete(c.bySID, string(old.q.SenderID))
			if n++; n >= cacheMax/10 {
				break
			}
		}
	}
	c.byRID[string(r.q.RecipientID)] = r
	c.bySID[string(r.q.SenderID)] = string(r.q.RecipientID)
	c.existLocked(r)
}

// existLocked forgets that r's ids were absent: they exist now.
func (c *cache) existLocked(r *record) {
	for _, id := range [][]byte{r.q.RecipientID, r.q.SenderID} {
		delete(c.absent, absentKey(id, false))
		delete(c.absent, absentKey(id, true))
	}
}

// committed applies the cache changes of one commit and bumps gen: puts
// are cached, refreshed records replace cached ones (and are not added),
// dels go.
func (c *cache) committed(puts, refresh, dels []*record, clear bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if clear {
		c.byRID, c.bySID, c.absent = map[string]*record{}, map[string]string{}, map[string]bool{}
	}
	for _, r := range dels {
		delete(c.byRID, string(r.q.RecipientID))
		delete(c.bySID, string(r.q.SenderID))
	}
	for _, r := range puts {
		c.putLocked(r)
	}
	for _, r := range refresh {
		if c.byRID[string(r.q.RecipientID)] != nil {
			c.putLocked(r)
		} else {
			c.existLocked(r)
		}
	}
}

func (r *record) clone() *record {
	c := *r
	c.q = cloneQueue(r.q)
	return &c
}
