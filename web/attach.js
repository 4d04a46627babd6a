// attach.js — files chosen to send from the composer: the paperclip (a file
// picker, several files), a paste of files or of an image from the clipboard,
// and a drop on the chat. Each file is checked when it is added (the chat
// allows files; at most MAX_FILE; room left in the browser's storage, which
// keeps a copy of what is sent) and waits in a tray above the box (a thumbnail
// for images, name, size, ✕) until Send sends it. Refusals are said in plain
// words. Nothing is read: the tray holds the File objects and their object URLs.
import { h, fill } from "./dom.js";
import { MAX_FILE, fmtSize, iconOf } from "./filemedia.js";

let seq = 0;

/**
 * allowed() → "" or why this chat takes no files; storage() → the browser's
 * estimate ({usage, quota}) or null; onChange() when the tray fills or empties.
 */
export function attachTray({ allowed, storage = async () => null, onChange = () => {} }) {
  const id = ++seq;
  let items = []; // {file, url}
  const input = h("input", {
    type: "file", multiple: true, hidden: true, tabindex: "-1", "aria-hidden": "true",
    onchange: () => { add([...input.files]); input.value = ""; },
  });
  const note = h("p", { class: "hint attach-note", id: `attach-note-${id}`, "aria-live": "polite" });
  const list = h("ul", { class: "tray", "aria-label": "Files to send", hidden: true });
  const button = h("button", { type: "button", class: "attach", "aria-label": "Attach files", onclick: pick }, "📎");

  function pick() {
    const why = allowed();
    if (why) return say(why, true);
    say("");
    input.click();
  }
  /** The line above the box: a refusal (marked) or what is going on. */
  const say = (text, refused = false) => { note.textContent = text; note.classList.toggle("refused", refused); };

  /** Adds files (a FileList or array) after checking each; pasted ones get a dated name. */
  async function add(files, { pasted = false } = {}) {
    files = [...files];
    if (!files.length) return;
    const why = allowed();
    if (why) return say(why, true);
    const est = await storage().catch(() => null);
    let free = est && est.quota ? est.quota - est.usage - items.reduce((n, x) => n + x.file.size, 0) : Infinity;
    const refused = [];
    for (let f of files) {
      if (f.size > MAX_FILE) refused.push(`${f.name} is ${fmtSize(f.size)}: Hearth sends files up to ${fmtSize(MAX_FILE)}.`);
      else if (f.size > free) refused.push(`${f.name} (${fmtSize(f.size)}) does not fit in this browser's storage (${fmtSize(Math.max(0, free))} left): free some space first.`);
      else {
        if (pasted) f = rename(f);
        items.push({ file: f, url: f.type.startsWith("image/") && f.size <= 20e6 ? URL.createObjectURL(f) : null });
        free -= f.size;
      }
    }
    say(refused.join(" "), refused.length > 0);
    draw();
  }

  function draw() {
    list.hidden = !items.length;
    fill(list, items.map((it, i) => h("li", { class: "tray-item" },
      it.url ? h("img", { src: it.url, alt: "" }) : h("span", { class: "ficon", "aria-hidden": "true" }, iconOf(it.file.type)),
      h("span", { class: "fname" }, it.file.name), h("small", {}, fmtSize(it.file.size)),
      h("button", { type: "button", class: "link remove", "aria-label": `Remove ${it.file.name}`, title: "Remove", onclick: () => remove(i) }, "✕"))));
    onChange();
  }
  function remove(i) {
    const [it] = items.splice(i, 1);
    if (it && it.url) URL.revokeObjectURL(it.url);
    draw();
    (list.querySelectorAll(".remove")[Math.min(i, items.length - 1)] || button).focus();
  }
  function clear() {
    for (const it of items) if (it.url) URL.revokeObjectURL(it.url);
    items = [];
    draw();
  }

  /** The attach button says whether files can be sent here (disabled with the reason where not). */
  function sync() {
    const why = allowed();
    button.setAttribute("aria-disabled", why ? "true" : "false");
    button.title = why || "Attach files (or drop them on the chat, or paste an image)";
    if (why) {
      button.setAttribute("aria-describedby", note.id);
      if (items.length) clear();
      if (!note.textContent) say(why, true);
    } else {
      button.removeAttribute("aria-describedby");
      if (note.textContent && !items.length) say("");
    }
  }

  return {
    el: h("div", { class: "attach-wrap" }, list, note), button, input, add, clear, sync, say, allowed,
    count: () => items.length,
    /** The files to send, leaving the tray empty. */
    take() {
      const files = items.map((x) => x.file);
      clear();
      return files;
    },
  };
}

/** A pasted image is called "image.png": a name that says when it was pasted. */
function rename(f) {
  if (f.name && f.name !== "image.png" && f.name !== "image.jpeg") return f;
  const d = new Date(), p = (n) => String(n).padStart(2, "0");
  const ext = (f.type.split("/")[1] || "bin").replace("jpeg", "jpg").replace(/\+.*/, "");
  return new File([f], `pasted-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.${ext}`, { type: f.type });
}

/**
 * Files dropped anywhere on el go to the tray; while they are dragged over it,
 * an overlay says that they can be dropped, or why not.
 */
export function dropZone(el, tray) {
  const overlay = h("div", { class: "drop-overlay", hidden: true, "aria-hidden": "true" });
  let depth = 0;
  const files = (e) => [...((e.dataTransfer && e.dataTransfer.types) || [])].includes("Files");
  const hide = () => { depth = 0; overlay.hidden = true; };
  el.addEventListener("dragenter", (e) => {
    if (!files(e)) return;
    e.preventDefault();
    if (depth++ === 0) {
      const why = tray.allowed();
      overlay.textContent = why || "Drop files to send them";
      overlay.classList.toggle("refused", !!why);
      overlay.hidden = false;
    }
  });
  el.addEventListener("dragover", (e) => {
    if (!files(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = tray.allowed() ? "none" : "copy";
  });
  el.addEventListener("dragleave", (e) => { if (files(e) && --depth <= 0) hide(); });
  el.addEventListener("drop", (e) => {
    if (!files(e)) return;
    e.preventDefault();
    hide();
    tray.add(e.dataTransfer.files);
  });
  el.append(overlay);
  return overlay;
}
