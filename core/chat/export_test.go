package chat

import (
	"context"

	"github.com/sxweb/sxweb/core/chat/proto"
)

// MemberConnID exposes a member's group connection (tests forge messages on it).
func (c *Client) MemberConnID(ctx context.Context, groupID, memberID string) string {
	id, _ := proto.ParseBytes(memberID)
	var connID string
	_ = c.view(ctx, func(t *tx) error {
		m, err := t.member(groupID, id)
		if m != nil {
			connID = m.ConnID
		}
		return err
	})
	return connID
}

// Encode exposes encode (tests forge messages).
func Encode(p proto.Params) []byte { return encode(p) }
