package cftest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrNoWrangler means Node.js or the pinned wrangler is not installed.
var ErrNoWrangler = errors.New("cftest: node and node_modules/.bin/wrangler are needed (run `npm ci` at the repository root; wrangler@4.86.0 runs on Node 20)")

// Options are the Worker's limits (zero: the defaults of wrangler.toml).
type Options struct {
	Quota      int
	MaxMsgSize int
	NoBuild    bool              // use worker/build as it is
	Vars       map[string]string // more --var NAME:VALUE
}

// Worker is a running `wrangler dev`.
type Worker struct {
	URL     string // ws://127.0.0.1:port/
	HTTPURL string // http://127.0.0.1:port/
	Port    int

	cmd  *exec.Cmd
	log  *lockedBuf
	dir  string
	once sync.Once
}

// Root returns the repository root (the directory of go.mod).
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cftest: go.mod not found")
		}
		dir = parent
	}
}

// Start builds the Worker and starts wrangler dev on a free port.
func Start(opts Options) (*Worker, error) {
	root, err := Root()
	if err != nil {
		return nil, err
	}
	wrangler := filepath.Join(root, "node_modules", ".bin", "wrangler")
	if _, err := exec.LookPath("node"); err != nil {
		return nil, ErrNoWrangler
	}
	if _, err := os.Stat(wrangler); err != nil {
		return nil, ErrNoWrangler
	}
	if !opts.NoBuild {
		b := exec.Command(filepath.Join(root, "worker", "build.sh"))
		if out, err := b.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("cftest: worker/build.sh: %v\n%s", err, out)
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	state, err := os.MkdirTemp("", "sxweb-wrangler-")
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	args := []string{"dev", "--local", "--ip", "127.0.0.1", "--port", fmt.Sprint(port),
		"--show-interactive-dev-session=false", "--persist-to", state,
		"--var", "RELAY_AUTH_KEY:" + hex.EncodeToString(key)}
	if opts.Quota > 0 {
		args = append(args, "--var", fmt.Sprintf("RELAY_QUOTA:%d", opts.Quota))
	}
	if opts.MaxMsgSize > 0 {
		args = append(args, "--var", fmt.Sprintf("RELAY_MAX_MSG_SIZE:%d", opts.MaxMsgSize))
	}
	for k, v := range opts.Vars {
		args = append(args, "--var", k+":"+v)
	}
	cmd := exec.Command(wrangler, args...)
	cmd.Dir = filepath.Join(root, "worker")
	cmd.Env = append(os.Environ(), "WRANGLER_SEND_METRICS=false", "CI=true", "NO_COLOR=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Stop ends wrangler and its workerd
	w := &Worker{Port: port, log: &lockedBuf{}, dir: state, cmd: cmd,
		URL: fmt.Sprintf("ws://127.0.0.1:%d/", port), HTTPURL: fmt.Sprintf("http://127.0.0.1:%d/", port)}
	cmd.Stdout, cmd.Stderr = w.log, w.log
	if err := cmd.Start(); err != nil {
		os.RemoveAll(state)
		return nil, err
	}
	if err := w.waitReady(3 * time.Minute); err != nil {
		w.Stop()
		return nil, err
	}
	return w, nil
}

func (w *Worker) waitReady(max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		resp, err := http.Get(w.HTTPURL)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("cftest: wrangler dev not ready after %v:\n%s", max, w.Log())
}

// Log returns wrangler's output so far.
func (w *Worker) Log() string { return w.log.String() }

// Stop ends wrangler (its whole process group) and removes its state.
func (w *Worker) Stop() {
	w.once.Do(func() {
		if w.cmd.Process != nil {
			syscall.Kill(-w.cmd.Process.Pid, syscall.SIGTERM)
			done := make(chan struct{})
			go func() { w.cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
				<-done
			}
		}
		os.RemoveAll(w.dir)
	})
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 { // keep the last MB or so
		rest := l.b.Bytes()[l.b.Len()/2:]
		l.b = *bytes.NewBuffer(append([]byte(nil), rest...))
	}
	return l.b.Write(p)
}

func (l *lockedBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Clone(l.b.String())
}
