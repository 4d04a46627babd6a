package files

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/sxweb/sxweb/relay/filewire"
	"github.com/sxweb/sxweb/relay/limit"
)

// create: POST /new. The limits come after the signature (a request
// nobody signed costs its address nothing) and before the store.
func (q *request) create() {
	q.deadline(0)
	body, ok := q.readBody()
	if !ok {
		return
	}
	c, err := parseNew(body)
	if err != nil {
		writeErr(q.w, err.(*errParse).code)
		return
	}
	if !q.verify(c.SenderKey, sha256.Sum256(body)) {
		writeErr(q.w, filewire.ErrAuth)
		return
	}
	cost := int64(c.Size) + chunkCost + int64(len(c.RecipientKeys))*recipientCost
	if code := q.admit(cost, chunkCost+int64(len(c.RecipientKeys))*recipientCost); code != "" {
		writeErr(q.w, code)
		return
	}
	c.Expires = q.now.Add(q.s.cfg.Expiry)
	sid, rids, err := q.s.st.Create(q.r.Context(), c)
	if err != nil {
		q.unadmit(cost, chunkCost+int64(len(c.RecipientKeys))*recipientCost)
		q.storeErr(err)
		return
	}
	if on(q.s.lim.MaxHeldPerAddr) {
		q.s.holds.add(sid, q.a, cost)
	}
	resp := filewire.NewResponse{SenderID: sid, RecipientIDs: b64s(rids), ExpiresAt: c.Expires.UnixMilli()}
	writeJSON(q.w, http.StatusCreated, resp)
}

// add: POST /add/<senderId>.
func (q *request) add() {
	q.deadline(0)
	body, ok := q.readBody()
	if !ok {
		return
	}
	keys, perr := parseAdd(body)
	c, err := q.s.st.BySender(q.r.Context(), q.id)
	err = q.live(c, err)
	if !q.chunkAuth(c.SenderKey, err, sha256.Sum256(body)) {
		return
	}
	if perr != nil {
		writeErr(q.w, perr.(*errParse).code)
		return
	}
	if c.Recipients+len(keys) > q.s.lim.MaxRecipients {
		q.s.refused.recipients.Add(1)
		writeErr(q.w, filewire.ErrLimit)
		return
	}
	cost := int64(len(keys)) * recipientCost
	if code := q.admit(cost, cost); code != "" {
		writeErr(q.w, code)
		return
	}
	held := on(q.s.lim.MaxHeldPerAddr)
	if held {
		q.s.holds.add(q.id, q.a, cost) // before the store: a deletion meanwhile gives it back
	}
	rids, err := q.s.st.AddRecipients(q.r.Context(), q.id, keys, q.s.lim.MaxRecipients)
	if err != nil {
		q.s.mark.Unreserve(cost)
		q.s.addrs.GiveNew(q.a)
		if held {
			q.s.holds.sub(q.id, q.a, cost)
		}
		if errors.Is(err, ErrFull) {
			q.s.refused.recipients.Add(1)
		}
		q.storeErr(err)
		return
	}
	writeJSON(q.w, http.StatusOK, filewire.AddResponse{RecipientIDs: b64s(rids)})
}

// admit takes one creation from the address's allowance (LIMIT), holds
// held bytes for it (LIMIT) and reserves stored bytes under the
// watermark (QUOTA); "" when all three pass, else nothing is taken.
func (q *request) admit(held, stored int64) string {
	s := q.s
	if !s.mark.Reserve(stored) {
		s.refused.quota.Add(1)
		return filewire.ErrQuota
	}
	if !s.addrs.TakeNew(q.a, q.now) {
		s.mark.Unreserve(stored)
		s.refused.rate.Add(1)
		return filewire.ErrLimit
	}
	if on(s.lim.MaxHeldPerAddr) && !q.a.Hold(held, s.lim.MaxHeldPerAddr) {
		s.addrs.GiveNew(q.a)
		s.mark.Unreserve(stored)
		s.refused.held.Add(1)
		return filewire.ErrLimit
	}
	return ""
}

