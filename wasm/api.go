//go:build js && wasm

package main

// APIMethods are the JS API names of issue 4, in README order, plus
// reconnect (web/simplex.js calls it when the browser comes back online)
// and the account calls of issue 13 (account.go).
// The handle has exactly these plus setEventSink; close is provided by the
// bridge.
var APIMethods = []string{
	"setProfile", "getProfile",
	"createInvitation", "connect", "contacts",
	"createGroup", "groups", "createGroupLink", "joinGroup",
	"inviteToGroup", "acceptGroupInvitation", "members",
	"sendGroupMessage", "messages", "editMessage", "deleteMessage", "react", "markRead",
	"startDirectChat", "acceptDirectChat", "sendDirectMessage",
	"deleteContact", "setGroupPreferences", "removeMember", "leaveGroup", "deleteGroup",
	"stats", "reconnect",
	"exportAccount", "moveAccount", "setPassphrase", "atRest",
}
