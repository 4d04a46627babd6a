package relaytest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Mem is a process's memory as Linux reports it (/proc/pid/status), in
// bytes: RSS in all, and its anonymous part (the Go heap and stacks;
// the rest is mostly the store's memory-mapped file).
type Mem struct{ RSS, Anon int64 }

// Mem reads the relay's memory use (Linux only).
func (p *Process) Mem() (Mem, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.Pid()))
	if err != nil {
		return Mem{}, err
	}
	defer f.Close()
	var m Mem
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		fs := strings.Fields(v)
		if len(fs) < 1 {
			continue
		}
		n, _ := strconv.ParseInt(fs[0], 10, 64)
		switch k {
		case "VmRSS":
			m.RSS = n << 10
		case "RssAnon":
			m.Anon = n << 10
		}
	}
	return m, sc.Err()
}

// FDs returns how many descriptors the relay has open (Linux only).
func (p *Process) FDs() (int, error) {
	es, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.Pid()))
	return len(es), err
}

// StoreSize returns the size of the relay's store file.
func (p *Process) StoreSize() (int64, error) {
	fi, err := os.Stat(filepath.Join(p.Dir, "relay.db"))
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// FileBytes returns the bytes of the file relay's chunk files on disk
// and the number of uploads in progress (files in its tmp/).
func (p *Process) FileBytes() (chunks int64, inProgress int, err error) {
	ents, err := os.ReadDir(filepath.Join(p.Dir, "files", "chunks"))
	if err != nil && !os.IsNotExist(err) {
		return 0, 0, err
	}
	for _, e := range ents {
		if fi, err := e.Info(); err == nil {
			chunks += fi.Size()
		}
	}
	tmp, err := os.ReadDir(filepath.Join(p.Dir, "files", "tmp"))
	if err != nil && !os.IsNotExist(err) {
		return 0, 0, err
	}
	return chunks, len(tmp), nil
}
