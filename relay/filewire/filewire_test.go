package filewire

import (
	"crypto/ed25519"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	other, _, _ := ed25519.GenerateKey(nil)
	now := time.Unix(1_800_000_000, 0)
	body := []byte("chunk bytes")
	date, auth := Sign(priv, "PUT", "/files/chunk/AAAA", now, body)
	if !Verify(pub, "PUT", "/files/chunk/AAAA", date, auth, now.Add(time.Minute), body) {
		t.Fatal("a good signature refused")
	}
	for name, ok := range map[string]bool{
		"other key":  Verify(other, "PUT", "/files/chunk/AAAA", date, auth, now, body),
		"other path": Verify(pub, "PUT", "/files/chunk/BBBB", date, auth, now, body),
		"other verb": Verify(pub, "DELETE", "/files/chunk/AAAA", date, auth, now, body),
		"other body": Verify(pub, "PUT", "/files/chunk/AAAA", date, auth, now, []byte("chunk bytez")),
		"stale date": Verify(pub, "PUT", "/files/chunk/AAAA", date, auth, now.Add(6*time.Minute), body),
		"bad scheme": Verify(pub, "PUT", "/files/chunk/AAAA", date, "Bearer x", now, body),
		"no auth":    Verify(pub, "PUT", "/files/chunk/AAAA", date, "", now, body),
		"junk date":  Verify(pub, "PUT", "/files/chunk/AAAA", "x", auth, now, body),
		"short key":  Verify(pub[:10], "PUT", "/files/chunk/AAAA", date, auth, now, body),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
