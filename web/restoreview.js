// restoreview.js — the screens before the chats: restoring an account from a
// backup file or a moving link (importAccount), the screen saying the browser
// deleted the data (start() rejected EVICTED), and unlocking a database that
// has a passphrase (PASSPHRASE_REQUIRED). An import needs the database free,
// so the core stops first (app.stop()); after it the page reloads, and the
// core starts from the restored database in its worker as at any start.
import { h, fill, field } from "./dom.js";
import { importAccount } from "./simplex.js";
import { whenFree } from "./dblock.js";
import { passInput, fieldError } from "./dialog.js";
import { backedUp, lastBackup, when } from "./backupnote.js";

const IMPORT_ERRORS = {
  BAD_PASSPHRASE: "This passphrase does not open the backup. Check it (capitals, spaces) and try again: it is the one chosen when the backup was made.",
  BAD_BACKUP: "This file is not a Hearth backup, or it is damaged or incomplete (cut off while it was saved or copied). Try another copy.",
  SCHEMA_TOO_NEW: "This backup was made by a newer version of Hearth. Reload the page to get the new version, then try again.",
  LOCKED: "Hearth is open in another tab. Close its other tabs, then try again.",
  FILE_FAILED: "The account could not be downloaded: the link was used already, it expired (links last 48 hours), or the connection failed.",
  BAD_LINK: "This link is cut off, or it is not a link to move a Hearth account. Copy it again, whole.",
  QUOTA: "The browser has no room for the account. Free some disk space, then try again.",
};

/** A status line with an indeterminate progress bar, hidden until shown. */
const busyLine = (text) => h("p", { class: "busy", role: "status", hidden: true }, h("progress", { "aria-label": text }), h("span", {}, text));

/** Runs work with the form's busy state; its error's words (explain) show in err. */
async function working(form, err, busy, work, explain) {
  err.hidden = true;
  busy.hidden = false;
  for (const b of form.querySelectorAll("button, input")) b.disabled = true;
  try {
    await work();
  } catch (e) {
    fill(err, explain(e));
    err.hidden = false;
    for (const b of form.querySelectorAll("button, input")) b.disabled = false;
    const target = e.input || (e.code === "BAD_PASSPHRASE" ? form.querySelector("input[type=password]") : null)
      || (e.code === "BAD_BACKUP" ? form.querySelector("input[type=file]") : null);
    target?.focus();
    target?.select?.();
  } finally {
    busy.hidden = true;
  }
}

/**
 * The restore form: a backup file (or the moving link), its passphrase, and
 * where an account is here already (account: its name), a box to tick to
 * replace it. back(): Cancel.
 */
export function restoreForm(app, { link = null, account = null, back, note = null }) {
  const file = link ? null : h("input", { type: "file", accept: ".hearth,application/octet-stream", required: true, autofocus: true });
  const pass = passInput({ autocomplete: "off", autofocus: !!link });
  const replace = account ? h("input", { type: "checkbox", required: true }) : null;
  const err = h("p", { class: "error", role: "alert", hidden: true });
  const busy = busyLine(link ? "Downloading and restoring your account… this takes a few seconds." : "Checking the backup and restoring it… this takes a few seconds.");
  const form = h("form", {
    class: "card restore", "aria-labelledby": "rs-h",
    onsubmit: (e) => {
      e.preventDefault();
      working(form, err, busy, async () => {
        const data = file?.files[0];
        if (file && !data) throw fieldError(file, "Choose the backup file (its name ends in .hearth).");
        if (replace && !replace.checked) throw fieldError(replace, "Tick the box to replace the account in this browser.");
        await app.stop(); // the database must be free of any core
        await whenFree(app.db);
        // replace: an account here is replaced only once the box is ticked; without
        // one the database holds at most what a start wrote before any profile.
        const res = await importAccount({ db: app.db, data, link, passphrase: pass.value, replace: true });
        if (!link) backedUp(app.db, res.created); // the file it came from is a backup of that time
        history.replaceState(null, "", `${location.pathname}${location.search}#/`);
        location.reload();
        await new Promise(() => {}); // busy until the page goes
      }, (e) => IMPORT_ERRORS[e.code] || `${e.message}${e.code ? ` (${e.code})` : ""}`);
    },
  },
  h("h1", { id: "rs-h" }, link ? "Move your account here" : "Restore from backup"),
  note,
  h("p", {}, link ? "You opened a link that moves a Hearth account into this browser. Enter the passphrase chosen when the link was made."
    : "Choose the backup file (hearth-backup-….hearth) and enter the passphrase chosen when it was made."),
  account ? h("div", { class: "note warn" },
    h("p", {}, h("strong", {}, account === true ? "This browser has an account that is locked with a passphrase. " : `This browser already has an account (${account}). `),
      "Restoring replaces it: its chats here are deleted. Its contacts and groups stay only if they are in the restored account."),
    h("div", { class: "field check" }, h("label", {}, replace, " Replace the account in this browser"))) : null,
  file ? field("Backup file", file) : null,
  field("Passphrase", pass),
  err, busy,
  h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, link ? "Move here" : "Restore"),
    h("button", { type: "button", onclick: back }, "Cancel")));
  return form;
}

