// Package envelope holds the byte formats of the connection layer below
// and above the double ratchet:
//
//   - the per-queue envelope: NaCl crypto_box (X25519, XSalsa20-Poly1305)
//     between the queue's sender and recipient, over a padded plaintext so
//     the relay sees only a few lengths (Seal, Open, Decode);
//   - the inner payload inside the box (Hello, Request, ratchet Message or
//     Sync; DecodeInner);
//   - the ratchet re-synchronization message, in the box only (fresh keys
//     or the answer to them; DecodeSync);
//   - the agent message inside the ratchet (message number, hash of the
//     previous message, kind, batched receipts, body; DecodeAgentMessage)
//     and the queue information a joiner gives for its reply queue.
//
// Layer: codec plus the box primitive under core/agent; no network, no
// storage. Byte layouts are specified in docs/agent-protocol.md.
//
// Concurrency: functions are pure; a SharedKey may be used concurrently.
// Decoders never panic; their errors are *Error with code BAD_ENVELOPE
// (malformed bytes) or DECRYPT (authentication failed).
package envelope
