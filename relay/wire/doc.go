// Package wire is the binary codec of the relay protocol (docs/relay-protocol.md):
// frames, transmissions, commands, the DH-based authenticator and the
// re-encryption of delivered messages.
//
// Layer: bottom of relay/ and shared with core/relayclient (like tailscale's
// derp codec). It does no I/O and imports nothing of the project.
//
// Concurrency: every function is pure or works on caller-owned values; all
// are safe for concurrent use. Decoders never panic on input; they return
// *SyntaxError values (ErrSyntax, ErrUnknown) and slices into the input
// (callers copy what they keep).
package wire
