package filesuite

import (
	"crypto/ed25519"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
)

func edKey(seed []byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seed) }

func itoa(n int) string { return strconv.Itoa(n) }

// Sizes: a chunk's size is a chunk size; its upload exactly that long
// (SIZE); a body above the largest chunk is LARGE before it is read.
func testWrongSizes(t *testing.T, tg Target) {
	k := newKey()
	for _, size := range []int{0, 1, 65535, 65537, 3 << 20, 8 << 20, -1} {
		Do(t, tg, Raw{Method: "POST", Path: "/new", Key: k,
			Body: jsonBody(t, filewire.NewRequest{SenderKey: pub(k), Size: size})}).Want(t, "size "+itoa(size), filewire.ErrSize)
	}
	c := NewChunk(t, tg, 256<<10, 1)
	for _, n := range []int{0, 64 << 10, 256<<10 - 1, 256<<10 + 1} {
		WantCode(t, "a "+itoa(n)+"-byte upload of a 256 KiB chunk", c.Upload(t, tg, Random(n)), filewire.ErrSize)
	}
	big := Random(4<<20 + 1)
	Do(t, tg, Raw{Method: "PUT", Path: "/chunk/" + ID(c.SenderID), Key: c.SenderKey, Body: big}).Want(t, "a body above 4 MiB", filewire.ErrLarge)
	_, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	WantCode(t, "GET after refused uploads", err, filewire.ErrNotFound)
	must(t, c.Upload(t, tg, Random(c.Size)))
}

// Every way a signature can be wrong is AUTH, and changes nothing.
func testBadSignatures(t *testing.T, tg Target) {
	c := NewChunk(t, tg, 64<<10, 1)
	data := Random(c.Size)
	put := "/chunk/" + ID(c.SenderID)
	base := mountPath(t, tg)
	other := NewChunk(t, tg, 64<<10, 1)
	cases := map[string]Raw{
		"the wrong key":          {Key: newKey()},
		"a recipient's key":      {Key: edKey(c.Rs[0].Seed)},
		"a stale date":           {Date: tg.now().Add(-filewire.MaxClockSkew - 10*time.Second)},
		"a date in the future":   {Date: tg.now().Add(filewire.MaxClockSkew + 10*time.Second)},
		"a tampered body":        {SignBody: Random(c.Size)},
		"another chunk's path":   {SignPath: base + "/chunk/" + ID(other.SenderID)},
		"a path without mount":   {SignPath: put},
		"another method":         {SignMethod: "POST"},
		"no signature":           {Key: nil, Header: map[string]string{}},
		"another scheme":         {Header: map[string]string{filewire.HeaderAuth: "Bearer x"}},
		"a signature cut short":  {Header: map[string]string{filewire.HeaderAuth: "SXF AAAA"}},
		"a date that is no date": {Header: map[string]string{filewire.HeaderDate: "yesterday"}},
	}
	for name, r := range cases {
		r.Method, r.Path, r.Body = "PUT", put, data
		if r.Key == nil && name != "no signature" {
			r.Key = c.SenderKey
		}
		Do(t, tg, r).Want(t, "PUT with "+name, filewire.ErrAuth)
	}
	_, err := Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	WantCode(t, "GET after refused uploads", err, filewire.ErrNotFound)
	// the other requests
	must(t, c.Upload(t, tg, data))
	wrong := newKey()
	rid, sid := "/chunk/"+ID(c.Rs[0].ID), ID(c.SenderID)
	Do(t, tg, Raw{Method: "GET", Path: rid, Key: wrong}).Want(t, "GET by the wrong key", filewire.ErrAuth)
	Do(t, tg, Raw{Method: "GET", Path: rid, Key: c.SenderKey}).Want(t, "GET by the sender's key", filewire.ErrAuth)
	Do(t, tg, Raw{Method: "DELETE", Path: "/recipient/" + ID(c.Rs[0].ID), Key: wrong}).Want(t, "ack by the wrong key", filewire.ErrAuth)
	Do(t, tg, Raw{Method: "DELETE", Path: "/chunk/" + sid, Key: edKey(c.Rs[0].Seed)}).Want(t, "delete by a recipient", filewire.ErrAuth)
	Do(t, tg, Raw{Method: "POST", Path: "/add/" + sid, Key: wrong,
		Body: jsonBody(t, filewire.AddRequest{RecipientKeys: []filewire.B64{pub(wrong)}})}).Want(t, "add by the wrong key", filewire.ErrAuth)
	k := newKey()
	Do(t, tg, Raw{Method: "POST", Path: "/new", Key: wrong,
		Body: jsonBody(t, filewire.NewRequest{SenderKey: pub(k), Size: 65536})}).Want(t, "new signed by another key than its sender key", filewire.ErrAuth)
	body := jsonBody(t, filewire.NewRequest{SenderKey: pub(k), Size: 65536})
	Do(t, tg, Raw{Method: "POST", Path: "/new", Key: k, Body: body,
		SignBody: jsonBody(t, filewire.NewRequest{SenderKey: pub(k), Size: 262144})}).Want(t, "new with a tampered body", filewire.ErrAuth)
	Do(t, tg, Raw{Method: "POST", Path: "/new", Key: k, Body: body, Date: tg.now().Add(-time.Hour)}).Want(t, "new with a stale date", filewire.ErrAuth)
	// nothing happened: the recipient still downloads
	_, err = Client(tg).Download(Ctx(t), tg.URL, c.Rs[0])
	must(t, err)
}

