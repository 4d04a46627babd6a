//go:build js && wasm

package main

import (
	"context"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// DefaultDB is the IndexedDB database used when open gets no db.
const DefaultDB = "simplex"

// Options are the arguments of open.
type Options struct {
	DB     string   // IndexedDB database name
	Relays []string // relay WebSocket URLs
	AppURL string   // base URL of links (the app's own URL)
	// FileRelay is the file relay's URL new files go to ("": the page's
	// origin + "/files"; files cannot be sent without one)
	FileRelay string
}

func parseOptions(a bridge.Args) (Options, error) {
	o, err := a.Object(0)
	if err != nil {
		return Options{}, err
	}
	var opts Options
	if opts.DB, err = o.String("db", DefaultDB); err != nil {
		return opts, err
	}
	if opts.DB == "" {
		return opts, bridge.Errorf(bridge.CodeBadArgument, "db: empty name")
	}
	if opts.Relays, err = o.Strings("relays", nil); err != nil {
		return opts, err
	}
	if opts.AppURL, err = o.String("appURL", ""); err != nil {
		return opts, err
	}
	if opts.FileRelay, err = o.String("fileRelay", ""); err != nil {
		return opts, err
	}
	origin, path := location()
	if len(opts.Relays) == 0 && origin != "" {
		opts.Relays = []string{wsURL(origin) + "/relay"}
	}
	if opts.AppURL == "" && origin != "" {
		opts.AppURL = origin + path
	}
	if opts.FileRelay == "" && origin != "" {
		opts.FileRelay = origin + "/files"
	}
	return opts, nil
}

// location returns the page's origin and path ("" outside a page). In a
// worker (web/core-worker.js) location is the worker script's URL, which is
// no default for anything: there the caller passes relays and appURL.
func location() (origin, path string) {
	if doc, err := safejs.Global().Get("document"); err != nil || doc.Type() != safejs.TypeObject {
		return "", ""
	}
	loc, err := safejs.Global().Get("location")
	if err != nil || loc.Type() != safejs.TypeObject {
		return "", ""
	}
	str := func(name string) string {
		v, err := loc.Get(name)
		if err != nil || v.Type() != safejs.TypeString {
			return ""
		}
		s, _ := v.String()
		return s
	}
	origin, path = str("origin"), str("pathname")
	if origin == "null" || !strings.HasPrefix(origin, "http") {
		return "", ""
	}
	return origin, path
}

// wsURL turns an http(s) origin into the ws(s) one.
func wsURL(origin string) string {
	if rest, ok := strings.CutPrefix(origin, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(origin, "http://")
}

// openHandle opens the store and the client and builds the JS handle.
func openHandle(ctx context.Context, a bridge.Args) (any, error) {
	opts, err := parseOptions(a)
	if err != nil {
		return nil, err
	}
	st, err := idbstore.Open(ctx, opts.DB)
	if err != nil {
		return nil, bridge.Errorf(storeOpenCode(err), "open %q: %v", opts.DB, err)
	}
	var h *bridge.Handle
	emit := func(ev map[string]any) { h.Emit(ev) }
	be, err := newBackend(ctx, opts, st, emit)
	if err != nil {
		st.Close()
		return nil, err
	}
	h, err = bridge.NewHandle(be.methods, func() error {
		err := be.close()
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		be.close()
		st.Close()
		return nil, err
	}
	go be.run(h.Context())
	return h.Value(), nil
}

func storeOpenCode(err error) string {
	if isSchemaTooNew(err) {
		return "SCHEMA_TOO_NEW"
	}
	return "STORAGE_UNAVAILABLE"
}
