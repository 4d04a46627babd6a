// simplex.js — the JS API of the sxweb client (an ES module).
//
//   import { start } from "./web/simplex.js";
//   const chat = await start({ db: "alice", relays: ["ws://127.0.0.1:8080/relay"] });
//
// start() runs the Go core (wasm_exec.js and app.wasm, found next to this file)
// off the page's main thread and resolves with a chat object whose methods
// forward to it. One core per IndexedDB database serves every tab and embedding
// page of the origin (README, "Many tabs"): in a SharedWorker (mode "shared"),
// else in a dedicated worker of a leader tab elected with Web Locks (mode
// "leader"); view.js is the page's side of that, host.js the worker's. With
// takeover the page runs the database alone in its own worker ("solo"); mode
// "page" runs the core on the page's main thread (the way it was before
// workers; kept for benchmarks and for a core already loaded into the page).
// All logic lives in Go; this file only picks the mode and turns events into
// subscriptions.
import { SimplexError, asError, loadRuntime } from "./runtime.js";
import { acquireDB } from "./dblock.js";
import { View } from "./view.js";
import { markAccount, evicted, toBlob } from "./account.js";

export { SimplexError };

const API = [
  "setProfile", "getProfile", "createInvitation", "connect", "contacts",
  "createGroup", "groups", "createGroupLink", "joinGroup", "inviteToGroup",
  "acceptGroupInvitation", "members", "sendGroupMessage", "messages",
  "editMessage", "deleteMessage", "react", "markRead",
  "sendFile", "downloadFile", "cancelFile", "getFile", "files", "deleteFile",
  "startDirectChat", "acceptDirectChat", "sendDirectMessage", "deleteContact",
  "setGroupPreferences", "removeMember", "leaveGroup", "deleteGroup", "stats", "reconnect",
  "exportAccount", "moveAccount", "setPassphrase", "atRest",
];
const EVENT_TYPES = ["message", "update", "member", "contact", "group", "delivery", "file", "error", "elsewhere", "closed"];

const base = new URL(".", import.meta.url);

/** The relay of the origin that served this module, as ws(s)://host/relay. */
export function defaultRelay(from = base) {
  const u = new URL("../relay", from);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.href;
}

/**
 * Asks for persistent storage at the first start of a database (some browsers
 * prompt, so later starts only read the state); resolves true, false, or null
 * when unsupported.
 */
async function persist(db) {
  const s = globalThis.navigator && navigator.storage;
  if (!s || !s.persist) return null;
  try {
    if (await s.persisted()) return true;
    const key = `sxweb.persistAsked.${db}`;
    const ls = globalThis.localStorage;
    if (ls && ls.getItem(key)) return false;
    if (ls) ls.setItem(key, "1");
    return await s.persist();
  } catch {
    return false;
  }
}

const MODES = ["auto", "shared", "leader", "page"];

/** Where the core runs for these options (README, "Many tabs"). */
function pickMode({ mode = "auto", takeover = false }) {
  if (!MODES.includes(mode)) throw new SimplexError("BAD_ARGUMENT", `mode: one of ${MODES.join(", ")}`);
  const g = globalThis;
  if (mode === "page" || (mode === "auto" && g.__sxweb)) return "page"; // asked for, or a core already in this page
  if (typeof g.Worker !== "function" || !g.navigator?.locks || typeof g.BroadcastChannel !== "function") return "page";
  if (takeover) return "solo";
  if (mode !== "auto") return mode;
  // A SharedWorker's script must come from the page's own origin; an embedding
  // page of another origin elects a leader tab among its own tabs instead.
  const sameOrigin = new URL(import.meta.url).origin === g.location?.origin;
  return typeof g.SharedWorker === "function" && sameOrigin ? "shared" : "leader";
}

/**
 * Starts the client. Options: db (IndexedDB name, default "simplex"), relays
 * (default: the origin's /relay), appURL (base of the links this client makes,
 * default: the directory above this module), takeover (run `db` alone, closing
 * the core other tabs share, instead of rejecting LOCKED when a page runs it
 * alone), mode ("auto", or force "shared" / "leader" / "page"), wasmURL,
 * passphrase (the database's, when one is set: PASSPHRASE_REQUIRED /
 * BAD_PASSPHRASE; a core already running for other tabs is unlocked already),
 * atRest (false: a new database stays unencrypted; benchmarks and tests),
 * acceptEviction (start anew where the browser evicted the account instead of
 * rejecting EVICTED), fileRelay (default: the origin's /files).
 */