// unadmit gives back what admit took for a creation that failed.
func (q *request) unadmit(held, stored int64) {
	s := q.s
	s.mark.Unreserve(stored)
	s.addrs.GiveNew(q.a)
	if on(s.lim.MaxHeldPerAddr) {
		q.a.Release(held)
	}
}

// chunkAuth answers AUTH unless the chunk was found, has not expired and
// the request is signed by its key; true when it may go on.
func (q *request) chunkAuth(key []byte, err error, digest [32]byte) bool {
	if err != nil && !errors.Is(err, ErrNotFound) {
		q.storeErr(err)
		return false
	}
	if err != nil {
		key = nil
	}
	if !q.verify(key, digest) {
		writeErr(q.w, filewire.ErrAuth)
		return false
	}
	return true
}

// live returns the error of a chunk looked up now: ErrNotFound once it
// expired (the sweep has not removed it yet).
func (q *request) live(c Chunk, err error) error {
	if err == nil && !q.now.Before(c.Expires) {
		return ErrNotFound
	}
	return err
}

// maxChunk is the largest chunk: a PUT announcing more is LARGE.
var maxChunk = int64(filewire.ChunkSizes[len(filewire.ChunkSizes)-1])

// upload: PUT /chunk/<senderId>: exactly the chunk's size, streamed to
// the store, which keeps it only once the signature over its digest
// checks.
func (q *request) upload() {
	c, err := q.s.st.BySender(q.r.Context(), q.id)
	err = q.live(c, err)
	switch {
	case q.r.ContentLength > maxChunk:
		writeErr(q.w, filewire.ErrLarge)
		return
	case errors.Is(err, ErrNotFound) || !filewire.DateOK(q.r.Header.Get(filewire.HeaderDate), q.now):
		// Refused before reading the body: a stale date or an unknown id
		// never pass the signature.
		writeErr(q.w, filewire.ErrAuth)
		return
	case err != nil:
		q.storeErr(err)
		return
	case q.r.ContentLength >= 0 && q.r.ContentLength != int64(c.Size):
		writeErr(q.w, filewire.ErrSize)
		return
	}
	if !q.admitUpload() {
		return
	}
	defer q.endUpload()
	q.deadline(int64(c.Size))
	// Held under the watermark until it lands in the store's count (a
	// 4 MiB upload may take longer than a measurement).
	held := !c.Uploaded
	if held && !q.s.mark.Hold(int64(c.Size)) {
		q.s.refused.quota.Add(1)
		writeErr(q.w, filewire.ErrQuota)
		return
	}
	authFailed := errors.New("files: signature")
	err = q.s.st.Put(q.r.Context(), q.id, http.MaxBytesReader(q.w, q.r.Body, int64(c.Size)+1), func(d [32]byte) error {
		if !q.verify(c.SenderKey, d) {
			return authFailed
		}
		return nil
	})
	switch {
	case held && err == nil:
		q.s.mark.Landed(int64(c.Size))
	case held:
		q.s.mark.Release(int64(c.Size))
	}
	switch {
	case err == nil:
		q.w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, authFailed):
		writeErr(q.w, filewire.ErrAuth)
	case errors.Is(err, ErrSize):
		writeErr(q.w, filewire.ErrSize)
	case isBodyErr(err):
		writeErr(q.w, filewire.ErrBadRequest) // cut off, or not in time: nothing was kept
	default:
		q.storeErr(err)
	}
}

// admitUpload takes a place among the uploads in progress, in all and of
// the address (LIMIT); false when there is none (answered).
func (q *request) admitUpload() bool {
	s := q.s
	if n := s.upsN.Add(1); on(s.lim.MaxUploads) && n > int64(s.lim.MaxUploads) {
		s.upsN.Add(-1)
		s.refused.uploads.Add(1)
		writeErr(q.w, filewire.ErrLimit)
		return false
	}
	k, _ := limit.ClientKey(q.r, s.lim.ClientIPHeader)
	if q.up = s.ups.Enter(k, time.Now()); q.up == nil {
		s.upsN.Add(-1)
		s.refused.uploads.Add(1)
		writeErr(q.w, filewire.ErrLimit)
		return false
	}
	return true
}

