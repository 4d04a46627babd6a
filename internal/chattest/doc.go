// Package chattest holds the chat layer's user-level scenarios (a group of
// six built by invitations and by link, member contacts on demand, the
// checks at senders and receivers) written once against a Factory, so the
// same scenarios run on the in-memory fake agent (core/chat tests) and on
// the real agent and relay (core/chat/agentconn tests).
//
// Layer: test support above core/chat. Scenarios wait with a generous
// limit (WaitLimit), never assert timings.
package chattest
