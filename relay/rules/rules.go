package rules

import (
	"bytes"
	"errors"
	"time"

	"github.com/sxweb/sxweb/relay/store/record"
	"github.com/sxweb/sxweb/relay/wire"
)

// Precheck returns the error for a decoded transmission (decodeErr from
// wire.Decode) that no relay passes on to a queue, or 0 when it may go on:
// unparsable, unknown code, a server's code, a missing or extra entity id,
// a missing tag where one is required.
func Precheck(t *wire.Transmission, decodeErr error) wire.ErrCode {
	switch {
	case decodeErr != nil && errors.Is(decodeErr, wire.ErrUnknown):
		return wire.ErrCmdUnknown
	case decodeErr != nil:
		return wire.ErrCmdSyntax
	case !t.Code.IsClient():
		return wire.ErrCmdProhibited
	case (t.Code != wire.NEW && t.Code != wire.PING) != (t.EntityID != nil):
		return wire.ErrCmdSyntax
	case t.Auth == nil && t.Code != wire.PING && t.Code != wire.SEND:
		return wire.ErrNoAuth
	}
	return 0
}

// NewQueue checks a NEW, whose tag must be by the recipient auth key it
// carries (proof of possession), and returns the record of the queue it
// creates, without ids (the store's to choose), and the relay's per-queue
// DH public key for IDS. The relay keeps only the precomputed box key.
// Its active day is today's (in units of unit: Days, but for tests of the
// Worker in real time).
func NewQueue(relayKey, session []byte, t *wire.Transmission, now time.Time, unit time.Duration) (q record.Queue, srvPub []byte, code wire.ErrCode) {
	mac, err := wire.MACKey(relayKey, t.Key1)
	if err != nil || !wire.Verify(mac, session, t) {
		return q, nil, wire.ErrAuth
	}
	srvPriv, srvPub := wire.NewKeyPair()
	box, err := wire.BoxKey(srvPriv, t.Key2)
	if err != nil {
		return q, nil, wire.ErrCmdSyntax
	}
	return record.Queue{RecipientKey: t.Key1, RecipientMAC: mac, BoxKey: box[:], Active: DayOf(now, unit)}, srvPub, 0
}

// Recipient authenticates a recipient command (SUB, ACK, GET, OFF, DEL)
// on q, which is nil when no queue has the entity id as its recipient id
// (unknown, or a sender id). It does one HMAC either way.
func Recipient(q *record.Queue, session []byte, t *wire.Transmission) bool {
	var mac []byte
	if q != nil {
		mac = q.RecipientMAC
	}
	return wire.Verify(mac, session, t)
}

// SKey authenticates an SKEY on q (nil when no queue has the entity id as
// its sender id): the tag must be by the key being installed. It returns
// the key's authenticator key, or ok false (AUTH). The X25519 is done
// whether or not q exists. Whether the key may be installed is Secure's
// to say, inside the store's transaction.
func SKey(relayKey []byte, q *record.Queue, session []byte, t *wire.Transmission) (mac []byte, ok bool) {
	mac, err := wire.MACKey(relayKey, t.Key1)
	if err != nil || q == nil {
		mac = nil
	}
	if !wire.Verify(mac, session, t) {
		return nil, false
	}
	return mac, true
}

// Secure applies an authenticated SKEY to q: the sender key is installed
// once; the same key again is a retry (ok, nothing changes); another key
// is refused (ok false: AUTH).
func Secure(q *record.Queue, key, mac []byte) (changed, ok bool) {
	switch {
	case !q.Secured():
		q.SenderKey, q.SenderMAC = bytes.Clone(key), bytes.Clone(mac)
		return true, true
	case bytes.Equal(q.SenderKey, key):
		return false, true
	}
	return false, false
}

// Send checks a SEND to q (nil when no queue has the entity id as its
// sender id) and returns 0 when it may be stored (the quota is Admit's):
// a body over maxSize is LARGE_MSG, checked first because it says nothing
// about the queue; a tag must be by the sender key; no tag is allowed
// only on a queue not secured yet (a contact address); a suspended queue
// refuses. Every refusal but LARGE_MSG is AUTH, after one HMAC.
func Send(q *record.Queue, maxSize int, session []byte, t *wire.Transmission) wire.ErrCode {
	if len(t.Body) > maxSize {
		return wire.ErrLargeMsg
	}
	var mac []byte
	if q != nil {
		mac = q.SenderMAC
	}
	switch {
	case t.Auth != nil:
		if !wire.Verify(mac, session, t) {
			return wire.ErrAuth
		}
	case q == nil || q.Secured():
		wire.Verify(nil, session, t) // the same work as a failed check
		return wire.ErrAuth
	}
	if q.Suspended {
		return wire.ErrAuth
	}
	return 0
}

// Admit applies the quota to a queue holding count messages, full when it
// hit the quota and has not been empty since: ok says whether one more
// message may be stored, nowFull is the flag to keep. Once full, a queue
// takes nothing until its recipient drained it to empty (Drained), so a
// sender retrying QUOTA cannot keep a slow recipient's queue topped up.
func Admit(count int, full bool, quota int) (ok, nowFull bool) {
	if full || count >= quota {
		return false, true
	}
	return true, false
}

// Drained returns the full flag after messages were removed and count
// remain.
func Drained(full bool, count int) bool { return full && count > 0 }
