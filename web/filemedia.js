// filemedia.js — the files of a chat, apart from drawing them: sizes in plain
// units, which files are here, the object URLs of the full files a chat shows
// (made from getFile's Blob, revoked when their message goes or the chat
// closes: file bytes are never read into JS), what each file offers, and
// running it (open in the viewer, save, download, retry, cancel).
import { h } from "./dom.js";
import { openViewer } from "./viewer.js";

/** The largest file the app sends: a browser tab's storage, not the protocol, is the bound. */
export const MAX_FILE = 1e9;
/** Images up to this size download by themselves (the core's rule). */
export const AUTO_DOWNLOAD = 1 << 20;

/** 1234567 → "1.2 MB" (decimal units, as file managers show them). */
export function fmtSize(n) {
  n = Number(n) || 0;
  if (n < 1000) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1000, i = 0;
  while (v >= 999.5 && i < units.length - 1) { v /= 1000; i++; }
  return `${v < 9.95 ? v.toFixed(1).replace(/\.0$/, "") : Math.round(v)} ${units[i]}`;
}

const ICONS = [[/^image\//, "🖼️"], [/^video\//, "🎬"], [/^audio\//, "🎵"], [/pdf$/, "📕"],
  [/zip|compress|tar|7z|rar/, "🗜️"], [/^text\/|json|xml/, "📝"]];
export const iconOf = (type) => (ICONS.find(([re]) => re.test(type || "")) || [0, "📄"])[1];

/** Images a browser shows in an <img> (an <img> runs no script, SVG included). */
export const SHOWABLE = /^image\/(jpeg|png|gif|webp|avif|bmp|svg\+xml)$/;

/** The whole file is in this browser: mine (the copy I sent from) or theirs once downloaded. */
export const fileHere = (m) => !!m.file && (m.sender === "me" || m.file.state === "done");
export const percent = (f) => (f.size ? Math.min(100, Math.floor((100 * (f.done || 0)) / f.size)) : 0);
/** A file of theirs that a click downloads (again). */
export const fetchable = (m) => m.sender !== "me" && ["available", "failed", "cancelled"].includes(m.file.state);

/**
 * The object URLs of the files of one chat, made from getFile's Blob the first
 * time a bubble needs one (onChange() then redraws), and the shape of each
 * image (so a redraw keeps its height before it loads).
 */
export function fileMedia(chat, { onChange = () => {}, onShape = () => {} } = {}) {
  const urls = new Map(); // messageId → object URL | Promise (getFile running) | false (failed)
  const shapes = new Map(); // messageId → "w / h"
  const gone = new Set(); // messageIds of received files deleted from this device (the core refuses to download them)
  function url(m) {
    if (!fileHere(m)) return null;
    const id = m.messageId, u = urls.get(id);
    if (typeof u === "string") return u;
    if (u === undefined) {
      const p = chat.getFile(id).then((f) => {
        if (urls.get(id) !== p) return;
        urls.set(id, URL.createObjectURL(f instanceof Blob ? f : f.blob)); // a File (older cores: {blob})
        onChange();
      }, () => {
        if (urls.get(id) !== p) return;
        urls.set(id, false);
        onChange(); // the bubble says it is not here
      });
      urls.set(id, p);
    }
    return null;
  }
  return {
    url,
    /** Resolves with the file's object URL (null when it is not here). */
    async ready(m) {
      url(m);
      await urls.get(m.messageId);
      return url(m);
    },
    /** The file should be here but is not (my copy was deleted from this device). */
    missing: (m) => urls.get(m.messageId) === false,
    /** A received file that cannot be downloaded again (its copy here was deleted). */
    gone: (m) => gone.has(m.messageId),
    markGone(id) { gone.add(id); onChange(); },
    shape: (id) => shapes.get(id) || null,
    setShape(id, img) {
      if (shapes.has(id) || !img.naturalWidth) return;
      shapes.set(id, `${img.naturalWidth} / ${img.naturalHeight}`);
      onShape();
    },
    /** The message went, or its file changed: its URL is revoked (made again when needed). */
    forget(id) {
      const u = urls.get(id);
      if (typeof u === "string") URL.revokeObjectURL(u);
      urls.delete(id);
    },
    dispose() {
      for (const u of urls.values()) if (typeof u === "string") URL.revokeObjectURL(u);
      urls.clear();
    },
  };
}

/**
 * What a file offers in its message's actions menu: [kind, icon, label]
 * (kinds as fx.act takes them); media: the chat's fileMedia.
 */
export function fileActions(m, media) {
  const f = m.file;
  if (!f) return [];
  const mine = m.sender === "me", here = fileHere(m) && !media.missing(m);
  return [
    here && SHOWABLE.test(f.type) ? ["open", "🖼️", "Open image"] : null,
    here ? ["save", "💾", `Save ${f.name}`] : null,
    fetchable(m) && f.state !== "failed" && !media.gone(m) ? ["download", "⬇️", `Download (${fmtSize(f.size)})`] : null,
    !mine && f.state === "failed" ? ["retry", "🔁", "Retry download"] : null,
    (mine && f.state === "uploading") || f.state === "downloading" ? ["cancel", "✖️", mine ? "Cancel upload" : "Cancel download"] : null,
  ].filter(Boolean);
}

/**
 * Runs a file's action for a chat: open (the viewer), save (a download link
 * clicked), download and retry (downloadFile: the file events show the way),
 * cancel. A failed or cancelled transfer is shown by its bubble, not reported.
 */
export function fileActor({ chat, media, onError }) {
  return async function act(kind, m) {
    try {
      if (kind === "open" || kind === "save") {
        const url = await media.ready(m);
        if (!url) throw new Error("The file is not in this browser.");
        if (kind === "open") return await openViewer({ src: url, name: m.file.name, detail: fmtSize(m.file.size) });
        const a = h("a", { href: url, download: m.file.name, hidden: true });
        document.body.append(a);
        a.click();
        a.remove();
      } else if (kind === "download" || kind === "retry") {
        await chat.downloadFile(m.messageId); // resolves once stored
      } else if (kind === "cancel") {
        await chat.cancelFile(m.messageId);
      }
    } catch (e) {
      // A received file whose copy was deleted here: the relay forgot this recipient. messages()
      // says only "cancelled", so the refusal is what tells it apart from a cancelled download.
      if ((kind === "download" || kind === "retry") && e.code === "NOT_ALLOWED") media.markGone(m.messageId);
      else if (!["FILE_FAILED", "CANCELED", "CLOSED"].includes(e.code)) onError(e);
    }
  };
}