// Ids nobody was given are AUTH (however well signed); ids that are no
// ids BAD_REQUEST; routes that do not exist NOT_FOUND; a route with the
// wrong method BAD_REQUEST.
func testIDs(t *testing.T, tg Target) {
	k := newKey()
	unknown := ID(Random(filewire.IDLen))
	for _, r := range []Raw{
		{Method: "GET", Path: "/chunk/" + unknown},
		{Method: "PUT", Path: "/chunk/" + unknown, Body: Random(65536)},
		{Method: "DELETE", Path: "/chunk/" + unknown},
		{Method: "DELETE", Path: "/recipient/" + unknown},
		{Method: "POST", Path: "/add/" + unknown, Body: jsonBody(t, filewire.AddRequest{RecipientKeys: []filewire.B64{pub(k)}})},
	} {
		r.Key = k
		Do(t, tg, r).Want(t, r.Method+" "+r.Path[:strings.LastIndexByte(r.Path, '/')]+" of an unknown id", filewire.ErrAuth)
	}
	for _, bad := range []string{"", "x", ID(Random(23)), ID(Random(25)), unknown + "=", "%41" + unknown[1:], unknown + "/more"} {
		Do(t, tg, Raw{Method: "GET", Path: "/chunk/" + bad, Key: k}).Want(t, "the id "+strconv.Quote(bad), filewire.ErrBadRequest)
	}
	for _, p := range []string{"/", "/news", "/chunks/" + unknown, "/new/" + unknown} {
		Do(t, tg, Raw{Method: "POST", Path: p, Key: k}).Want(t, "the route "+p, filewire.ErrNotFound)
	}
	for _, r := range []Raw{{Method: "GET", Path: "/new"}, {Method: "PATCH", Path: "/chunk/" + unknown},
		{Method: "GET", Path: "/recipient/" + unknown}, {Method: "PUT", Path: "/add/" + unknown}} {
		r.Key = k
		Do(t, tg, r).Want(t, r.Method+" "+r.Path, filewire.ErrBadRequest)
	}
}

// JSON bodies: not JSON, other fields, more after the object, keys of
// the wrong length: BAD_REQUEST; above 128 KiB: LARGE.
func testBadJSON(t *testing.T, tg Target) {
	k := newKey()
	pk := pub(k).String()
	short := filewire.B64(Random(31)).String()
	for name, body := range map[string]string{
		"not JSON":              `{"senderKey":`,
		"an array":              `[1,2]`,
		"an unknown field":      `{"senderKey":"` + pk + `","recipientKeys":[],"size":65536,"admin":true}`,
		"two objects":           `{"senderKey":"` + pk + `","recipientKeys":[],"size":65536}{}`,
		"a short sender key":    `{"senderKey":"` + short + `","recipientKeys":[],"size":65536}`,
		"a short recipient key": `{"senderKey":"` + pk + `","recipientKeys":["` + short + `"],"size":65536}`,
		"a key not base64url":   `{"senderKey":"` + pk + `","recipientKeys":["a+b/"],"size":65536}`,
		"a string size":         `{"senderKey":"` + pk + `","recipientKeys":[],"size":"65536"}`,
	} {
		Do(t, tg, Raw{Method: "POST", Path: "/new", Key: k, Body: []byte(body)}).Want(t, "new with "+name, filewire.ErrBadRequest)
	}
	huge := []byte(`{"senderKey":"` + pk + `","recipientKeys":[],"size":65536,"x":"` + strings.Repeat("a", 130<<10) + `"}`)
	Do(t, tg, Raw{Method: "POST", Path: "/new", Key: k, Body: huge}).Want(t, "a 130 KiB body", filewire.ErrLarge)
	c := NewChunk(t, tg, 64<<10, 1)
	Do(t, tg, Raw{Method: "POST", Path: "/add/" + ID(c.SenderID), Key: c.SenderKey, Body: []byte(`{"recipientKeys":"x"}`)}).Want(t, "add with a string", filewire.ErrBadRequest)
}

// Every answer carries Access-Control-Allow-Origin: *, and OPTIONS
// answers the preflight without a signature.
func testCORS(t *testing.T, tg Target) {
	a := Do(t, tg, Raw{Method: "OPTIONS", Path: "/chunk/" + ID(Random(24)), Header: map[string]string{
		"Origin": "https://app.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization, x-date"}})
	if a.Status/100 != 2 {
		t.Fatalf("preflight: %d", a.Status)
	}
	for h, want := range map[string][]string{
		"Access-Control-Allow-Origin":  {"*"},
		"Access-Control-Allow-Methods": {"GET", "PUT", "POST", "DELETE"},
		"Access-Control-Allow-Headers": {"Authorization", "X-Date", "Content-Type"},
	} {
		for _, w := range want {
			if !strings.Contains(strings.ToLower(a.Header.Get(h)), strings.ToLower(w)) {
				t.Errorf("preflight %s: %q, want %s in it", h, a.Header.Get(h), w)
			}
		}
	}
	c := NewChunk(t, tg, 64<<10, 1)
	k := newKey()
	for _, r := range []Raw{
		{Method: "POST", Path: "/new", Key: k, Body: jsonBody(t, filewire.NewRequest{SenderKey: pub(k), Size: 65536})},
		{Method: "PUT", Path: "/chunk/" + ID(c.SenderID), Key: c.SenderKey, Body: Random(c.Size)},
		{Method: "GET", Path: "/chunk/" + ID(c.Rs[0].ID), Key: edKey(c.Rs[0].Seed)},
		{Method: "GET", Path: "/chunk/" + ID(c.Rs[0].ID), Key: k},
		{Method: "GET", Path: "/nothing"},
	} {
		a := Do(t, tg, r)
		if a.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s %s (%d): no Access-Control-Allow-Origin: *", r.Method, r.Path, a.Status)
		}
	}
}
