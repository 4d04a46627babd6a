// Package ratchet is the end-to-end encryption of a duplex connection: an
// X3DH-style initial key agreement hybridised with ML-KEM-768, followed by
// a double ratchet with header encryption (Signal's "Double Ratchet with
// header encryption" construction), built only on Go's standard library:
// X25519 (crypto/ecdh), HKDF-SHA512 (crypto/hkdf), AES-256-GCM and
// ML-KEM-768 (crypto/mlkem).
//
// Flow. The inviter calls NewInvitation and puts the InvitationKeys in its
// link, persisting the InvitationSecret. The joiner calls InitJoiner with
// the link's keys and sends the JoinerHello (in clear, beside its first
// ratchet message); the inviter calls InitInviter with its secret and the
// hello. Both sides can Encrypt at once after their Init call.
//
// Every ratchet message hides its header (ratchet public key, previous
// chain length, message number) under a header key, so a relay sees only
// a constant version byte, a random nonce and ciphertext. Decrypt never
// changes the Ratchet when it returns an error, so a caller may persist
// the new state (MarshalBinary) in the same transaction as the plaintext.
//
// The exact constructions, byte layouts and measured costs are in
// docs/crypto.md.
//
// Layer: core/crypto, below core/agent; it knows no frames, queues or
// storage, and imports nothing of the project.
//
// Concurrency: functions are safe to call concurrently. A *Ratchet is not:
// the caller serialises Encrypt, Decrypt and MarshalBinary on one value.
// InvitationKeys, JoinerHello and InvitationSecret are immutable after
// creation and may be shared.
package ratchet
