package chattest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sxweb/sxweb/core/chat"
)

// DirectAtJoinEveryContactConnects: a group with direct connections at
// join (no member limit) that n-1 members join by its link at once. Every
// pair of members introduced to each other ends with a connected contact
// on both sides: each member but the owner has n-2 contacts, one per other
// member, all connected, and none is left connecting or dropped.
func DirectAtJoinEveryContactConnects(t *testing.T, mk Factory, n int) {
	us := mk(t, false, names(n)...)
	gid := must[string](t)(us[0].CreateGroup(ctx, chat.GroupSettings{DisplayName: "g", DirectMessages: "on", DirectConnections: true}))
	link := must[string](t)(us[0].CreateGroupLink(ctx, gid))
	gids := make([]string, n)
	gids[0] = gid
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 1; i < n; i++ {
		wg.Go(func() { gids[i], errs[i] = us[i].JoinGroup(ctx, link, chat.JoinOptions{}) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	waitMesh(t, us, gids)
	for i, u := range us[1:] {
		want := map[string]bool{}
		for _, m := range must[[]chat.Member](t)(u.Members(ctx, gids[i+1])) {
			if m.Role != "owner" {
				want[m.MemberID] = true
			}
		}
		waitFor(t, fmt.Sprintf("%s: a connected contact with each of the %d other members", u.Name, n-2), func() bool {
			cs, _ := u.Contacts(ctx)
			got := 0
			for _, c := range cs {
				if c.Status != "connected" || c.GroupID != gids[i+1] || !want[c.MemberID] {
					return false
				}
				got++
			}
			return got == n-2 && len(want) == n-2
		})
	}
	if cs := must[[]chat.Contact](t)(us[0].Contacts(ctx)); len(cs) != 0 {
		t.Fatalf("owner has %d contacts", len(cs))
	}
}
