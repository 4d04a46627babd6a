//go:build js && wasm

package cfworker

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"syscall/js"
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
	envExpiryS  = "RELAY_EXPIRY_SECONDS" // overrides RELAY_EXPIRY_HOURS when set (tests)
	envQExpiry  = "RELAY_QUEUE_EXPIRY_HOURS"
	// RELAY_QUEUE_EXPIRY_SECONDS overrides RELAY_QUEUE_EXPIRY_HOURS and
	// counts queue activity in seconds instead of days: for a test in real
	// time only (it rewrites a queue's record at every use).
	envQExpiryS = "RELAY_QUEUE_EXPIRY_SECONDS"
	envNewBurst = "RELAY_NEW_BURST"
	envNewRate  = "RELAY_NEW_RATE"
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
	expiry := time.Duration(num(envExpiry)) * time.Hour
	if s := num(envExpiryS); s > 0 {
		expiry = time.Duration(s) * time.Second
	}
	cfg := Config{Keys: keys, Quota: num(envQuota), MaxMsgSize: num(envMaxMsg), Expiry: expiry,
		QueueExpiry: time.Duration(num(envQExpiry)) * time.Hour, NewBurst: num(envNewBurst)}
	if s := num(envQExpiryS); s > 0 {
		cfg.QueueExpiry, cfg.ActiveUnit = time.Duration(s)*time.Second, time.Second
	}
	cfg.NewRate, _ = strconv.ParseFloat(cloudflare.Getenv(envNewRate), 64)
	if cfg.NewBurst > 0 && cfg.NewRate <= 0 {
		cfg.NewRate = DefaultNewRate
	}
	return New(cfg), nil
}

// stubCall calls method on the Durable Object named name in namespace ns
// (Durable Object RPC) with body and returns its result. RPC passes the
// bytes as they are; syumai/workers' DurableObjectStub.Fetch converts an
// http.Request to a ReadableStream and back, which cost several
// milliseconds of CPU per call, most of a message's cost here.
func stubCall(ns, name, method string, body []byte) (js.Value, error) {
	n := cloudflare.GetBinding(ns)
	if n.IsUndefined() {
		return js.Value{}, fmt.Errorf("cfworker: no binding %s", ns)
	}
	stub := n.Call("get", n.Call("idFromName", name))
	return await(stub.Call(method, uint8Array(body)))
}

// callQueue is the Caller of the Worker: the queue object's cmd.
func callQueue(ctx context.Context, req QueueReq) ([][]byte, error) {
	v, err := stubCall(bindQueue, req.Route.String(), "cmd", EncodeQueueReq(req))
	if err != nil {
		return nil, err
	}
	if v.IsNull() || v.IsUndefined() {
		return nil, fmt.Errorf("cfworker: queue object refused the command: %w", ErrBadRequest)
	}
	return DecodeList(bytesOf(v))
}

// sessionAlive reports whether a session's object still holds an open
// WebSocket (SessionDO.alive); an idle queue it is subscribed to is then
// in use. When the object cannot be asked, the queue is kept.
func sessionAlive(session []byte) bool {
	v, err := stubCall(bindSession, hex.EncodeToString(session), "alive", nil)
	return err != nil || v.Truthy()
}

// pushTo sends one event to a session's WebSocket through its object.
func pushTo(session [wire.SessionIDLen]byte, t []byte) error {
	frame := append(wire.AppendBatchHeader(make([]byte, 0, 1+len(t))), t...)
	ok, err := stubCall(bindSession, hex.EncodeToString(session[:]), "push", frame)
	switch {
	case err != nil:
		return err
	case !ok.Truthy():
		return ErrGone
	}
	return nil
}
