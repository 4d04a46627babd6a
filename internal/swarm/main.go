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
	data := flag.String("data", "", "directory for the natives' stores and the groups built (kept and reused; empty: memory)")
	meshMax := flag.Int("mesh-max", 100, "groups up to this size get the natives' full mesh; larger ones connect natives to the host and the browser only")
	flag.Parse()
	if *relayURL == "" {
		log.Fatal("swarm: -relay is required")
	}
	s := &server{relay: *relayURL, data: *data, meshMax: *meshMax, groups: map[int]*group{},
		building: map[int]bool{}, failed: map[int]error{}, quit: make(chan struct{})}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /group", s.handleGroup)
	mux.HandleFunc("GET /received", s.handleReceived)
	mux.HandleFunc("GET /files", s.handleFiles)
	mux.HandleFunc("POST /download", s.handleDownload)
	mux.HandleFunc("POST /react", s.handleReact)
	mux.HandleFunc("POST /send", s.handleSend)
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
	relay    string
	data     string
	meshMax  int
	mu       sync.Mutex
	groups   map[int]*group
	building map[int]bool
	failed   map[int]error
	quit     chan struct{}
}

// handleGroup starts building (or reopening) the group of n natives and
// answers at once: {building: true} until it is ready, then {link, size,
// seconds, mesh}, or the error (a large group takes minutes: the caller
// polls).
func (s *server) handleGroup(w http.ResponseWriter, r *http.Request) {
	k, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || k < 1 {
		http.Error(w, "n: a group size of at least 1", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.groups[k]; g != nil {
		writeJSON(w, map[string]any{"link": g.link, "size": k, "seconds": g.seconds, "mesh": g.mesh})
		return
	}
	if err := s.failed[k]; err != nil {
		delete(s.failed, k)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !s.building[k] {
		s.building[k] = true
		go s.build(k)
	}
	writeJSON(w, map[string]any{"building": true, "size": k})
}

func (s *server) build(k int) {
	g, err := openGroup(context.Background(), s.relay, s.data, k, k <= s.meshMax)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.building, k)
	if err != nil {
		s.failed[k] = err
		return
	}
	s.groups[k] = g
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
	n, last := g.received(r.URL.Query().Get("text"), r.URL.Query().Get("mark"))
	writeJSON(w, map[string]any{"count": n, "of": len(g.nodes), "lastMs": last.UnixMilli()})
}

// handleFiles: how many members have the file message with this text
// available (its description arrived), and the latest arrival.
func (s *server) handleFiles(w http.ResponseWriter, r *http.Request) {
	g := s.group(w, r)
	if g == nil {
		return
	}
	n, last := g.files(r.URL.Query().Get("text"))
	writeJSON(w, map[string]any{"count": n, "of": len(g.nodes), "lastMs": last.UnixMilli()})
}

// handleDownload: the first n members download the file with this text at
// once; answers when all have it, with the time it took.
func (s *server) handleDownload(w http.ResponseWriter, r *http.Request) {
	g := s.group(w, r)
	if g == nil {
		return
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	d, err := g.download(r.Context(), r.URL.Query().Get("text"), max(n, 1))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"ms": d.Milliseconds()})
}

// handleReact: the first n members (all without n) react with emoji to
// the message with this text; answers when every call returned.
func (s *server) handleReact(w http.ResponseWriter, r *http.Request) {
	g := s.group(w, r)
	if g == nil {
		return
	}
	q := r.URL.Query()
	n, err := strconv.Atoi(q.Get("n"))
	if err != nil {
		n = len(g.nodes)
	}
	d, err := g.react(r.Context(), q.Get("text"), q.Get("emoji"), n)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"ms": d.Milliseconds()})
}

// handleSend: member i sends text to the group (answers once stored).
func (s *server) handleSend(w http.ResponseWriter, r *http.Request) {
	g := s.group(w, r)
	if g == nil {
		return
	}
	i, _ := strconv.Atoi(r.URL.Query().Get("i"))
	if err := g.send(r.Context(), i, r.URL.Query().Get("text")); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]any{"ok": true})
}

// group is the built group of ?size= (nil, and the answer written, if none).
func (s *server) group(w http.ResponseWriter, r *http.Request) *group {
	k, _ := strconv.Atoi(r.URL.Query().Get("size"))
	s.mu.Lock()
	g := s.groups[k]
	s.mu.Unlock()
	if g == nil {
		http.Error(w, "no group of that size", http.StatusNotFound)
	}
	return g
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
