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

// Feature names of the on/off preferences, with their defaults.
var featureDefaults = map[string]bool{"reactions": true, "files": true, "voice": true, "simplexLinks": true,
	"fullDelete": false, "history": false, "timedMessages": false, "directMessages": false}

// On reports whether feature is on (its default when absent). Unknown
// feature names are off.
func (p *GroupPreferences) On(feature string) bool {
	if p != nil {
		switch feature {
		case "timedMessages":
			if p.TimedMessages != nil {
				return p.TimedMessages.Enable == On
			}
		default:
			if rp := p.role(feature); rp != nil {
				return rp.Enable == On
			}
		}
	}
	return featureDefaults[feature]
}

// Set turns an on/off feature on or off (timedMessages keeps its ttl).
func (p *GroupPreferences) Set(feature string, on bool) {
	v := Off
	if on {
		v = On
	}
	if feature == "timedMessages" {
		if p.TimedMessages == nil {
			p.TimedMessages = &TimedPreference{}
		}
		p.TimedMessages.Enable = v
		return
	}
	ptr := p.rolePtr(feature)
	if ptr == nil {
		return
	}
	if *ptr == nil {
		*ptr = &RolePreference{}
	}
	(*ptr).Enable = v
}

func (p *GroupPreferences) role(feature string) *RolePreference {
	if ptr := p.rolePtr(feature); ptr != nil {
		return *ptr
	}
	return nil
}

func (p *GroupPreferences) rolePtr(feature string) **RolePreference {
	switch feature {
	case "directMessages":
		return &p.DirectMessages
	case "fullDelete":
		return &p.FullDelete
	case "reactions":
		return &p.Reactions
	case "voice":
		return &p.Voice
	case "files":
		return &p.Files
	case "simplexLinks":
		return &p.SimplexLinks
	case "history":
		return &p.History
	}
	return nil
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
