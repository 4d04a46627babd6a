//go:build !js

package boltstore_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/boltstore"
)

// The crash test: a child process (this test binary, re-run with
// crashEnv set) appends numbered batches to a store from crashWriters
// goroutines and prints each number once its Apply has returned; the
// parent kills it with SIGKILL after a random number of those reports,
// reopens the store and checks that nothing reported is lost, no batch
// landed in part, and no number was written twice; then it starts the
// next child on the same file, which continues where the store says.
const (
	crashEnv      = "BOLTSTORE_CRASH_CHILD" // the store file
	crashRunEnv   = "BOLTSTORE_CRASH_RUN"   // this child's run id
	crashLimitEnv = "BOLTSTORE_CRASH_LIMIT" // batches per writer, then exit; 0: until killed
	crashWriters  = 4
)

// Batch number i of writer w, by run r, writes three records:
//
//	rec/w<w>/<i>       payload    (one per number, overwritten if written twice)
//	log/w<w>/<i>/<r>   payload    (one per number and run: a number written twice shows)
//	count/w<w>         i          (where the next run continues)
//
// The payload names w, i and r and is padded to a size between 64 bytes
// and 4 KB that depends on i, so batches span pages now and then.
func crashPayload(w, i int, run string) []byte {
	head := fmt.Sprintf("w%d/%08d/%s|", w, i, run)
	size := 64 + (i*7919)%4000
	return bytes.Repeat([]byte(head), size/len(head)+1)[:size]
}

func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("the child process of TestKill9LosesNothing")
	}
	run := os.Getenv(crashRunEnv)
	limit, _ := strconv.Atoi(os.Getenv(crashLimitEnv))
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	for w := 0; w < crashWriters; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := crashWrite(s, w, run, limit); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func crashWrite(s store.Store, w int, run string, limit int) error {
	start := 0
	if v, err := s.Get(ctx, "count", fmt.Sprintf("w%d", w)); err == nil {
		start, _ = strconv.Atoi(string(v))
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for i := start + 1; limit == 0 || i <= start+limit; i++ {
		p := crashPayload(w, i, run)
		var b store.Batch
		b.Put("rec", fmt.Sprintf("w%d/%08d", w, i), p)
		b.Put("log", fmt.Sprintf("w%d/%08d/%s", w, i, run), p)
		b.Put("count", fmt.Sprintf("w%d", w), []byte(strconv.Itoa(i)))
		if err := s.Apply(ctx, &b); err != nil {
			return err
		}
		// One write(2) of a short line to a pipe: it arrives whole or not at all.
		fmt.Fprintf(os.Stdout, "committed %d %d\n", w, i)
	}
	return nil
}

// runCrashChild runs one child on path and returns the numbers it reported
// committed, per writer. With killAfter > 0 it sends SIGKILL once that many
// reports have arrived (and a random pause of up to 3 ms, so that the kill
// lands anywhere in a commit); with limit > 0 the child stops on its own.
func runCrashChild(t *testing.T, path, run string, killAfter, limit int) [crashWriters][]int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path, crashRunEnv+"="+run, crashLimitEnv+"="+strconv.Itoa(limit))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var got [crashWriters][]int
	n, killed := 0, false
	r := bufio.NewReader(out)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			break // a fragment without its newline was never a whole report
		}
		if err != nil {
			t.Fatal(err)
		}
		var w, i int
		if _, err := fmt.Sscanf(line, "committed %d %d\n", &w, &i); err != nil {
			continue // the test framework's own output
		}
		got[w] = append(got[w], i)
		if n++; n == killAfter {
			// Reports arrive right after a commit, so a kill sent at
			// once would always land at the start of the next one: wait
			// a random fraction of a few commits first.
			go func() {
				time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
				cmd.Process.Signal(syscall.SIGKILL)
			}()
			killed = true
		}
	}
	err = cmd.Wait()
	switch {
	case killAfter > 0 && !killed:
		t.Fatalf("run %s: the child ended after %d reports, before the kill: %v\n%s", run, n, err, stderr.Bytes())
	case killAfter == 0 && err != nil:
		t.Fatalf("run %s: child: %v\n%s", run, err, stderr.Bytes())
	}
	return got
}

// checkCrashStore opens the store the children wrote and checks it against
// every number ever reported committed; it returns the counts.
func checkCrashStore(t *testing.T, path string, reported [crashWriters]map[int]bool) [crashWriters]int {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer s.Close()
	var counts [crashWriters]int
	for w := range crashWriters {
		count := 0
		if v, err := s.Get(ctx, "count", fmt.Sprintf("w%d", w)); err == nil {
			count, _ = strconv.Atoi(string(v))
		}
		counts[w] = count
		recs, err1 := s.List(ctx, "rec", fmt.Sprintf("w%d/", w))
		logs, err2 := s.List(ctx, "log", fmt.Sprintf("w%d/", w))
		if err1 != nil || err2 != nil {
			t.Fatalf("List: %v, %v", err1, err2)
		}
		if len(recs) != count || len(logs) != count {
			t.Fatalf("writer %d: counter %d, %d records, %d log entries: a batch landed in part or a number twice",
				w, count, len(recs), len(logs))
		}
		for i := 1; i <= count; i++ {
			rec, log := recs[i-1], logs[i-1]
			num := fmt.Sprintf("w%d/%08d", w, i)
			run, _ := strings.CutPrefix(log.Key, num+"/")
			if rec.Key != num || !strings.HasPrefix(log.Key, num+"/") {
				t.Fatalf("writer %d, number %d: record %q, log entry %q", w, i, rec.Key, log.Key)
			}
			if want := crashPayload(w, i, run); !bytes.Equal(rec.Value, want) || !bytes.Equal(log.Value, want) {
				t.Fatalf("writer %d, number %d: record and log entry disagree with run %s's payload", w, i, run)
			}
		}
		for i := range reported[w] {
			if i > count {
				t.Fatalf("writer %d: number %d was reported committed, the store has only 1..%d", w, i, count)
			}
		}
	}
	return counts
}

// Batches whose Apply returned survive kill -9 of the process, each batch
// is all there or not at all, and the next process continues without
// writing a number twice. Eight kills at random points, then a run that
// ends on its own.
func TestKill9LosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	var reported [crashWriters]map[int]bool
	for w := range reported {
		reported[w] = map[int]bool{}
	}
	note := func(got [crashWriters][]int) (n int) {
		for w, nums := range got {
			for _, i := range nums {
				reported[w][i] = true
			}
			n += len(nums)
		}
		return n
	}
	for round := range 8 {
		killAfter := 1 + rng.IntN(400)
		n := note(runCrashChild(t, path, fmt.Sprintf("r%d", round), killAfter, 0))
		counts := checkCrashStore(t, path, reported)
		t.Logf("round %d: SIGKILL sent after report %d (%d arrived); counters now %v", round, killAfter, n, counts)
	}
	before := checkCrashStore(t, path, reported)
	const limit = 25
	got := runCrashChild(t, path, "final", 0, limit)
	note(got)
	after := checkCrashStore(t, path, reported)
	for w := range crashWriters {
		want := make([]int, limit)
		for k := range want {
			want[k] = before[w] + 1 + k
		}
		if after[w] != before[w]+limit || fmt.Sprint(got[w]) != fmt.Sprint(want) {
			t.Errorf("writer %d: counter %d → %d, reported %v after a clean run of %d from %d",
				w, before[w], after[w], got[w], limit, before[w]+1)
		}
	}
}
