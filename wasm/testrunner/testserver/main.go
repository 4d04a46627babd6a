//go:build !js

// Command testserver is the native peer of the browser transport tests: a
// WebSocket server on 127.0.0.1 (random port) that echoes binary frames at
// /echo, sends one text frame at /text, and closes with 4000 "bye" at
// /close, answers HTTP at /http/ (httpEcho: the fetch transport's tests),
// and runs a real relay (relay.Open in a temp dir) at /relay. It
// prints its base URL (ws://127.0.0.1:PORT) on the first line of
// stdout and serves until stdin closes or it is killed.
//
// Run through wasm/testrunner/withservers.sh, which sets SXWEB_TEST_WS.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/coder/websocket"
	"github.com/sxweb/sxweb/relay"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", echo)
	mux.HandleFunc("/text", text)
	mux.HandleFunc("/close", closer)
	mux.HandleFunc("/http/", httpEcho)
	dir, err := os.MkdirTemp("", "sxweb-testrelay-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rl, err := relay.Open(dir, relay.Config{})
	if err != nil {
		log.Fatal(err)
	}
	mux.Handle("/relay", rl)
	fmt.Printf("ws://%s\n", ln.Addr())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		rl.Close()
		os.RemoveAll(dir)
		os.Exit(0)
	}()
	log.Fatal(http.Serve(ln, mux))
}

func accept(w http.ResponseWriter, r *http.Request) *websocket.Conn {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		log.Print(err)
		return nil
	}
	c.SetReadLimit(1 << 20)
	return c
}

func echo(w http.ResponseWriter, r *http.Request) {
	c := accept(w, r)
	if c == nil {
		return
	}
	defer c.CloseNow()
	ctx := context.Background()
	for {
		typ, b, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, b); err != nil {
			return
		}
	}
}

func text(w http.ResponseWriter, r *http.Request) {
	if c := accept(w, r); c != nil {
		defer c.CloseNow()
		_ = c.Write(context.Background(), websocket.MessageText, []byte("hello"))
		_, _, _ = c.Read(context.Background())
	}
}

func closer(w http.ResponseWriter, r *http.Request) {
	if c := accept(w, r); c != nil {
		_ = c.Write(context.Background(), websocket.MessageBinary, []byte("last"))
		_ = c.Close(4000, "bye")
	}
}

// httpEcho answers /http/<status>: that status, with the request's method,
// its X-Test header and its body echoed ("METHOD X-Test\n" + body), and
// CORS headers (the test page is on another origin). /http/big answers
// 6 MiB (above any chunk); /http/slow waits until the client goes.
func httpEcho(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Access-Control-Allow-Headers", "X-Test, Content-Type")
	w.Header().Set("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE")
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch what := r.URL.Path[len("/http/"):]; what {
	case "big":
		_, _ = w.Write(make([]byte, 6<<20))
	case "slow":
		<-r.Context().Done()
	default:
		status, err := strconv.Atoi(what)
		if err != nil {
			status = http.StatusBadRequest
		}
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(status)
		fmt.Fprintf(w, "%s %s\n", r.Method, r.Header.Get("X-Test"))
		_, _ = w.Write(body)
	}
}
