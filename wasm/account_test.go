//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/core/store"
	"github.com/sxweb/sxweb/core/store/atrest"
	"github.com/sxweb/sxweb/idbstore"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// importJS calls __sxweb.importAccount(options).
func importJS(t *testing.T, options map[string]any) (safejs.Value, error) {
	t.Helper()
	p, err := safejs.MustGetGlobal("__sxweb").Call("importAccount", options)
	if err != nil {
		t.Fatal(err)
	}
	return awaitT(t, p)
}

// openDBName opens a client on database name (no profile set).
func openOn(t *testing.T, name string, extra map[string]any) (*client, error) {
	t.Helper()
	o := map[string]any{"db": name, "relays": []any{fakeRelay}, "appURL": "http://127.0.0.1:1/", "fileRelay": fakeFileRelay}
	for k, v := range extra {
		o[k] = v
	}
	h, err := openJS(t, o)
	if err != nil {
		return nil, err
	}
	c := &client{t: t, h: h}
	t.Cleanup(func() { c.try("close") })
	return c, nil
}

// chatHistory is alice's and bob's contact with three messages and a file.
func chatHistory(t *testing.T) (alice, bob *client, ac string, data []byte) {
	alice, bob = newClient(t, "alice"), newClient(t, "bob")
	ac, bc := contacts(t, alice, bob)
	for _, text := range []string{"one", "two", "three"} {
		alice.call("sendDirectMessage", ac, text)
	}
	data = make([]byte, 100<<10)
	rand.Read(data)
	alice.call("sendFile", map[string]any{"contactId": ac}, jsBlob(t, data, "application/pdf"), map[string]any{"name": "a.pdf"})
	eventually(t, "bob has them all", func() bool { return length(bob.call("messages", map[string]any{"contactId": bc})) == 4 })
	return alice, bob, ac, data
}

func texts(v safejs.Value) string {
	var out []string
	for i := 0; i < length(v); i++ {
		out = append(out, str(v, i, "text"))
	}
	return strings.Join(out, ",")
}

