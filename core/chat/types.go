package chat

import (
	"encoding/json"
	"time"
)

// Profile is the user's profile.
type Profile struct {
	DisplayName string `json:"displayName"`
	FullName    string `json:"fullName"`
}

// Contact is a contact as contacts() shows it.
type Contact struct {
	ContactID   string `json:"contactId"`
	DisplayName string `json:"displayName"`
	FullName    string `json:"fullName"`
	Status      string `json:"status"` // pending, request, connecting, connected
	GroupID     string `json:"groupId,omitempty"`
	MemberID    string `json:"memberId,omitempty"`
	Incognito   bool   `json:"incognito"`
	// IncognitoName is the random display name this contact sees for me when
	// it was made from an incognito membership ("" otherwise).
	IncognitoName string `json:"incognitoName,omitempty"`
	Unread        int    `json:"unread"` // received messages not yet read (markRead)
}

// GroupSettings create a group.
type GroupSettings struct {
	DisplayName    string `json:"displayName"`
	FullName       string `json:"fullName"`
	DirectMessages string `json:"directMessages"` // "on" or "off" (default)
	// DirectMessagesRole is the lowest role allowed direct messages ("" = all).
	DirectMessagesRole string `json:"directMessagesRole,omitempty"`
	// DirectConnections turns on the RFC's third solution: while the group has
	// at most DirectConnectionsMax members (0 = no limit), new members also
	// make direct connections during their introduction.
	DirectConnections    bool `json:"directConnections,omitempty"`
	DirectConnectionsMax int  `json:"directConnectionsMax,omitempty"`
	// The other features ("on"/"off"; "" = the default: reactions and files
	// on; timed messages, full delete and history off).
	Features
}

// Features are the group features an owner turns on and off.
type Features struct {
	Reactions     string `json:"reactions,omitempty"`
	TimedMessages string `json:"timedMessages,omitempty"`
	FullDelete    string `json:"fullDelete,omitempty"`
	History       string `json:"history,omitempty"`
	Files         string `json:"files,omitempty"`
}

// Preferences change a group's preferences (owners only); a field left
// empty keeps its value.
type Preferences struct {
	DirectMessages       string `json:"directMessages,omitempty"` // "on" / "off"
	Role                 string `json:"role,omitempty"`           // lowest role allowed direct messages
	DirectConnections    *bool  `json:"directConnections,omitempty"`
	DirectConnectionsMax int    `json:"directConnectionsMax,omitempty"`
	Features
}

// Group is a group as groups() shows it.
type Group struct {
	GroupID            string `json:"groupId"`
	DisplayName        string `json:"displayName"`
	FullName           string `json:"fullName"`
	Role               string `json:"role"`
	MemberCount        int    `json:"memberCount"` // including me
	DirectMessages     string `json:"directMessages"`
	DirectMessagesRole string `json:"directMessagesRole,omitempty"`
	Status             string `json:"status"` // invited, joining, active, left, removed, deleted
	Incognito          bool   `json:"incognito"`
	// IncognitoName is the random display name the other members see for me
	// when I joined incognito ("" otherwise).
	IncognitoName string `json:"incognitoName,omitempty"`
	MemberID      string `json:"memberId"` // mine
	// The features in force ("on"/"off"), and the received messages not
	// yet read.
	Reactions     string `json:"reactions"`
	TimedMessages string `json:"timedMessages"`
	FullDelete    string `json:"fullDelete"`
	History       string `json:"history"`
	Files         string `json:"files"`
	Unread        int    `json:"unread"`
}

// JoinOptions join or accept a group.
type JoinOptions struct {
	Incognito bool `json:"incognito"`
}

// Member is another member of a group.
type Member struct {
	MemberID    string `json:"memberId"`
	DisplayName string `json:"displayName"`
	Role        string `json:"role"`
	// Status is "connected" once this client has a working connection with
	// the member or the host forwards for it; else invited, connecting,
	// left, removed.
	Status string `json:"status"`
	// Connection is "direct" (our group connection is up), "via-host"
	// (forwarded by the host meanwhile) or "none".
	Connection string `json:"connection"`
	ContactID  string `json:"contactId,omitempty"`
}

