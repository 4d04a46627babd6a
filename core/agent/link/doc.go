// Package link encodes and parses connection links: one-time invitation
// links and long-lived contact addresses (a group link is a contact
// address). A link is a URL of the web app whose fragment carries
// "/join/" followed by the base64url (no padding) of a compact binary
// payload: the relay URL, the queue's sender id, the queue's end-to-end
// X25519 public key, the link kind and version and, for invitations, the
// ratchet's invitation keys (opaque bytes here).
//
// Layer: codec under core/agent; it knows bytes only (no crypto, no
// network, no storage). The byte layout is specified in
// docs/agent-protocol.md.
//
// Concurrency: all functions are pure and safe for concurrent use.
// Parse never panics; every rejection is a *Error with code BAD_LINK.
package link
