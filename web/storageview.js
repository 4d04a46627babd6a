// storageview.js — what this browser keeps for the app: the storage estimate
// (used of what the browser allows this site), whether it is persistent, and
// what files take (the core's files(): the copies of the files I sent and the
// files I downloaded), largest first, each deletable from this device
// (deleteFile: the message stays).
import { h, fill } from "./dom.js";
import { fmtSize } from "./filemedia.js";

/** The files whose bytes are here, largest first, each with its chat's name. */
export async function storedFiles(app) {
  const chatName = (f) => (f.groupId != null ? app.groups.find((g) => String(g.groupId) === String(f.groupId))?.displayName
    : app.contacts.find((c) => String(c.contactId) === String(f.contactId))?.displayName) || "a chat";
  const all = (await app.chat.files()) || [];
  return all.filter((f) => f.stored).map((f) => ({ ...f, chat: chatName(f) })).sort((a, b) => b.size - a.size);
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
const filesLine = (files) => {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  return h("p", { class: "files-total", dataset: { files: files.length, bytes } },
    files.length ? `Files take ${fmtSize(bytes)} (${files.length} file${files.length === 1 ? "" : "s"}: the copies of files you sent and the files you downloaded).`
      : "No files are kept in this browser.");
};

/** The summary card of the settings screen: storage used and what files take, with a link to the details. */
export function storageSummary(app) {
  const body = h("div", {}, h("p", { class: "hint" }, "Counting…"));
  Promise.all([app.chat.storage().catch(() => null), storedFiles(app)]).then(([est, files]) => {
    fill(body, usage(est), filesLine(files));
  }, (e) => fill(body, h("p", { class: "error" }, `Could not count: ${e.message}`)));
  return h("section", { class: "card storage-summary", "aria-labelledby": "set-st-h" },
    h("h2", { id: "set-st-h" }, "Storage"), body, h("p", {}, h("a", { href: "#/storage" }, "Storage details and files")));
}

/** The storage screen: persistence, usage, and the files kept here (each deletable from this device). */
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
        h("small", {}, `${fmtSize(f.size)} · ${f.mine ? "sent by you" : "received"} in ${f.chat}${f.mine && f.state === "uploading" ? " · uploading" : ""}`)),
      f.mine && f.state === "uploading" ? h("small", { class: "hint" }, "Cancel the upload in the chat first")
        : h("button", { type: "button", class: "danger", "aria-label": `Delete ${f.name} from this device`, onclick: () => remove(f) }, "Delete")))) : null,
    files.length > shown ? h("button", { type: "button", onclick: () => { shown += 50; update(); } }, `Show more (${files.length - shown} more)`) : null);
    if (focused) (list.querySelector("button") || list).focus();
  }
  async function remove(f) {
    if (!(await confirmFile(f))) return;
    try {
      await app.chat.deleteFile(f.messageId);
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
      h("p", { class: "hint" }, "Deleting a file frees its space in this browser; its message stays, and the others keep their copies."),
      list, h("p", {}, `Database: ${app.chat.db}`)),
  };
}

/** Asks before a file's bytes leave this device; resolves true to delete. */
function confirmFile(f) {
  return new Promise((resolve) => {
    let yes = false;
    const dlg = h("dialog", { class: "confirm", "aria-labelledby": "delf-h", "aria-describedby": "delf-d" },
      h("h2", { id: "delf-h" }, "Delete the file from this device?"),
      h("blockquote", { class: "preview" }, `📎 ${f.name} (${fmtSize(f.size)})`),
      h("p", { id: "delf-d" }, f.mine ? "Its message stays, and those you sent it to keep their copies; you cannot open it here any more."
        : "Its message stays, but the file cannot be downloaded again."),
      h("div", { class: "row end" }, h("button", { type: "button", autofocus: true, onclick: () => dlg.close() }, "Cancel"),
        h("button", { type: "button", class: "danger", onclick: () => { yes = true; dlg.close(); } }, "Delete file")));
    dlg.addEventListener("close", () => { dlg.remove(); resolve(yes); });
    document.body.append(dlg);
    dlg.showModal();
  });
}
