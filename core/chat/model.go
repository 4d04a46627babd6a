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
	// Deliv is the per-member state written before schema 2 (migrated).
	Deliv map[string]string `json:"deliv,omitempty"`
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
