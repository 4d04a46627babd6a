// leader.js — starting the core's worker from a page: the dedicated workers of
// mode "solo" (start({takeover: true})) and of mode "leader", the fallback
// where there is no SharedWorker (Chrome for Android before 148): every tab
// that wants database D asks for the Web Lock `sxweb-leader:D@<VERSION>`; the
// one that has it runs the core in a dedicated Worker, which serves every tab
// over a BroadcastChannel. When the leader tab goes, the lock passes to the next
// tab in the queue, whose standby worker takes over, and the views move to it
// (view.js).
import { VERSION } from "./version.js";

const base = new URL(".", import.meta.url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const HANDOVER_MS = 5000; // the worker drains for up to 3 s, then closes the core

/** The URL of the core's worker script for this build (the version makes a new build a new SharedWorker). */
export function workerURL() {
  const u = new URL("core-worker.js", base);
  u.searchParams.set("v", VERSION);
  return u;
}

/**
 * Starts a dedicated worker running core-worker.js. A page of another origin
 * (embedding) cannot start a worker from our origin, so it starts one from a
 * blob of its own origin that imports the real script (served with CORS).
 */
export function spawnWorker(mode, db, wasmURL = "") {
  const url = workerURL();
  const opts = { type: "module", name: JSON.stringify({ mode, db, wasm: wasmURL || undefined }) };
  if (url.origin === globalThis.location?.origin) return new Worker(url, opts);
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(blob), opts);
}

/**
 * Stands for leader of database db among the tabs of this build, until stop().
 * While leader, runs the core's worker (restarted if its Go runtime dies);
 * onError(e): the worker could not be started.
 *
 * Standby: the first tab in line (the holder of `sxweb-standby:D@<VERSION>`,
 * which every tab but the leader asks for, in the same order as the leader
 * lock) keeps a worker with the wasm loaded, and makes it the leader's worker
 * when its turn comes: the core moves in about the time it takes to open the
 * database, instead of fetching and compiling the wasm first. It costs one
 * idle Go runtime while two or more tabs are open.
 */
export function runForLeader(db, onError = () => {}, wasmURL = "") {
  const wanted = new AbortController();
  const lockOf = (what) => `sxweb-${what}:${db}@${VERSION}`;
  let release, releaseStandby;
  const held = new Promise((r) => { release = r; });
  const standbyHeld = new Promise((r) => { releaseStandby = r; });
  let worker = null; // the leader's, once we lead
  let standby = null;
  let stopped = false;
  const spawn = () => {
    const w = spawnWorker("leader", db, wasmURL);
    w.onmessage = (m) => {
      if (m.data?.t !== "crashed" || stopped) return;
      w.terminate();
      if (w === worker) lead(spawn());
      if (w === standby) standby = spawn();
    };
    w.onerror = (e) => onError(e);
    return w;
  };
  const lead = (w) => {
    worker = w;
    w.postMessage({ t: "lead" });
  };
  navigator.locks.request(lockOf("leader"), { signal: wanted.signal }, () => {
    if (stopped) return undefined;
    lead(standby || spawn());
    standby = null;
    releaseStandby(); // the next tab in line makes its own
    return held;
  }).catch(() => {}); // aborted by stop() before we led
  navigator.locks.request(lockOf("standby"), { signal: wanted.signal }, () => {
    if (stopped || worker) return undefined; // the leader needs none: the next tab takes it
    standby = spawn();
    return standbyHeld;
  }).catch(() => {});
  return {
    get leading() { return !!worker; },
    /** Gives up leadership: the worker hands the core over (running calls finish), then ends. */
    async stop() {
      if (stopped) return;
      stopped = true;
      wanted.abort();
      standby?.terminate();
      standby = null;
      releaseStandby();
      const w = worker;
      if (w) {
        const handed = new Promise((ok) => w.addEventListener("message", (m) => { if (m.data?.t === "handed") ok(); }));
        w.postMessage({ t: "handover" });
        await Promise.race([handed, sleep(HANDOVER_MS)]);
        w.terminate();
        worker = null;
      }
      release();
    },
  };
}
