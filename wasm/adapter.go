//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/chat"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// This file is the only place that names chat.Client methods: the client's
// lifecycle (newBackend) and one entry per JS API call, turning plain JS
// arguments into the chat call and its result into plain JS values (the
// chat types' JSON field names).

// newBackend starts the chat client on st and binds the JS API to it.
func newBackend(ctx context.Context, opts Options, st store.Store, emit func(map[string]any)) (*backend, error) {
	ag, err := newAgent(ctx, opts, st)
	if err != nil {
		return nil, err
	}
	cfg := chat.Config{Store: st, Agent: ag}
	fs := fileStore(st)
	if fs != nil && opts.FileRelay != "" {
		cfg.Files, cfg.FileRelay, cfg.FileHTTP = fs, opts.FileRelay, newFileHTTP()
	}
	c, err := chat.New(cfg)
	if err != nil {
		ag.Close()
		return nil, err
	}
	ag.SetHandler(c.HandleEvent)
	if err := c.Start(ctx); err != nil {
		ag.Close()
		c.Close()
		return nil, err
	}
	if err := ag.Start(ctx); err != nil {
		ag.Close()
		c.Close()
		return nil, err
	}
	run := func(ctx context.Context) {
		for {
			evs, err := c.Events().PopBatch(ctx, 0)
			if err != nil {
				return
			}
			for _, ev := range evs {
				m, err := chatEvent(ev)
				if err != nil {
					fmt.Fprintf(os.Stderr, "sxweb: event: %v\n", err)
					continue
				}
				emit(m)
			}
		}
	}
	closeFn := func() error {
		err := c.Close()
		if aerr := ag.Close(); err == nil {
			err = aerr
		}
		return err
	}
	methods := chatMethods(c)
	fileMethods(c, fs, methods)
	return &backend{methods: methods, run: run, close: closeFn}, nil
}

// m is the shape of every adapter entry.
type m = func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error)

