// leader.js — starting the core's worker from a page: the dedicated workers of
// mode "solo" (start({takeover: true})) and of mode "leader", the fallback
// where there is no SharedWorker (Chrome for Android before 148): every tab
// that wants database D asks for the Web Lock `sxweb-leader:D@<VERSION>`; the
// one that has it runs the core in a dedicated Worker, which serves every tab
// over a BroadcastChannel. When the leader tab goes, the lock passes to the next
// tab in the queue, which starts its own worker (the wasm compiles in a few
// hundred milliseconds), and the views move to it (view.js).
import { VERSION } from "./version.js";

const base = new URL(".", import.meta.url);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const HANDOVER_MS = 5000; // the worker drains for up to 3 s, then closes the core

/** The URL of the core's worker script for this build. */
export function workerURL(params = {}) {
  const u = new URL("core-worker.js", base);
  u.searchParams.set("v", VERSION);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u;
}

/**
 * Starts a dedicated worker running core-worker.js. A page of another origin
 * (embedding) cannot start a worker from our origin, so it starts one from a
 * blob of its own origin that imports the real script (served with CORS).
 */
export function spawnWorker(mode, db) {
  const url = workerURL({ mode, db });
  const opts = { type: "module", name: `sxweb:${db}` };
  if (url.origin === globalThis.location?.origin) return new Worker(url, opts);
  const blob = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(blob), opts);
}

/**
 * Stands for leader of database db among the tabs of this build, until stop().
 * While leader, runs the core's worker (restarted if its Go runtime dies);
 * onError(e): the worker could not be started.
 */
export function runForLeader(db, onError = () => {}) {
  const wanted = new AbortController();
  let release;
  const held = new Promise((r) => { release = r; });
  let worker = null;
  let stopped = false;
  const spawn = () => {
    worker = spawnWorker("leader", db);
    worker.onmessage = (m) => {
      if (m.data?.t === "crashed" && !stopped) { worker.terminate(); spawn(); }
    };
    worker.onerror = (e) => onError(e);
  };
  navigator.locks.request(`sxweb-leader:${db}@${VERSION}`, { signal: wanted.signal }, () => {
    if (stopped) return undefined;
    spawn();
    return held;
  }).catch(() => {}); // aborted by stop() before we led
  return {
    get leading() { return !!worker; },
    /** Gives up leadership: the worker hands the core over (running calls finish), then ends. */
    async stop() {
      if (stopped) return;
      stopped = true;
      wanted.abort();
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
