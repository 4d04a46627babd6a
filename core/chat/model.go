package chat

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// Group status.
const (
	gsInvited = "invited" // x.grp.inv received, not accepted
	gsJoining = "joining" // accepted / link followed, not connected to the host
	gsActive  = "active"  // member
	gsLeft    = "left"    // I left
	gsRemoved = "removed" // I was removed
	gsDeleted = "deleted" // the group was deleted
)

// Member status (internal).
const (
	msInvited    = "invited"    // I am its host, invitation sent
	msAccepted   = "accepted"   // I am its host, it joined; not connected yet
	msAnnounced  = "announced"  // known (x.grp.mem.new), no connection yet
	msIntroduced = "introduced" // a group connection with it is being made
	msConnected  = "connected"  // our group connection is up
	msLeft       = "left"
	msRemoved    = "removed"
)

// Contact status (API values).
const (
	csPending    = "pending"    // I invited
	csRequest    = "request"    // a member invited me, waiting for my accept
	csConnecting = "connecting" // joined, not up yet
	csConnected  = "connected"
)

// connRef says what a connection belongs to.
type connRef struct {
	Kind      string      `json:"kind"` // member, contact, glink
	GroupID   string      `json:"groupId,omitempty"`
	MemberID  proto.Bytes `json:"memberId,omitempty"`
	ContactID string      `json:"contactId,omitempty"`
}

const (
	refMember  = "member"
	refContact = "contact"
	refGLink   = "glink"
)

type groupRec struct {
	ID         string                 `json:"id"`
	Profile    proto.GroupProfile     `json:"profile"`
	Status     string                 `json:"status"`
	MyID       proto.Bytes            `json:"myId"`
	MyRole     proto.Role             `json:"myRole"`
	Incognito  bool                   `json:"incognito,omitempty"`
	MyProfile  *proto.Profile         `json:"myProfile,omitempty"` // incognito profile
	HostID     proto.Bytes            `json:"hostId,omitempty"`    // the member who invited me
	Size       int                    `json:"size,omitempty"`      // groupSize from the invitation
	LinkConnID string                 `json:"linkConnId,omitempty"`
	Link       string                 `json:"link,omitempty"`
	Inv        *proto.GroupInvitation `json:"inv,omitempty"` // pending x.grp.inv
	InvContact string                 `json:"invContact,omitempty"`
	Created    time.Time              `json:"created"`
	Unread     int                    `json:"unread,omitempty"` // received messages not yet read
	// SyncNote: the key of the group's latest notice of re-synchronized
	// members that lost nothing; the next such sync within syncNoteSpan
	// joins it instead of adding a line (a restore re-synchronizes every
	// member at once: a thousand notices in a big group).
	SyncNote string `json:"syncNote,omitempty"`
}

type memberRec struct {
	GroupID   string             `json:"groupId"`
	ID        proto.Bytes        `json:"id"`
	Role      proto.Role         `json:"role"`
	Profile   proto.Profile      `json:"profile"`
	V         proto.VersionRange `json:"v,omitzero"`
	Status    string             `json:"status"`
	ConnID    string             `json:"connId,omitempty"`
	Invitee   bool               `json:"invitee,omitempty"`   // I am its host
	ViaLink   bool               `json:"viaLink,omitempty"`   // it joined through my group link
	IntroBy   proto.Bytes        `json:"introBy,omitempty"`   // the host that introduced us
	ContactID string             `json:"contactId,omitempty"` // its member contact
}

type contactRec struct {
	ID        string         `json:"id"`
	ConnID    string         `json:"connId,omitempty"`
	Status    string         `json:"status"`
	Profile   proto.Profile  `json:"profile"`
	MyProfile *proto.Profile `json:"myProfile,omitempty"` // what I show (incognito membership profile)
	GroupID   string         `json:"groupId,omitempty"`
	MemberID  proto.Bytes    `json:"memberId,omitempty"`
	Incognito bool           `json:"incognito,omitempty"`
	ConnReq   string         `json:"connReq,omitempty"` // request: theirs; pending: mine
	Mine      bool           `json:"mine,omitempty"`    // I sent the invitation
	Intro     bool           `json:"intro,omitempty"`   // offered in my introduction (directConnReq)
	Unread    int            `json:"unread,omitempty"`  // received messages not yet read
}

