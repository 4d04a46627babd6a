// view.js — a page's side of a core that runs in a worker (host.js): one View
// per start(), in mode "shared" (a port of the SharedWorker), "leader" (the
// BroadcastChannel of the leader tab's worker) or "solo" (its own dedicated
// worker). It forwards calls and events, and when the core goes away under it
// (the leader tab closed or crashed, the SharedWorker died) it moves to the
// next core: calls not yet sent, or sent but not yet received by the old core
// (no "got" came back), wait for it; calls the old core was running are sent
// again if they are sends (with the same sendId, so nothing is sent twice) or
// reads, and reject MOVED otherwise (they may or may not have happened).
import { VERSION } from "./version.js";
import { SimplexError } from "./runtime.js";
import { spawnWorker, runForLeader, workerURL } from "./leader.js";

/**
 * The send methods, each with the index of its options argument (its last):
 * every call of one gets a sendId there (unless the caller gave one), and the
 * core stores and sends a given sendId once per chat, returning the first
 * message when it comes again. The only place that knows which calls are sends.
 */
export const SEND_METHODS = { sendGroupMessage: 2, sendDirectMessage: 2, sendFile: 2 };

/**
 * Calls that may run twice without harm (reads, markRead, reconnect): when the core
 * dies under one, it is sent again too. Any other call that had reached a core
 * that died rejects MOVED, since it may or may not have happened.
 */
export const REPEATABLE = new Set(["getProfile", "contacts", "groups", "members", "messages", "files", "getFile", "stats", "markRead", "reconnect"]);

const OPEN_TIMEOUT = 60000; // a first start waits this long for a core (wasm compile, leader election)
const REVIVE_MS = 10000; // a new SharedWorker that does not answer in this time is started again
const CLOSE_TIMEOUT = 2000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** args with a sendId in the options argument, for a send method. */
export function withSendId(method, args) {
  const at = SEND_METHODS[method];
  if (at === undefined) return args;
  const out = [...args];
  while (out.length < at) out.push(undefined);
  const o = out[at];
  if (o === undefined || o === null) out[at] = { sendId: crypto.randomUUID() };
  else if (typeof o === "object" && !Array.isArray(o) && !o.sendId) out[at] = { ...o, sendId: crypto.randomUUID() };
  return out;
}

/** How the view reaches the core: post(msg), close(), and revive() where a dead core can be restarted. */
function transport({ mode, db, wasmURL }, onMessage, onError) {
  if (mode === "shared") {
    let worker;
    const connect = () => {
      worker?.port.close();
      worker = new SharedWorker(workerURL(), { type: "module", name: `sxweb:${db}` });
      worker.port.onmessage = (m) => onMessage(m.data);
      worker.onerror = onError;
    };
    connect();
    return { post: (msg) => worker.port.postMessage(msg), revive: connect, close: () => worker.port.close() };
  }
  if (mode === "solo") {
    const worker = spawnWorker("solo", db, wasmURL);
    worker.onmessage = (m) => onMessage(m.data);
    worker.onerror = onError;
    // The worker ends itself with its core; one whose core never opened is ended here.
    return { post: (msg) => worker.postMessage(msg), close: () => { setTimeout(() => worker.terminate(), 5000); } };
  }
  const bus = new BroadcastChannel(`sxweb-bus:${db}@${VERSION}`);
  bus.onmessage = (m) => onMessage(m.data);
  const leader = runForLeader(db, onError, wasmURL);
  return {
    post: (msg) => bus.postMessage(msg),
    async close() {
      await leader.stop();
      bus.close();
    },
  };
}

/** Holds the Web Lock `name` until the returned function is called. */
async function hold(name) {
  if (!globalThis.navigator?.locks) return () => {};
  let release;
  await new Promise((granted) => {
    navigator.locks.request(name, () => {
      granted();
      return new Promise((r) => { release = r; });
    });
  });
  return () => release();
}

