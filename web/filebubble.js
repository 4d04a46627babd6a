// filebubble.js — a message's file as its bubble shows it: an image (its
// preview at once, blurred, then the full image once it is here; a click opens
// the viewer) or a file's icon, name and size; under it the transfer: a
// progress bar with the percent and Cancel while it moves, Download, Retry,
// Save (filemedia.js makes the links and runs the actions).
import { h } from "./dom.js";
import { fmtSize, iconOf, SHOWABLE, AUTO_DOWNLOAD, percent, fetchable } from "./filemedia.js";

/**
 * The file part of message m's bubble. fx: media (fileMedia), act(kind, m) for
 * open, download, retry, cancel. Its controls are not tab stops (the list's
 * one tab stop is the message's "⋯", whose menu offers the same).
 */
export function fileBlock(m, fx) {
  const f = m.file;
  const full = fx.media.url(m);
  const image = m.preview || (full && SHOWABLE.test(f.type)) ? imageView(m, full, fx) : null;
  return h("div", { class: `file${image ? " image" : " doc"}`, dataset: { state: f.state } },
    image || h("div", { class: "doc-row", id: `file-${m.messageId}` },
      h("span", { class: "ficon", "aria-hidden": "true" }, iconOf(f.type)),
      h("span", { class: "fname" }, f.name), h("small", { class: "fsize" }, fmtSize(f.size))),
    transfer(m, full, fx, !!image));
}

function imageView(m, full, fx) {
  const f = m.file, id = m.messageId;
  const showFull = full && SHOWABLE.test(f.type);
  const shape = fx.media.shape(id);
  const img = h("img", {
    src: showFull ? full : m.preview, alt: "", draggable: "false", class: showFull ? "full" : "preview",
    onload: (e) => fx.media.setShape(id, e.currentTarget),
  });
  if (shape) img.style.aspectRatio = shape; // CSSOM: the page's CSP allows no style attributes
  const kind = showFull ? "open" : fetchable(m) && f.state !== "failed" && !fx.media.gone(m) ? "download" : null;
  const label = showFull ? `Open image ${f.name}` : kind ? `Download image ${f.name} (${fmtSize(f.size)})` : `Image ${f.name}, ${fmtSize(f.size)}`;
  return h(kind ? "button" : "div", {
    type: kind ? "button" : null, class: "thumb", id: `file-${id}`, tabindex: kind ? "-1" : null,
    "aria-label": label, title: kind ? label : null, role: kind ? null : "img",
    dataset: { focus: `thumb-${id}` }, onclick: kind ? () => fx.act(kind, m) : null,
  }, img, kind === "download" ? h("span", { class: "dl-badge", "aria-hidden": "true" }, `⬇ ${fmtSize(f.size)}`) : null);
}

/** The line under a file: where its transfer stands, and what can be done. */
function transfer(m, full, fx, image) {
  const f = m.file, mine = m.sender === "me", id = m.messageId;
  const btn = (kind, label, cls = "") => h("button", {
    type: "button", class: `file-btn ${cls}`, tabindex: "-1", dataset: { focus: `${kind}-${id}` },
    "aria-label": `${label} ${f.name}`, onclick: () => fx.act(kind, m),
  }, label);
  const bar = (verb) => {
    const p = percent(f);
    return h("span", { class: "bar" }, h("progress", { max: 100, value: p, "aria-label": `${verb} ${f.name}` }),
      h("span", { class: "pct" }, `${verb} ${p}%`));
  };
  const save = () => (full ? h("a", { class: "button file-btn", href: full, download: f.name, tabindex: "-1", dataset: { focus: `save-${id}` }, "aria-label": `Save ${f.name}` }, "Save") : null);
  const say = (text, cls = "", title = null) => h("span", { class: `fstate ${cls}`, title }, text);
  const row = (...c) => h("div", { class: "transfer" }, ...c);
  switch (f.state) {
    case "uploading":
      if (!mine) return row(say("The sender is still uploading it…"));
      // All up: each member's description (the keys to download it) goes next, then it is "sent".
      return row(percent(f) >= 100 ? say("Uploaded · finishing…", "", "Each member gets the keys to download it next") : bar("Uploading"), btn("cancel", "Cancel"));
    case "sent":
      if (fx.media.missing(m)) return row(say("✓ Uploaded · deleted from this device"));
      return image ? null : row(say("✓ Uploaded", "ok"), save());
    case "available":
      if (image) return f.size <= AUTO_DOWNLOAD ? row(say("Loading…")) : null;
      return row(btn("download", "Download", "primary"));
    case "downloading":
      return row(bar("Downloading"), btn("cancel", "Cancel"));
    case "done":
      return image ? null : row(save());
    case "failed":
      return [row(say(mine ? "Upload failed" : "Download failed", "err"), mine ? null : btn("retry", "Retry")),
        h("small", { class: "hint" }, mine ? "The file relay refused it: nobody can download it. Send the file again."
          : "It was damaged on the way or on the file relay, or it expired there (files are kept 48 hours).")];
    case "cancelled":
      if (!mine && fx.media.gone(m)) return row(say("Deleted from this device: it cannot be downloaded again."));
      return row(say(mine ? "Upload cancelled: nobody can download it" : "Download cancelled"), mine ? null : btn("download", "Download"));
    default:
      return null;
  }
}
