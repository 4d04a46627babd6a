package diskstore

import (
	"context"
	"errors"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"

	"github.com/sxweb/sxweb/relay/files"
)

// Put implements files.Store: the body goes to a file in tmp/ (fsync'd),
// check sees its digest, and only then is the file renamed into chunks/
// inside the transaction that records the chunk as uploaded. A chunk
// uploaded before is only hashed and compared.
func (s *Store) Put(ctx context.Context, sid []byte, body io.Reader, check func([32]byte) error) error {
	var r record
	if err := s.db.View(func(tx *bolt.Tx) (err error) { r, err = get(tx, sid); return }); err != nil {
		return err
	}
	if r.uploaded {
		d, err := files.ReadExactly(io.Discard, body, r.size)
		if err != nil {
			return err
		}
		if err := check(d); err != nil {
			return err
		}
		if d != r.digest {
			return files.ErrConflict
		}
		return nil
	}
	tmp, d, err := s.spool(body, r.size)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // gone by then when it was renamed
	if err := check(d); err != nil {
		return err
	}
	return s.commitUpload(sid, tmp, d)
}

// spool writes exactly n bytes of body to a new file in tmp/, fsync'd,
// and returns its path and their digest.
func (s *Store) spool(body io.Reader, n int) (string, [32]byte, error) {
	f, err := os.CreateTemp(s.tmp, "up-*")
	if err != nil {
		return "", [32]byte{}, err
	}
	d, err := files.ReadExactly(f, body, n)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", [32]byte{}, err
	}
	return f.Name(), d, nil
}

// commitUpload renames the spooled file into chunks/ and marks the chunk
// uploaded, in one transaction (bbolt runs one writer at a time, so a
// concurrent upload or deletion of the chunk comes wholly before or
// after). If the commit fails the file is removed again.
func (s *Store) commitUpload(sid []byte, tmp string, d [32]byte) error {
	var final string
	var size int
	renamed := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		r, err := get(tx, sid)
		if err != nil {
			return err // deleted or expired meanwhile
		}
		if r.uploaded { // another upload came first
			if r.digest != d {
				return files.ErrConflict
			}
			return errSame
		}
		final = s.path(r.name)
		if err := os.Rename(tmp, final); err != nil {
			return err
		}
		renamed = true
		if err := syncDir(s.chunks); err != nil {
			return err
		}
		r.uploaded, r.digest, size = true, d, r.size
		return tx.Bucket(bktChunks).Put(sid, r.encode())
	})
	switch {
	case errors.Is(err, errSame):
		return nil
	case err != nil:
		if renamed {
			os.Remove(final)
		}
		return err
	}
	s.stored.Add(int64(size))
	return nil
}

var errSame = errors.New("diskstore: uploaded before with the same bytes")

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open implements files.Store: the chunk's file, open (a deletion
// meanwhile removes its name; what is open stays readable).
func (s *Store) Open(ctx context.Context, rid []byte) (io.ReadCloser, int64, error) {
	var r record
	err := s.db.View(func(tx *bolt.Tx) error {
		sid, _, err := byRecipient(tx, rid)
		if err != nil {
			return err
		}
		r, err = get(tx, sid)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if !r.uploaded {
		return nil, 0, files.ErrNotUploaded
	}
	f, err := os.Open(s.path(r.name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, files.ErrNotFound // deleted since
	}
	if err != nil {
		return nil, 0, err
	}
	return f, int64(r.size), nil
}
