package proto

// Feature switch values.
const (
	On  = "on"
	Off = "off"
)

// RolePreference is a group feature: {"enable":"on"|"off","role"?}. Role
// is the lowest role allowed to use it (empty: everyone).
type RolePreference struct {
	Enable string `json:"enable"`
	Role   Role   `json:"role,omitempty"`
}

// TimedPreference is the timedMessages feature.
type TimedPreference struct {
	Enable string `json:"enable"`
	TTL    *int   `json:"ttl,omitempty"`
}

// DirectConnPreference is this project's opt-in setting for the RFC's third
// solution: while the group has fewer than MaxMembers members, a new member
// may offer directConnReq in its introductions. SimpleX ignores this key.
type DirectConnPreference struct {
	Enable     string `json:"enable"`
	MaxMembers int    `json:"maxMembers,omitempty"`
}

// GroupPreferences are the features of a group; each absent one falls back
// to its default.
type GroupPreferences struct {
	DirectMessages    *RolePreference       `json:"directMessages,omitempty"`
	FullDelete        *RolePreference       `json:"fullDelete,omitempty"`
	Reactions         *RolePreference       `json:"reactions,omitempty"`
	Voice             *RolePreference       `json:"voice,omitempty"`
	Files             *RolePreference       `json:"files,omitempty"`
	SimplexLinks      *RolePreference       `json:"simplexLinks,omitempty"`
	History           *RolePreference       `json:"history,omitempty"`
	TimedMessages     *TimedPreference      `json:"timedMessages,omitempty"`
	DirectConnections *DirectConnPreference `json:"directConnections,omitempty"`
}

// DirectMessagesAllowed reports whether a member of role r may start a
// direct chat: directMessages is off by default.
func (p *GroupPreferences) DirectMessagesAllowed(r Role) bool {
	if p == nil || p.DirectMessages == nil || p.DirectMessages.Enable != On {
		return false
	}
	if p.DirectMessages.Role == "" {
		return r.Known()
	}
	return r.AtLeast(p.DirectMessages.Role)
}

// DirectConnectionsAllowed reports whether introductions in a group of
// memberCount members (including the new one) may carry directConnReq.
func (p *GroupPreferences) DirectConnectionsAllowed(memberCount int) bool {
	if p == nil || p.DirectConnections == nil || p.DirectConnections.Enable != On {
		return false
	}
	return p.DirectConnections.MaxMembers == 0 || memberCount <= p.DirectConnections.MaxMembers
}

// GroupProfile is a group's public description.
type GroupProfile struct {
	DisplayName      string            `json:"displayName"`
	FullName         string            `json:"fullName"`
	Description      string            `json:"description,omitempty"`
	Image            string            `json:"image,omitempty"`
	GroupPreferences *GroupPreferences `json:"groupPreferences,omitempty"`
}
