// account.js — what simplex.js needs for an account's life beyond one
// database: noticing that the browser evicted it, and the data an import
// takes. The work itself (export, import, encryption at rest) is in Go.

/** The localStorage key that remembers database `db` held an account. */
const markKey = (db) => `sxweb.account.${db}`;

/** Remembers that `db` holds an account (at its first start, and after an import). */
export function markAccount(db) {
  try { globalThis.localStorage?.setItem(markKey(db), String(Date.now())); } catch { /* no localStorage: nothing to notice with */ }
}

/**
 * True when `db` held an account (the mark) and the browser has no such
 * database any more: the browser evicted the origin's IndexedDB and left
 * localStorage (Chromium's eviction does; where both go, as in Firefox or
 * Safari's 7-day rule, the mark goes too and nothing can be noticed).
 * False where indexedDB.databases() is missing.
 */
export async function evicted(db) {
  let marked = null;
  try { marked = globalThis.localStorage?.getItem(markKey(db)); } catch { /* none */ }
  if (!marked || typeof globalThis.indexedDB?.databases !== "function") return false;
  try {
    const dbs = await indexedDB.databases();
    return !dbs.some((d) => d.name === db);
  } catch {
    return false;
  }
}

/** The backup of importAccount as a Blob (a Blob, an ArrayBuffer or a typed array), or null. */
export function toBlob(data) {
  if (typeof Blob === "function" && data instanceof Blob) return data;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return new Blob([data]);
  return null;
}
