package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/sxweb/sxweb/core/store"
)

// bFailed holds events whose handler panicked (see HandlerFailed).
const bFailed = "a.failed" // %016x unix nanos + "-" + random id → failedRec

// FailedEvent is an event the handler panicked on, kept by the agent.
type FailedEvent struct {
	ID     string
	Event  Event
	Reason string    // the panic value (not stable)
	At     time.Time // when it failed
}

type failedRec struct {
	Type   string          `json:"type"` // the event's type name, e.g. "Message"
	Event  json.RawMessage `json:"event"`
	Reason string          `json:"reason"`
	At     time.Time       `json:"at"`
}

// failure is a panic of the handler on one event of a transition.
type failure struct {
	reason string
	quiet  bool // the handler panicked on the HandlerFailed report too
}

// failedTypes decodes failed records by type name.
var failedTypes = map[string]func() Event{}

func init() {
	for _, ev := range []Event{Confirmation{}, Request{}, Connected{}, Message{}, Sent{}, Delivered{},
		SendFailed{}, Integrity{}, RelayUp{}, RelayDown{}, Deleted{}, RatchetSync{}, SubscriptionsEnded{}} {
		t := reflect.TypeOf(ev)
		failedTypes[t.Name()] = func() Event { return reflect.New(t).Elem().Interface().(Event) }
	}
}

// recordFailed writes ev as failed in t's batch (with the agent's state
// change for the event, so it is kept exactly when the event is
// consumed) and returns the report for the handler.
func (a *Agent) recordFailed(t *Tx, ev Event, reason string) HandlerFailed {
	now := time.Now().UTC()
	id := fmt.Sprintf("%016x-%s", now.UnixNano(), randomID())
	rec := failedRec{Type: reflect.TypeOf(ev).Name(), Event: mustJSON(ev), Reason: reason, At: now}
	t.Put(bFailed, id, mustJSON(rec))
	a.logf("agent: handler panicked on %s (kept as failed event %s): %s", rec.Type, id, reason)
	return HandlerFailed{ID: id, ConnID: eventConnID(ev), Event: ev, Reason: reason}
}

// FailedEvents lists the events the handler panicked on, oldest first.
// They are kept until DeleteFailedEvent; the agent never delivers them
// again by itself.
func (a *Agent) FailedEvents(ctx context.Context) ([]FailedEvent, error) {
	kvs, err := a.st.List(ctx, bFailed, "")
	if err != nil {
		return nil, wrap(CodeStore, err)
	}
	out := make([]FailedEvent, 0, len(kvs))
	for _, kv := range kvs {
		var rec failedRec
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			return nil, errf(CodeStore, "%s/%s: %v", bFailed, kv.Key, err)
		}
		mk := failedTypes[rec.Type]
		if mk == nil {
			return nil, errf(CodeStore, "%s/%s: unknown event type %q", bFailed, kv.Key, rec.Type)
		}
		p := reflect.New(reflect.TypeOf(mk()))
		if err := json.Unmarshal(rec.Event, p.Interface()); err != nil {
			return nil, errf(CodeStore, "%s/%s: %v", bFailed, kv.Key, err)
		}
		out = append(out, FailedEvent{ID: kv.Key, Event: p.Elem().Interface().(Event), Reason: rec.Reason, At: rec.At})
	}
	return out, nil
}

// DeleteFailedEvent removes a failed event (once the app has dealt with it).
func (a *Agent) DeleteFailedEvent(ctx context.Context, id string) error {
	if strings.TrimSpace(id) == "" {
		return errf(CodeNotFound, "empty failed event id")
	}
	b := &store.Batch{}
	b.Delete(bFailed, id)
	return wrap(CodeStore, a.st.Apply(ctx, b))
}

// eventConnID is the connection an event is about ("" for relay events).
func eventConnID(ev Event) string {
	switch e := ev.(type) {
	case Confirmation:
		return e.ConnID
	case Request:
		return e.ConnID
	case Connected:
		return e.ConnID
	case Message:
		return e.ConnID
	case Sent:
		return e.ConnID
	case Delivered:
		return e.ConnID
	case SendFailed:
		return e.ConnID
	case Integrity:
		return e.ConnID
	case Deleted:
		return e.ConnID
	case RatchetSync:
		return e.ConnID
	}
	return ""
}
