//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/crypto/kdf"
	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/internal/fakeagent"
	"github.com/sxweb/sxweb/internal/fakefiles"
	"github.com/sxweb/sxweb/wasm/bridge"
)

func awaitT(t *testing.T, p safejs.Value) (safejs.Value, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return bridge.Await(ctx, p)
}

var dbSeq int

// openJS calls globalThis.__sxweb.open(options) the way simplex.js does.
func openJS(t *testing.T, options map[string]any) (safejs.Value, error) {
	t.Helper()
	api := safejs.MustGetGlobal("__sxweb")
	p, err := api.Call("open", options)
	if err != nil {
		t.Fatal(err)
	}
	return awaitT(t, p)
}

func freshDB() string { dbSeq++; return fmt.Sprintf("wasm-test-%d", dbSeq) }

// fakeNet connects every client opened by the tests in memory (the real
// agent needs relays; its own tests cover it).
var fakeNet = fakeagent.NewNetwork()

// fakeRelay as the only relay selects the in-memory network.
const fakeRelay = "ws://127.0.0.1:1/relay"

// fakeFileRelay is the in-memory file relay's URL (it answers any).
const fakeFileRelay = "https://files.test/files"

type fakeConnAgent struct{ *fakeagent.Agent }

func (f fakeConnAgent) SetHandler(h func(chat.Tx, agent.Event) error) { f.Agent.SetHandler(h) }
func (f fakeConnAgent) Start(context.Context) error                   { return nil }
func (f fakeConnAgent) Close() error                                  { f.Agent.Close(); return nil }

func TestMain(m *testing.M) {
	newAgent = func(ctx context.Context, opts Options, st store.Store) (connAgent, error) {
		if len(opts.Relays) == 1 && opts.Relays[0] == fakeRelay {
			return fakeConnAgent{fakeNet.NewAgent(opts.DB, st)}, nil
		}
		return newRelayAgent(ctx, opts, st)
	}
	passphraseCost = kdf.Params{Time: 1, MemoryKiB: kdf.MinMemoryKiB, Threads: 1} // seconds per test otherwise
	fileRelay := fakefiles.NewRelay()
	newFileHTTP = func() files.HTTP { return fileRelay }
	// __sxwebReady must be called once __sxweb exists.
	ready, _ := safejs.MustGetGlobal("Function").New(`globalThis.__readySawOpen = typeof globalThis.__sxweb?.open === "function";`)
	safejs.Global().Set("__sxwebReady", ready)
	if err := register(); err != nil {
		panic(err)
	}
	m.Run()
}

func TestReadyCalledAfterRegister(t *testing.T) {
	v, _ := safejs.Global().Get("__readySawOpen")
	if ok, _ := v.Bool(); !ok {
		t.Fatal("__sxwebReady was not called after __sxweb.open was installed")
	}
}

func TestHandleHasTheJSAPI(t *testing.T) {
	h, err := openJS(t, map[string]any{"db": freshDB(), "relays": []any{fakeRelay}})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	for _, name := range append(APIMethods, "setEventSink", "close") {
		if f, _ := h.Get(name); f.Type() != safejs.TypeFunction {
			t.Errorf("handle.%s is %s, want a function", name, f.Type())
		}
	}
	p, _ := h.Call("reconnect")
	if _, err := awaitT(t, p); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	p, _ = h.Call("close")
	if _, err := awaitT(t, p); err != nil {
		t.Fatalf("close: %v", err)
	}
	p, _ = h.Call("groups")
	_, err = awaitT(t, p)
	var r *bridge.Rejection
	if !errors.As(err, &r) || r.Code != bridge.CodeClosed {
		t.Fatalf("groups after close = %v, want CLOSED", err)
	}
}

func TestOpenRejectsBadOptions(t *testing.T) {
	for _, opts := range []map[string]any{
		{"db": 5},
		{"db": ""},
		{"relays": "ws://x"},
		{"relays": []any{1}},
	} {
		_, err := openJS(t, opts)
		var r *bridge.Rejection
		if !errors.As(err, &r) || r.Code != bridge.CodeBadArgument {
			t.Errorf("open(%v) = %v, want BAD_ARGUMENT", opts, err)
		}
	}
}

func TestWSURL(t *testing.T) {
	if got := wsURL("https://a.example"); got != "wss://a.example" {
		t.Fatal(got)
	}
	if got := wsURL("http://127.0.0.1:8080"); got != "ws://127.0.0.1:8080" {
		t.Fatal(got)
	}
}