// Export and import through the JS API: the history comes back in another
// database, with the file when asked for; a wrong passphrase, a damaged
// backup and a database in use are refused with their codes.
func TestExportImport(t *testing.T) {
	alice, _, ac, data := chatHistory(t)
	want := texts(alice.call("messages", map[string]any{"contactId": ac}))
	for _, withFiles := range []bool{false, true} {
		blob := alice.call("exportAccount", map[string]any{"passphrase": "pass phrase", "files": withFiles})
		name := freshDB() + "-imported"
		res, err := importJS(t, map[string]any{"db": name, "data": blob, "passphrase": "pass phrase"})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if n, _ := mustGet(res, "records").Int(); n < 10 {
			t.Fatalf("imported %d records", n)
		}
		c, err := openOn(t, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		ms := c.call("messages", map[string]any{"contactId": ac})
		if got := texts(ms); got != want {
			t.Fatalf("imported history %q, want %q", got, want)
		}
		if str(c.call("getProfile"), "displayName") != "alice" {
			t.Fatal("the profile")
		}
		f, err := c.try("getFile", str(ms, 3, "messageId"))
		if withFiles {
			if err != nil || !bytes.Equal(blobData(t, f), data) {
				t.Fatalf("the file with files: %v", err)
			}
		} else if codeOf(err) != "NOT_FOUND" {
			t.Fatalf("the file without files: %v", err)
		}
		c.call("close")
		// into the same database again: it is not empty
		if _, err := importJS(t, map[string]any{"db": name, "data": blob, "passphrase": "pass phrase"}); codeOf(err) != "NOT_EMPTY" {
			t.Fatalf("into a database in use: %v", err)
		}
		if _, err := importJS(t, map[string]any{"db": name, "data": blob, "passphrase": "pass phrase", "replace": true}); err != nil {
			t.Fatalf("replace: %v", err)
		}
	}
	blob := alice.call("exportAccount", map[string]any{"passphrase": "pass phrase"})
	if _, err := importJS(t, map[string]any{"db": freshDB(), "data": blob, "passphrase": "pass"}); codeOf(err) != "BAD_PASSPHRASE" {
		t.Fatalf("wrong passphrase: %v", err)
	}
	b := blobData(t, blob)
	b[len(b)/2] ^= 1
	if _, err := importJS(t, map[string]any{"db": freshDB(), "data": jsBlob(t, b, ""), "passphrase": "pass phrase"}); codeOf(err) != "BAD_BACKUP" {
		t.Fatalf("damaged: %v", err)
	}
	if _, err := importJS(t, map[string]any{"db": freshDB(), "data": "text", "passphrase": "pass phrase"}); codeOf(err) != bridge.CodeBadArgument {
		t.Fatalf("not a Blob: %v", err)
	}
	if _, err := alice.try("exportAccount", map[string]any{"passphrase": ""}); codeOf(err) != "BAD_PASSPHRASE" {
		t.Fatalf("no passphrase: %v", err)
	}
}

// moveAccount uploads the backup to the file relay and gives a link with
// its description (not the passphrase); importAccount({link}) restores it.
func TestMoveByLink(t *testing.T) {
	alice, _, ac, _ := chatHistory(t)
	lv := alice.call("moveAccount", map[string]any{"passphrase": "moving day"})
	link, _ := lv.String()
	if !strings.HasPrefix(link, "http://127.0.0.1:1/#/move/") || strings.Contains(link, "moving") {
		t.Fatalf("link %q", link)
	}
	name := freshDB()
	if _, err := importJS(t, map[string]any{"db": name, "link": link, "passphrase": "moving day"}); err != nil {
		t.Fatal(err)
	}
	c, err := openOn(t, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if texts(c.call("messages", map[string]any{"contactId": ac})) != texts(alice.call("messages", map[string]any{"contactId": ac})) {
		t.Fatal("the moved history")
	}
	if _, err := importJS(t, map[string]any{"db": freshDB(), "link": "http://x/#/join/abc", "passphrase": "x"}); codeOf(err) != "BAD_LINK" {
		t.Fatalf("not a move link: %v", err)
	}
}

// rawValues are every record of database name below the at-rest layer.
func rawValues(t *testing.T, name string) []store.Record {
	t.Helper()
	raw, err := idbstore.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	recs, err := raw.Scan(context.Background(), nil, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// Values are sealed in IndexedDB, keys are not; a passphrase, once set,
// is needed at start; setPassphrase changes it and takes it off.
func TestAtRest(t *testing.T) {
	name := freshDB()
	c, err := openOn(t, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.call("setProfile", map[string]any{"displayName": "Zelda Quartermaine", "fullName": ""})
	if str(c.call("atRest"), "mode") != "device" {
		t.Fatal("a new database is sealed under the device key")
	}
	c.call("close")
	sawMeta := false
	for _, r := range rawValues(t, name) {
		if bytes.Contains(r.Value, []byte("Quartermaine")) {
			t.Fatalf("%s/%q holds the profile in clear", r.Bucket, r.Key)
		}
		sawMeta = sawMeta || r.Bucket == "c.meta"
	}
	if !sawMeta {
		t.Fatal("no c.meta key below: the keys are expected in clear")
	}
	c, _ = openOn(t, name, nil)
	if _, err := c.try("setPassphrase", "wrong", "new one"); codeOf(err) != "BAD_PASSPHRASE" {
		t.Fatalf("setPassphrase with an old one where none is set: %v", err)
	}
	c.call("setPassphrase", nil, "first secret")
	c.call("close")
	for opts, code := range map[string]string{"": "PASSPHRASE_REQUIRED", "nope": "BAD_PASSPHRASE"} {
		extra := map[string]any{}
		if opts != "" {
			extra["passphrase"] = opts
		}
		if _, err := openOn(t, name, extra); codeOf(err) != code {
			t.Fatalf("open with %q: %v, want %s", opts, err, code)
		}
	}
	c, err = openOn(t, name, map[string]any{"passphrase": "first secret"})
	if err != nil {
		t.Fatal(err)
	}
	if str(c.call("atRest"), "mode") != "passphrase" || str(c.call("getProfile"), "displayName") != "Zelda Quartermaine" {
		t.Fatal("after unlocking")
	}
	c.call("setPassphrase", "first secret", "")
	c.call("close")
	if _, err := openOn(t, name, nil); err != nil {
		t.Fatalf("after the passphrase was taken off: %v", err)
	}
}

// A database written before values were sealed (keys and values in clear,
// file parts too) is sealed in place at its first start: the history and
// files read as before, nothing stays in clear below.
func TestSealOlderDatabase(t *testing.T) {
	name := freshDB()
	c, err := openOn(t, name, map[string]any{"atRest": false})
	if err != nil {
		t.Fatal(err)
	}
	c.call("setProfile", map[string]any{"displayName": "Old Timer", "fullName": ""})
	gid := str(c.call("createGroup", map[string]any{"displayName": "Archive", "fullName": "", "directMessages": "off"}), "groupId")
	for i := 0; i < 30; i++ {
		c.call("sendGroupMessage", gid, "old message in clear")
	}
	data := make([]byte, 5<<20) // one Blob, larger than a sealed part
	rand.Read(data)
	mid := str(c.call("sendFile", map[string]any{"groupId": gid}, jsBlob(t, data, "application/zip"), map[string]any{"name": "big.zip"}), "messageId")
	c.call("close")
	// what the app wrote before the at-rest layer: no header
	raw, _ := idbstore.Open(context.Background(), name)
	var b store.Batch
	b.Delete(atrest.Bucket, "header")
	raw.Apply(context.Background(), &b)
	raw.Close()
	if !anyClear(t, name, "old message in clear") {
		t.Fatal("the setup is not in clear")
	}
	c, err = openOn(t, name, nil)
	if err != nil {
		t.Fatalf("first start of the new version: %v", err)
	}
	if n := length(c.call("messages", map[string]any{"groupId": gid})); n != 31 {
		t.Fatalf("%d messages after sealing", n)
	}
	if got := blobData(t, c.call("getFile", mid)); !bytes.Equal(got, data) {
		t.Fatal("the file after sealing")
	}
	c.call("close")
	if anyClear(t, name, "old message in clear") {
		t.Fatal("a value stayed in clear")
	}
}

func anyClear(t *testing.T, name, text string) bool {
	for _, r := range rawValues(t, name) {
		if bytes.Contains(r.Value, []byte(text)) {
			return true
		}
	}
	return false
}

// A database whose import did not finish is refused at start (DAMAGED)
// and taken by the next import.
func TestIncompleteImportRefused(t *testing.T) {
	alice, _, _, _ := chatHistory(t)
	blob := alice.call("exportAccount", map[string]any{"passphrase": "p"})
	name := freshDB()
	raw, _ := idbstore.Open(context.Background(), name)
	var b store.Batch
	b.Put("!import", "state", []byte("{}"))
	raw.Apply(context.Background(), &b)
	raw.Close()
	if _, err := openOn(t, name, nil); codeOf(err) != "DAMAGED" {
		t.Fatalf("open of a half-imported database: %v", err)
	}
	if _, err := importJS(t, map[string]any{"db": name, "data": blob, "passphrase": "p"}); err != nil {
		t.Fatalf("import into it: %v", err)
	}
	if _, err := openOn(t, name, nil); err != nil {
		t.Fatal(err)
	}
}
