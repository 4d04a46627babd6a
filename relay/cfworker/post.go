package cfworker

import (
	"context"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// HandlePost handles the body of a plain-HTTP POST (an HTTP batch frame
// carrying a session token from a GET) and returns the response frame.
func (e *Engine) HandlePost(ctx context.Context, body []byte, now time.Time, call Caller) []byte {
	var out [][]byte
	v, sid, rest, err := wire.ParseHTTPHeader(body)
	switch {
	case err != nil, v < wire.MinVersion, v > wire.MaxVersion:
		out = [][]byte{encodeT(&wire.Transmission{Code: wire.ERR, Err: wire.ErrCmdSyntax})}
	case !e.cfg.Keys.ValidToken(sid, now):
		out = [][]byte{encodeT(&wire.Transmission{Code: wire.ERR, Err: wire.ErrAuth})} // GET a new hello
	default:
		s := Session{}
		copy(s.ID[:], sid)
		out = e.HandleBody(ctx, s, rest, call)
	}
	f := wire.AppendBatchHeader(nil)
	for _, t := range out {
		f = append(f, t...)
	}
	return f
}
