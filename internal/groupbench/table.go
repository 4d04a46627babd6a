package groupbench

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sxweb/sxweb/relay/wire"
)

// Markdown renders results as the tables of docs/group-benchmarks.md,
// rows ordered by N then mode.
func Markdown(rs []Result) string {
	rs = append([]Result(nil), rs...)
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].N != rs[j].N {
			return rs[i].N < rs[j].N
		}
		return rs[i].Mode < rs[j].Mode
	})
	var b strings.Builder
	table(&b, "Connections and queue subscriptions per member",
		[]string{"N", "mode", "member: group conns", "member: contacts", "member: subscriptions",
			"host: conns", "host: subscriptions", "relay: subscriptions (all members)", "vs on-demand"},
		rs, func(r Result, base *Result) []string {
			ratio := "1.00"
			if base != nil {
				ratio = fmt.Sprintf("%.2f", r.relaySubs()/base.relaySubs())
			}
			return []string{f1(r.Member.GroupConns), f1(r.Member.Contacts), f1(r.Member.Subs),
				f0(r.Host.GroupConns + r.Host.Contacts), f0(r.Host.Subs), f0(r.relaySubs()), ratio}
		})
	table(&b, "Resubscribing after a reconnect",
		[]string{"N", "mode", "member: SUBs", "member: KB up / down", "member: frames up / down", "member: time",
			"host: SUBs", "host: KB up / down", "host: time",
			"relay restart: SUBs", "relay restart: KB in / out", "relay restart: time"},
		rs, func(r Result, _ *Result) []string {
			m, h, a := r.ResubMember, r.ResubHost, r.ResubAll
			return []string{i0(m.Traffic.Subs()), kb(m.Traffic), fmt.Sprintf("%d / %d", m.Traffic.FramesUp, m.Traffic.FramesDown), ms(m.Time),
				i0(h.Traffic.Subs()), kb(h.Traffic), ms(h.Time),
				i0(a.Traffic.Subs()), kb0(a.Traffic), ms(a.Time)}
		})
	table(&b, "Building the mesh",
		[]string{"N", "mode", "N-1 members: time", "chat messages", "relay commands (NEW / SEND)", "MB up + down",
			"N-th member joins: time", "chat messages", "relay commands (NEW / SEND)", "KB up + down"},
		rs, func(r Result, _ *Result) []string {
			bu, j := r.Build, r.Join
			return []string{ms(bu.Time), i0(bu.Msgs.total()), cmds(bu.Traffic), fmt.Sprintf("%.1f", float64(bu.Traffic.BytesUp+bu.Traffic.BytesDown)/1e6),
				ms(j.Time), i0(j.Msgs.total()), cmds(j.Traffic), fmt.Sprintf("%.0f", float64(j.Traffic.BytesUp+j.Traffic.BytesDown)/1e3)}
		})
	table(&b, "One group message (a member sends to the N-1 others)",
		[]string{"N", "mode", "sender: SENDs", "sender: KB up", "sender: frames up", "all: KB up + down",
			"reaches all", "delivered to all (receipts back)"},
		rs, func(r Result, _ *Result) []string {
			m := r.Msg
			return []string{i0(m.Sender.Sends()), fmt.Sprintf("%.1f", float64(m.Sender.BytesUp)/1e3), i0(m.Sender.FramesUp),
				fmt.Sprintf("%.1f", float64(m.All.BytesUp+m.All.BytesDown)/1e3), ms(m.Reach), ms(m.Delivered)}
		})
	b.WriteString("\n### Chat messages of the N-th join, by event\n\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "- N=%d %s: %s\n", r.N, r.Mode, byEvent(r.Join.Msgs))
	}
	fmt.Fprintf(&b, "\nWall time per run:")
	for _, r := range rs {
		fmt.Fprintf(&b, " N=%d %s %s;", r.N, r.Mode, r.Elapsed.Round(time.Second))
	}
	b.WriteString("\n")
	return b.String()
}

// table writes one markdown table; row gets the on-demand result of the
// same N as base (nil for the on-demand row itself).
func table(b *strings.Builder, title string, head []string, rs []Result, row func(Result, *Result) []string) {
	fmt.Fprintf(b, "\n### %s\n\n| %s |\n|%s\n", title, strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	for _, r := range rs {
		var base *Result
		if r.Mode != OnDemand {
			for i := range rs {
				if rs[i].N == r.N && rs[i].Mode == OnDemand {
					base = &rs[i]
				}
			}
		}
		cells := append([]string{i0(r.N), r.Mode.String()}, row(r, base)...)
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
	}
}

// relaySubs is the subscriptions the relay holds for the whole group.
func (r Result) relaySubs() float64 {
	return r.Host.Subs + r.Member.Subs*float64(r.N-1)
}

func (m MsgCount) total() int64 {
	var n int64
	for _, v := range m.Events {
		n += v
	}
	return n
}

// byEvent lists the non-zero event counts of m, by name.
func byEvent(m MsgCount) string {
	var names []string
	for k, v := range m.Events {
		if v != 0 {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s %d", k, m.Events[k]))
	}
	return fmt.Sprintf("%s (%d agent messages)", strings.Join(parts, ", "), m.Bodies)
}

func cmds(t Traffic) string { return fmt.Sprintf("%d / %d", t.Up[wire.NEW], t.Up[wire.SEND]) }
func kb(t Traffic) string {
	return fmt.Sprintf("%.1f / %.1f", float64(t.BytesUp)/1e3, float64(t.BytesDown)/1e3)
}
func kb0(t Traffic) string {
	return fmt.Sprintf("%.0f / %.0f", float64(t.BytesUp)/1e3, float64(t.BytesDown)/1e3)
}
func ms(d time.Duration) string {
	if d >= 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return fmt.Sprintf("%.0f ms", float64(d)/1e6)
}
func f0(x float64) string          { return fmt.Sprintf("%.0f", x) }
func f1(x float64) string          { return fmt.Sprintf("%.1f", x) }
func i0[T int | int64](x T) string { return fmt.Sprint(x) }
