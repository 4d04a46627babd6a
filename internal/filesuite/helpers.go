package filesuite

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/sxweb/sxweb/core/files"
	"github.com/sxweb/sxweb/core/files/nethttp"
	"github.com/sxweb/sxweb/relay/filewire"
)

func (tg Target) now() time.Time {
	if tg.Now != nil {
		return tg.Now()
	}
	return time.Now()
}

func (tg Target) expiry() time.Duration {
	if tg.Expiry > 0 {
		return tg.Expiry
	}
	return 48 * time.Hour
}

// Ctx returns a context that ends with the test (or after 2 minutes).
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Client returns the file relay client a chat client uses natively,
// signing with the target's clock.
func Client(tg Target) *files.Client {
	return &files.Client{HTTP: retry503{}, Now: tg.now}
}

// retry503 sends a request again when its platform, not the relay,
// answered 503 (the relay never does): wrangler dev says so when it
// restarted its runtime mid-request ("Please try sending the request
// again"). A relay's refusal always has a JSON error body.
type retry503 struct{}

func (retry503) Do(ctx context.Context, method, u string, h map[string]string, body []byte) (int, []byte, error) {
	for i := 0; ; i++ {
		status, answer, err := nethttp.Client{}.Do(ctx, method, u, h, body)
		if err != nil || status != http.StatusServiceUnavailable || json.Valid(answer) || i == 3 {
			return status, answer, err
		}
		time.Sleep(time.Second)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Chunk is a chunk made on the relay under test.
type Chunk struct {
	SenderID  []byte
	SenderKey ed25519.PrivateKey
	Rs        []files.Recipient
	Expires   time.Time
	Size      int
}

// NewChunk creates a chunk of size for n recipients.
func NewChunk(t testing.TB, tg Target, size, n int) Chunk {
	t.Helper()
	sid, key, rs, exp, err := Client(tg).NewChunk(Ctx(t), tg.URL, size, n)
	must(t, err)
	return Chunk{SenderID: sid, SenderKey: key, Rs: rs, Expires: exp, Size: size}
}

// Upload uploads data as the chunk's bytes.
func (c Chunk) Upload(t testing.TB, tg Target, data []byte) error {
	return Client(tg).Upload(Ctx(t), tg.URL, c.SenderID, c.SenderKey, data)
}

// Random returns n random bytes.
func Random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// WantCode fails unless err is the relay's refusal with code (and its
// status).
func WantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	var re *files.RelayError
	if !errors.As(err, &re) || re.Code != code || re.Status != filewire.Status(code) {
		t.Fatalf("%s: got %v, want %s (%d)", what, err, code, filewire.Status(code))
	}
}

// Raw is a request the way a client would never send it.
type Raw struct {
	Method, Path string // path after the relay's mount point ("/new", "/chunk/<id>")
	Body         []byte
	Key          ed25519.PrivateKey // nil: no signature headers
	// What the signature covers, when not the request itself.
	SignMethod, SignPath string
	SignBody             []byte // nil: Body
	Date                 time.Time
	Header               map[string]string // set after signing (override)
}

// Answer is what the relay answered.
type Answer struct {
	Status int
	Code   string // of an error body
	Header http.Header
	Body   []byte
}

// Do sends a raw request.
func Do(t testing.TB, tg Target, r Raw) Answer {
	t.Helper()
	u, err := url.Parse(tg.URL + r.Path)
	must(t, err)
	req, err := http.NewRequestWithContext(Ctx(t), r.Method, u.String(), bytes.NewReader(r.Body))
	must(t, err)
	if r.Key != nil {
		m, p, b, d := r.Method, u.EscapedPath(), r.Body, r.Date
		if r.SignMethod != "" {
			m = r.SignMethod
		}
		if r.SignPath != "" {
			p = r.SignPath
		}
		if r.SignBody != nil {
			b = r.SignBody
		}
		if d.IsZero() {
			d = tg.now()
		}
		date, auth := filewire.Sign(r.Key, m, p, d, b)
		req.Header.Set(filewire.HeaderDate, date)
		req.Header.Set(filewire.HeaderAuth, auth)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	var resp *http.Response
	var body []byte
	for i := 0; ; i++ { // the platform's 503 (see retry503): again
		req.Body, req.GetBody = io.NopCloser(bytes.NewReader(r.Body)), nil
		resp, err = http.DefaultClient.Do(req)
		must(t, err)
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || json.Valid(body) || i == 3 {
			break
		}
		time.Sleep(time.Second)
	}
	a := Answer{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if resp.StatusCode >= 300 {
		var e filewire.ErrorBody
		if json.Unmarshal(body, &e) != nil {
			t.Fatalf("%s %s: %d with a body that is not an error: %q", r.Method, r.Path, resp.StatusCode, body)
		}
		a.Code = e.Error
	}
	return a
}

// Want fails unless the answer is the error code with its status.
func (a Answer) Want(t testing.TB, what, code string) {
	t.Helper()
	if a.Code != code || a.Status != filewire.Status(code) {
		t.Fatalf("%s: %d %q, want %s (%d)", what, a.Status, a.Code, code, filewire.Status(code))
	}
}

// mountPath is the path of the relay's mount point (what signatures
// cover before the route).
func mountPath(t testing.TB, tg Target) string {
	u, err := url.Parse(tg.URL)
	must(t, err)
	return u.EscapedPath()
}

func newKey() ed25519.PrivateKey {
	_, k, _ := ed25519.GenerateKey(nil)
	return k
}

func pub(k ed25519.PrivateKey) filewire.B64 { return filewire.B64(k.Public().(ed25519.PublicKey)) }

func ID(b []byte) string { return filewire.B64(b).String() }

func jsonBody(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	must(t, err)
	return b
}
