package agent

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// The agent applies a handler's batch with store.Commit: its commit hooks
// run once, in order, only for the attempt that committed.
func TestHandlerCommitHooksRunOnceAfterCommit(t *testing.T) {
	_, alice, bob := fakePair(t)
	ac, _ := connect(t, alice, bob)
	var mu sync.Mutex
	var hooked []string
	attempts := 0
	bob.setHook(func(ev Event, tx *Tx) error {
		m, ok := ev.(Message)
		if !ok {
			return nil
		}
		body := string(m.Body)
		tx.OnCommit(func() {
			if _, err := bob.st.Get(context.Background(), "c.mark", body); err != nil {
				t.Errorf("hook of %q ran before its write landed", body)
			}
			mu.Lock()
			hooked = append(hooked, body)
			mu.Unlock()
		})
		tx.Put("c.mark", body, []byte{1})
		if attempts++; attempts == 1 {
			bob.st.FailApply = errors.New("disk full") // the first commit fails
		} else {
			bob.st.FailApply = nil
		}
		return nil
	})
	for _, s := range []string{"one", "two"} {
		if _, err := alice.a.Send(context.Background(), ac, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	bob.next(func(ev Event) bool { m, ok := ev.(Message); return ok && string(m.Body) == "two" })
	deadline := time.Now().Add(waitLimit)
	for {
		mu.Lock()
		n := len(hooked)
		mu.Unlock()
		if n >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"one", "two"}; !slices.Equal(hooked, want) {
		t.Fatalf("hooks ran for %v, want %v", hooked, want)
	}
}
