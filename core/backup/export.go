package backup

import (
	"context"
	"io"
	"sort"

	"github.com/sxweb/sxweb/core/store"
)

// File is a stored file to include in a backup.
type File struct {
	ID   string
	Size int64
}

// FileReader reads stored files (chat.FileStore has this method).
type FileReader interface {
	ReadAt(ctx context.Context, id string, p []byte, off int64) (int, error)
}

// Source is what Export reads.
type Source struct {
	Records store.Scanner
	Files   []File     // the files whose bytes go in (the Writer's Files option must be set)
	Data    FileReader // where their bytes are
	Page    int        // records per Scan (default 256)
}

// Export writes every record of src.Records outside the system buckets,
// then the bytes of src.Files, to w, and closes w. Its memory is a page
// of records and one read buffer, whatever the history holds. For one
// consistent copy the caller keeps writers out of the store meanwhile.
func Export(ctx context.Context, w *Writer, src Source) error {
	if src.Page <= 0 {
		src.Page = 256
	}
	var after *store.Pos
	for {
		recs, err := src.Records.Scan(ctx, after, src.Page)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if store.IsSystem(r.Bucket) {
				continue
			}
			if err := w.Record(r.Bucket, r.Key, r.Value); err != nil {
				return err
			}
		}
		if len(recs) < src.Page {
			break
		}
		last := recs[len(recs)-1]
		after = &store.Pos{Bucket: last.Bucket, Key: last.Key}
	}
	files := append([]File(nil), src.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].ID < files[j].ID })
	for _, f := range files {
		r := io.NewSectionReader(readerAt{ctx, src.Data, f.ID}, 0, f.Size)
		if err := w.File(f.ID, f.Size, r); err != nil {
			return err
		}
	}
	return w.Close()
}

type readerAt struct {
	ctx context.Context
	fr  FileReader
	id  string
}

func (r readerAt) ReadAt(p []byte, off int64) (int, error) { return r.fr.ReadAt(r.ctx, r.id, p, off) }
