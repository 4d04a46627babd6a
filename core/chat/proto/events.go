package proto

import (
	"encoding/json"
	"time"
)

// Event names.
const (
	EvGrpInv        = "x.grp.inv"
	EvGrpAcpt       = "x.grp.acpt"
	EvGrpLinkInv    = "x.grp.link.inv"
	EvGrpLinkMem    = "x.grp.link.mem"
	EvGrpMemNew     = "x.grp.mem.new"
	EvGrpMemIntro   = "x.grp.mem.intro"
	EvGrpMemInv     = "x.grp.mem.inv"
	EvGrpMemFwd     = "x.grp.mem.fwd"
	EvGrpMemInfo    = "x.grp.mem.info"
	EvGrpMemCon     = "x.grp.mem.con"
	EvGrpMsgForward = "x.grp.msg.forward"
	EvGrpMemRole    = "x.grp.mem.role"
	EvGrpMemDel     = "x.grp.mem.del"
	EvGrpLeave      = "x.grp.leave"
	EvGrpDel        = "x.grp.del"
	EvGrpInfo       = "x.grp.info"
	EvGrpDirectInv  = "x.grp.direct.inv"
	EvMsgNew        = "x.msg.new"
	EvInfo          = "x.info"
	EvContact       = "x.contact"
	EvOK            = "x.ok"
	EvInfoProbe     = "x.info.probe"
	EvInfoProbeChk  = "x.info.probe.check"
	EvInfoProbeOK   = "x.info.probe.ok"
)

// Params is the typed params of one event.
type Params interface{ Event() string }

// GroupInvitation is x.grp.inv's payload.
type GroupInvitation struct {
	FromMember    MemberIDRole `json:"fromMember"`
	InvitedMember MemberIDRole `json:"invitedMember"`
	ConnRequest   string       `json:"connRequest"`
	GroupProfile  GroupProfile `json:"groupProfile"`
	GroupLinkID   Bytes        `json:"groupLinkId,omitempty"`
	GroupSize     *int         `json:"groupSize,omitempty"`
}

// GrpInv is x.grp.inv: a host invites a contact.
type GrpInv struct {
	GroupInvitation GroupInvitation `json:"groupInvitation"`
}

// GrpAcpt is x.grp.acpt, the invitee's connection info. Profile is this
// project's addition (ignored by SimpleX): the membership profile of an
// invitee who accepts incognito; absent means "my contact profile".
type GrpAcpt struct {
	MemberID Bytes    `json:"memberId"`
	Profile  *Profile `json:"profile,omitempty"`
}

// GroupLinkInvitation is x.grp.link.inv's payload.
type GroupLinkInvitation struct {
	FromMember     MemberIDRole `json:"fromMember"`
	FromMemberName string       `json:"fromMemberName"`
	InvitedMember  MemberIDRole `json:"invitedMember"`
	GroupProfile   GroupProfile `json:"groupProfile"`
	GroupSize      *int         `json:"groupSize,omitempty"`
}

// GrpLinkInv is x.grp.link.inv: the host's connection info to a link joiner.
type GrpLinkInv struct {
	GroupLinkInvitation GroupLinkInvitation `json:"groupLinkInvitation"`
}

// GrpLinkMem is x.grp.link.mem: the host's profile, sent once connected.
type GrpLinkMem struct {
	Profile Profile `json:"profile"`
}

// GrpMemNew is x.grp.mem.new: announce a new member.
type GrpMemNew struct {
	MemberInfo MemberInfo `json:"memberInfo"`
}

// GrpMemIntro is x.grp.mem.intro: introduce an existing member to the new one.
type GrpMemIntro struct {
	MemberInfo MemberInfo `json:"memberInfo"`
}

// GrpMemInv is x.grp.mem.inv: the new member's invitation for member MemberID.
type GrpMemInv struct {
	MemberID    Bytes           `json:"memberId"`
	MemberIntro IntroInvitation `json:"memberIntro"`
}

// GrpMemFwd is x.grp.mem.fwd: the host passes the new member's invitation on.
type GrpMemFwd struct {
	MemberInfo  MemberInfo      `json:"memberInfo"`
	MemberIntro IntroInvitation `json:"memberIntro"`
}

// GrpMemInfo is x.grp.mem.info: connection info between members.
type GrpMemInfo struct {
	MemberID Bytes   `json:"memberId"`
	Profile  Profile `json:"profile"`
}

// GrpMemCon is x.grp.mem.con: "I am connected to MemberID".
type GrpMemCon struct {
	MemberID Bytes `json:"memberId"`
}

// GrpMsgForward is x.grp.msg.forward: a host forwards Msg of MemberID.
type GrpMsgForward struct {
	MemberID   Bytes     `json:"memberId"`
	MemberName string    `json:"memberName,omitempty"`
	Msg        *Message  `json:"msg"`
	MsgTs      time.Time `json:"msgTs"`
}

// GrpMemRole is x.grp.mem.role.
type GrpMemRole struct {
	MemberID Bytes `json:"memberId"`
	Role     Role  `json:"role"`
}

// GrpMemDel is x.grp.mem.del.
type GrpMemDel struct {
	MemberID Bytes `json:"memberId"`
}

// GrpLeave is x.grp.leave.
type GrpLeave struct{}

