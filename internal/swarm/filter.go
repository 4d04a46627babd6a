package main

import (
	"strings"

	"github.com/sxweb/sxweb/core/agent"
	"github.com/sxweb/sxweb/core/chat/proto"
)

// namePrefix marks the swarm's own members.
const namePrefix = "swarm-"

// withoutMesh drops, from the messages a native receives, the
// introductions and announcements of other natives (x.grp.mem.intro,
// x.grp.mem.new): the natives of a large group are then connected to
// their host and to the browser only, never to each other. Building the
// full mesh of 1,000 natives would take hours and measure nothing of the
// browser; every message to and from the browser is still the real
// protocol. Anything else passes unchanged.
func withoutMesh(ev agent.Event) agent.Event {
	m, ok := ev.(agent.Message)
	if !ok {
		return ev
	}
	msgs, err := proto.Decode(m.Body)
	if err != nil {
		return ev
	}
	kept := msgs[:0]
	for _, x := range msgs {
		if !aboutNative(x) {
			kept = append(kept, x)
		}
	}
	if len(kept) == len(msgs) {
		return ev
	}
	if len(kept) == 0 {
		kept = append(kept, &proto.Message{V: proto.Current, Params: &proto.OK{}})
	}
	bodies, err := proto.EncodeBatch(kept, 1<<20)
	if err != nil || len(bodies) != 1 {
		return ev
	}
	m.Body = bodies[0]
	return m
}

func aboutNative(x *proto.Message) bool {
	switch p := x.Params.(type) {
	case *proto.GrpMemIntro:
		return strings.HasPrefix(p.MemberInfo.Profile.DisplayName, namePrefix)
	case *proto.GrpMemNew:
		return strings.HasPrefix(p.MemberInfo.Profile.DisplayName, namePrefix)
	}
	return false
}