var chatAPI = map[string]m{
	"setProfile": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		var p chat.Profile
		if err := fields(a, 0, &p); err != nil {
			return nil, err
		}
		return nil, c.SetProfile(ctx, p)
	},
	"getProfile": func(ctx context.Context, c *chat.Client, _ bridge.Args) (any, error) {
		return asJS(c.GetProfile(ctx))
	},
	"createInvitation": func(ctx context.Context, c *chat.Client, _ bridge.Args) (any, error) {
		return asJS(c.CreateInvitation(ctx))
	},
	"connect": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		link, err := a.String(0)
		if err != nil {
			return nil, err
		}
		return idResult("contactId")(c.Connect(ctx, link))
	},
	"contacts": func(ctx context.Context, c *chat.Client, _ bridge.Args) (any, error) {
		return asList(c.Contacts(ctx))
	},
	"createGroup": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		var s chat.GroupSettings
		if err := fields(a, 0, &s); err != nil {
			return nil, err
		}
		return idResult("groupId")(c.CreateGroup(ctx, s))
	},
	"groups": func(ctx context.Context, c *chat.Client, _ bridge.Args) (any, error) {
		return asList(c.Groups(ctx))
	},
	"createGroupLink": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		g, err := a.String(0)
		if err != nil {
			return nil, err
		}
		return c.CreateGroupLink(ctx, g)
	},
	"joinGroup": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		link, err := a.String(0)
		var o chat.JoinOptions
		if err == nil {
			err = fields(a, 1, &o)
		}
		if err != nil {
			return nil, err
		}
		return idResult("groupId")(c.JoinGroup(ctx, link, o))
	},
	"inviteToGroup": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 2)
		if err != nil {
			return nil, err
		}
		role := "member"
		if !a.Missing(2) {
			if role, err = a.String(2); err != nil {
				return nil, err
			}
		}
		return nil, c.InviteToGroup(ctx, s[0], s[1], role)
	},
	"acceptGroupInvitation": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		g, err := a.String(0)
		var o chat.JoinOptions
		if err == nil {
			err = fields(a, 1, &o)
		}
		if err != nil {
			return nil, err
		}
		return nil, c.AcceptGroupInvitation(ctx, g, o)
	},
	"members": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		g, err := a.String(0)
		if err != nil {
			return nil, err
		}
		return asList(c.Members(ctx, g))
	},
	"sendGroupMessage": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 2)
		var o chat.SendOptions
		if err == nil {
			err = fields(a, 2, &o)
		}
		if err != nil {
			return nil, err
		}
		return idResult("messageId")(c.SendGroupMessage(ctx, s[0], s[1], o))
	},
	"messages": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		var q struct { // {groupId | contactId, limit?, before?}
			chat.ChatRef
			chat.Page
		}
		if err := fields(a, 0, &q); err != nil {
			return nil, err
		}
		return asList(c.Messages(ctx, q.ChatRef, q.Page))
	},
	"startDirectChat": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 3)
		if err != nil {
			return nil, err
		}
		return idResult("contactId")(c.StartDirectChat(ctx, s[0], s[1], s[2]))
	},
	"acceptDirectChat": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 1)
		if err != nil {
			return nil, err
		}
		return nil, c.AcceptDirectChat(ctx, s[0])
	},
	"sendDirectMessage": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 2)
		var o chat.SendOptions
		if err == nil {
			err = fields(a, 2, &o)
		}
		if err != nil {
			return nil, err
		}
		return idResult("messageId")(c.SendDirectMessage(ctx, s[0], s[1], o))
	},
	"deleteContact": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 1)
		if err != nil {
			return nil, err
		}
		return nil, c.DeleteContact(ctx, s[0])
	},
	"setGroupPreferences": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		g, err := a.String(0)
		var p chat.Preferences
		if err == nil {
			err = fields(a, 1, &p)
		}
		if err != nil {
			return nil, err
		}
		return nil, c.SetGroupPreferences(ctx, g, p)
	},
	"removeMember": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 2)
		if err != nil {
			return nil, err
		}
		return nil, c.RemoveMember(ctx, s[0], s[1])
	},
	"leaveGroup": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 1)
		if err != nil {
			return nil, err
		}
		return nil, c.LeaveGroup(ctx, s[0])
	},
	"deleteGroup": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 1)
		if err != nil {
			return nil, err
		}
		return nil, c.DeleteGroup(ctx, s[0])
	},
	"editMessage": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 2)
		if err != nil {
			return nil, err
		}
		return nil, c.EditMessage(ctx, s[0], s[1])
	},
	"deleteMessage": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		id, err := a.String(0)
		var o chat.DeleteOptions
		if err == nil {
			err = fields(a, 1, &o)
		}
		if err != nil {
			return nil, err
		}
		return nil, c.DeleteMessage(ctx, id, o)
	},
	// react(messageId, emoji, add = true)
	"react": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		s, err := strs(a, 2)
		if err != nil {
			return nil, err
		}
		add := true
		if !a.Missing(2) {
			if add, err = a.Bool(2); err != nil {
				return nil, err
			}
		}
		return nil, c.React(ctx, s[0], s[1], add)
	},
	"markRead": func(ctx context.Context, c *chat.Client, a bridge.Args) (any, error) {
		var ref chat.ChatRef
		if err := fields(a, 0, &ref); err != nil {
			return nil, err
		}
		return nil, c.MarkRead(ctx, ref)
	},
	"stats": func(ctx context.Context, c *chat.Client, _ bridge.Args) (any, error) {
		return asJS(c.Stats(ctx))
	},
	// reconnect(): the browser is online again; resolves once the relay
	// clients were told to dial now (RelayUp follows), not when they are up.
	"reconnect": func(ctx context.Context, c *chat.Client, _ bridge.Args) (any, error) {
		return nil, c.Reconnect(ctx)
	},
}

