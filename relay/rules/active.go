package rules

import "time"

const dayMs = 24 * time.Hour / time.Millisecond

// Day returns the day number of t (days since the Unix epoch, UTC). Queue
// records keep the day they were last used at this resolution, so a queue
// in use has its record rewritten for that at most once a day.
func Day(t time.Time) uint32 { return DayOf(t, Days) }

// Days is the resolution of a queue's active day. A test of the Worker in
// real time (it cannot move the clock) runs with a shorter one: the
// functions ending in Of take it as unit.
const Days = 24 * time.Hour

// DayOf is Day in units of unit since the Unix epoch.
func DayOf(t time.Time, unit time.Duration) uint32 {
	ms := t.UnixMilli()
	if ms < 0 {
		return 0
	}
	return uint32(ms / unit.Milliseconds())
}

// Touch reports whether a queue whose record says active must be rewritten
// to say today: only when its day is older (one write per queue per day).
func Touch(active, today uint32) bool { return active < today }

// Idle reports whether a queue last active on day active has been idle for
// at least expiry at now: its last use was at the latest at the end of
// that day. A queue with no day recorded (0) is never idle; its first
// expiry pass records the day of the pass instead.
func Idle(active uint32, now time.Time, expiry time.Duration) bool {
	return IdleOf(active, now, expiry, Days)
}

// IdleOf is Idle with active in units of unit.
func IdleOf(active uint32, now time.Time, expiry, unit time.Duration) bool {
	if active == 0 || expiry <= 0 {
		return false
	}
	return !now.Before(IdleAtOf(active, expiry, unit))
}

// IdleAtOf returns the time at which a queue last active in unit number
// active becomes idle (for the Worker's alarm); zero when active is 0.
func IdleAtOf(active uint32, expiry, unit time.Duration) time.Time {
	if active == 0 {
		return time.Time{}
	}
	return time.UnixMilli((int64(active) + 1) * unit.Milliseconds()).Add(expiry)
}