type msgRec struct {
	ID     string    `json:"id"`
	Chat   string    `json:"chat"` // g<groupID> or c<contactID>
	Seq    uint64    `json:"seq"`
	Text   string    `json:"text"`
	Sender string    `json:"sender"` // "me", memberID, contactID
	Ts     time.Time `json:"ts"`
	Status MsgStatus `json:"status"`
	// Mine: recipients, how many the relay took it for, confirmed it,
	// refused it; whether receipts were asked.
	Total     int  `json:"total,omitempty"`
	Sent      int  `json:"sent,omitempty"`
	Delivered int  `json:"delivered,omitempty"`
	Failed    int  `json:"failed,omitempty"`
	Receipts  bool `json:"receipts,omitempty"`
	// Via: host memberID → the members it forwards this message to (they
	// count with the host's copy).
	Via  map[string]int `json:"via,omitempty"`
	Body []byte         `json:"body,omitempty"` // encoded, while a contact is pending

	// The message features (features.go).
	SharedID   proto.Bytes         `json:"sid,omitempty"`        // the protocol msgId: quotes, edits, deletes and reactions name it
	SenderName string              `json:"senderName,omitempty"` // of an author not (or no longer) a member (history)
	Quote      *quoteRec           `json:"quote,omitempty"`
	Edited     bool                `json:"edited,omitempty"`
	Deleted    string              `json:"deleted,omitempty"`   // "", "sender", "moderator": the content is gone
	Reactions  map[string][]string `json:"reactions,omitempty"` // emoji → who ("me", a memberId, the contactId)
	TTL        int                 `json:"ttl,omitempty"`       // seconds: a timed message
	ExpiresAt  *time.Time          `json:"expiresAt,omitempty"` // set when its timer starts
	Mentions   map[string]string   `json:"mentions,omitempty"`  // display name → memberId
	Mentioned  bool                `json:"mentioned,omitempty"` // I am among them
	History    bool                `json:"history,omitempty"`   // from the group's history, sent to me when I joined
	FileID     string              `json:"fileId,omitempty"`    // its file (c.file)
	File       *FileInfo           `json:"file,omitempty"`      // the file as shown (kept up to date with c.file)
	Preview    string              `json:"preview,omitempty"`   // an image's preview (data URL)
	// A notice of the chat itself (Message.System), with its counts.
	System      string `json:"system,omitempty"`
	Lost        int    `json:"lost,omitempty"`
	Unconfirmed int    `json:"unconfirmed,omitempty"`
	Others      int    `json:"others,omitempty"` // ratchetSync: more members it covers (SyncNote)
	// Deliv is the per-member state written before schema 2 (migrated).
	Deliv map[string]string `json:"deliv,omitempty"`
}

// quoteRec is what a reply quotes: the quoted message's protocol id and
// author ("me", a memberId, the contactId), its text as quoted, and when
// it was sent.
type quoteRec struct {
	MessageID string      `json:"messageId,omitempty"` // the quoted message here, when it is
	SharedID  proto.Bytes `json:"sid,omitempty"`
	Author    string      `json:"author"`
	Text      string      `json:"text"`
	SentAt    time.Time   `json:"sentAt"`
}

type introRec struct {
	Con map[string]bool `json:"con,omitempty"` // memberID -> sent x.grp.mem.con
}

type errRec struct {
	Code      string    `json:"code"`
	Detail    string    `json:"detail"`
	GroupID   string    `json:"groupId,omitempty"`
	ContactID string    `json:"contactId,omitempty"`
	MemberID  string    `json:"memberId,omitempty"`
	Ts        time.Time `json:"ts"`
}

// newID mints a local id (contacts, groups).
func newID() string { return uuid.NewString() }

// newMsgID mints a message id: version 7, so ids sort by time.
func newMsgID() string { return uuid.Must(uuid.NewV7()).String() }

func newMemberID() proto.Bytes {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return b
}

func memberKey(groupID string, id proto.Bytes) string { return groupID + "/" + id.String() }

func seqKey(n uint64) string { return fmt.Sprintf("%016x", n) }

func groupChat(id string) string   { return "g" + id }
func contactChat(id string) string { return "c" + id }

func active(m *memberRec) bool { return m.Status != msLeft && m.Status != msRemoved }
