// host.js — the worker's side of "many tabs, one core": one Host runs the Go
// core of one database and serves every view (a start() in some tab) attached
// to it. The transport is the caller's (core-worker.js): a MessagePort per view
// in the SharedWorker, the worker's own port for a page running alone, or one
// BroadcastChannel for all views in the leader tab's worker. The protocol is in
// docs/browser-internals.md ("Many tabs"); in short, views send
//   {t: "open", view, version, opts, takeover, lock}  {t: "call", view, id, method, args}  {t: "close", view}
// and the host answers
//   {t: "opened", view, host, methods, relays, appURL} | {t: "refused", view, host, error}
//   {t: "got", view, host, id} (first: the call reached the core)
//   {t: "result", view, host, id, value | error | moved}   {t: "closed", view?, host, reason}
// and sends every view {t: "event", host, ev}. moved ("handover" | "unknown"):
// the call was not run; send it again to the next core, or after opening again.
//
// Dead views: a view holds a Web Lock (its `lock`) for as long as its page
// lives; the host asks for the same lock, which is granted when the page is
// gone (closed or crashed), and then detaches the view. The core stops when its
// last view is gone.
import { loadRuntime, errorData, SimplexError } from "./runtime.js";
import { acquireDB } from "./dblock.js";
import { VERSION } from "./version.js";

const DRAIN_MS = 3000; // how long calls already running may finish before the core closes
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const NOT_METHODS = new Set(["setEventSink", "close"]);

export class Host {
  /**
   * id: this worker's id (views watch the Web Lock `sxweb-host:<id>`); kind:
   * "shared" | "leader" | "solo"; broadcast(msg): to every view at once, or
   * null to post to each attached view; onCrash: the Go runtime exited;
   * onEnded(reason): the core was closed (see end).
   */
  constructor({ id, kind, broadcast = null, onCrash = () => {}, onEnded = () => {} }) {
    this.id = id;
    this.kind = kind;
    this.bus = broadcast;
    this.onCrash = onCrash;
    this.onEnded = onEnded;
    this.views = new Map(); // view id → {post, watch: AbortController}
    this.core = null; // {handle, lock, methods, relays, appURL} while open
    this.opening = null; // Promise while the core opens
    this.ending = null; // why the core is closing: "idle" | "handover" | "takeover" | "version"
    this.ended = Promise.resolve();
    this.inflight = new Set();
  }

  /** Handles one message of a view; reply(msg) answers that view. */
  receive(msg, reply) {
    if (!msg || typeof msg !== "object") return;
    if (msg.t === "open") this.attach(msg, reply);
    else if (msg.t === "call") this.call(msg, reply);
    else if (msg.t === "close") this.detach(msg.view, reply);
  }

  broadcast(msg) {
    if (this.bus) return this.bus(msg);
    for (const v of this.views.values()) v.post(msg);
  }

  async attach(msg, reply) {
    const { view } = msg;
    const refuse = (e) => reply({ t: "refused", view, host: this.id, error: errorData(e) });
    if (msg.version !== VERSION) {
      return refuse(new SimplexError("VERSION", `this page is version ${msg.version}, the core ${VERSION}: reload the page`));
    }
    if (this.ending === "handover") return; // the next core answers (it announces itself)
    await this.ended;
    try {
      if (!this.core) await (this.opening ||= this.open(msg).finally(() => { this.opening = null; }));
    } catch (e) {
      return refuse(e);
    }
    const known = this.views.get(view);
    if (known) {
      known.post = reply; // it opened again, maybe over a new port: events go there now
    } else {
      const watch = new AbortController();
      this.views.set(view, { post: reply, watch });
      if (msg.lock && globalThis.navigator?.locks) {
        navigator.locks.request(msg.lock, { signal: watch.signal }, () => this.detach(view)).catch(() => {});
      }
    }
    const { methods, relays, appURL } = this.core;
    reply({ t: "opened", view, host: this.id, methods, relays, appURL });
  }

