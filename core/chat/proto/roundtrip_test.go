package proto

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func allEvents() []Params {
	id, id2 := Bytes{1, 2, 3}, Bytes{4, 5, 6, 7}
	size := 4
	mi := MemberInfo{MemberID: id, MemberRole: RoleMember, V: Current, Profile: profA}
	gp := GroupProfile{DisplayName: "g", FullName: "G", Description: "d",
		GroupPreferences: &GroupPreferences{DirectMessages: &RolePreference{Enable: On, Role: RoleMember}}}
	inner := &Message{V: Current, MsgID: id2, Params: &MsgNew{Content: *Text("x")}}
	return []Params{
		&GrpInv{GroupInvitation{MemberIDRole{id, RoleOwner}, MemberIDRole{id2, RoleMember}, "link", gp, id, &size}},
		&GrpAcpt{MemberID: id}, &GrpAcpt{MemberID: id, Profile: &profA},
		&GrpLinkInv{GroupLinkInvitation{MemberIDRole{id, RoleOwner}, "alice", MemberIDRole{id2, RoleMember}, gp, &size}},
		&GrpLinkMem{Profile: profA}, &GrpMemNew{mi}, &GrpMemIntro{mi},
		&GrpMemInv{id, IntroInvitation{GroupConnReq: "a"}}, &GrpMemFwd{mi, IntroInvitation{"a", "b"}},
		&GrpMemInfo{id, profA}, &GrpMemCon{id},
		&GrpMsgForward{MemberID: id, MemberName: "bob", Msg: inner, MsgTs: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		&GrpMemRole{id, RoleAdmin}, &GrpMemDel{id}, &GrpLeave{}, &GrpDel{}, &GrpInfo{gp},
		&GrpDirectInv{ConnReq: "c"}, &GrpDirectInv{ConnReq: "c", Content: Text("first")},
		&MsgNew{Content: *Text("hello")}, &Info{profA}, &Contact{Profile: profA}, &OK{},
		&InfoProbe{id}, &InfoProbeCheck{id2}, &InfoProbeOK{id},
		&MsgNew{Content: *Text("re"), TTL: &size,
			Quote:    &QuotedMsg{MsgRef: MsgRef{MsgID: id, SentAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Sent: true, MemberID: id2}, Content: *Text("q")},
			Mentions: map[string]MentionedMember{"bob": {MemberID: id2}},
			Extra:    map[string]json.RawMessage{"live": json.RawMessage(`true`)}},
		&MsgUpdate{MsgID: id, Content: *Text("edited")},
		&MsgDel{MsgID: id}, &MsgDel{MsgID: id, MemberID: id2},
		&MsgReact{MsgID: id, MemberID: id2, Reaction: Reaction{Type: "emoji", Emoji: "👍"}, Add: true},
		&Unknown{Name: "x.future", Params: json.RawMessage(`{"a":1}`)},
	}
}

// stripRaw forgets the received bytes (a made message has none).
func stripRaw(m *Message) *Message {
	m.raw = nil
	if f, ok := m.Params.(*GrpMsgForward); ok {
		stripRaw(f.Msg)
	}
	return m
}

func TestEveryEventRoundTrips(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range allEvents() {
		m := &Message{V: Current, MsgID: Bytes{9, 9}, Params: p}
		b, err := Encode(m)
		if err != nil {
			t.Fatalf("%s: %v", p.Event(), err)
		}
		got, err := DecodeOne(b)
		if err != nil {
			t.Fatalf("%s: %v (%s)", p.Event(), err, b)
		}
		if !reflect.DeepEqual(stripRaw(got), m) {
			t.Errorf("%s: got %#v want %#v", p.Event(), got.Params, m.Params)
		}
		seen[p.Event()] = true
	}
	for _, ev := range []string{EvGrpInv, EvGrpAcpt, EvGrpLinkInv, EvGrpLinkMem, EvGrpMemNew, EvGrpMemIntro,
		EvGrpMemInv, EvGrpMemFwd, EvGrpMemInfo, EvGrpMemCon, EvGrpMsgForward, EvGrpMemRole, EvGrpMemDel,
		EvGrpLeave, EvGrpDel, EvGrpInfo, EvGrpDirectInv, EvMsgNew, EvInfo, EvContact, EvOK, EvInfoProbe,
		EvInfoProbeChk, EvInfoProbeOK, EvMsgUpdate, EvMsgDel, EvMsgReact} {
		if !seen[ev] {
			t.Errorf("event %s not covered", ev)
		}
	}
}
