// backupnote.test.mjs — when the app reminds to back up (web/backupnote.js), in
// Node with a localStorage of its own: never a new, empty account; after some
// messages with no backup; a week-old backup only when messages came since;
// "Later" for three days; a backup (or a restore) resets it. And the file name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { reminder, reminderOf, backedUp, countMessage, later, backupName, NEVER_AFTER, OLD_AFTER, SNOOZE } from "../backupnote.js";

const store = new Map();
globalThis.localStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
const DAY = 86400000;
const now = Date.UTC(2026, 11, 5, 12);

test("a new account is not reminded, however many messages, until it has a chat", () => {
  assert.equal(reminder({ last: 0, since: 0, chats: 0, now }), null);
  assert.equal(reminder({ last: 0, since: 500, chats: 0, now }), null);
  assert.equal(reminder({ last: 0, since: 0, chats: 3, now }), null, "chats but no message yet");
});

test("no backup: reminded once NEVER_AFTER messages came or went", () => {
  assert.equal(reminder({ last: 0, since: NEVER_AFTER - 1, chats: 1, now }), null);
  assert.deepEqual(reminder({ last: 0, since: NEVER_AFTER, chats: 1, now }), { kind: "never" });
});

test("an old backup: reminded only when messages came since", () => {
  const last = now - OLD_AFTER - 2 * DAY;
  assert.equal(reminder({ last, since: 0, chats: 1, now }), null, "nothing new since: the backup is complete");
  assert.deepEqual(reminder({ last, since: 1, chats: 1, now }), { kind: "old", days: 9 });
  assert.equal(reminder({ last: now - OLD_AFTER + DAY, since: 100, chats: 1, now }), null, "six days is not old");
});

test("Later hides it for SNOOZE; a backup resets the count", () => {
  for (let i = 0; i < NEVER_AFTER; i++) countMessage("a");
  assert.deepEqual(reminderOf("a", 1), { kind: "never" });
  assert.equal(reminderOf("b", 1), null, "each database counts its own");
  later("a");
  assert.equal(reminderOf("a", 1), null);
  assert.deepEqual(reminder({ last: 0, since: NEVER_AFTER, chats: 1, snoozed: now + SNOOZE, now: now + SNOOZE }), { kind: "never" }, "back after the snooze");
  backedUp("a", now);
  assert.equal(store.get("sxweb.sinceBackup.a"), undefined);
  assert.equal(Number(store.get("sxweb.lastBackup.a")), now);
  assert.equal(store.get("sxweb.backupLater.a"), undefined, "a backup ends the snooze");
});

test("the backup's file name carries the local date", () => {
  assert.equal(backupName(new Date(2026, 0, 9, 23, 59)), "hearth-backup-2026-01-09.hearth");
});
