package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors from the encoder")

// vector is one scenario file in testdata/vectors: an encoded frame and the
// expected outcome of decoding it ("ok", "syntax" or "unknown").
type vector struct {
	name, expect string
	frame        []byte
}

func loadVectors(t testing.TB) []vector {
	files, _ := filepath.Glob("testdata/vectors/*.txt")
	var vs []vector
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v := vector{name: filepath.Base(f)}
		for _, line := range strings.Split(string(b), "\n") {
			if e, ok := strings.CutPrefix(line, "expect: "); ok {
				v.expect = e
			}
			if h, ok := strings.CutPrefix(line, "frame: "); ok {
				if v.frame, err = hex.DecodeString(h); err != nil {
					t.Fatalf("%s: %v", f, err)
				}
			}
		}
		vs = append(vs, v)
	}
	return vs
}

// decodeFrame decodes any frame fully; it is what the relay and client do.
func decodeFrame(f []byte) ([]Transmission, error) {
	if len(f) == 0 {
		return nil, syntaxf("empty frame")
	}
	switch f[0] {
	case FrameServerHello:
		_, err := ParseServerHello(f)
		return nil, err
	case FrameClientHello:
		_, err := ParseClientHello(f)
		return nil, err
	}
	var body []byte
	var err error
	if f[0] == FrameHTTPBatch {
		_, _, body, err = ParseHTTPHeader(f)
	} else {
		body, err = BatchBody(f)
	}
	if err != nil {
		return nil, err
	}
	raws, err := SplitBatch(body)
	if err != nil {
		return nil, err
	}
	var ts []Transmission
	for _, r := range raws {
		t, err := Decode(r)
		if err != nil {
			return ts, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

func writeVectors(t *testing.T) {
	dir := "testdata/vectors"
	os.MkdirAll(dir, 0o755)
	mac, sess := fill(MACKeyLen, 5), fill(SessionIDLen, 6)
	write := func(name, desc, expect string, frame []byte) {
		s := fmt.Sprintf("# %s\n# mac key %x, session id %x\nexpect: %s\nframe: %x\n", desc, mac, sess, expect, frame)
		if err := os.WriteFile(filepath.Join(dir, name+".txt"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range samples() {
		var sign Signer
		if s.Code.IsClient() && s.Code != PING {
			sign = SignerFor(mac, sess)
		}
		write(strings.ToLower(s.Code.String()), s.Code.String()+" in a batch frame", "ok",
			AppendTransmission(AppendBatchHeader(nil), &s, sign))
	}
	h := ServerHello{MinVersion: 1, MaxVersion: 1, SessionID: [32]byte(sess), AuthKey: [32]byte(fill(32, 4))}
	write("server_hello", "server hello, versions 1..1", "ok", h.Append(nil))
	write("client_hello", "client hello, version 1", "ok", AppendClientHello(nil, 1))
	b := AppendHTTPHeader(nil, 1, sess)
	for i := 0; i < 3; i++ {
		sub := Transmission{EntityID: fill(IDLen, byte(i)), Code: SUB}
		b = AppendTransmission(b, &sub, SignerFor(mac, sess))
	}
	write("http_batch_3sub", "HTTP POST body with three SUBs (empty corr ids)", "ok", b)
	sub := AppendTransmission(AppendBatchHeader(nil), &Transmission{EntityID: fill(IDLen, 1), Code: SUB}, SignerFor(mac, sess))
	write("truncated", "SUB batch cut one byte short", "syntax", sub[:len(sub)-1])
	rate := Transmission{CorrID: []byte{7}, Code: ERR, Err: ErrRate}
	write("err_rate", "ERR RATE (code 10) to a NEW with correlation id 07", "ok", AppendTransmission(AppendBatchHeader(nil), &rate, nil))
	limit := Transmission{EntityID: fill(IDLen, 1), Code: ERR, Err: ErrLimit}
	write("err_limit", "ERR LIMIT (code 11) to a SUB (entity, no correlation id)", "ok", AppendTransmission(AppendBatchHeader(nil), &limit, nil))
	write("unknown_code", "transmission with code 31", "unknown", []byte{FrameBatch, 1, 31})
	write("garbage", "not a frame type", "syntax", []byte{0xff, 1, 2, 3})
	write("bad_length", "length prefix longer than the frame", "syntax", []byte{FrameBatch, 0x7f, byte(PING)})
}

func TestVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	vs := loadVectors(t)
	if len(vs) < 10 {
		t.Fatalf("only %d vectors in testdata/vectors", len(vs))
	}
	for _, v := range vs {
		_, err := decodeFrame(v.frame)
		got := "ok"
		switch {
		case errors.Is(err, ErrUnknown):
			got = "unknown"
		case err != nil:
			got = "syntax"
		}
		if got != v.expect {
			t.Errorf("%s: got %s (%v), want %s", v.name, got, err, v.expect)
		}
	}
}

// FuzzDecodeFrame checks that decoding never panics and that every decoded
// batch re-encodes to exactly the input bytes.
func FuzzDecodeFrame(f *testing.F) {
	vs := loadVectors(f)
	if len(vs) == 0 {
		f.Fatal("no seeds in testdata/vectors")
	}
	for _, v := range vs {
		f.Add(v.frame)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		ts, err := decodeFrame(frame)
		if err != nil || len(frame) == 0 || (frame[0] != FrameBatch) {
			return
		}
		out := AppendBatchHeader(nil)
		for i := range ts {
			out = AppendTransmission(out, &ts[i], nil)
		}
		if !bytes.Equal(out, frame) {
			t.Fatalf("re-encoding differs:\n in %x\nout %x", frame, out)
		}
	})
}
