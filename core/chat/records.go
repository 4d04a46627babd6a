package chat

import (
	"math/rand/v2"
	"strconv"

	"github.com/sxweb/sxweb/core/chat/proto"
)

func (t *tx) group(id string) (*groupRec, error) {
	var g groupRec
	ok, err := t.getJSON(bGroup, id, &g)
	if err != nil {
		return nil, wrapErr(CodeStore, err, "group")
	}
	if !ok {
		return nil, newErr(CodeNotFound, "group %s", id)
	}
	return &g, nil
}

func (t *tx) putGroup(g *groupRec) { t.put(bGroup, g.ID, g) }

func (t *tx) contact(id string) (*contactRec, error) {
	var ct contactRec
	ok, err := t.getJSON(bContact, id, &ct)
	if err != nil {
		return nil, wrapErr(CodeStore, err, "contact")
	}
	if !ok {
		return nil, newErr(CodeNotFound, "contact %s", id)
	}
	return &ct, nil
}

func (t *tx) putContact(ct *contactRec) { t.put(bContact, ct.ID, ct) }

func (t *tx) ref(connID string) (*connRef, error) {
	var r connRef
	ok, err := t.getJSON(bConn, connID, &r)
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

func (t *tx) setRef(connID string, r connRef) { t.put(bConn, connID, r) }

func (t *tx) userProfile() (proto.Profile, error) {
	var p proto.Profile
	_, err := t.getJSON(bMeta, "profile", &p)
	return p, err
}

// myProfile is the profile I show in g: the incognito one, or mine.
func (t *tx) myProfile(g *groupRec) (proto.Profile, error) {
	if g.MyProfile != nil {
		return *g.MyProfile, nil
	}
	return t.userProfile()
}

func (t *tx) myInfo(g *groupRec) (proto.MemberInfo, error) {
	p, err := t.myProfile(g)
	return proto.MemberInfo{MemberID: g.MyID, MemberRole: g.MyRole, V: proto.Current, Profile: p}, err
}

func memberInfo(m *memberRec) proto.MemberInfo {
	v := m.V
	if v.IsZero() {
		v = proto.Current
	}
	return proto.MemberInfo{MemberID: m.ID, MemberRole: m.Role, V: v, Profile: m.Profile}
}

func (t *tx) activeCount(groupID string) (int, error) {
	ms, err := t.members(groupID)
	n := 1
	for _, m := range ms {
		if active(m) {
			n++
		}
	}
	return n, err
}

var adjectives = []string{"Brave", "Calm", "Clever", "Gentle", "Happy", "Lucky", "Proud", "Quiet", "Swift", "Wise"}
var animals = []string{"Badger", "Crane", "Falcon", "Fox", "Heron", "Lynx", "Otter", "Owl", "Panda", "Wolf"}

// incognitoProfile is a random profile used for one group only.
func incognitoProfile() *proto.Profile {
	name := adjectives[rand.IntN(len(adjectives))] + animals[rand.IntN(len(animals))] + strconv.Itoa(rand.IntN(1000))
	return &proto.Profile{DisplayName: name}
}

func groupView(g *groupRec, count int) Group {
	dm, role := proto.Off, ""
	if p := g.Profile.GroupPreferences; p != nil && p.DirectMessages != nil {
		dm, role = p.DirectMessages.Enable, string(p.DirectMessages.Role)
	}
	p := g.Profile.GroupPreferences
	onOff := func(name string) string {
		if p.On(name) {
			return proto.On
		}
		return proto.Off
	}
	return Group{GroupID: g.ID, DisplayName: g.Profile.DisplayName, FullName: g.Profile.FullName,
		Role: string(g.MyRole), MemberCount: count, DirectMessages: dm, DirectMessagesRole: role,
		Status: g.Status, Incognito: g.Incognito, IncognitoName: incognitoName(g.Incognito, g.MyProfile),
		MemberID: g.MyID.String(), Reactions: onOff("reactions"), TimedMessages: onOff("timedMessages"),
		FullDelete: onOff("fullDelete"), History: onOff("history"), Files: onOff("files"), Unread: g.Unread}
}

// incognitoName is the name an incognito profile shows ("" when not incognito).
func incognitoName(incognito bool, p *proto.Profile) string {
	if !incognito || p == nil {
		return ""
	}
	return p.DisplayName
}

func memberView(m *memberRec) Member {
	v := Member{MemberID: m.ID.String(), DisplayName: m.Profile.DisplayName, Role: string(m.Role), ContactID: m.ContactID}
	switch m.Status {
	case msConnected:
		v.Status, v.Connection = "connected", "direct"
	case msLeft, msRemoved:
		v.Status, v.Connection = m.Status, "none"
	case msInvited, msAccepted:
		v.Status, v.Connection = "connecting", "none"
	default: // announced, introduced: the host forwards meanwhile
		v.Status, v.Connection = "connected", "via-host"
	}
	if m.Status == msInvited {
		v.Status = "invited"
	}
	return v
}

func contactView(ct *contactRec) Contact {
	return Contact{ContactID: ct.ID, DisplayName: ct.Profile.DisplayName, FullName: ct.Profile.FullName,
		Status: ct.Status, GroupID: ct.GroupID, MemberID: memberIDString(ct.MemberID), Incognito: ct.Incognito,
		IncognitoName: incognitoName(ct.Incognito, ct.MyProfile), Unread: ct.Unread}
}

func memberIDString(b proto.Bytes) string {
	if len(b) == 0 {
		return ""
	}
	return b.String()
}

func (t *tx) emitGroup(g *groupRec) {
	n, _ := t.activeCount(g.ID)
	t.emit(GroupEvent{Group: groupView(g, n)})
}

func (t *tx) emitMember(m *memberRec) {
	t.emit(MemberEvent{GroupID: m.GroupID, Member: memberView(m)})
}
