// backupview.js — keeping the account: the settings card "Backup and moving"
// (a backup file made with exportAccount and saved as a download, when the
// last one was made; moving to another browser by a link from moveAccount,
// shown with its QR code), and the reminder above the app when the last
// backup is old (backupnote.js decides when).
import { h, fill } from "./dom.js";
import { formDialog, newPassphrase } from "./dialog.js";
import { copy, qrSVG } from "./qr.js";
import { fmtSize } from "./filemedia.js";
import { storedFiles } from "./storageview.js";
import { backedUp, backupName, lastBackup, later, reminderOf, when } from "./backupnote.js";

const EXPORT_ERRORS = {
  FILE_FAILED: "The upload to the file relay failed. Check the connection and try again, or use a backup file instead.",
  NOT_ALLOWED: "This app has no file relay to upload to. Use a backup file instead.",
  QUOTA: "The browser has no room left to write the backup. Free some disk space and try again.",
};
const explain = (e) => EXPORT_ERRORS[e.code] || `${e.message}${e.code ? ` (${e.code})` : ""}`;

/** "Include files kept in this browser (12 MB)", or nothing when none are kept here. */
function filesChoice(app) {
  const box = h("input", { type: "checkbox" });
  const el = h("div", { class: "field check", hidden: true }, h("label", {}, box, h("span", {})));
  storedFiles(app).then((files) => {
    const bytes = files.reduce((n, f) => n + f.size, 0);
    if (!files.length) return;
    fill(el.querySelector("span"), `Include the files kept in this browser (${fmtSize(bytes)})`);
    el.append(h("small", { class: "hint" }, "Without them the messages stay, and files you received can no longer be opened."));
    el.hidden = false;
  }, () => {});
  return { el, checked: () => box.checked };
}

/** Hands a Blob to the browser as a download named name; the object URL lives until revoke(). */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, class: "button" }, "Save again");
  const auto = h("a", { href: url, download: name, hidden: true });
  document.body.append(auto);
  auto.click();
  auto.remove();
  return { again: a, revoke: () => URL.revokeObjectURL(url) };
}

/** The backup dialog: a passphrase twice, the export (busy), the file saved. onDone after a backup. */
export function backupDialog(app, onDone = () => {}) {
  const pass = newPassphrase();
  const files = filesChoice(app);
  let saved = null;
  formDialog({
    title: "Back up your account",
    content: [
      h("p", {}, "The backup file holds your whole account: your profile and keys, your contacts and groups, and the messages. " +
        "With it you can restore the account in any browser."),
      h("p", { class: "note warn" }, h("strong", {}, "Choose a passphrase you will remember. "),
        "The file is encrypted with it, and nobody can recover it: not Hearth, not anyone. Without it the backup cannot be opened."),
      pass.el, files.el,
    ],
    submit: "Back up",
    busy: "Encrypting the backup… this takes a few seconds.",
    explain,
    async run() {
      const passphrase = pass.value();
      const blob = await app.chat.exportAccount({ passphrase, files: files.checked() });
      const name = backupName();
      saved = save(blob, name);
      backedUp(app.db);
      onDone();
      app.notice();
      return [
        h("p", { class: "saved", dataset: { size: blob.size } }, "Saved ", h("strong", {}, name), ` (${fmtSize(blob.size)}) to your downloads.`),
        h("p", {}, "Keep it somewhere other than this device: another disk, or a cloud folder (it is encrypted). " +
          "To restore it, open Hearth in a browser and choose “Restore from backup”."),
        h("p", { class: "hint" }, "No download? ", saved.again),
      ];
    },
    onClose: () => saved?.revoke(),
  });
}

/** The move dialog: a passphrase twice, the upload (busy), the link with its QR code. */
function moveDialog(app) {
  const pass = newPassphrase();
  const files = filesChoice(app);
  formDialog({
    title: "Move to another browser",
    content: [
      h("p", {}, "Your account (profile, contacts, groups and messages) is encrypted with a passphrase you choose now and uploaded " +
        "to the file relay for up to 48 hours. You get a link: open it in the other browser and enter the passphrase there."),
      h("p", { class: "note warn" }, h("strong", {}, "The account moves, it is not copied. "),
        "Once the other browser opens it, this browser stops receiving messages. Nobody can recover the passphrase."),
      pass.el, files.el,
    ],
    submit: "Make the link",
    busy: "Encrypting and uploading your account…",
    explain,
    async run() {
      const link = await app.chat.moveAccount({ passphrase: pass.value(), files: files.checked() });
      const input = h("input", { readonly: true, value: link, class: "link-input", "aria-label": "Link to move the account", onfocus: (e) => e.target.select() });
      const btn = h("button", { type: "button", onclick: () => copy(link, btn) }, "Copy link");
      const qr = await qrSVG(link, "QR code of the link to move the account");
      return [
        h("p", {}, "Open this link in the other browser, or scan the code with the other device, then enter the passphrase there."),
        h("div", { class: "row" }, input, btn),
        qr ? h("figure", { class: "qr" }, qr, h("figcaption", {}, "Scan to open the link")) : null,
        h("p", { class: "hint" }, "The link works once, for 48 hours. Anyone with it can try passphrases: send the link and tell the passphrase by different means. " +
          "When the other browser starts with your account, this one stops."),
      ];
    },
  });
}

/** The settings card: the last backup, "Back up", "Move to another browser". */
export function backupCard(app) {
  const last = h("p", { class: "last-backup" });
  const draw = () => {
    const t = lastBackup(app.db);
    fill(last, t ? ["Last backup: ", h("strong", {}, when(t))] : h("strong", {}, "No backup yet."));
    last.dataset.last = String(t);
  };
  draw();
  return h("section", { class: "card backup", "aria-labelledby": "set-b-h" },
    h("h2", { id: "set-b-h" }, "Backup and moving"),
    h("p", {}, "Your account lives only in this browser. If the browser deletes its data, or this device is lost, a backup file is the only way back."),
    last,
    h("div", { class: "row" },
      h("button", { type: "button", class: "primary", onclick: () => backupDialog(app, draw) }, "Back up"),
      h("button", { type: "button", onclick: () => moveDialog(app) }, "Move to another browser")));
}

/** The reminder above the app, or nothing: "Back up now" opens the backup dialog, "Later" hides it for days. */
export function backupNotice(app) {
  if (!app.chat || !app.profile) return null;
  const due = reminderOf(app.db, app.groups.length + app.contacts.length);
  if (!due) return null;
  return h("div", { class: "notice-bar", role: "region", "aria-label": "Backup reminder", dataset: { kind: due.kind } },
    h("span", {}, due.kind === "never" ? "You have no backup yet: if this browser loses its data, your chats are gone."
      : `Your last backup is ${due.days} days old, and there are new messages since.`),
    h("span", { class: "row" },
      h("button", { type: "button", class: "primary", onclick: () => backupDialog(app) }, "Back up now"),
      h("button", { type: "button", onclick: () => { later(app.db); app.notice(); } }, "Later")));
}