func (q *request) endUpload() {
	q.s.ups.Leave(q.up)
	q.s.upsN.Add(-1)
}

// download: GET /chunk/<recipientId>, streamed from the store with its
// length.
func (q *request) download() {
	q.deadline(0)
	body, ok := q.readBody()
	if !ok {
		return
	}
	c, key, err := q.s.st.ByRecipient(q.r.Context(), q.id)
	err = q.live(c, err)
	if !q.chunkAuth(key, err, sha256.Sum256(body)) {
		return
	}
	if !c.Uploaded {
		writeErr(q.w, filewire.ErrNotFound)
		return
	}
	rc, n, err := q.s.st.Open(q.r.Context(), q.id)
	if err != nil {
		q.storeErr(err)
		return
	}
	defer rc.Close()
	q.deadline(n)
	h := q.w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	if rd, ok := rc.(Redirector); ok {
		rd.Redirect(h)
		q.w.WriteHeader(http.StatusOK)
		return
	}
	q.w.WriteHeader(http.StatusOK)
	io.Copy(q.w, rc) // an error here is the client's going away: the status is sent
}

// ack: DELETE /recipient/<recipientId>; the chunk goes with its last
// recipient.
func (q *request) ack() {
	q.deadline(0)
	body, ok := q.readBody()
	if !ok {
		return
	}
	c, key, err := q.s.st.ByRecipient(q.r.Context(), q.id)
	err = q.live(c, err)
	if !q.chunkAuth(key, err, sha256.Sum256(body)) {
		return
	}
	gone, err := q.s.st.DeleteRecipient(q.r.Context(), q.id)
	if err != nil {
		q.storeErr(err)
		return
	}
	if gone {
		q.s.holds.release(c.SenderID)
	}
	q.w.WriteHeader(http.StatusNoContent)
}

// remove: DELETE /chunk/<senderId>.
func (q *request) remove() {
	q.deadline(0)
	body, ok := q.readBody()
	if !ok {
		return
	}
	c, err := q.s.st.BySender(q.r.Context(), q.id)
	err = q.live(c, err)
	if !q.chunkAuth(c.SenderKey, err, sha256.Sum256(body)) {
		return
	}
	if err := q.s.st.Delete(q.r.Context(), q.id); err != nil {
		q.storeErr(err)
		return
	}
	q.s.holds.release(q.id)
	q.w.WriteHeader(http.StatusNoContent)
}

// storeErr answers a store error: the protocol's code for the expected
// ones, INTERNAL (logged, without the client) for the others.
func (q *request) storeErr(err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeErr(q.w, filewire.ErrAuth)
	case errors.Is(err, ErrNotUploaded):
		writeErr(q.w, filewire.ErrNotFound)
	case errors.Is(err, ErrConflict):
		writeErr(q.w, filewire.ErrConflict)
	case errors.Is(err, ErrSize):
		writeErr(q.w, filewire.ErrSize)
	case errors.Is(err, ErrFull):
		writeErr(q.w, filewire.ErrLimit)
	case errors.Is(err, context.Canceled):
		writeErr(q.w, filewire.ErrBadRequest) // the client went away
	default:
		q.s.log.Warn("file relay: store", "route", q.route, "err", err)
		writeErr(q.w, filewire.ErrInternal)
	}
}

// isBodyErr reports whether err is the request body's failing (cut off,
// too slow, too long) rather than the store's.
func isBodyErr(err error) bool {
	var tooLarge *http.MaxBytesError
	var be *bodyError
	return errors.As(err, &tooLarge) || errors.As(err, &be) || errors.Is(err, io.ErrUnexpectedEOF)
}

// bodyError marks an error of reading a request body (a store wraps what
// its reader returned in it).
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "files: reading the body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// BodyError wraps an error of reading the body given to Store.Put, so
// that the server answers it as the client's (BAD_REQUEST) and not as
// the store's (INTERNAL).
func BodyError(err error) error { return &bodyError{err} }

func b64s(ids [][]byte) []filewire.B64 {
	out := make([]filewire.B64, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
