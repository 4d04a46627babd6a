// app.js — boots the app: registers the service worker, starts the Go core
// through simplex.js (the same JS API an embedding page uses), routes on the URL
// hash and re-renders from the core's answers whenever it reports an event.
// A start that cannot open the chats shows a screen in their place (another
// tab has them, the browser deleted them, a passphrase is needed:
// restoreview.js).
import { start } from "./simplex.js";
import { h, fill } from "./dom.js";
import { views, sidebar } from "./views.js";
import { showUnread, notify } from "./attention.js";
import { backupNotice } from "./backupview.js";
import { countMessage } from "./backupnote.js";
import { evictedScreen, unlockScreen, restoreForm } from "./restoreview.js";

const $ = (id) => document.getElementById(id);
const PENDING_LINK = "sxweb.pendingLink";

const app = {
  db: "simplex", // the IndexedDB database of the app's account
  chat: null,
  profile: null,
  groups: [],
  contacts: [],
  view: null, // {el, update?, dispose?} of the current route
  navigate(hash) { if (location.hash === hash) route(); else location.hash = hash; },
  error(e) { showBanner(explain(e)); },
  refresh: () => scheduleRefresh(),
  sync: () => refreshNow(), // reload the lists now (before navigating to something new)
  pendingLink: () => sessionStorage.getItem(PENDING_LINK),
  clearPendingLink: () => sessionStorage.removeItem(PENDING_LINK),
  notice: () => renderNotice(),
  boot: (opts) => boot(opts),
  open: (opts) => open(opts),
  failed: (e, opts) => failed(e, opts),
  gate: (el, name) => gate(el, name),
  stop: () => stop(),
};
globalThis.sxapp = app; // for the console and the end-to-end tests

// Plain words for the errors a person can act on; the code stays visible for reports.
const EXPLAIN = {
  QUOTA: "The browser's storage for this app is full, so nothing was saved. Free some disk space or delete old chats.",
  DIRECT_MESSAGES_OFF: "This group does not allow direct messages between members.",
  BAD_LINK: "This link is not a valid Hearth link (it may be cut off).",
  NOT_ALLOWED: "You are not allowed to do this in this group.",
  TOO_LARGE: "This message is too long to send. Split it into shorter messages.",
  CLOSED: "This tab no longer runs your chats (it was opened in another tab).",
  FILE_FAILED: "The file could not be downloaded: it was damaged on the way, refused, or it expired on the file relay (files are kept there for 48 hours).",
  MOVED: "Your chats moved to another tab while this was under way; it may not have happened. Try again.",
  BAD_PASSPHRASE: "That passphrase is not right.",
};
function explain(e) {
  if (!e || typeof e !== "object") return String(e);
  const text = EXPLAIN[e.code] || e.message || String(e);
  return e.code ? `${text} (${e.code})` : text;
}

function showBanner(text) {
  const b = $("banner");
  if (!text) { b.hidden = true; return; }
  fill(b, h("span", {}, text), h("button", { class: "link", onclick: () => showBanner(""), "aria-label": "Dismiss" }, "✕"));
  b.hidden = false;
}

/** The backup reminder above the app (backupview.js), when one is due. */
function renderNotice() {
  const el = backupNotice(app);
  fill($("notice"), el);
  $("notice").hidden = !el;
}

function renderStatus() {
  const online = navigator.onLine;
  const p = app.chat ? app.chat.persisted : null;
  fill($("status"),
    h("span", { class: `pill ${online ? "ok" : "warn"}`, title: online ? "" : "Messages you write are queued and sent when you are back online" },
      online ? "Online" : "Offline – messages queue"),
    h("a", { class: `pill ${p ? "ok" : "warn"}`, href: "#/storage", title: "Storage persistence" },
      p === true ? "Storage: persistent" : p === false ? "Storage: may be evicted" : "Storage: unknown"));
}

// A screen reader hears each incoming message once (the message list is not a live region).
function announce(ev) {
  if (ev.sender === "me" || !(ev.text || ev.file)) return;
  const g = ev.groupId ? app.groups.find((x) => String(x.groupId) === String(ev.groupId)) : null;
  const c = ev.contactId ? app.contacts.find((x) => String(x.contactId) === String(ev.contactId)) : null;
  const what = ev.file ? `file ${ev.file.name}${ev.text ? `, ${ev.text}` : ""}` : ev.text;
  $("announce").textContent = `New ${ev.file ? "" : "message "}${g ? `in ${g.displayName}` : c ? `from ${c.displayName}` : ""}: ${what}`;
}