export class View {
  /**
   * opts: {db, relays, appURL, fileRelay, takeover, mode, wasmURL}, and for tests
   * transport(onMessage, onError) in place of the worker; onEnd(reason) when
   * the core is closed under it.
   */
  constructor(opts, onEnd) {
    this.opts = opts;
    this.onEnd = onEnd;
    this.id = crypto.randomUUID();
    this.pending = new Map(); // call id → {method, args, resolve, reject, sentTo: host id | null, got}
    this.seq = 0;
    this.host = null; // id of the core's worker we are attached to
    this.attaching = null; // {resolve, reject} while an open is under way
    this.closed = false;
    this.sink = null;
  }

  /** Attaches to the core (starting it if needed); resolves {methods, relays, appURL}. */
  async open() {
    this.lock = `sxweb-view:${this.id}`;
    this.unlock = await hold(this.lock); // the core watches it: released when this page is gone
    const failed = (e) => {
      if (this.attaching && !this.host) this.attaching.reject(new SimplexError("LOAD_FAILED", `the core's worker failed: ${e?.message || "error"}`));
    };
    const make = this.opts.transport || ((onMessage, onError) => transport(this.opts, onMessage, onError));
    const timer = setTimeout(() => failed({ message: "no answer" }), OPEN_TIMEOUT);
    try {
      try {
        this.transport = make((m) => this.receive(m), failed);
      } catch (e) { // mode "shared" forced where there is no SharedWorker, a worker refused by a CSP, ...
        throw new SimplexError("UNSUPPORTED", `mode ${this.opts.mode}: ${e.message}`);
      }
      return await this.attach();
    } catch (e) {
      this.finish("closed", e.code);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  attach() {
    return new Promise((resolve, reject) => {
      const done = (f) => (v) => { this.attaching = null; f(v); };
      this.attaching = { resolve: done(resolve), reject: done(reject) };
      this.sendOpen();
    });
  }

  sendOpen() {
    const { db, relays, appURL, fileRelay, takeover, wasmURL, passphrase, atRest } = this.opts;
    this.transport.post({ t: "open", view: this.id, version: VERSION, opts: { db, relays, appURL, fileRelay, wasmURL, passphrase, atRest }, takeover: !!takeover, lock: this.lock });
  }

  receive(msg) {
    if (!msg || this.closed || (msg.view && msg.view !== this.id)) return;
    switch (msg.t) {
      case "up": // leader mode: a core (a new one) is listening
        if (msg.host === this.host) return;
        if (this.host) this.hostGone(this.host);
        else if (this.attaching) this.sendOpen();
        return;
      case "opened":
        if (!this.attaching) return;
        this.attached(msg.host);
        this.attaching.resolve({ methods: msg.methods, relays: msg.relays, appURL: msg.appURL });
        this.flush();
        return;
      case "refused":
        if (this.attaching) this.attaching.reject(new SimplexError(msg.error.code, msg.error.message));
        return;
      case "got": {
        const e = this.pending.get(msg.id);
        if (e && e.sentTo === msg.host) e.got = true;
        return;
      }
      case "result":
        return this.result(msg);
      case "event":
        // While moving to the next core (leader mode: one bus, one core at a
        // time), take its events before its "opened": they happen once.
        if ((msg.host === this.host || (!this.host && this.moving)) && this.sink) this.sink(msg.ev);
        return;
      case "closed":
        if (msg.host !== this.host) return;
        if (msg.view) this.closeAck?.(); // the answer to our close()
        else this.finish(msg.reason); // the core was taken over: every view ends
        return;
      case "down": // leader mode: the leader tab handed the core over
        if (msg.host === this.host) this.hostGone(msg.host);
    }
  }

  attached(host) {
    this.host = host;
    this.hostWatch?.abort();
    const watch = (this.hostWatch = new AbortController());
    // The core's worker holds `sxweb-host:<id>` for its whole life: when we get
    // it, that worker is gone (its leader tab closed or crashed, or it died).
    globalThis.navigator?.locks?.request(`sxweb-host:${host}`, { signal: watch.signal }, () => { this.hostGone(host); })
      .catch(() => {});
  }

  /** The core we were attached to is gone: sort out its calls, then find the next one. */
  hostGone(host) {
    if (host !== this.host || this.closed) return;
    this.host = null;
    this.hostWatch?.abort();
    for (const [id, e] of this.pending) {
      if (e.sentTo !== host) continue;
      if (!e.got || e.method in SEND_METHODS || REPEATABLE.has(e.method)) {
        e.sentTo = null; // it never got there, or it may run again (a send: with the same sendId)
      } else {
        this.pending.delete(id);
        e.reject(new SimplexError("MOVED", `the core moved to another tab while ${e.method} ran: it may or may not have happened; try again`));
      }
    }
    this.reattach();
  }

  async reattach() {
    this.moving = true;
    const next = this.attach();
    next.catch(() => {});
    // A SharedWorker that died is started again by constructing it again; one
    // that is still going away may not answer, so ask again after a while.
    while (this.transport.revive && this.attaching && !this.closed) {
      this.transport.revive();
      this.sendOpen();
      await Promise.race([next.catch(() => {}), sleep(REVIVE_MS)]);
    }
    try {
      await next;
    } catch (e) {
      this.finish(e.code === "VERSION" ? "version" : e.code === "LOCKED" ? "takeover" : "closed", e.code);
    }
  }

  result(msg) {
    const e = this.pending.get(msg.id);
    if (!e || e.sentTo !== msg.host) return;
    if (msg.moved) { // not run: the core is leaving (its "down" follows) or did not know us
      e.sentTo = null;
      if (msg.moved === "unknown" && msg.host === this.host && !this.attaching) {
        this.attach().catch((err) => this.finish("closed", err.code)); // "opened" sends it again
      }
      return;
    }
    this.pending.delete(msg.id);
    if (msg.error) e.reject(new SimplexError(msg.error.code, msg.error.message));
    else e.resolve(msg.value);
  }

  /** Calls method on the core; resolves with its result. */
  call(method, args) {
    if (this.closed) return Promise.reject(new SimplexError(this.closedCode, "this client was closed"));
    return new Promise((resolve, reject) => {
      const id = ++this.seq;
      const e = { method, args: withSendId(method, args), resolve, reject, sentTo: null };
      this.pending.set(id, e);
      if (this.host && !this.attaching) this.send(id, e);
    });
  }

  send(id, e) {
    try {
      this.transport.post({ t: "call", view: this.id, host: this.host, id, method: e.method, args: e.args });
      e.sentTo = this.host;
      e.got = false;
    } catch (err) { // DataCloneError: a function or the like among the arguments
      this.pending.delete(id);
      e.reject(new SimplexError("BAD_ARGUMENT", `${e.method}: ${err.message}`));
    }
  }

  /** Sends the calls that wait for a core, in the order they were made. */
  flush() {
    for (const [id, e] of this.pending) if (e.sentTo === null) this.send(id, e);
  }

  setEventSink(fn) { this.sink = typeof fn === "function" ? fn : null; }

  /** Detaches this view (the core goes on for the others; it stops with the last). */
  async close() {
    if (this.closed) return;
    if (this.host) {
      const acked = new Promise((ok) => { this.closeAck = ok; });
      this.transport.post({ t: "close", view: this.id, host: this.host });
      await Promise.race([acked, sleep(CLOSE_TIMEOUT)]);
    }
    await this.finish("closed", "CANCELED");
  }

  /** Ends the view: running calls reject pendingCode, later ones CLOSED (VERSION after a newer build took over). */
  async finish(reason, pendingCode) {
    if (this.closed) return;
    this.closed = true;
    this.closedCode = reason === "version" ? "VERSION" : "CLOSED";
    const code = pendingCode || this.closedCode;
    for (const e of this.pending.values()) e.reject(new SimplexError(code, "the client was closed"));
    this.pending.clear();
    this.attaching?.reject(new SimplexError(code, "the client was closed"));
    this.hostWatch?.abort();
    this.unlock?.();
    await this.transport?.close();
    this.onEnd?.(reason);
  }
}
