// prefs.js — the app's own settings, kept in this browser's localStorage (the
// core knows nothing of them): notifications, and per chat the disappearing-
// message timer and muting. A chat is named "g<groupId>" or "c<contactId>".
// The keys keep the code name sxweb: renaming them would lose stored settings.

const ls = () => { try { return globalThis.localStorage || null; } catch { return null; } };
const get = (k) => ls()?.getItem(k) ?? null;
const set = (k, v) => { try { if (v === null) ls()?.removeItem(k); else ls()?.setItem(k, String(v)); } catch { /* private mode: not kept */ } };

/** The key of a chat: {groupId} or {contactId}. */
export const chatKey = (ref) => (ref.groupId != null ? `g${ref.groupId}` : `c${ref.contactId}`);

/** The timer choices offered (seconds); a stored value outside them is shown as it is. */
export const TIMERS = [30, 300, 3600, 8 * 3600, 86400, 7 * 86400];

/** Seconds of the chat's disappearing-message timer, 0 when off. */
export function chatTTL(ref) {
  const n = Number(get(`sxweb.ttl.${chatKey(ref)}`));
  return Number.isInteger(n) && n > 0 ? n : 0;
}
export function setChatTTL(ref, seconds) { set(`sxweb.ttl.${chatKey(ref)}`, seconds > 0 ? seconds : null); }

export const isMuted = (ref) => get(`sxweb.mute.${chatKey(ref)}`) === "1";
export function setMuted(ref, on) { set(`sxweb.mute.${chatKey(ref)}`, on ? "1" : null); }

/** Notifications while the page is hidden: on unless turned off (they also need the browser's permission). */
export const notifyOn = () => get("sxweb.notify") !== "off";
export function setNotifyOn(on) { set("sxweb.notify", on ? null : "off"); }
/** Hide the message text in notifications ("New message" instead). */
export const notifyHideText = () => get("sxweb.notifyText") === "hide";
export function setNotifyHideText(on) { set("sxweb.notifyText", on ? "hide" : null); }

/** A duration in plain words: 30 seconds, 5 minutes, 1 hour, 8 hours, 1 day, 1 week. */
export function duration(s, short = false) {
  const units = short ? [[604800, "wk"], [86400, "d"], [3600, "h"], [60, "min"], [1, "s"]]
    : [[604800, "week"], [86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
  for (const [n, word] of units) {
    if (s >= n && (s % n === 0 || n === 1 || s >= 2 * n)) {
      const v = Math.round(s / n);
      return short ? `${v} ${word}` : `${v} ${word}${v === 1 ? "" : "s"}`;
    }
  }
  return short ? "0 s" : "0 seconds";
}
