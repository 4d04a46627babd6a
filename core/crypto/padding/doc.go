// Package padding pads plaintexts to a few fixed sizes (Buckets) before
// they are encrypted, so that a relay or an observer learns only which
// bucket a message falls in, not its length. The choice of buckets and
// its cost against SMP's single 16 KB block are measured in
// docs/crypto.md.
//
// Format: a padded message is exactly one of the Buckets long:
//
//	length(uint16 big-endian) ‖ message ‖ zero bytes
//
// Unpad is strict (exact bucket size, length in range, zero fill), so every
// accepted input is the unique padding of its message.
//
// Layer: core/crypto, below core/agent; no project imports.
// Concurrency: stateless; every function is safe for concurrent use.
package padding
