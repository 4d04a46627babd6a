// dblock.js — "exactly one core per database", in every mode and across builds.
//
// Whoever runs a core on database D (the shared worker, the leader tab's worker,
// a page running it alone, or the page itself in mode "page") holds the Web Lock
// `sxweb:D` for as long as the core runs, and beside it a second lock whose name
// says who holds it: `sxweb-holder:{"db","kind","version","built"}`. A newcomer
// that finds `sxweb:D` taken reads that name (navigator.locks.query) and decides:
//
//   holder of the same build        LOCKED, or with takeover: it takes over
//   holder of an older build        it takes over (the old views get VERSION)
//   holder of a newer build         VERSION (this page is the old one)
//   holder that names nobody        a build from before this protocol: take over
//
// Taking over = a message on the BroadcastChannel `sxweb:D` ({type: "takeover"},
// which builds from before this protocol also obey), then waiting for the lock;
// a holder that does not let go within lockTimeout (a frozen tab) has it stolen,
// and a holder whose lock is stolen closes its core at once.
import { VERSION, BUILT, newer } from "./version.js";
import { SimplexError } from "./runtime.js";

const INFO = "sxweb-holder:";
const lockName = (db) => `sxweb:${db}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Requests a Web Lock held until `held` resolves. result: whether it was
 * granted (false for ifAvailable when taken); lost: resolves if the lock is
 * stolen from us after it was granted.
 */
function requestLock(name, opts, held) {
  let granted = false;
  let onLost;
  const lost = new Promise((r) => { onLost = r; });
  const result = new Promise((resolve, reject) => {
    navigator.locks.request(name, opts, (lock) => {
      granted = !!lock;
      resolve(granted);
      return lock ? held : undefined;
    }).then(() => {}, (e) => { if (granted) onLost(e); else reject(e); });
  });
  return { result, lost };
}

/** Who holds database db: {kind, version, built}, "free", or null (nobody says). */
async function holderOf(db) {
  for (let i = 0; i < 10; i++) {
    const { held = [] } = await navigator.locks.query();
    if (!held.some((l) => l.name === lockName(db))) return "free";
    for (const l of held) {
      if (!l.name.startsWith(INFO)) continue;
      try {
        const h = JSON.parse(l.name.slice(INFO.length));
        if (h.db === db) return h;
      } catch { /* not ours */ }
    }
    await sleep(100); // the holder takes its name lock just after the database lock
  }
  return null;
}

/** What a newcomer does about holder: "take", "locked" or "version". */
export function decide(holder, mine, takeover) {
  if (!holder) return "take";
  if (holder.version === mine.version) return takeover ? "take" : "locked";
  return newer(mine, holder) ? "take" : "version";
}

/** Why a holder is asked to go, from the asker's {version, built} (or null: don't go). */
function yieldReason(from, mine) {
  if (!from || from.version === undefined || from.version === mine.version) return "takeover";
  return newer(from, mine) ? "version" : null;
}

/**
 * Acquires database db for a core. Resolves {release()} once it is ours, or
 * rejects LOCKED / VERSION. onYield(reason, {stolen}) is called while we hold
 * it when another one takes over ("takeover", or "version" for a newer build):
 * the caller closes its core, then calls release(). stolen: the lock is already
 * gone, close at once.
 */
export async function acquireDB(db, { takeover = false, kind = "shared", lockTimeout = 10000, onYield = () => {} } = {}) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks) return { release() {} }; // no Web Locks: nothing to guard with
  const mine = { db, kind, version: VERSION, built: BUILT };
  const name = lockName(db);
  let release;
  const held = new Promise((r) => { release = r; });
  let req = requestLock(name, { ifAvailable: true }, held);
  let holder = "free";
  // Freed between the two looks: ask again (a few times, then queue for it).
  for (let i = 0; i < 5 && !(await req.result); i++) {
    holder = await holderOf(db);
    if (holder !== "free") break;
    req = requestLock(name, { ifAvailable: true }, held);
  }
  if (holder === "free" && !(await req.result)) req = requestLock(name, {}, held);
  if (holder !== "free") {
    const what = decide(holder, mine, takeover);
    if (what === "locked") {
      const alone = holder.kind === "solo" || holder.kind === "page";
      throw new SimplexError("LOCKED", `database "${db}" is open ${alone ? "alone " : ""}in another tab (${holder.kind})`);
    }
    if (what === "version") {
      throw new SimplexError("VERSION", `a newer version of the app (${holder.version}) runs database "${db}": reload this page`);
    }
    const bc = new BroadcastChannel(name);
    bc.postMessage({ type: "takeover", ...mine });
    bc.close();
    req = requestLock(name, AbortSignal.timeout ? { signal: AbortSignal.timeout(lockTimeout) } : {}, held);
    try {
      await req.result;
    } catch {
      // The holder did not let go (frozen or gone): take the lock anyway; it
      // closes its core when the takeover message or the loss reaches it.
      req = requestLock(name, { steal: true }, held);
    }
  }
  await req.result;
  requestLock(INFO + JSON.stringify(mine), {}, held);
  const bc = new BroadcastChannel(name);
  let gone = false;
  const go = (reason, stolen) => {
    if (gone) return;
    gone = true;
    bc.close();
    onYield(reason, { stolen });
  };
  bc.onmessage = (m) => {
    if (!m.data || m.data.type !== "takeover") return;
    const reason = yieldReason(m.data, mine);
    if (reason) go(reason, false);
  };
  req.lost.then(() => go("takeover", true));
  return {
    release() {
      gone = true;
      bc.close();
      release();
    },
  };
}

/**
 * Resolves true once no core holds database db (its lock is free), false if
 * one still does after timeout ms: a core that is closing (its last page went)
 * lets go within a moment.
 */
export async function whenFree(db, timeout = 5000) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks) return true;
  for (const end = Date.now() + timeout; ;) {
    const { held = [] } = await locks.query();
    if (!held.some((l) => l.name === lockName(db))) return true;
    if (Date.now() > end) return false;
    await sleep(100);
  }
}
