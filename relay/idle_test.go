package relay_test

import (
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/relayclient"
	"github.com/sxweb/sxweb/core/relayclient/wsdial"
	"github.com/sxweb/sxweb/internal/protosuite"
	"github.com/sxweb/sxweb/internal/relaytest"
	"github.com/sxweb/sxweb/relay"
)

// A session that sends nothing for the idle timeout is closed; a client
// that pings when idle keeps its connection.
func TestIdleSessionsClosedPingKeepsAlive(t *testing.T) {
	r := relaytest.Start(t, relay.Config{IdleTimeout: 300 * time.Millisecond})
	silent := protosuite.DialRaw(t, r.URL)
	c := relayclient.New(r.URL, wsdial.Dial, relayclient.Options{PingInterval: 100 * time.Millisecond})
	defer c.Close()
	_ = protosuite.Next[relayclient.Up](t, c)
	if _, err := silent.Conn.Read(protosuite.Ctx(t)); err == nil {
		t.Fatal("silent session got a frame instead of being closed")
	}
	// The pinging client saw no Down meanwhile.
	for {
		ev, ok := c.Events().TryPop()
		if !ok {
			break
		}
		if d, ok := ev.(relayclient.Down); ok {
			t.Fatalf("pinging client dropped: %v", d.Err)
		}
	}
	protosuite.Must(t, c.Ping(protosuite.Ctx(t)))
}