export async function start(options = {}) {
  const db = options.db || "simplex";
  // Defaults are computed here, in the page: in a worker `location` is the worker's script.
  const relays = options.relays && options.relays.length ? [...options.relays] : [defaultRelay()];
  const appURL = options.appURL || new URL("../", base).href;
  // The file relay too: a worker has no page location to default it from.
  const fileRelay = options.fileRelay || new URL("../files", base).href;
  let ended = null;
  let end = (reason) => { ended = reason; }; // until the chat exists
  const bindEnd = (fn) => {
    end = fn;
    if (ended) fn(ended);
  };
  const { passphrase, atRest } = options;
  try {
    if (!options.acceptEviction && await evicted(db)) {
      throw new SimplexError("EVICTED", `the browser removed the data of "${db}": restore it from a backup (importAccount), or start anew (acceptEviction)`);
    }
    const mode = pickMode(options);
    if (mode === "page") return await startInPage({ db, relays, appURL, fileRelay, mode, passphrase, atRest }, options, (r) => end(r), bindEnd);
    const view = new View({ db, relays, appURL, fileRelay, takeover: !!options.takeover, mode, wasmURL: options.wasmURL, passphrase, atRest }, (r) => end(r));
    const [info, persisted] = await Promise.all([view.open(), persist(db)]);
    const handle = { setEventSink: (fn) => view.setEventSink(fn), close: () => view.close() };
    for (const name of info.methods) handle[name] = (...args) => view.call(name, args);
    markAccount(db);
    return makeChat(handle, { db, relays: info.relays, appURL: info.appURL, persisted, mode, release: () => {}, bindEnd });
  } catch (e) {
    throw asError(e);
  }
}

/**
 * Restores an account into database `db` from a backup (`data`: a Blob, ArrayBuffer
 * or Uint8Array that exportAccount made) or a link that moveAccount made, with its
 * passphrase. Into an empty database only (NOT_EMPTY) unless `replace`. It holds
 * the database as a core would (LOCKED while one runs it in any tab) and runs in
 * this page's main thread (the wasm is loaded into the page; a later start() here
 * then runs in mode "page"). Resolves with {created, records, files}; rejects
 * BAD_PASSPHRASE, BAD_BACKUP, SCHEMA_TOO_NEW.
 */
export async function importAccount({ db = "simplex", data, link, passphrase, replace = false, wasmURL } = {}) {
  const blob = link ? null : toBlob(data);
  if (!link && !blob) throw new SimplexError("BAD_ARGUMENT", "data: a Blob, ArrayBuffer or Uint8Array, or a link");
  let lock = null;
  try {
    lock = await acquireDB(db, { kind: "page" });
    const bridge = await loadRuntime(wasmURL);
    const res = await bridge.importAccount({ db, data: blob, link, passphrase, replace });
    markAccount(db);
    return res;
  } catch (e) {
    throw asError(e);
  } finally {
    lock?.release();
  }
}

/** Mode "page": the core on this page's main thread, holding the database itself. */
async function startInPage({ db, relays, appURL, fileRelay, mode, passphrase, atRest }, options, onYield, bindEnd) {
  const lock = await acquireDB(db, { takeover: !!options.takeover, kind: "page", onYield });
  try {
    const persisted = await persist(db);
    const bridge = await loadRuntime(options.wasmURL);
    const handle = await bridge.open({ db, relays, appURL, fileRelay, passphrase, atRest });
    markAccount(db);
    return makeChat(handle, { db, relays, appURL, persisted, mode, release: lock.release, bindEnd });
  } catch (e) {
    lock.release();
    throw e;
  }
}

function makeChat(handle, { db, relays, appURL, persisted, mode, release, bindEnd }) {
  const handlers = new Map(EVENT_TYPES.map((t) => [t, new Set()]));
  let closed = null; // why, once closed
  const emit = (ev) => {
    const set = handlers.get(ev && ev.type);
    if (!set) return;
    for (const fn of [...set]) {
      try { fn(ev); } catch (e) { setTimeout(() => { throw e; }); }
    }
  };
  if (typeof handle.setEventSink === "function") handle.setEventSink(emit);

  const chat = { db, relays, appURL, persisted, mode };
  const forward = (name) => async (...args) => {
    if (closed) throw new SimplexError(closed === "version" ? "VERSION" : "CLOSED", "this client was closed");
    const fn = handle[name];
    if (typeof fn !== "function") throw new SimplexError("NOT_IMPLEMENTED", `${name} is not available`);
    try {
      return await fn.apply(handle, args);
    } catch (e) {
      throw asError(e);
    }
  };
  for (const name of new Set([...API, ...Object.keys(handle)])) {
    if (name === "setEventSink" || name === "close" || typeof handle[name] !== "function" && !API.includes(name)) continue;
    chat[name] = forward(name);
  }

  /** Subscribes to one event type; returns a function that unsubscribes. */
  chat.on = (type, fn) => {
    const set = handlers.get(type);
    if (!set) throw new SimplexError("BAD_EVENT", `unknown event type "${type}"`);
    set.add(fn);
    return () => set.delete(fn);
  };

  /** The browser's storage estimate, for showing usage and quota. */
  chat.storage = async () => (navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : null);

  // The network is back: dial the relays now instead of waiting out the backoff.
  const onOnline = () => { if (!closed) chat.reconnect().catch(() => {}); };
  globalThis.addEventListener?.("online", onOnline);

  // reason: "closed" (close()), "takeover" (another page took the database),
  // "version" (a newer build of the app took it: reload).
  const shutdown = async (reason) => {
    if (closed) return;
    closed = reason;
    globalThis.removeEventListener?.("online", onOnline);
    try {
      if (typeof handle.close === "function") await handle.close();
    } finally {
      release();
      emit({ type: "closed", reason });
    }
  };
  bindEnd(shutdown);

  /** Closes this client: this page's view of the core (the core stops with the last view). */
  chat.close = () => shutdown("closed");
  return chat;
}
