//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// jsBlob makes a JS Blob of data with a MIME type.
func jsBlob(t *testing.T, data []byte, mime string) safejs.Value {
	t.Helper()
	arr, _ := safejs.MustGetGlobal("Uint8Array").New(len(data))
	safejs.CopyBytesToJS(arr, data)
	b, err := safejs.MustGetGlobal("Blob").New([]any{arr}, map[string]any{"type": mime})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blobData reads a JS Blob's bytes.
func blobData(t *testing.T, b safejs.Value) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := blobBytes(ctx, b, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// contacts connects alice and bob; their contact ids.
func contacts(t *testing.T, alice, bob *client) (string, string) {
	inv := alice.call("createInvitation")
	bc := str(bob.call("connect", str(inv, "link")), "contactId")
	eventually(t, "contact connected", func() bool {
		cs := bob.call("contacts")
		return length(cs) == 1 && str(cs, 0, "status") == "connected"
	})
	return str(inv, "contactId"), bc
}

// A file through the JS API: sent as a Blob, seen by the recipient with
// its name, size and "file" events, downloaded, read back as a Blob with
// the same bytes; the sender reads its own copy.
func TestFileThroughTheJSAPI(t *testing.T) {
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	ac, bc := contacts(t, alice, bob)
	data := make([]byte, 300<<10)
	rand.Read(data)
	sent := str(alice.call("sendFile", map[string]any{"contactId": ac}, jsBlob(t, data, "application/pdf"),
		map[string]any{"text": "the notes", "name": "notes.pdf"}), "messageId")
	var mid string
	eventually(t, "bob sees the file available", func() bool {
		ms := bob.call("messages", map[string]any{"contactId": bc})
		if length(ms) == 1 && str(ms, 0, "file", "state") == "available" {
			mid = str(ms, 0, "messageId")
			return str(ms, 0, "file", "name") == "notes.pdf" && str(ms, 0, "text") == "the notes"
		}
		return false
	})
	bob.call("downloadFile", mid)
	f := bob.call("getFile", mid)
	if str(f, "name") != "notes.pdf" || str(f, "type") != "application/pdf" {
		t.Fatalf("getFile: %s %s", str(f, "name"), str(f, "type"))
	}
	if got := blobData(t, f); !bytes.Equal(got, data) {
		t.Fatalf("bob's file: %d bytes, not what was sent", len(got))
	}
	if got := blobData(t, alice.call("getFile", sent)); !bytes.Equal(got, data) {
		t.Fatal("alice's own copy is not the file")
	}
	list := bob.call("files")
	if length(list) != 1 || str(list, 0, "messageId") != mid || !truthy(index(list, 0, "stored")) {
		t.Fatalf("bob's files(): %d", length(list))
	}
	bob.call("deleteFile", mid)
	if _, err := bob.try("getFile", mid); codeOf(err) != "NOT_FOUND" {
		t.Fatalf("getFile after deleteFile: %v", err)
	}
	states := map[string]bool{}
	for i := 0; i < length(bob.events); i++ {
		if str(bob.events, i, "type") == "file" && str(bob.events, i, "messageId") == mid && str(bob.events, i, "contactId") == bc {
			states[str(bob.events, i, "state")] = true
		}
	}
	if !states["available"] || !states["done"] {
		t.Fatalf("bob's file events: %v", states)
	}
}

// Bad file calls answer with codes: not a Blob, a file not downloaded.
func TestFileCallErrors(t *testing.T) {
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	ac, bc := contacts(t, alice, bob)
	if _, err := alice.try("sendFile", map[string]any{"contactId": ac}, "not a blob"); codeOf(err) != bridge.CodeBadArgument {
		t.Fatalf("sendFile of a string: %v", err)
	}
	alice.call("sendFile", map[string]any{"contactId": ac}, jsBlob(t, []byte("hi"), "text/plain"), map[string]any{"name": "a.txt"})
	var mid string
	eventually(t, "bob sees it", func() bool {
		ms := bob.call("messages", map[string]any{"contactId": bc})
		if length(ms) == 1 && str(ms, 0, "file", "state") == "available" {
			mid = str(ms, 0, "messageId")
			return true
		}
		return false
	})
	if _, err := bob.try("getFile", mid); codeOf(err) != "NOT_FOUND" {
		t.Fatalf("getFile before download: %v", err)
	}
}

// An image gets a small JPEG preview made by the browser, shown to the
// recipient before any download (where the browser has OffscreenCanvas).
func TestImagePreview(t *testing.T) {
	mk, err := safejs.MustGetGlobal("Function").New(`if (typeof OffscreenCanvas !== "function") return null;
		const c = new OffscreenCanvas(1200, 800); const g = c.getContext("2d");
		for (let i = 0; i < 40; i++) { g.fillStyle = "hsl(" + i*9 + ",80%,50%)"; g.fillRect(i*30, 0, 30, 800); }
		return c.convertToBlob({type: "image/png"});`)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := mk.Invoke()
	if p.IsNull() {
		t.Skip("no OffscreenCanvas here")
	}
	img, err := awaitT(t, p)
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := newClient(t, "alice"), newClient(t, "bob")
	ac, bc := contacts(t, alice, bob)
	alice.call("sendFile", map[string]any{"contactId": ac}, img, map[string]any{"name": "stripes.png"})
	eventually(t, "bob sees the preview", func() bool {
		ms := bob.call("messages", map[string]any{"contactId": bc})
		return length(ms) == 1 && strings.HasPrefix(str(ms, 0, "preview"), "data:image/jpeg;base64,")
	})
	if n := len(str(bob.call("messages", map[string]any{"contactId": bc}), 0, "preview")); n > maxPreview {
		t.Fatalf("a preview of %d bytes", n)
	}
}

// index reads list[i][name].
func index(list safejs.Value, i int, name string) safejs.Value {
	v, _ := list.Index(i)
	return mustGet(v, name)
}
