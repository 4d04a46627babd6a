// Package proto is the SimpleX Chat JSON codec used by the chat layer: the
// message envelope {v, msgId, event, params}, JSON-array batches, and one
// typed params struct per event of the group protocol (x.grp.*), member
// contacts (x.grp.direct.inv), messages (x.msg.new) and the contact
// handshake (x.info, x.ok, x.contact, x.info.probe*).
//
// Layer: a codec; it knows bytes and JSON only (no connections, no
// storage). Rules it follows: absent optional keys are omitted when
// encoding, unknown keys are ignored when decoding, an unknown event decodes
// to *Unknown (not an error), ids are base64url with padding, a missing "v"
// means version 1. Decoding never panics on input; errors are *Error.
//
// Concurrency: all functions are pure and safe for concurrent use.
package proto