// GrpDel is x.grp.del.
type GrpDel struct{}

// GrpInfo is x.grp.info: the owner's new group profile and preferences.
type GrpInfo struct {
	GroupProfile GroupProfile `json:"groupProfile"`
}

// GrpDirectInv is x.grp.direct.inv: a member contact invitation.
type GrpDirectInv struct {
	ConnReq string      `json:"connReq"`
	Content *MsgContent `json:"content,omitempty"`
}

// Info is x.info: the contact handshake profile.
type Info struct {
	Profile Profile `json:"profile"`
}

// Contact is x.contact: the request info sent to an address (group link).
type Contact struct {
	Profile      Profile `json:"profile"`
	ContactReqID Bytes   `json:"contactReqId,omitempty"`
}

// OK is x.ok.
type OK struct{}

// InfoProbe is x.info.probe.
type InfoProbe struct {
	Probe Bytes `json:"probe"`
}

// InfoProbeCheck is x.info.probe.check.
type InfoProbeCheck struct {
	ProbeHash Bytes `json:"probeHash"`
}

// InfoProbeOK is x.info.probe.ok.
type InfoProbeOK struct {
	Probe Bytes `json:"probe"`
}

// Unknown is an event this codec does not know; Params is kept as received.
type Unknown struct {
	Name   string
	Params json.RawMessage
}

func (GrpInv) Event() string         { return EvGrpInv }
func (GrpAcpt) Event() string        { return EvGrpAcpt }
func (GrpLinkInv) Event() string     { return EvGrpLinkInv }
func (GrpLinkMem) Event() string     { return EvGrpLinkMem }
func (GrpMemNew) Event() string      { return EvGrpMemNew }
func (GrpMemIntro) Event() string    { return EvGrpMemIntro }
func (GrpMemInv) Event() string      { return EvGrpMemInv }
func (GrpMemFwd) Event() string      { return EvGrpMemFwd }
func (GrpMemInfo) Event() string     { return EvGrpMemInfo }
func (GrpMemCon) Event() string      { return EvGrpMemCon }
func (GrpMsgForward) Event() string  { return EvGrpMsgForward }
func (GrpMemRole) Event() string     { return EvGrpMemRole }
func (GrpMemDel) Event() string      { return EvGrpMemDel }
func (GrpLeave) Event() string       { return EvGrpLeave }
func (GrpDel) Event() string         { return EvGrpDel }
func (GrpInfo) Event() string        { return EvGrpInfo }
func (GrpDirectInv) Event() string   { return EvGrpDirectInv }
func (MsgNew) Event() string         { return EvMsgNew }
func (Info) Event() string           { return EvInfo }
func (Contact) Event() string        { return EvContact }
func (OK) Event() string             { return EvOK }
func (InfoProbe) Event() string      { return EvInfoProbe }
func (InfoProbeCheck) Event() string { return EvInfoProbeChk }
func (InfoProbeOK) Event() string    { return EvInfoProbeOK }
func (u Unknown) Event() string      { return u.Name }

// newParams returns a pointer to an empty params struct for a known event.
func newParams(event string) Params {
	switch event {
	case EvGrpInv:
		return &GrpInv{}
	case EvGrpAcpt:
		return &GrpAcpt{}
	case EvGrpLinkInv:
		return &GrpLinkInv{}
	case EvGrpLinkMem:
		return &GrpLinkMem{}
	case EvGrpMemNew:
		return &GrpMemNew{}
	case EvGrpMemIntro:
		return &GrpMemIntro{}
	case EvGrpMemInv:
		return &GrpMemInv{}
	case EvGrpMemFwd:
		return &GrpMemFwd{}
	case EvGrpMemInfo:
		return &GrpMemInfo{}
	case EvGrpMemCon:
		return &GrpMemCon{}
	case EvGrpMsgForward:
		return &GrpMsgForward{}
	case EvGrpMemRole:
		return &GrpMemRole{}
	case EvGrpMemDel:
		return &GrpMemDel{}
	case EvGrpLeave:
		return &GrpLeave{}
	case EvGrpDel:
		return &GrpDel{}
	case EvGrpInfo:
		return &GrpInfo{}
	case EvGrpDirectInv:
		return &GrpDirectInv{}
	case EvMsgNew:
		return &MsgNew{}
	case EvInfo:
		return &Info{}
	case EvContact:
		return &Contact{}
	case EvOK:
		return &OK{}
	case EvInfoProbe:
		return &InfoProbe{}
	case EvInfoProbeChk:
		return &InfoProbeCheck{}
	case EvInfoProbeOK:
		return &InfoProbeOK{}
	case EvMsgUpdate:
		return &MsgUpdate{}
	case EvMsgDel:
		return &MsgDel{}
	case EvMsgReact:
		return &MsgReact{}
	case EvFileDescr:
		return &MsgFileDescr{}
	}
	return nil
}

// Forwardable reports whether a host may forward event with x.grp.msg.forward.
func Forwardable(event string) bool {
	switch event {
	case EvMsgNew, EvMsgUpdate, EvMsgDel, EvMsgReact, EvInfo, EvGrpMemNew, EvGrpMemRole,
		EvGrpMemDel, EvGrpLeave, EvGrpDel, EvGrpInfo:
		return true
	}
	return false
}
