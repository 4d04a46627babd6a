//go:build js && wasm

package cfworker

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/syumai/workers/cloudflare"

	"github.com/sxweb/sxweb/relay/wire"
)

// Bindings and variables the Worker reads (worker/wrangler.toml).
const (
	bindQueue   = "QUEUE"   // Durable Object namespace: one object per queue
	bindSession = "SESSION" // Durable Object namespace: one object per WebSocket
	envKey      = "RELAY_AUTH_KEY"
	envQuota    = "RELAY_QUOTA"
	envMaxMsg   = "RELAY_MAX_MSG_SIZE"
	envExpiry   = "RELAY_EXPIRY_HOURS"
)

// engineFromEnv builds the Engine from the Worker's variables and secrets.
func engineFromEnv() (*Engine, error) {
	keys, err := ParseKeys(cloudflare.Getenv(envKey))
	if err != nil {
		return nil, err
	}
	num := func(name string) int {
		n, _ := strconv.Atoi(cloudflare.Getenv(name))
		return n
	}
	return New(Config{Keys: keys, Quota: num(envQuota), MaxMsgSize: num(envMaxMsg),
		Expiry: time.Duration(num(envExpiry)) * time.Hour}), nil
}

// stubFetch POSTs body to the Durable Object named name in namespace ns.
func stubFetch(ns, name, path string, body []byte) (int, []byte, error) {
	n, err := cloudflare.NewDurableObjectNamespace(ns)
	if err != nil {
		return 0, nil, err
	}
	stub, err := n.Get(n.IdFromName(name))
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequest(http.MethodPost, "https://"+ns+".internal"+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	resp, err := stub.Fetch(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// callQueue is the Caller of the Worker: a fetch to the queue's object.
func callQueue(ctx context.Context, req QueueReq) ([][]byte, error) {
	status, b, err := stubFetch(bindQueue, req.Route.String(), "/cmd", EncodeQueueReq(req))
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("cfworker: queue object answered %d: %s", status, b)
	}
	return DecodeList(b)
}

// pushTo sends one event to a session's WebSocket through its object.
func pushTo(session [wire.SessionIDLen]byte, t []byte) error {
	frame := append(wire.AppendBatchHeader(make([]byte, 0, 1+len(t))), t...)
	status, b, err := stubFetch(bindSession, hex.EncodeToString(session[:]), "/push", frame)
	switch {
	case err != nil:
		return err
	case status == http.StatusGone:
		return ErrGone
	case status != http.StatusOK:
		return fmt.Errorf("cfworker: session object answered %d: %s", status, b)
	}
	return nil
}
