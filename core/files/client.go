package files

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
)

// HTTP is what the client needs of an HTTP stack: one request, its whole
// answer (a chunk at most). The browser's is fetch (wasm), natively
// net/http (core/files/nethttp); never net/http in the browser build.
type HTTP interface {
	Do(ctx context.Context, method, url string, header map[string]string, body []byte) (status int, answer []byte, err error)
}

// RelayError is a refusal of the file relay, with its code (filewire).
type RelayError struct {
	Status int
	Code   string
}

func (e *RelayError) Error() string { return fmt.Sprintf("file relay: %s (%d)", e.Code, e.Status) }

// Retryable reports whether the request may succeed later.
func (e *RelayError) Retryable() bool { return filewire.Retryable(e.Code) }

// Client speaks the file relay protocol.
type Client struct {
	HTTP HTTP
	Now  func() time.Time // the clock of signatures (time.Now when nil)
}

// Recipient is one recipient's id and key of a chunk.
type Recipient struct {
	ID   []byte
	Seed []byte // Ed25519 seed: the description carries it
}

// NewChunk creates a chunk of size on relay for n recipients; the sender
// key signs its upload and deletion. More recipients than one request
// carries are added by further requests.
func (c *Client) NewChunk(ctx context.Context, relay string, size, n int) (senderID []byte, senderKey ed25519.PrivateKey, rs []Recipient, expires time.Time, err error) {
	_, senderKey, err = ed25519.GenerateKey(nil)
	if err != nil {
		return nil, nil, nil, time.Time{}, err
	}
	first := min(n, filewire.MaxRecipientsPerRequest)
	senderID, rs, expires, err = c.newChunk(ctx, relay, size, senderKey, first)
	if err != nil || n == first {
		return senderID, senderKey, rs, expires, err
	}
	more, err := c.AddRecipients(ctx, relay, senderID, senderKey, n-first)
	if err != nil {
		return nil, nil, nil, time.Time{}, err
	}
	return senderID, senderKey, append(rs, more...), expires, nil
}

func (c *Client) newChunk(ctx context.Context, relay string, size int, senderKey ed25519.PrivateKey, n int) ([]byte, []Recipient, time.Time, error) {
	keys, rs, err := newRecipients(n)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	req := filewire.NewRequest{SenderKey: filewire.B64(senderKey.Public().(ed25519.PublicKey)), RecipientKeys: keys, Size: size}
	var resp filewire.NewResponse
	if err := c.call(ctx, senderKey, "POST", relay, "/new", req, &resp); err != nil {
		return nil, nil, time.Time{}, err
	}
	if len(resp.RecipientIDs) != n {
		return nil, nil, time.Time{}, fmt.Errorf("file relay: %d recipient ids for %d keys", len(resp.RecipientIDs), n)
	}
	for i := range rs {
		rs[i].ID = resp.RecipientIDs[i]
	}
	return resp.SenderID, rs, time.UnixMilli(resp.ExpiresAt), nil
}

// AddRecipients adds n recipients to a chunk (in requests of at most
// filewire.MaxRecipientsPerRequest).
func (c *Client) AddRecipients(ctx context.Context, relay string, senderID []byte, senderKey ed25519.PrivateKey, n int) ([]Recipient, error) {
	var out []Recipient
	for len(out) < n {
		rs, err := c.addRecipients(ctx, relay, senderID, senderKey, min(n-len(out), filewire.MaxRecipientsPerRequest))
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

func (c *Client) addRecipients(ctx context.Context, relay string, senderID []byte, senderKey ed25519.PrivateKey, n int) ([]Recipient, error) {
	keys, rs, err := newRecipients(n)
	if err != nil {
		return nil, err
	}
	var resp filewire.AddResponse
	if err := c.call(ctx, senderKey, "POST", relay, "/add/"+filewire.B64(senderID).String(), filewire.AddRequest{RecipientKeys: keys}, &resp); err != nil {
		return nil, err
	}
	if len(resp.RecipientIDs) != n {
		return nil, fmt.Errorf("file relay: %d recipient ids for %d keys", len(resp.RecipientIDs), n)
	}
	for i := range rs {
		rs[i].ID = resp.RecipientIDs[i]
	}
	return rs, nil
}

func newRecipients(n int) ([]filewire.B64, []Recipient, error) {
	keys := make([]filewire.B64, n)
	rs := make([]Recipient, n)
	for i := range rs {
		pub, priv, err := ed25519.GenerateKey(nil)
		if err != nil {
			return nil, nil, err
		}
		keys[i], rs[i].Seed = filewire.B64(pub), priv.Seed()
	}
	return keys, rs, nil
}

// Upload puts a chunk's bytes (exactly its size).
func (c *Client) Upload(ctx context.Context, relay string, senderID []byte, senderKey ed25519.PrivateKey, chunk []byte) error {
	return c.raw(ctx, senderKey, "PUT", relay, "/chunk/"+filewire.B64(senderID).String(), chunk, nil)
}

// Download gets a chunk with a recipient's id and key.
func (c *Client) Download(ctx context.Context, relay string, r Recipient) ([]byte, error) {
	var out []byte
	err := c.raw(ctx, ed25519.NewKeyFromSeed(r.Seed), "GET", relay, "/chunk/"+filewire.B64(r.ID).String(), nil, &out)
	return out, err
}

// Ack tells the relay this recipient is done with a chunk.
func (c *Client) Ack(ctx context.Context, relay string, r Recipient) error {
	return c.raw(ctx, ed25519.NewKeyFromSeed(r.Seed), "DELETE", relay, "/recipient/"+filewire.B64(r.ID).String(), nil, nil)
}

// Delete deletes a chunk (the sender cancels, or is done).
func (c *Client) Delete(ctx context.Context, relay string, senderID []byte, senderKey ed25519.PrivateKey) error {
	return c.raw(ctx, senderKey, "DELETE", relay, "/chunk/"+filewire.B64(senderID).String(), nil, nil)
}

func (c *Client) call(ctx context.Context, key ed25519.PrivateKey, method, relay, path string, req, resp any) error {
	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	var out []byte
	if err := c.raw(ctx, key, method, relay, path, body, &out); err != nil {
		return err
	}
	if err := json.Unmarshal(out, resp); err != nil {
		return fmt.Errorf("file relay: bad answer: %w", err)
	}
	return nil
}

// raw signs and sends one request; out, when set, gets the answer's body.
func (c *Client) raw(ctx context.Context, key ed25519.PrivateKey, method, relay, path string, body []byte, out *[]byte) error {
	u, err := url.Parse(relay + path)
	if err != nil {
		return err
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	date, auth := filewire.Sign(key, method, u.EscapedPath(), now(), body)
	header := map[string]string{filewire.HeaderDate: date, filewire.HeaderAuth: auth}
	if method == "POST" {
		header["Content-Type"] = "application/json"
	}
	status, answer, err := c.HTTP.Do(ctx, method, u.String(), header, body)
	if err != nil {
		return err
	}
	if status >= 300 {
		var e filewire.ErrorBody
		if json.Unmarshal(answer, &e) != nil || e.Error == "" {
			e.Error = filewire.ErrInternal
		}
		return &RelayError{Status: status, Code: e.Error}
	}
	if out != nil {
		*out = answer
	}
	return nil
}
