// backupnote.js — what the app remembers of backups, in this browser's
// localStorage (localStorage outlives an eviction of IndexedDB in Chromium,
// so the eviction screen can still say when the last backup was made): the
// time of the last backup, how many messages came or went since, and a
// snoozed reminder. And the reminder itself: a notice above the app when the
// account has chats and no backup after some messages, or a backup older than
// a week with messages since. A new, empty account is never reminded.

const ls = () => { try { return globalThis.localStorage || null; } catch { return null; } };
const get = (k) => ls()?.getItem(k) ?? null;
const set = (k, v) => { try { if (v === null) ls()?.removeItem(k); else ls()?.setItem(k, String(v)); } catch { /* private mode: not kept */ } };

const DAY = 86400000;
/** A reminder with no backup at all waits for this many messages. */
export const NEVER_AFTER = 10;
/** A backup older than this is old (ms), when messages came or went since. */
export const OLD_AFTER = 7 * DAY;
/** "Later" hides the reminder this long (ms). */
export const SNOOZE = 3 * DAY;

/** When the last backup of db was made (ms), or 0. A restore counts: the file it came from is one. */
export const lastBackup = (db) => Number(get(`sxweb.lastBackup.${db}`)) || 0;
/** Messages (sent and received, counted by each open tab) since the last backup. */
export const sinceBackup = (db) => Number(get(`sxweb.sinceBackup.${db}`)) || 0;

/** Records a backup of db made (or restored from) at time `at`. */
export function backedUp(db, at = Date.now()) {
  set(`sxweb.lastBackup.${db}`, at);
  set(`sxweb.sinceBackup.${db}`, null);
  set(`sxweb.backupLater.${db}`, null);
}

/** One more message since the last backup. */
export const countMessage = (db) => set(`sxweb.sinceBackup.${db}`, sinceBackup(db) + 1);

/** Hides the reminder of db for SNOOZE. */
export const later = (db, now = Date.now()) => set(`sxweb.backupLater.${db}`, now + SNOOZE);

/**
 * Whether to remind: null, or {kind: "never"} (no backup, NEVER_AFTER
 * messages), or {kind: "old", days} (a backup older than OLD_AFTER with
 * messages since). chats: how many chats the account has (none: nothing to lose).
 */
export function reminder({ last, since, chats, snoozed = 0, now = Date.now() }) {
  if (!chats || now < snoozed) return null;
  if (!last) return since >= NEVER_AFTER ? { kind: "never" } : null;
  if (now - last >= OLD_AFTER && since > 0) return { kind: "old", days: Math.floor((now - last) / DAY) };
  return null;
}

/** The reminder for db in this browser now. */
export function reminderOf(db, chats) {
  return reminder({ last: lastBackup(db), since: sinceBackup(db), chats, snoozed: Number(get(`sxweb.backupLater.${db}`)) || 0 });
}

/** A time as a date and time in words, with how long ago: "5 Dec 2026, 14:03 (2 days ago)". */
export function when(t, now = Date.now()) {
  const d = new Date(t);
  const days = Math.floor((now - t) / DAY);
  const ago = days <= 0 ? "today" : days === 1 ? "yesterday" : `${days} days ago`;
  return `${d.toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" })}, ${d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })} (${ago})`;
}

/** The backup's file name: hearth-backup-YYYY-MM-DD.hearth (the local date). */
export function backupName(d = new Date()) {
  const p = (n) => String(n).padStart(2, "0");
  return `hearth-backup-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}.hearth`;
}