  /** Opens the core with the first view's options (later views share it). */
  async open({ opts, takeover }) {
    const lock = await acquireDB(opts.db, {
      takeover: !!takeover,
      kind: this.kind,
      onYield: (reason, { stolen }) => this.end(reason, { drain: !stolen }),
    });
    let handle;
    try {
      const bridge = await loadRuntime(opts.wasmURL, this.onCrash);
      handle = await bridge.open({ db: opts.db, relays: opts.relays, appURL: opts.appURL, fileRelay: opts.fileRelay });
    } catch (e) {
      lock.release();
      throw e;
    }
    if (this.ending) { // taken over while opening
      await handle.close();
      lock.release();
      throw new SimplexError(this.ending === "version" ? "VERSION" : "CLOSED", "the database was taken over while opening");
    }
    const methods = Object.keys(handle).filter((k) => typeof handle[k] === "function" && !NOT_METHODS.has(k));
    this.core = { handle, lock, methods, relays: opts.relays, appURL: opts.appURL };
    handle.setEventSink((ev) => this.broadcast({ t: "event", host: this.id, ev }));
  }

  async call({ view, id, method, args }, reply) {
    const answer = (r) => {
      try {
        reply({ t: "result", view, host: this.id, id, ...r });
      } catch (e) { // a result that cannot be cloned: a bug in the core's adapter
        reply({ t: "result", view, host: this.id, id, error: errorData(new SimplexError("INTERNAL", String(e))) });
      }
    };
    if (this.ending === "handover") return answer({ moved: "handover" }); // "down" follows
    if (!this.views.has(view)) return answer({ moved: "unknown" }); // open again, then call
    if (this.ending || !this.core) {
      const code = this.ending === "version" ? "VERSION" : "CLOSED";
      return answer({ error: errorData(new SimplexError(code, "the core was closed")) });
    }
    const { handle } = this.core;
    // Before the core runs anything: a view whose core dies sends again only
    // the calls it never heard "got" for (they did not reach the core).
    reply({ t: "got", view, host: this.id, id });
    if (NOT_METHODS.has(method) || typeof handle[method] !== "function") {
      return answer({ error: errorData(new SimplexError("UNKNOWN_METHOD", `no method ${method}`)) });
    }
    const p = (async () => handle[method](...(Array.isArray(args) ? args : [])))();
    this.inflight.add(p);
    try {
      answer({ value: await p });
    } catch (e) {
      answer({ error: errorData(e) });
    } finally {
      this.inflight.delete(p);
    }
  }

  /** A view closed (or its page is gone): the core stops with the last one. */
  detach(view, reply) {
    const v = this.views.get(view);
    if (v) {
      this.views.delete(view);
      v.watch.abort();
    }
    if (reply) reply({ t: "closed", view, host: this.id, reason: "closed" });
    if (this.views.size === 0 && (this.core || this.opening) && !this.ending) this.end("idle");
  }

  /**
   * Closes the core: "idle" (no views left), "handover" (the leader tab
   * leaves; views move to the next core), "takeover" / "version" (another page
   * or a newer build takes the database: every view is closed). Calls already
   * running finish first (up to DRAIN_MS) unless the lock was stolen.
   */
  end(reason, { drain = true } = {}) {
    if (this.ending) return this.ended;
    this.ending = reason;
    this.ended = (async () => {
      if (this.opening) await this.opening.catch(() => {});
      const core = this.core;
      if (core) {
        if (drain && this.inflight.size) await Promise.race([Promise.allSettled([...this.inflight]), sleep(DRAIN_MS)]);
        try { await core.handle.close(); } catch { /* closed is closed */ }
        core.lock.release();
        this.core = null;
      }
      if (reason === "handover") {
        this.broadcast({ t: "down", host: this.id }); // stays ending: calls get "moved"
      } else {
        if (reason !== "idle") {
          this.broadcast({ t: "closed", host: this.id, reason });
          for (const v of this.views.values()) v.watch.abort();
          this.views.clear();
        }
        this.ending = null; // a later open starts a new core
      }
      this.onEnded(reason);
    })();
    return this.ended;
  }
}
