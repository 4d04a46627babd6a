// Command swarm runs many native chat members in one process, for the
// browser benchmarks (e2e/swarm-bench.mjs, docs/browser-numbers.md): a
// browser tab joins a group of native members on the same relay and is
// measured alone, so the numbers are the browser's own cost.
//
//	go run ./internal/swarm -relay ws://127.0.0.1:8080/relay [-data DIR] [-mesh-max 100]
//
// With -data, each native keeps its state in a bbolt store under DIR and a
// group, once built, is reopened by later runs (with the same relay data)
// instead of being built again. Groups above -mesh-max members are built
// without the natives' own mesh: a native drops the introductions of
// other natives, so it is connected to the host and, once it joins, to the
// browser only (a 1,000-member mesh would take hours and measure nothing
// of the browser; everything the browser does is the real protocol). The
// host of such a group forgets the pairs of natives it introduced, so it
// does not forward every native's message to all the other natives.
//
// It prints "swarm http://ADDR/" and serves a small control API on
// 127.0.0.1 (JSON):
//
//	POST /group?n=K     a group of K natives (a host and K-1 members),
//	                    made once per size and reused; answers at once
//	                    {building: true} while it is being made (poll
//	                    again), then {link, size, seconds, mesh}: the
//	                    browser joins by link
//	GET  /received?text=T&size=K[&mark=M]
//	                    how many members of that group have a message with
//	                    text T: {count, of, lastMs} (lastMs: unix ms of the
//	                    latest first arrival); with mark, how many have
//	                    seen M on it (T is the text it first had):
//	                    "edited:NEW", "deleted", "reaction:EMOJI:COUNT",
//	                    "quoted", "mentioned"
//	GET  /files?text=T&size=K
//	                    how many have the file message with text T
//	                    available: {count, of, lastMs}
//	POST /download?text=T&size=K&n=N
//	                    the first N download that file at once: {ms}
//	POST /react?text=T&size=K&emoji=E[&n=N]
//	                    every member (the first N) reacts with E to the
//	                    message with text T, 64 at a time: {ms}
//	POST /send?text=T&size=K&i=I
//	                    member I sends T to the group
//	POST /quit
//
// Layer: a benchmark tool above core/chat; not product, imported by nothing.
// Concurrency: each native member runs its own agent and client; the
// control handlers only read their counters.
package main