// MsgStatus is the state of a message.
type MsgStatus string

// Message statuses. Mine go pending → sent → delivered (or failed);
// others' are received.
const (
	StatusPending   MsgStatus = "pending"   // stored; the relay has not taken it for anyone yet (also: queued while offline or while a contact is pending)
	StatusSent      MsgStatus = "sent"      // the relay took it for at least one recipient
	StatusDelivered MsgStatus = "delivered" // every recipient confirmed it (receipts)
	StatusFailed    MsgStatus = "failed"    // the relay refused it for every recipient
	StatusReceived  MsgStatus = "received"  // not mine
)

// Message is one message of a chat.
type Message struct {
	MessageID string    `json:"messageId"`
	Text      string    `json:"text"`
	Sender    string    `json:"sender"` // "me", a memberId (group) or the contactId (direct)
	Ts        time.Time `json:"ts"`
	Status    MsgStatus `json:"status"`
	// Of mine: the recipients (members at sending, or 1 contact), how many
	// the relay took it for (a member the host forwards to counts with
	// the host's copy), and how many confirmed it. Receipts is false where
	// none were asked (groups above Config.ReceiptsMaxMembers): then
	// Delivered stays 0 and Sent is what there is to show.
	Total     int  `json:"total"`
	Sent      int  `json:"sent"`
	Delivered int  `json:"delivered"`
	Receipts  bool `json:"receipts"`

	Quote     *Quote     `json:"quote"`     // the message this one replies to, or null
	Edited    bool       `json:"edited"`    //
	Deleted   DeletedBy  `json:"deleted"`   // false, "sender", "moderator" (text is then "")
	Reactions []Reaction `json:"reactions"` // in the order of the accepted set
	// ExpiresAt: ms since the epoch when a timed message goes (null: not
	// timed, or its timer has not started: a received one starts when read).
	ExpiresAt *int64 `json:"expiresAt"`
	TTL       int    `json:"ttl,omitempty"` // seconds, for a timed message
	Mentioned bool   `json:"mentioned"`     // I am mentioned
	// Mentions: the members the text @-names, display name → memberId
	Mentions map[string]string `json:"mentions,omitempty"`
	// Removed: the message is gone from this device (an update's last
	// word: deleted where the group has fullDelete, here, or expired)
	Removed bool `json:"removed,omitempty"`
	History bool `json:"history,omitempty"` // sent to me as the group's history when I joined
	// SenderName names a sender that is not a member (any more): history.
	SenderName string `json:"senderName,omitempty"`
	// File: a message with a file (null otherwise); Preview: an image's
	// small preview as a data URL.
	File    *FileInfo `json:"file"`
	Preview string    `json:"preview,omitempty"`
	// System marks a notice of the chat itself, not anyone's words; Text
	// says it in English. "ratchetSync": encryption was re-negotiated with
	// the sender (one side had restored an older copy of its data); Lost of
	// its messages could not be decrypted or were not received on this
	// device, Unconfirmed of mine may not have arrived. In a group, the
	// syncs of members that lost nothing within minutes of each other are
	// one notice: Others counts the members beyond the sender (a restore
	// re-synchronizes every member at once).
	System      string `json:"system,omitempty"`
	Lost        int    `json:"lost,omitempty"`
	Unconfirmed int    `json:"unconfirmed,omitempty"`
	Others      int    `json:"others,omitempty"`
}

// System notices (Message.System).
const SystemRatchetSync = "ratchetSync"

// Quote is what a reply shows of the message it answers. MessageID is set
// when that message is in this chat here.
type Quote struct {
	MessageID string `json:"messageId,omitempty"`
	Text      string `json:"text"`
	Sender    string `json:"sender"` // "me", a memberId or the contactId
}

// Reaction is one emoji's reactions to a message.
type Reaction struct {
	Emoji string `json:"emoji"`
	Count int    `json:"count"`
	Mine  bool   `json:"mine"`
}

// DeletedBy says who deleted a message ("" not deleted: false in JSON;
// "sender", "moderator"; in an UpdateEvent also "expired": a timed
// message's time ran out, and "here": deleted on this device only).
type DeletedBy string

