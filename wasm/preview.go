//go:build js && wasm

package main

import (
	"context"
	"encoding/base64"

	"github.com/hack-pad/safejs"
	"github.com/sxweb/sxweb/wasm/bridge"
)

// An image's preview goes in its message: a small JPEG data URL the
// recipients show before (or instead of) downloading the image. The
// browser decodes and scales it (createImageBitmap, OffscreenCanvas: in a
// page or a worker alike); where it cannot (no such API, not an image it
// decodes) the file goes without a preview.

const (
	previewSide  = 256      // px, the longer side
	maxPreview   = 12 << 10 // the chat layer's bound on a preview
	maxDecodable = 50 << 20 // larger images are not decoded for a preview
)

// makePreview returns blob's preview ("" when there is none to make).
func makePreview(ctx context.Context, blob safejs.Value, size int64) string {
	if size > maxDecodable {
		return ""
	}
	g := safejs.Global()
	cib, err := g.Get("createImageBitmap")
	if err != nil || cib.Type() != safejs.TypeFunction {
		return ""
	}
	oc, err := g.Get("OffscreenCanvas")
	if err != nil || oc.Type() != safejs.TypeFunction {
		return ""
	}
	p, err := cib.Invoke(blob)
	if err != nil {
		return ""
	}
	bmp, err := bridge.Await(ctx, p)
	if err != nil {
		return ""
	}
	defer bmp.Call("close")
	w, h := dim(bmp, "width"), dim(bmp, "height")
	if w <= 0 || h <= 0 {
		return ""
	}
	for _, try := range []struct {
		side    float64
		quality float64
	}{{previewSide, 0.7}, {previewSide, 0.5}, {160, 0.5}, {96, 0.4}} {
		if url := drawJPEG(ctx, oc, bmp, w, h, try.side, try.quality); url != "" && len(url) <= maxPreview {
			return url
		}
	}
	return ""
}

func dim(v safejs.Value, name string) float64 {
	d, err := v.Get(name)
	if err != nil {
		return 0
	}
	f, _ := d.Float()
	return f
}

// drawJPEG scales bmp to fit side and encodes it as a JPEG data URL.
func drawJPEG(ctx context.Context, oc, bmp safejs.Value, w, h, side, quality float64) string {
	scale := min(1, side/max(w, h))
	cw, ch := max(1, int(w*scale+0.5)), max(1, int(h*scale+0.5))
	canvas, err := oc.New(cw, ch)
	if err != nil {
		return ""
	}
	c2d, err := canvas.Call("getContext", "2d")
	if err != nil || c2d.IsNull() {
		return ""
	}
	if _, err := c2d.Call("drawImage", bmp, 0, 0, cw, ch); err != nil {
		return ""
	}
	p, err := canvas.Call("convertToBlob", map[string]any{"type": "image/jpeg", "quality": quality})
	if err != nil {
		return ""
	}
	out, err := bridge.Await(ctx, p)
	if err != nil {
		return ""
	}
	b, err := blobBytes(ctx, out, maxPreview)
	if err != nil || b == nil {
		return ""
	}
	return "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(b)
}

// blobBytes reads a small Blob (nil when it is larger than limit).
func blobBytes(ctx context.Context, blob safejs.Value, limit int) ([]byte, error) {
	if n := int(dim(blob, "size")); n > limit {
		return nil, nil
	}
	p, err := blob.Call("arrayBuffer")
	if err != nil {
		return nil, err
	}
	buf, err := bridge.Await(ctx, p)
	if err != nil {
		return nil, err
	}
	arr, err := safejs.MustGetGlobal("Uint8Array").New(buf)
	if err != nil {
		return nil, err
	}
	n, _ := arr.Length()
	out := make([]byte, n)
	_, err = safejs.CopyBytesToGo(out, arr)
	return out, err
}