// chatMethods binds chatAPI to one client.
func chatMethods(c *chat.Client) map[string]bridge.Method {
	out := make(map[string]bridge.Method, len(chatAPI))
	for name, f := range chatAPI {
		f := f
		out[name] = func(ctx context.Context, a bridge.Args) (any, error) { return f(ctx, c, a) }
	}
	return out
}

// chatEvent flattens a chat event into {type, ...fields}.
func chatEvent(ev chat.Event) (map[string]any, error) {
	var out map[string]any
	var err error
	switch e := ev.(type) {
	case chat.MessageEvent:
		out, err = flat(e.Message)
		addRef(out, e.Chat)
		if e.Unread > 0 {
			out["unread"] = e.Unread
		}
	case chat.UpdateEvent:
		out, err = flat(e.Message)
		addRef(out, e.Chat)
	case chat.MemberEvent:
		out, err = flat(e.Member)
		out["groupId"] = e.GroupID
	case chat.ContactEvent:
		out, err = flat(e.Contact)
	case chat.GroupEvent:
		out, err = flat(e.Group)
	case chat.DeliveryEvent:
		out = map[string]any{"messageId": e.MessageID, "status": string(e.Status),
			"total": e.Total, "sent": e.Sent, "delivered": e.Delivered, "receipts": e.Receipts}
		if e.MemberID != "" {
			out["memberId"] = e.MemberID
		}
		addRef(out, e.Chat)
	case chat.FileEvent:
		out = map[string]any{"messageId": e.MessageID, "state": e.State, "done": e.Done, "total": e.Total}
		addRef(out, e.Chat)
	case chat.ErrorEvent:
		out = map[string]any{"code": e.Code, "message": e.Detail, "groupId": e.GroupID,
			"contactId": e.ContactID, "memberId": e.MemberID}
	case chat.ElsewhereEvent:
		out = map[string]any{"connections": e.Connections}
	default:
		return nil, bridge.Errorf(bridge.CodeInternal, "unknown chat event %T", ev)
	}
	if err != nil {
		return nil, err
	}
	out["type"] = ev.Type()
	return out, nil
}

func addRef(m map[string]any, r chat.ChatRef) {
	if m == nil {
		return
	}
	if r.GroupID != "" {
		m["groupId"] = r.GroupID
	}
	if r.ContactID != "" {
		m["contactId"] = r.ContactID
	}
}

// flat is v's JSON object as a map.
func flat(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return map[string]any{}, err
	}
	out := map[string]any{}
	return out, json.Unmarshal(b, &out)
}

var jsonParse = func() safejs.Value {
	j := safejs.MustGetGlobal("JSON")
	f, _ := j.Get("parse")
	return f
}()

// asJS is a chat result as a plain JS value: its JSON, parsed by JS.
func asJS[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonParse.Invoke(string(b))
}

// asList is asJS for lists: an empty list is [], never null.
func asList[T any](v []T, err error) (any, error) {
	if v == nil {
		v = []T{}
	}
	return asJS(v, err)
}

// idResult wraps a returned id as {name: id}.
func idResult(name string) func(string, error) (any, error) {
	return func(id string, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return map[string]any{name: id}, nil
	}
}

// strs returns the first n arguments, which must be strings.
func strs(a bridge.Args, n int) ([]string, error) {
	out := make([]string, n)
	for i := range out {
		s, err := a.String(i)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// fields decodes options object i (absent: zero value) into the chat type
// v by its JSON field names, so the JS names are the chat types' tags.
func fields(a bridge.Args, i int, v any) error {
	if a.Missing(i) {
		return nil
	}
	if _, err := a.Object(i); err != nil {
		return err
	}
	s, err := safejs.MustGetGlobal("JSON").Call("stringify", a[i])
	if err != nil {
		return bridge.Errorf(bridge.CodeBadArgument, "argument %d: %v", i+1, err)
	}
	str, _ := s.String()
	if err := json.Unmarshal([]byte(str), v); err != nil {
		return bridge.Errorf(bridge.CodeBadArgument, "argument %d: %v", i+1, err)
	}
	return nil
}
