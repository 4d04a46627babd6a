package files

import (
	"context"
	"crypto/sha256"
	"fmt"
)

// Whole files for one recipient, outside the chat layer (an account
// moving to another browser: the old one uploads its encrypted backup, the
// new one downloads it from the description in a link).

// UploadFile encrypts the size bytes of src under fresh keys, uploads
// every chunk to relay for one recipient, and returns that recipient's
// description. A failure leaves what was uploaded to expire on the relay.
func (c *Client) UploadFile(ctx context.Context, relay string, src Source, size int64) (*Description, error) {
	keys, err := NewKeys()
	if err != nil {
		return nil, err
	}
	layout, err := Layout(size)
	if err != nil {
		return nil, err
	}
	d := &Description{Relay: relay, Size: size, Keys: keys}
	for i, ch := range layout {
		senderID, senderKey, rs, _, err := c.NewChunk(ctx, relay, ch.Size, 1)
		if err != nil {
			return nil, fmt.Errorf("files: chunk %d: %w", i+1, err)
		}
		data, err := keys.EncryptChunk(src, size, ch)
		if err != nil {
			return nil, err
		}
		if err := c.Upload(ctx, relay, senderID, senderKey, data); err != nil {
			return nil, fmt.Errorf("files: chunk %d: %w", i+1, err)
		}
		sum := sha256.Sum256(data)
		d.Chunks = append(d.Chunks, DescChunk{Size: ch.Size, Len: ch.Len, Digest: sum[:], ID: rs[0].ID, Key: rs[0].Seed})
	}
	d.Digest = FileDigest(d.Chunks)
	return d, nil
}

// ErrChunkDigest: a downloaded chunk is not the one the description names
// (changed on the relay, or damaged).
var ErrChunkDigest = fmt.Errorf("files: a chunk does not match its digest")

// DownloadFile downloads the file of d chunk by chunk, checks each against
// its digest, and hands its plaintext to write in order (a chunk's worth
// at a time).
func (c *Client) DownloadFile(ctx context.Context, d *Description, write func(plain []byte) error) error {
	dec := NewDecryptor(d.Keys, d.Size, State{})
	for i, ch := range d.Chunks {
		data, err := c.Download(ctx, d.Relay, Recipient{ID: ch.ID, Seed: ch.Key})
		if err != nil {
			return fmt.Errorf("files: chunk %d: %w", i+1, err)
		}
		if sum := sha256.Sum256(data); len(data) != ch.Size || string(sum[:]) != string(ch.Digest) {
			return fmt.Errorf("%w: chunk %d", ErrChunkDigest, i+1)
		}
		plain, err := dec.Write(data[:ch.Len])
		if err != nil {
			return err
		}
		if err := write(plain); err != nil {
			return err
		}
	}
	if !dec.Done() {
		return ErrDecrypt
	}
	return nil
}

// AckFile tells the relay that the recipient of d is done with every
// chunk (best effort: they expire anyway).
func (c *Client) AckFile(ctx context.Context, d *Description) {
	for _, ch := range d.Chunks {
		_ = c.Ack(ctx, d.Relay, Recipient{ID: ch.ID, Seed: ch.Key})
	}
}
