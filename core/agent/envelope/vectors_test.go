package envelope

import (
	"encoding/hex"
	"fmt"
	"os"
	"testing"
)

// writeVectors regenerates testdata (go test -run TestVectors -update).
func writeVectors(t *testing.T) {
	sk, _ := keys(t)
	keyed, _ := Seal(sk, pubOf(sPriv), []byte("confirmation"))
	plain, _ := Seal(sk, nil, []byte("message"))
	tampered := append([]byte{}, plain...)
	tampered[len(tampered)-3] ^= 0x40
	hello, _ := (&Inner{Tag: InnerHello, Hello: []byte("hello"), Body: []byte("ct")}).Encode()
	req, _ := (&Inner{Tag: InnerRequest, Link: "https://sxweb.app/#/join/AQ", Body: []byte("{}")}).Encode()
	msg, _ := (&Inner{Tag: InnerMessage, Body: []byte("ct")}).Encode()
	conf := &AgentMessage{MsgNum: 1, Kind: KindConfirmation, Body: []byte("info"),
		Reply: &QueueInfo{Server: "wss://relay.example", SenderID: make([]byte, 24), E2EKey: make([]byte, 32)}}
	confB, _ := conf.Encode()
	am := &AgentMessage{MsgNum: 9, Kind: KindMessage, Receipts: []Range{{2, 5}}, Body: []byte("hi")}
	amB, _ := am.Encode()
	quiet := &AgentMessage{MsgNum: 10, Kind: KindQuiet, Body: []byte("hi all")}
	quietB, _ := quiet.Encode()
	syncInner, _ := (&Inner{Tag: InnerSync, Body: []byte{SyncVersion}}).Encode()
	keysB, _ := (&Sync{Kind: SyncKeys, Sent: 7, Keys: []byte("fresh keys")}).Encode()
	answer := &Sync{Kind: SyncAnswer, Sent: 3, Hello: []byte("hello")}
	answer.ReqHash[0], answer.ReqHash[31] = 0xaa, 0x55
	answerB, _ := answer.Encode()
	nonMinimal := append([]byte{}, amB[:agentHeadSize]...)
	nonMinimal = append(nonMinimal, 0x80, 0x00)
	vs := []struct {
		name, decoder, expect string
		b                     []byte
	}{
		{"env_keyed", "envelope", "ok", keyed},
		{"env_plain", "envelope", "ok", plain},
		{"env_empty", "envelope", CodeBadEnvelope, nil},
		{"env_bad_version", "envelope", CodeBadEnvelope, append([]byte{9}, plain[1:]...)},
		{"env_bad_tag", "envelope", CodeBadEnvelope, append([]byte{1, 'X'}, plain[2:]...)},
		{"env_short", "envelope", CodeBadEnvelope, plain[:30]},
		{"open_keyed", "open", "ok", keyed},
		{"open_plain", "open", "ok", plain},
		{"open_tampered", "open", CodeDecrypt, tampered},
		{"inner_hello", "inner", "ok", hello},
		{"inner_request", "inner", "ok", req},
		{"inner_message", "inner", "ok", msg},
		{"inner_bad_tag", "inner", CodeBadEnvelope, []byte("Zabc")},
		{"inner_truncated", "inner", CodeBadEnvelope, hello[:4]},
		{"inner_sync", "inner", "ok", syncInner},
		{"sync_keys", "sync", "ok", keysB},
		{"sync_answer", "sync", "ok", answerB},
		{"sync_bad_version", "sync", CodeBadEnvelope, append([]byte{2}, keysB[1:]...)},
		{"sync_bad_kind", "sync", CodeBadEnvelope, append([]byte{1, 'Q'}, keysB[2:]...)},
		{"sync_truncated", "sync", CodeBadEnvelope, answerB[:len(answerB)-1]},
		{"sync_trailing", "sync", CodeBadEnvelope, append(append([]byte{}, keysB...), 0)},
		{"sync_empty_keys", "sync", CodeBadEnvelope, append(append([]byte{}, keysB[:10]...), 0, 0)},
		{"agent_conf", "agent", "ok", confB},
		{"agent_msg", "agent", "ok", amB},
		{"agent_msg_quiet", "agent", "ok", quietB},
		{"agent_truncated", "agent", CodeBadEnvelope, amB[:20]},
		{"agent_bad_kind", "agent", CodeBadEnvelope, append(append([]byte{}, amB[:agentHeadSize-1]...), 'Q', 0)},
		{"agent_nonminimal", "agent", CodeBadEnvelope, nonMinimal},
		{"agent_conf_bad_server", "agent", CodeBadEnvelope, append(append([]byte{}, confB[:agentHeadSize+1]...), 3, 'a', 'b', 'c')},
	}
	for _, v := range vs {
		body := fmt.Sprintf("decoder: %s\nexpect: %s\nhex: %s\n", v.decoder, v.expect, hex.EncodeToString(v.b))
		if err := os.WriteFile("testdata/"+v.name+".txt", []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