// MarshalJSON writes false for a message that is not deleted.
func (d DeletedBy) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("false"), nil
	}
	return json.Marshal(string(d))
}

// UnmarshalJSON reads false or the string.
func (d *DeletedBy) UnmarshalJSON(b []byte) error {
	if string(b) == "false" || string(b) == "null" {
		*d = ""
		return nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	*d = DeletedBy(s)
	return err
}

// SendOptions tune a message I send.
type SendOptions struct {
	// Quote is the messageId (of this chat) the message replies to.
	Quote string `json:"quote,omitempty"`
	// TTL makes a timed message (seconds), where the chat allows them.
	TTL int `json:"ttl,omitempty"`
	// Mentions are the members the text mentions: {displayName: memberId}
	// (groups only).
	Mentions map[string]string `json:"mentions,omitempty"`
	// SendID, when set, makes the send idempotent: a second send with the
	// same id in the same chat returns the first message and sends nothing
	// (a caller that crashed between its own bookkeeping and the send can
	// retry it safely).
	SendID string `json:"sendId,omitempty"`
}

// ChatRef names a chat: a group or a contact.
type ChatRef struct {
	GroupID   string `json:"groupId,omitempty"`
	ContactID string `json:"contactId,omitempty"`
}

// Stats counts connections (for the connections panel and benchmarks).
type Stats struct {
	Connections       int `json:"connections"`
	GroupConnections  int `json:"groupConnections"`
	DirectConnections int `json:"directConnections"`
	// Subscriptions: receive queues to subscribe after a reconnect (one per
	// connection and one per group link address).
	Subscriptions     int `json:"subscriptions"`
	PendingDeliveries int `json:"pendingDeliveries"`
}

// Event is one of MessageEvent, MemberEvent, ContactEvent, GroupEvent,
// DeliveryEvent, UpdateEvent, FileEvent, ErrorEvent, ElsewhereEvent.
type Event interface{ Type() string }

// MessageEvent: a message arrived (or one of mine was stored).
type MessageEvent struct {
	Chat    ChatRef
	Message Message
	Unread  int // a received message: the chat's unread count with it
}

// MemberEvent: a member joined, connected, changed role, left or was removed.
type MemberEvent struct {
	GroupID string
	Member  Member
}

// ContactEvent: a contact was created, requested, connected or replaced.
type ContactEvent struct{ Contact Contact }

// GroupEvent: a group was created, invited to, joined, changed, left, deleted.
type GroupEvent struct{ Group Group }

// DeliveryEvent: the delivery state of a message of mine changed (one
// event per message per transaction, however many members it concerns;
// MemberID is set when it concerns one).
type DeliveryEvent struct {
	Chat      ChatRef
	MessageID string
	MemberID  string
	Status    MsgStatus
	Total     int
	Sent      int
	Delivered int
	Receipts  bool
}

// ErrorEvent: an incoming event was recorded and skipped.
type ErrorEvent struct {
	Code      string
	Detail    string
	GroupID   string
	ContactID string
	MemberID  string
}

// ElsewhereEvent: another client opened a copy of this account (its data
// imported in another browser) and took over Connections of its
// connections: this one no longer receives or sends on them. It comes
// once per run; the app should say "this account is now used in another
// browser" and stop (close) rather than go on. (Not the MOVED error code,
// which is about a call cut off by the core moving between tabs.)
type ElsewhereEvent struct {
	Connections int
}

// UpdateEvent: a message changed (edited, deleted, reacted to, its timer
// started) or went (expired: Deleted "expired"; deleted here: "here").
type UpdateEvent struct {
	Chat    ChatRef
	Message Message
}

func (UpdateEvent) Type() string    { return "update" }
func (MessageEvent) Type() string   { return "message" }
func (MemberEvent) Type() string    { return "member" }
func (ContactEvent) Type() string   { return "contact" }
func (GroupEvent) Type() string     { return "group" }
func (DeliveryEvent) Type() string  { return "delivery" }
func (ErrorEvent) Type() string     { return "error" }
func (ElsewhereEvent) Type() string { return "elsewhere" }
