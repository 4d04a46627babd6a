package agent

import (
	"context"
	"strings"
	"testing"
)

// panicOn makes bob's handler write a mark for every message and panic on
// the message "boom" (and, if alsoReport, on the HandlerFailed report too).
func panicOn(bob *party, alsoReport bool) {
	bob.setHook(func(ev Event, tx *Tx) error {
		switch e := ev.(type) {
		case Message:
			tx.Put("c.mark", string(e.Body), []byte{1})
			if string(e.Body) == "boom" {
				panic("handler bug")
			}
		case HandlerFailed:
			if alsoReport {
				panic("report bug")
			}
		}
		return nil
	})
}

// A panicking handler loses nothing and stalls nothing: its writes for
// that message do not commit, the message is kept as a failed event (not
// delivered again, also after a restart), the handler gets HandlerFailed
// in its place, and the messages after it arrive.
func TestHandlerPanicReportedAndKept(t *testing.T) {
	for _, alsoReport := range []bool{false, true} {
		_, alice, bob := fakePair(t)
		ac, bc := connect(t, alice, bob)
		panicOn(bob, alsoReport)
		ctx := context.Background()
		for _, s := range []string{"before", "boom", "after"} {
			if _, err := alice.a.Send(ctx, ac, []byte(s)); err != nil {
				t.Fatal(err)
			}
		}
		var got []string
		for len(got) < 2 || got[len(got)-1] != "after" {
			switch e := bob.next(func(ev Event) bool { return is[Message](ev) || is[HandlerFailed](ev) }).(type) {
			case Message:
				got = append(got, string(e.Body))
			case HandlerFailed:
				m, ok := e.Event.(Message)
				if !ok || string(m.Body) != "boom" || e.ConnID != bc || !strings.Contains(e.Reason, "handler bug") {
					t.Fatalf("HandlerFailed %+v", e)
				}
				got = append(got, "failed:boom")
			}
		}
		want := "before failed:boom after"
		if alsoReport {
			want = "before after" // the report panicked too: kept, logged, not delivered
		}
		if strings.Join(got, " ") != want {
			t.Fatalf("bob saw %q, want %q", got, want)
		}
		if _, err := bob.st.Get(ctx, "c.mark", "boom"); err == nil {
			t.Fatal("the panicking handler's write committed")
		}
		fs, err := bob.a.FailedEvents(ctx)
		if err != nil || len(fs) != 1 {
			t.Fatalf("failed events %+v (%v), want the one message", fs, err)
		}
		if m, ok := fs[0].Event.(Message); !ok || string(m.Body) != "boom" || m.ConnID != bc || fs[0].ID == "" {
			t.Fatalf("failed event %+v", fs[0])
		}
		bob.setHook(nil)
		bob.a.Close()
		bob.start()
		alice.a.Send(ctx, ac, []byte("sync"))
		if m := nextOf[Message](bob); string(m.Body) != "sync" {
			t.Fatalf("after a restart bob got %q first, want the next message", m.Body)
		}
	}
}
