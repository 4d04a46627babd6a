package chat

import "testing"

func TestSyncNotice(t *testing.T) {
	for _, c := range []struct {
		lost, unconfirmed int
		want              string
	}{
		{0, 0, "encryption re-negotiated with ann"},
		{1, 0, "encryption re-negotiated with ann; 1 message could not be decrypted"},
		{3, 2, "encryption re-negotiated with ann; 3 messages could not be decrypted; 2 of your messages may not have arrived"},
	} {
		if got := syncNotice("ann", c.lost, c.unconfirmed); got != c.want {
			t.Errorf("syncNotice(%d, %d) = %q, want %q", c.lost, c.unconfirmed, got, c.want)
		}
	}
}