/** Back to the app's start (the core starts again if it was stopped for an import). */
export function home(app) {
  history.replaceState(null, "", `${location.pathname}${location.search}#/`);
  return app.chat ? app.navigate("#/") : app.boot();
}

/** The browser deleted the database: say so, offer the backup or a new start. */
export function evictedScreen(app) {
  const t = lastBackup(app.db);
  const el = h("section", { class: "card evicted", "aria-labelledby": "ev-h" },
    h("h1", { id: "ev-h" }, "This browser deleted Hearth's data"),
    h("p", {}, "Your profile, contacts, groups and messages were kept only in this browser, and the browser has removed them. " +
      "Browsers do this when the disk runs low on space, or when a site's data is cleared."),
    h("p", {}, "If you made a backup, restore it now: your chats come back as they were then.",
      t ? [" Your last backup was made ", h("strong", {}, when(t)), "."] : null),
    h("p", {}, "Otherwise start anew with a new profile, and ask your contacts to invite you again. You can still restore a backup later."),
    h("div", { class: "row" },
      h("button", { type: "button", class: "primary", autofocus: true, onclick: () => app.gate(restoreForm(app, { back: () => app.gate(evictedScreen(app), "evicted") }), "restore") }, "Restore from backup"),
      h("button", { type: "button", onclick: () => app.boot({ acceptEviction: true }) }, "Start anew")));
  return el;
}

/**
 * The database has a passphrase: ask for it (opts: the start's other options,
 * e.g. takeover). When the tab comes back to view, it tries again without one:
 * another tab may have unlocked the shared core meanwhile.
 */
export function unlockScreen(app, opts = {}) {
  const pass = passInput({ autofocus: true });
  const err = h("p", { class: "error", role: "alert", hidden: true });
  const busy = busyLine("Unlocking…");
  let trying = false;
  const open = async (o) => {
    trying = true;
    try { await app.open(o); document.removeEventListener("visibilitychange", onVisible); } finally { trying = false; }
  };
  const onVisible = () => {
    if (document.visibilityState !== "visible" || trying || !form.isConnected) return;
    open(opts).catch(() => {});
  };
  document.addEventListener("visibilitychange", onVisible);
  const form = h("form", {
    class: "card unlock", "aria-labelledby": "ul-h",
    onsubmit: (e) => {
      e.preventDefault();
      if (trying) return;
      working(form, err, busy, async () => {
        if (!pass.value) throw fieldError(pass, "Enter the passphrase.");
        try {
          await open({ ...opts, passphrase: pass.value });
        } catch (ex) {
          if (ex.code === "BAD_PASSPHRASE") throw Object.assign(new Error("That is not the passphrase. Try again."), { input: pass });
          app.failed(ex, opts);
        }
      }, (ex) => ex.message);
    },
  },
  h("h1", { id: "ul-h" }, "Hearth is locked"),
  h("p", {}, "Your chats in this browser are encrypted with a passphrase. Enter it to open them."),
  field("Passphrase", pass), err, busy,
  h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Unlock")),
  h("details", {}, h("summary", {}, "Forgot the passphrase?"),
    h("p", {}, "Nobody can recover it, and without it the chats in this browser cannot be opened. If you have a backup, you can restore it in their place."),
    h("button", { type: "button", onclick: () => app.gate(restoreForm(app, { account: true, back: () => app.gate(unlockScreen(app, opts), "unlock") }), "restore") }, "Restore from backup")));
  return form;
}
