// core-worker.js — the worker the Go core runs in, off every page's main thread
// (a module worker; simplex.js starts it as core-worker.js?v=<VERSION>, so a new
// build is a new worker). Three ways it is started:
//   SharedWorker "sxweb:<db>"              mode "shared": every tab of the origin connects a port
//   Worker named {"mode":"leader","db":D}  mode "leader": the leader tab's worker, where there is
//                                          no SharedWorker; views talk over the BroadcastChannel
//                                          `sxweb-bus:<db>@<VERSION>` (a standby until "lead")
//   Worker named {"mode":"solo","db":D}    mode "solo": start({takeover: true}), one page alone
// It holds the Web Lock `sxweb-host:<id>` for its whole life: views watch it to
// learn that this worker is gone (crashed, or its leader tab closed).
import { Host } from "./host.js";
import { VERSION } from "./version.js";
import { loadRuntime } from "./runtime.js";

// A dedicated worker's settings come in its name, {mode, db, wasm}: not in its
// URL, since a service worker answers from its cache by path, and the script's
// URL is then the cached one, without the query.
const cfg = (() => { try { return JSON.parse(self.name); } catch { return {}; } })();
const id = crypto.randomUUID();
const alive = new Promise((ok) => {
  if (!globalThis.navigator?.locks) return ok();
  navigator.locks.request(`sxweb-host:${id}`, () => { ok(); return new Promise(() => {}); });
});

/** The worker cannot go on without its Go runtime: end it, views move to a new one. */
function crash(tell) {
  console.error("sxweb: the Go runtime exited; closing the core's worker");
  tell?.();
  self.close();
}

if (typeof SharedWorkerGlobalScope === "function" && self instanceof SharedWorkerGlobalScope) {
  const hosts = new Map(); // db → Host (one db per worker by its name; the map keeps it honest)
  const hostFor = (db) => {
    if (!hosts.has(db)) hosts.set(db, new Host({ id, kind: "shared", onCrash: () => crash() }));
    return hosts.get(db);
  };
  self.onconnect = (e) => {
    const port = e.ports[0];
    let host = null;
    port.onmessage = async (m) => {
      await alive;
      const msg = m.data;
      if (msg?.t === "open") host = hostFor(msg.opts?.db);
      host?.receive(msg, (r) => port.postMessage(r));
    };
  };
} else if (cfg.mode === "leader") {
  // Started by a tab in line to lead (leader.js): the wasm loads at once, so a
  // standby worker is ready to serve in the time it takes to open the
  // database; it serves from "lead" on.
  const { db } = cfg;
  const onCrash = () => crash(() => self.postMessage({ t: "crashed" }));
  loadRuntime(cfg.wasm || undefined, onCrash).catch((e) => console.error(`sxweb: loading the core: ${e.message}`));
  let host = null;
  const lead = () => {
    const bus = new BroadcastChannel(`sxweb-bus:${db}@${VERSION}`);
    host = new Host({ id, kind: "leader", broadcast: (msg) => bus.postMessage(msg), onCrash });
    bus.onmessage = async (m) => {
      await alive; // views watch our lock from the first answer on
      const msg = m.data;
      if (!msg || (msg.host && msg.host !== id) || (msg.t === "open" && msg.opts?.db !== db)) return;
      host.receive(msg, (r) => bus.postMessage(r));
    };
    alive.then(() => bus.postMessage({ t: "up", host: id }));
  };
  self.onmessage = async (m) => {
    if (m.data?.t === "lead" && !host) lead();
    // The leader tab leaves: hand the core over (calls finish, the core closes).
    if (m.data?.t === "handover") {
      await host?.end("handover");
      self.postMessage({ t: "handed" });
    }
  };
} else {
  // One page alone: the worker ends with its core.
  const host = new Host({ id, kind: "solo", onCrash: () => crash(), onEnded: () => self.close() });
  self.onmessage = async (m) => {
    await alive;
    host.receive(m.data, (r) => self.postMessage(r));
  };
}
