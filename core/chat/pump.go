package chat

import "sync"

// pump delivers events in order on out without ever blocking the pusher.
type pump struct {
	mu     sync.Mutex
	cond   *sync.Cond
	q      []Event
	closed bool
	out    chan Event
	done   chan struct{}
}

func newPump() *pump {
	p := &pump{out: make(chan Event, 16), done: make(chan struct{})}
	p.cond = sync.NewCond(&p.mu)
	go p.run()
	return p
}

func (p *pump) push(ev Event) {
	p.mu.Lock()
	p.q = append(p.q, ev)
	p.mu.Unlock()
	p.cond.Signal()
}

func (p *pump) close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.done)
	}
	p.mu.Unlock()
	p.cond.Signal()
}

func (p *pump) run() {
	defer close(p.out)
	for {
		p.mu.Lock()
		for len(p.q) == 0 && !p.closed {
			p.cond.Wait()
		}
		if p.closed {
			p.mu.Unlock()
			return
		}
		ev := p.q[0]
		p.q = p.q[1:]
		p.mu.Unlock()
		select {
		case p.out <- ev:
		case <-p.done:
			return
		}
	}
}
