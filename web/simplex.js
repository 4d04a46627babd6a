// simplex.js — the JS API of the sxweb client (an ES module).
//
//   import { start } from "./web/simplex.js";
//   const chat = await start({ db: "alice", relays: ["ws://127.0.0.1:8080/relay"] });
//
// start() loads wasm_exec.js and app.wasm (found next to this file), opens the
// IndexedDB database `db` through the Go core, resumes every connection and
// resolves with a chat object whose methods forward to the Go handle. All logic
// lives in Go; this file only loads it, guards the database with a Web Lock (one
// running core per database across tabs) and turns events into subscriptions.

const API = [
  "setProfile", "getProfile", "createInvitation", "connect", "contacts",
  "createGroup", "groups", "createGroupLink", "joinGroup", "inviteToGroup",
  "acceptGroupInvitation", "members", "sendGroupMessage", "messages",
  "editMessage", "deleteMessage", "react", "markRead",
  "sendFile", "downloadFile", "cancelFile", "getFile", "files", "deleteFile",
  "startDirectChat", "acceptDirectChat", "sendDirectMessage", "deleteContact",
  "setGroupPreferences", "removeMember", "leaveGroup", "deleteGroup", "stats", "reconnect",
];
const EVENT_TYPES = ["message", "update", "member", "contact", "group", "delivery", "file", "error", "closed"];

const base = new URL(".", import.meta.url);
let runtime = null; // Promise of globalThis.__sxweb, shared by every start() in this page

/** An Error with a stable string code, the shape of every rejection of this API. */
export class SimplexError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = "SimplexError";
    this.code = code;
  }
}

function asError(e) {
  if (e instanceof Error) {
    if (!e.code) e.code = "INTERNAL";
    return e;
  }
  if (e && typeof e === "object") return new SimplexError(e.code || "INTERNAL", e.message || String(e.code));
  return new SimplexError("INTERNAL", String(e));
}

/** The relay of the origin that served this module, as ws(s)://host/relay. */
export function defaultRelay(from = base) {
  const u = new URL("../relay", from);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.href;
}

/** Loads wasm_exec.js and the wasm once per page; resolves with the Go bridge. */
function loadRuntime(wasmURL) {
  if (globalThis.__sxweb) return Promise.resolve(globalThis.__sxweb);
  if (runtime) return runtime;
  runtime = (async () => {
    if (typeof WebAssembly !== "object") throw new SimplexError("UNSUPPORTED", "this browser has no WebAssembly");
    if (!globalThis.Go) await import(new URL("wasm_exec.js", base).href);
    const go = new globalThis.Go();
    globalThis.__sxwebGo = go; // diagnostics: the wasm memory (go.mem.buffer) for benchmarks
    const ready = new Promise((resolve) => {
      globalThis.__sxwebReady = () => resolve(globalThis.__sxweb);
    });
    const url = wasmURL || new URL("app.wasm", base).href;
    let inst;
    try {
      inst = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
    } catch (e) {
      // A server with the wrong MIME type: fall back to bytes.
      const resp = await fetch(url);
      if (!resp.ok) throw new SimplexError("LOAD_FAILED", `fetching ${url}: ${resp.status}`);
      inst = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    }
    const exited = go.run(inst.instance).then(() => {
      runtime = null;
      throw new SimplexError("LOAD_FAILED", "the Go runtime exited");
    });
    return Promise.race([ready, exited]);
  })();
  runtime.catch(() => { runtime = null; });
  return runtime;
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

/**
 * Holds the Web Lock of `db` until release() is called. Resolves with release, or
 * rejects LOCKED when another tab runs the core on the same database. With
 * takeover, asks the holder (over a BroadcastChannel) to close, then waits for it.
 */
async function acquire(db, { takeover = false, lockTimeout = 10000 } = {}) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks) return () => {}; // no Web Locks: nothing to guard with
  const name = `sxweb:${db}`;
  let release;
  const held = new Promise((r) => { release = r; });
  const got = (opts) => new Promise((resolve, reject) => {
    locks.request(name, opts, (lock) => {
      resolve(!!lock);
      return lock ? held : undefined;
    }).catch(reject);
  });
  if (await got({ ifAvailable: true })) return release;
  if (!takeover) throw new SimplexError("LOCKED", `database "${db}" is open in another tab`);
  const bc = new BroadcastChannel(name);
  bc.postMessage({ type: "takeover" });
  bc.close();
  const signal = AbortSignal.timeout ? AbortSignal.timeout(lockTimeout) : undefined;
  try {
    await got({ signal });
  } catch {
    // The other tab did not answer (frozen or gone): take the lock anyway; it
    // closes its core when the takeover message reaches it.
    await got({ steal: true });
  }
  return release;
}

/**
 * Starts the client. Options: db (IndexedDB name, default "simplex"), relays
 * (default: the origin's /relay), appURL (base of the links this client makes,
 * default: the directory above this module), takeover (close the core running on
 * `db` in another tab instead of rejecting with LOCKED), wasmURL.
 */
export async function start(options = {}) {
  const db = options.db || "simplex";
  const relays = options.relays && options.relays.length ? [...options.relays] : [defaultRelay()];
  const appURL = options.appURL || new URL("../", base).href;
  const release = await acquire(db, options);
  try {
    const persisted = await persist(db);
    const bridge = await loadRuntime(options.wasmURL);
    const handle = await bridge.open({ db, relays, appURL });
    return makeChat(handle, { db, relays, appURL, persisted, release });
  } catch (e) {
    release();
    throw asError(e);
  }
}

function makeChat(handle, { db, relays, appURL, persisted, release }) {
  const handlers = new Map(EVENT_TYPES.map((t) => [t, new Set()]));
  let closed = false;
  const emit = (ev) => {
    const set = handlers.get(ev && ev.type);
    if (!set) return;
    for (const fn of [...set]) {
      try { fn(ev); } catch (e) { setTimeout(() => { throw e; }); }
    }
  };
  if (typeof handle.setEventSink === "function") handle.setEventSink(emit);

  const chat = { db, relays, appURL, persisted };
  const forward = (name) => async (...args) => {
    if (closed) throw new SimplexError("CLOSED", "this client was closed");
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

  const bc = typeof BroadcastChannel === "function" ? new BroadcastChannel(`sxweb:${db}`) : null;
  // The network is back: dial the relays now instead of waiting out the backoff.
  const onOnline = () => { if (!closed) chat.reconnect().catch(() => {}); };
  globalThis.addEventListener?.("online", onOnline);

  const shutdown = async (reason) => {
    if (closed) return;
    closed = true;
    globalThis.removeEventListener?.("online", onOnline);
    if (bc) bc.close();
    try {
      if (typeof handle.close === "function") await handle.close();
    } finally {
      release();
      emit({ type: "closed", reason });
    }
  };
  if (bc) bc.onmessage = (m) => { if (m.data && m.data.type === "takeover") shutdown("takeover"); };

  /** Stops the core and releases the database for another tab. */
  chat.close = () => shutdown("closed");
  return chat;
}