// ---- routing ----
function parse(hash) {
  const parts = hash.replace(/^#\/?/, "").split("/");
  const [a, b, c] = parts;
  if (a === "join" || a === "invite" || a === "connect") return { name: "join", kind: a, link: location.href };
  if (a === "move" && b) return { name: "move", link: location.href };
  if (a === "group" && b && c === "members") return { name: "members", groupId: decodeURIComponent(b) };
  if (a === "group" && b && c === "share") return { name: "share", groupId: decodeURIComponent(b) };
  if (a === "group" && b) return { name: "group", groupId: decodeURIComponent(b) };
  if (a === "contact" && b) return { name: "contact", contactId: decodeURIComponent(b) };
  if (["new-group", "add", "connections", "storage", "settings", "restore"].includes(a)) return { name: a };
  return { name: "home" };
}

function route() {
  if (!app.chat) return;
  let r = parse(location.hash);
  if (r.name === "join") {
    sessionStorage.setItem(PENDING_LINK, r.link);
    if (!app.profile) r = { name: "onboarding" };
  } else if (!app.profile && r.name !== "move" && r.name !== "restore") {
    r = { name: "onboarding" };
  }
  if (app.view && app.view.dispose) app.view.dispose();
  const make = views[r.name] || views.home;
  app.route = r;
  app.view = make(app, r);
  document.body.dataset.route = r.name;
  fill($("main"), app.view.el);
  renderSidebar();
  const focus = app.view.el.querySelector("[autofocus]");
  if (focus) focus.focus(); else $("main").focus({ preventScroll: true });
}

function renderSidebar() {
  clearTimeout(sidebarTimer);
  sidebarTimer = 0;
  fill($("sidebar"), app.profile ? sidebar(app) : null);
  showUnread(app);
  renderNotice();
}

/** A screen in place of the app, with no chat behind it (locked, evicted, restoring). */
function gate(el, name) {
  fill($("sidebar"));
  fill($("main"), el);
  document.body.dataset.route = name;
  const focus = el.querySelector("[autofocus]") || el.querySelector("button");
  if (focus) focus.focus();
}

/** Closes this tab's chat (an import needs the database free: the core stops with its last tab). */
async function stop() {
  const chat = app.chat;
  app.chat = null;
  app.profile = null;
  if (app.view && app.view.dispose) app.view.dispose();
  app.view = null;
  fill($("sidebar"));
  renderNotice();
  if (chat) await chat.close().catch(() => {});
}
// A burst of received messages redraws the list's badges and the title at most
// every SIDEBAR_MS, not once per message (each message is a task of its own).
const SIDEBAR_MS = 250;
let sidebarTimer = 0;
function scheduleSidebar() {
  if (!sidebarTimer) sidebarTimer = setTimeout(renderSidebar, SIDEBAR_MS);
}

// ---- refresh on events (the core can report many at once: joining a
// 1,000-member group brings a member event every few ms). A refresh waits
// for a 60 ms pause, but never more than 1 s, and one runs at a time.
let refreshTimer = 0, refreshFirst = 0, refreshing = null;
function scheduleRefresh() {
  const now = performance.now();
  if (!refreshTimer) refreshFirst = now;
  clearTimeout(refreshTimer);
  const wait = Math.max(0, Math.min(60, refreshFirst + 1000 - now));
  refreshTimer = setTimeout(async () => {
    refreshTimer = 0;
    if (refreshing) await refreshing; // one at a time
    refreshing = refreshNow().finally(() => { refreshing = null; });
  }, wait);
}

/**
 * A received message carries its chat's unread count: the list's badge takes
 * it from there; only a chat the lists do not know yet makes them reload.
 */
function countUnread(ev) {
  const x = ev.groupId != null ? app.groups.find((g) => String(g.groupId) === String(ev.groupId))
    : app.contacts.find((c) => String(c.contactId) === String(ev.contactId));
  if (!x || typeof ev.unread !== "number") return scheduleLists();
  x.unread = ev.unread;
  scheduleSidebar();
}

// Only the lists (a chat they do not know yet): the open view has the message already.
let listsTimer = 0;
function scheduleLists() {
  clearTimeout(listsTimer);
  listsTimer = setTimeout(() => loadLists().then(renderSidebar, (e) => { if (e.code !== "CLOSED") app.error(e); }), 100);
}

async function loadLists() {
  const [groups, contacts] = await Promise.all([app.chat.groups(), app.chat.contacts()]);
  app.groups = groups || [];
  app.contacts = contacts || [];
}

async function refreshNow() {
  if (!app.chat) return;
  try {
    await loadLists();
    renderSidebar();
    if (app.view && app.view.update) await app.view.update();
  } catch (e) {
    if (e.code !== "CLOSED" && e.code !== "VERSION") app.error(e);
  }
}

// ---- one core per database: every tab shares it, unless a page took it alone ----
function showLocked() {
  gate(h("section", { class: "card center", "aria-labelledby": "locked-h" },
    h("h1", { id: "locked-h" }, "Hearth is open alone in another tab"),
    h("p", {}, "Another tab or page asked to run your chats alone, so that two copies never send or store messages over each other."),
    h("p", {}, "Use it there, or move it here: the other tab will stop."),
    h("button", { class: "primary", autofocus: true, onclick: () => boot({ takeover: true }) }, "Use here instead")), "locked");
}

function showTakenOver() {
  app.chat = null;
  fill($("sidebar"));
  fill($("main"), h("section", { class: "card center", "aria-labelledby": "taken-h" },
    h("h1", { id: "taken-h" }, "Hearth was opened in another tab"),
    h("p", {}, "That tab asked to run your chats alone, so this one stopped."),
    h("button", { class: "primary", onclick: () => boot({ takeover: true }) }, "Use here instead")));
  document.body.dataset.route = "taken";
  $("main").querySelector("button").focus();
}

// A newer build of the app runs the database (another tab has it): this tab
// is the old one, so it reloads into the new build; at most once a minute, so
// a tab that keeps getting the old build (a service worker not yet updated)
// asks instead of looping.
const RELOADED = "sxweb.versionReload";
async function reloadForNewVersion() {
  app.chat = null;
  const last = Number(sessionStorage.getItem(RELOADED)) || 0;
  if (Date.now() - last > 60000) {
    sessionStorage.setItem(RELOADED, String(Date.now()));
    document.body.dataset.route = "reloading";
    const reg = await navigator.serviceWorker?.getRegistration().catch(() => null);
    await Promise.race([reg?.update().catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    location.reload();
    return;
  }
  fill($("sidebar"));
  fill($("main"), h("section", { class: "card center", "aria-labelledby": "version-h" },
    h("h1", { id: "version-h" }, "A new version of Hearth is running"),
    h("p", {}, "Another tab runs a newer version of the app. Reload this tab to use it."),
    h("button", { class: "primary", autofocus: true, onclick: () => location.reload() }, "Reload")));
  document.body.dataset.route = "version";
}

function showFatal(e) {
  fill($("main"), h("section", { class: "card center" },
    h("h1", {}, "Hearth could not start"),
    h("p", {}, `${e.message || e}${e.code ? ` (${e.code})` : ""}`),
    h("button", { onclick: () => location.reload() }, "Reload")));
  document.body.dataset.route = "fatal";
}

// ---- boot ----
/**
 * Starts the core (opts: takeover, passphrase, acceptEviction) and shows the
 * app; a refusal is shown by failed(), in its own words.
 */
async function boot(opts = {}) {
  fill($("main"), h("p", { class: "loading" }, "Starting…"));
  try {
    await open(opts);
  } catch (e) {
    failed(e, opts);
  }
}

/** The screen for a start that failed: another tab, a newer build, eviction, a passphrase, a broken import. */
function failed(e, opts = {}) {
  if (e.code === "LOCKED") return showLocked();
  if (e.code === "VERSION") return reloadForNewVersion();
  if (e.code === "EVICTED") return gate(evictedScreen(app), "evicted");
  if (e.code === "PASSPHRASE_REQUIRED") return gate(unlockScreen(app, opts), "unlock");
  if (e.code === "DAMAGED") {
    const note = h("p", { class: "note warn" }, "Restoring a backup here did not finish, so there is no account to open. Restore the backup again.");
    return gate(restoreForm(app, { note, back: () => location.reload() }), "restore");
  }
  return showFatal(e);
}

/** Starts the core and shows the app; rejects as start() does (the unlock screen handles BAD_PASSPHRASE). */
async function open(opts = {}) {
  const chat = await start({ db: app.db, ...opts });
  app.chat = chat;
  globalThis.__sxReadyAt = performance.now();
  // Messages, their changes, delivery marks and file progress go to the open
  // chat only (no re-reading of the history); members, contacts and groups
  // refresh the lists and the view. A received message also says its chat's
  // unread count, for the list.
  for (const t of ["message", "update", "delivery", "file"]) chat.on(t, (ev) => app.view && app.view.onEvent && app.view.onEvent(ev));
  chat.on("message", announce);
  chat.on("message", (ev) => {
    if (ev.history) return;
    if (!ev.system) {
      countMessage(app.db); // toward the backup reminder: sent and received
      renderNotice();
    }
    if (ev.sender === "me") return;
    notify(app, ev);
    countUnread(ev);
  });
  for (const t of ["member", "contact", "group"]) chat.on(t, scheduleRefresh);
  chat.on("error", (ev) => app.error(ev.message || ev.code || "error"));
  chat.on("closed", (ev) => {
    if (ev.reason === "takeover") showTakenOver();
    if (ev.reason === "version") reloadForNewVersion();
  });
  chat.on("elsewhere", () => showBanner("This account is now used in another browser: messages no longer arrive here."));
  try {
    app.profile = await chat.getProfile();
  } catch (e) {
    if (e.code !== "NOT_FOUND") app.error(e);
    app.profile = null;
  }
  if (app.profile && !app.profile.displayName) app.profile = null;
  if (app.profile) await loadLists().catch(app.error);
  renderStatus();
  route();
  document.body.dataset.ready = "1";
}

function registerSW() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js", { updateViaCache: "none" }).catch(() => {});
  let had = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (had) showBanner("A new version is installed: reload the page to use it.");
    had = true;
  });
}

addEventListener("hashchange", route);
// The chat on screen counts no unread; hidden, it does again (and back, it is read).
document.addEventListener("visibilitychange", () => { if (app.chat && app.profile) renderSidebar(); });
addEventListener("online", () => { renderStatus(); scheduleRefresh(); });
addEventListener("offline", renderStatus);
registerSW();
boot();
