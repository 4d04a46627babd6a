package proto

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readVectors(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no vectors in testdata: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = bytes.TrimSpace(b)
	}
	return out
}

func jsonEqual(t *testing.T, a, b []byte) {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("unmarshal %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	if !reflect.DeepEqual(x, y) {
		t.Fatalf("JSON differs:\n got %s\nwant %s", a, b)
	}
}

func reencode(t *testing.T, msgs []*Message, batch bool) []byte {
	t.Helper()
	if !batch {
		b, err := Encode(msgs[0])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b, err := json.Marshal(msgs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every vector decodes, and its params encode back to equal JSON (as a
// message made here: not the received bytes).
func TestVectorsReencode(t *testing.T) {
	for name, body := range readVectors(t) {
		t.Run(name, func(t *testing.T) {
			msgs, err := Decode(body)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			for _, m := range msgs {
				stripRaw(m)
			}
			jsonEqual(t, reencode(t, msgs, body[0] == '['), body)
		})
	}
}

// The message features' vectors (replies, mentions, timed messages, edits,
// deletes, moderation, reactions) decode to the right values.
func TestFeatureValues(t *testing.T) {
	v := readVectors(t)
	one := func(name string) Params {
		m, err := DecodeOne(v[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m.Params
	}
	bob, msg := Bytes{5, 6, 7, 8}, Bytes{17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28}
	n := one("msg_new_reply.json").(*MsgNew)
	if n.Quote == nil || !n.Quote.MsgRef.MemberID.Equal(bob) || n.Quote.MsgRef.Sent || n.Quote.Content.Text != "meeting at 10?" ||
		*n.TTL != 3600 || !n.Mentions["bob"].MemberID.Equal(bob) || string(n.Extra["live"]) != "false" {
		t.Errorf("reply: %+v", n)
	}
	if u := one("msg_update.json").(*MsgUpdate); !u.MsgID.Equal(msg) || u.Content.Text != "@bob see you at 11" {
		t.Errorf("update: %+v", u)
	}
	if d := one("msg_del.json").(*MsgDel); !d.MsgID.Equal(msg) || d.MemberID != nil {
		t.Errorf("delete: %+v", d)
	}
	if d := one("msg_del_moderation.json").(*MsgDel); !d.MemberID.Equal(bob) {
		t.Errorf("moderation: %+v", d)
	}
	r := one("msg_react.json").(*MsgReact)
	if !r.Add || !KnownReaction(r.Reaction) || !r.MemberID.Equal(bob) {
		t.Errorf("react: %+v", r)
	}
	if KnownReaction(Reaction{Type: "emoji", Emoji: "🐈"}) || KnownReaction(Reaction{Type: "text", Emoji: "👍"}) {
		t.Error("an emoji outside the set accepted")
	}
	f := one("msg_new_file.json").(*MsgNew)
	if f.File == nil || f.File.FileName != "view.jpg" || f.File.FileSize != 1<<20 || f.Content.Type != "image" ||
		string(f.Content.Extra["image"]) != `"data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ=="` {
		t.Errorf("file message: %+v", f)
	}
	if d := one("msg_file_descr.json").(*MsgFileDescr); !d.FileDescr.FileDescrComplete || d.FileDescr.FileDescrText != `{"v":1}` {
		t.Errorf("file description: %+v", d)
	}
	if _, err := DecodeOne([]byte(`{"event":"x.msg.update","params":{"content":{"type":"text","text":"x"}}}`)); err == nil {
		t.Error("x.msg.update without msgId accepted")
	}
}

var profA = Profile{DisplayName: "alice", FullName: "Alice"}

// The published encodings decode to the right values.
func TestPublishedValues(t *testing.T) {
	v := readVectors(t)
	id := Bytes{1, 2, 3, 4}
	one := VersionRange{1, 1}
	want := map[string]*Message{
		"published_grp_mem_intro.json": {V: one, Params: &GrpMemIntro{MemberInfo{id, RoleAdmin, VersionRange{1, 5}, profA}}},
		"published_grp_acpt.json":      {V: one, Params: &GrpAcpt{MemberID: id}},
		"published_grp_mem_con.json":   {V: one, Params: &GrpMemCon{MemberID: id}},
		"published_grp_leave.json":     {V: one, Params: &GrpLeave{}},
		"published_ok.json":            {V: one, Params: &OK{}},
		"published_msg_new.json":       {V: VersionRange{1, 5}, MsgID: id, Params: &MsgNew{Content: *Text("hello")}},
	}
	for name, w := range want {
		m, err := DecodeOne(v[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(stripRaw(m), w) {
			t.Errorf("%s: got %#v want %#v", name, m, w)
		}
	}
	inv, _ := DecodeOne(v["published_grp_mem_inv.json"])
	p := inv.Params.(*GrpMemInv)
	if !bytes.Equal(p.MemberID, id) || !strings.HasPrefix(p.MemberIntro.GroupConnReq, "simplex:/invitation#") || p.MemberIntro.DirectConnReq != "" {
		t.Errorf("x.grp.mem.inv: %+v", p)
	}
	fwd, _ := DecodeOne(v["published_grp_mem_fwd.json"])
	f := fwd.Params.(*GrpMemFwd)
	if f.MemberInfo.MemberRole != RoleAdmin || !reflect.DeepEqual(f.MemberInfo.Profile, profA) || f.MemberIntro.GroupConnReq != p.MemberIntro.GroupConnReq {
		t.Errorf("x.grp.mem.fwd: %+v", f)
	}
	di, _ := DecodeOne(v["published_grp_direct_inv.json"])
	d := di.Params.(*GrpDirectInv)
	if d.Content == nil || d.Content.Text != "hello" || d.Content.Type != "text" || d.ConnReq != p.MemberIntro.GroupConnReq {
		t.Errorf("x.grp.direct.inv: %+v", d)
	}
}

func TestForwardAndBatchVectors(t *testing.T) {
	v := readVectors(t)
	m, err := DecodeOne(v["grp_msg_forward.json"])
	if err != nil {
		t.Fatal(err)
	}
	f := m.Params.(*GrpMsgForward)
	if f.MemberName != "bob" || f.Msg.Params.(*MsgNew).Content.Text != "hi" || !f.MsgTs.Equal(time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)) {
		t.Fatalf("forward: %+v", f)
	}
	msgs, err := Decode(v["batch_intros.json"])
	if err != nil || len(msgs) != 2 || msgs[1].Params.(*GrpMemIntro).MemberInfo.MemberRole != RoleObserver {
		t.Fatalf("batch: %v %v", msgs, err)
	}
	u, err := DecodeOne(v["unknown_event.json"])
	if err != nil {
		t.Fatal(err)
	}
	if uk, ok := u.Params.(*Unknown); !ok || uk.Name != "x.grp.future.thing" {
		t.Fatalf("unknown: %#v", u.Params)
	}
	g, _ := DecodeOne(v["grp_info.json"])
	gp := g.Params.(*GrpInfo).GroupProfile.GroupPreferences
	if gp.DirectMessagesAllowed(RoleOwner) || !gp.DirectConnectionsAllowed(10) || gp.DirectConnectionsAllowed(11) || *gp.TimedMessages.TTL != 86400 {
		t.Fatalf("prefs: %+v", gp)
	}
}

func TestNestedForwardRefused(t *testing.T) {
	inner := `{"v":"2-5","event":"x.grp.msg.forward","params":{"memberId":"AQIDBA==","msg":{"event":"x.ok","params":{}},"msgTs":"2026-11-26T03:00:00Z"}}`
	outer := `{"event":"x.grp.msg.forward","params":{"memberId":"AQIDBA==","msg":` + inner + `,"msgTs":"2026-11-26T03:00:00Z"}}`
	if _, err := DecodeOne([]byte(outer)); err == nil || !strings.Contains(err.Error(), CodeNested) {
		t.Fatalf("nested forward: %v", err)
	}
}

// Unknown keys are ignored by the typed params, and a received message is
// encoded back exactly as it came (a host forwards it with every field);
// a message made here from the same params omits what it does not know.
func TestUnknownKeysKeptWhenForwardedAbsentOmitted(t *testing.T) {
	in := `{"event":"x.grp.direct.inv","extra":1,"params":{"connReq":"c","future":{"x":1}}}`
	m, err := DecodeOne([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if !m.V.IsZero() || m.MsgID != nil {
		t.Fatalf("absent v/msgId: %+v", m)
	}
	if b, _ := Encode(m); string(b) != in {
		t.Fatalf("a received message re-encoded as %s", b)
	}
	made := &Message{Params: m.Params}
	if b, _ := Encode(made); string(b) != `{"event":"x.grp.direct.inv","params":{"connReq":"c"}}` {
		t.Fatalf("encoded %s", b)
	}
	if m.V.OrOne() != (VersionRange{1, 1}) {
		t.Fatal("missing v is not 1")
	}
}

func TestBadInputs(t *testing.T) {
	for _, s := range []string{``, `{`, `[1]`, `{"params":{}}`, `{"event":"x.grp.acpt","params":{}}`,
		`{"event":"x.grp.mem.con","params":{"memberId":"***"}}`, `{"v":"5-2","event":"x.ok","params":{}}`,
		`{"event":"x.grp.mem.role","params":{"memberId":"AQIDBA=="}}`, `{"event":"x.grp.direct.inv","params":{}}`} {
		if _, err := Decode([]byte(s)); err == nil {
			t.Errorf("%q decoded without error", s)
		}
	}
}

func TestRoles(t *testing.T) {
	order := []Role{RoleObserver, RoleAuthor, RoleMember, RoleModerator, RoleAdmin, RoleOwner}
	for i := 1; i < len(order); i++ {
		if !order[i].AtLeast(order[i-1]) || order[i-1].AtLeast(order[i]) {
			t.Fatalf("order broken at %s", order[i])
		}
	}
	if Role("superuser").Known() || Role("superuser").AtLeast(RoleObserver) {
		t.Fatal("unknown role ranks")
	}
	var p *GroupPreferences
	if p.DirectMessagesAllowed(RoleOwner) {
		t.Fatal("directMessages must be off by default")
	}
	p = &GroupPreferences{DirectMessages: &RolePreference{Enable: On, Role: RoleAdmin}}
	if p.DirectMessagesAllowed(RoleMember) || !p.DirectMessagesAllowed(RoleOwner) {
		t.Fatal("directMessages role")
	}
}

func TestVersionRange(t *testing.T) {
	if v, ok := Current.Compatible(VersionRange{1, 9}); !ok || v != MaxVersion {
		t.Fatal(v, ok)
	}
	if _, ok := Current.Compatible(VersionRange{}); ok {
		t.Fatal("version 1 peer is compatible")
	}
}

func TestEncodeBatchLimit(t *testing.T) {
	var msgs []*Message
	for i := 0; i < 100; i++ {
		msgs = append(msgs, &Message{V: Current, Params: &GrpMemIntro{MemberInfo{Bytes{byte(i), 1, 2}, RoleMember, Current, profA}}})
	}
	bodies, err := EncodeBatch(msgs, 2000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bodies {
		if len(b) > 2000 {
			t.Fatalf("body of %d bytes", len(b))
		}
		d, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		n += len(d)
	}
	if n != 100 || len(bodies) < 2 {
		t.Fatalf("%d messages in %d bodies", n, len(bodies))
	}
}
