package relaytest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/relay once per test binary and returns its path. The
// binary lives at one fixed place per user and checkout (replaced
// atomically by each build), so test runs do not leave binaries behind,
// and two checkouts (git worktrees) testing at once do not run each
// other's relay. SXWEB_RELAY_BIN names a relay binary to run instead
// (e.g. one built from an older commit, to measure it with the same
// tests).
func binary() (string, error) {
	if bin := os.Getenv("SXWEB_RELAY_BIN"); bin != "" {
		return bin, nil
	}
	buildOnce.Do(func() {
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("sxweb-relaytest-%d", os.Getuid()), checkout())
		if err := os.MkdirAll(dir, 0o700); err != nil {
			buildErr = err
			return
		}
		tmp, err := os.CreateTemp(dir, "relay-*.tmp")
		if err != nil {
			buildErr = err
			return
		}
		tmp.Close()
		out, err := exec.Command("go", "build", "-o", tmp.Name(), "github.com/sxweb/sxweb/cmd/relay").CombinedOutput()
		if err != nil {
			os.Remove(tmp.Name())
			buildErr = fmt.Errorf("relaytest: go build cmd/relay: %v\n%s", err, out)
			return
		}
		binPath = filepath.Join(dir, "relay")
		buildErr = os.Rename(tmp.Name(), binPath)
	})
	return binPath, buildErr
}

// checkout names the source tree under test: a hash of the directory of
// its go.mod.
func checkout() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			dir = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	h := sha256.Sum256([]byte(dir))
	return hex.EncodeToString(h[:6])
}

// Process is cmd/relay running as a separate OS process.
type Process struct {
	URL      string // ws://127.0.0.1:port/
	HTTPURL  string // http://127.0.0.1:port/ (plain GET hello, POST)
	FilesURL string // http://127.0.0.1:port/files (the file relay; its data under Dir/files)
	Addr     string
	Dir      string
	Args     []string // extra flags (e.g. -quota 10)
	NoFile   int      // descriptor limit of the process (ulimit -n); 0: inherited

	t      testing.TB
	killMu sync.Mutex // held for a whole Kill, so a second Kill waits for the first
	mu     sync.Mutex
	cmd    *exec.Cmd
	stderr *lockedWriter
}

// StartProcess builds (once) and starts cmd/relay on a free 127.0.0.1 port
// with a temp data dir; extra flags are passed through.
func StartProcess(t testing.TB, args ...string) *Process {
	t.Helper()
	return StartProcessLimited(t, 0, args...)
}

// StartProcessLimited is StartProcess with the process's descriptor limit
// set to nofile (ulimit -n, soft and hard: the relay cannot raise it).
func StartProcessLimited(t testing.TB, nofile int, args ...string) *Process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &Process{t: t, Addr: addr, URL: "ws://" + addr + "/", HTTPURL: "http://" + addr + "/", FilesURL: "http://" + addr + "/files",
		Dir: t.TempDir(), Args: args, NoFile: nofile}
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return p
}

func (p *Process) start() error {
	bin, err := binary()
	if err != nil {
		return err
	}
	args := append([]string{"-addr", p.Addr, "-data", p.Dir}, p.Args...)
	cmd := exec.Command(bin, args...)
	if p.NoFile > 0 { // the shell sets the limit and becomes the relay (exec): same pid
		cmd = exec.Command("/bin/sh", append([]string{"-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, p.NoFile), bin}, args...)...)
	}
	stderr := &lockedWriter{w: &bytes.Buffer{}}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	p.mu.Lock()
	p.cmd, p.stderr = cmd, stderr
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := waitReady(ctx, p.Addr); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return fmt.Errorf("%w\nrelay stderr:\n%s", err, stderr.String())
	}
	return nil
}

// Pid is the process id of the running relay (0 when stopped).
func (p *Process) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// Kill sends SIGKILL (kill -9) and waits for the process to exit. Idempotent.
func (p *Process) Kill() {
	p.killMu.Lock()
	defer p.killMu.Unlock()
	p.mu.Lock()
	cmd := p.cmd
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
}

// Restart starts the relay again on the same port and data dir (after Kill,
// or kills it first).
func (p *Process) Restart() {
	p.t.Helper()
	p.Kill()
	if err := p.start(); err != nil {
		p.t.Fatal(err)
	}
}

// Stderr returns what the relay logged so far.
func (p *Process) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stderr == nil {
		return ""
	}
	return p.stderr.String()
}

// Port is the TCP port the relay listens on.
func (p *Process) Port() int {
	_, port, _ := net.SplitHostPort(p.Addr)
	n, _ := strconv.Atoi(port)
	return n
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}
