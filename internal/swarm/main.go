package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
)

func main() {
	relayURL := flag.String("relay", "", "relay WebSocket URL (ws://host/relay)")
	listen := flag.String("listen", "127.0.0.1:0", "control API address")
	flag.Parse()
	if *relayURL == "" {
		log.Fatal("swarm: -relay is required")
	}
	s := &server{relay: *relayURL, groups: map[int]*group{}, quit: make(chan struct{})}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /group", s.handleGroup)
	mux.HandleFunc("GET /received", s.handleReceived)
	mux.HandleFunc("POST /quit", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]bool{"ok": true})
		close(s.quit)
	})
	fmt.Printf("swarm http://%s/\n", ln.Addr())
	go func() { log.Fatal(http.Serve(ln, mux)) }()
	<-s.quit
	s.mu.Lock()
	for _, g := range s.groups {
		g.close()
	}
	s.mu.Unlock()
	os.Exit(0)
}

type server struct {
	relay  string
	mu     sync.Mutex // one build at a time
	groups map[int]*group
	quit   chan struct{}
}

func (s *server) handleGroup(w http.ResponseWriter, r *http.Request) {
	k, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || k < 1 {
		http.Error(w, "n: a group size of at least 1", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[k]
	if g == nil {
		if g, err = buildGroup(context.Background(), s.relay, k); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.groups[k] = g
	}
	writeJSON(w, map[string]any{"link": g.link, "size": k, "seconds": g.seconds})
}

func (s *server) handleReceived(w http.ResponseWriter, r *http.Request) {
	k, _ := strconv.Atoi(r.URL.Query().Get("size"))
	s.mu.Lock()
	g := s.groups[k]
	s.mu.Unlock()
	if g == nil {
		http.Error(w, "no group of that size", http.StatusNotFound)
		return
	}
	n, last := g.received(r.URL.Query().Get("text"))
	writeJSON(w, map[string]any{"count": n, "of": len(g.nodes), "lastMs": last.UnixMilli()})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
