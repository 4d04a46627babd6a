// storageview.js — what this browser keeps for the app: the storage estimate
// (used of what the browser allows this site), whether it is persistent, and
// what files take — the copies of the files I sent and the files I downloaded,
// largest first, each deletable with its message ("delete for me"). The core
// has no call for the files' total, so it is counted from every chat's
// messages when the page opens.
import { h, fill, fmtTime } from "./dom.js";
import { fmtSize } from "./filemedia.js";
import { confirmDelete } from "./msgmenu.js";

/** Bytes of a message's file in this browser: mine whole, theirs as far as downloaded. */
const storedBytes = (m) => (m.sender === "me" ? m.file.size : m.file.state === "done" ? m.file.size : m.file.state === "downloading" ? m.file.done || 0 : 0);

/** Every file kept here, largest first: [{messageId, chat, name, size, stored, mine, ts}]. */
export async function storedFiles(app) {
  const chats = [
    ...app.groups.filter((g) => g.status !== "deleted").map((g) => ({ ref: { groupId: g.groupId }, name: g.displayName })),
    ...app.contacts.map((c) => ({ ref: { contactId: c.contactId }, name: c.displayName || "contact" })),
  ];
  const out = [];
  for (const c of chats) {
    const ms = await app.chat.messages(c.ref).catch(() => []);
    for (const m of ms) {
      const stored = m.file && !m.deleted ? storedBytes(m) : 0;
      if (stored) out.push({ messageId: m.messageId, chat: c.name, name: m.file.name, size: m.file.size, stored, mine: m.sender === "me", ts: m.ts });
    }
  }
  return out.sort((a, b) => b.stored - a.stored);
}

/** "Using 12 MB of 1.2 GB": the browser's estimate, with a bar. */
function usage(est) {
  if (!est || !est.quota) return h("p", {}, "This browser does not say how much storage the app uses.");
  const db = est.usageDetails && est.usageDetails.indexedDB;
  return h("div", { class: "usage" },
    h("p", { dataset: { usage: est.usage } }, `Using ${fmtSize(est.usage)} of ${fmtSize(est.quota)} this browser allows this site`,
      db != null ? ` (the chat database: ${fmtSize(db)})` : "", "."),
    h("progress", { max: est.quota, value: est.usage, "aria-label": "Storage used" }));
}

/** The files' share: their total and count. */
const filesLine = (files) => h("p", { class: "files-total", dataset: { files: files.length, bytes: files.reduce((n, f) => n + f.stored, 0) } },
  files.length ? `Files take ${fmtSize(files.reduce((n, f) => n + f.stored, 0))} (${files.length} file${files.length === 1 ? "" : "s"}: the copies of files you sent and the files you downloaded).`
    : "No files are kept in this browser.");

/** The summary card of the settings screen: storage used and what files take, with a link to the details. */
export function storageSummary(app) {
  const body = h("div", {}, h("p", { class: "hint" }, "Counting…"));
  Promise.all([app.chat.storage().catch(() => null), storedFiles(app)]).then(([est, files]) => {
    fill(body, usage(est), filesLine(files));
  }, (e) => fill(body, h("p", { class: "error" }, `Could not count: ${e.message}`)));
  return h("section", { class: "card storage-summary", "aria-labelledby": "set-st-h" },
    h("h2", { id: "set-st-h" }, "Storage"), body, h("p", {}, h("a", { href: "#/storage" }, "Storage details and files")));
}

/** The storage screen: persistence, usage, and the files kept here (delete for me). */
export function storageView(app, { evictionNote }) {
  const est = h("div", {}, h("p", { class: "hint" }, "Reading the browser's estimate…"));
  const list = h("div", { class: "stored-files" }, h("p", { class: "hint" }, "Counting files…"));
  let shown = 20;
  async function update() {
    const [e, files] = await Promise.all([app.chat.storage().catch(() => null), storedFiles(app)]);
    fill(est, usage(e));
    const focused = list.contains(document.activeElement);
    fill(list, filesLine(files), files.length ? h("ul", { class: "files", "aria-label": "Files kept in this browser" }, files.slice(0, shown).map((f) => h("li", {},
      h("div", { class: "who" }, h("strong", {}, f.name),
        h("small", {}, `${fmtSize(f.stored)}${f.stored < f.size ? ` of ${fmtSize(f.size)}` : ""} · ${f.mine ? "sent by you" : "received"} in ${f.chat} · ${fmtTime(f.ts)}`)),
      h("button", { type: "button", class: "danger", "aria-label": `Delete ${f.name} for me`, onclick: () => remove(f) }, "Delete for me")))) : null,
    files.length > shown ? h("button", { type: "button", onclick: () => { shown += 50; update(); } }, `Show more (${files.length - shown} more)`) : null);
    if (focused) (list.querySelector("button") || list).focus();
  }
  async function remove(f) {
    const how = await confirmDelete("here", `📎 ${f.name} (${fmtSize(f.size)})`);
    if (!how) return;
    try {
      await app.chat.deleteMessage(f.messageId);
      await update();
    } catch (e) { app.error(e); }
  }
  update().catch(app.error);
  const p = app.chat.persisted;
  return {
    el: h("section", { class: "card", "aria-labelledby": "st-h" }, h("h1", { id: "st-h" }, "Storage"),
      h("p", { dataset: { persisted: String(p) } }, "Persistent storage: ", h("strong", {}, p === true ? "granted" : p === false ? "not granted" : "not supported by this browser")),
      est, evictionNote(app, false),
      h("h2", {}, "Files"),
      h("p", { class: "hint" }, "Deleting a file here deletes its message from this browser only; the others keep theirs."),
      list, h("p", {}, `Database: ${app.chat.db}`)),
  };
}
