// attention.js — what calls a person back: the unread total in the tab's title
// ("(3) Hearth") and on the installed app's icon (navigator.setAppBadge), and a
// notification for a message that arrives while the page is hidden. Never for
// my own messages, the group's history, a muted chat, or with notifications
// turned off; the permission is asked only from a click (settings). The chat on
// screen counts nothing: it is being read (chatpane.js marks it read).
import { isMuted, notifyOn, notifyHideText } from "./prefs.js";

const APP_NAME = "Hearth";
const visible = () => document.visibilityState === "visible";

/** The chat the page shows now and the person can see, as {groupId} or {contactId} (null: none). */
export function openChat(app) {
  const r = app.route || {};
  if (!visible()) return null;
  if (r.name === "group") return { groupId: r.groupId };
  if (r.name === "contact") return { contactId: r.contactId };
  return null;
}

const same = (ref, x) => (ref && (ref.groupId != null ? String(ref.groupId) === String(x.groupId) && x.contactId === undefined
  : String(ref.contactId) === String(x.contactId)));

/** The unread count a chat shows in the list (0 for the chat on screen). */
export function unreadOf(app, x) {
  const ref = x.contactId !== undefined ? { contactId: x.contactId } : { groupId: x.groupId };
  return same(openChat(app), ref) ? 0 : x.unread || 0;
}

/** Unread messages of the chats that are not muted (and not on screen). */
export function totalUnread(app) {
  let n = 0;
  for (const g of app.groups) if (g.status !== "deleted" && !isMuted({ groupId: g.groupId })) n += unreadOf(app, { groupId: g.groupId, unread: g.unread });
  for (const c of app.contacts) if (!isMuted({ contactId: c.contactId })) n += unreadOf(app, c);
  return n;
}

let badged = -1;
/** Writes the total into the title and, in an installed app, onto its icon (cleared at 0). */
export function showUnread(app) {
  const n = totalUnread(app);
  document.title = n ? `(${n}) ${APP_NAME}` : APP_NAME;
  if (n === badged) return;
  badged = n;
  const nav = globalThis.navigator;
  // Only installed apps have a badge; elsewhere the calls are missing or do nothing.
  if (n && nav.setAppBadge) nav.setAppBadge(n).catch(() => {});
  else if (!n && nav.clearAppBadge) nav.clearAppBadge().catch(() => {});
}

/** The browser can notify and the person allowed it. */
export const canNotify = () => typeof Notification === "function" && Notification.permission === "granted";

/**
 * Shows a notification for a message event when the page is hidden. Clicking
 * it brings the tab forward on that chat. The tag is the message's, so tabs
 * sharing one core show it once.
 */
export async function notify(app, ev) {
  if (visible() || ev.sender === "me" || ev.history || !notifyOn() || !canNotify()) return;
  const ref = ev.groupId != null ? { groupId: ev.groupId } : { contactId: ev.contactId };
  if (isMuted(ref)) return;
  let title, from = "";
  if (ref.groupId != null) {
    const g = app.groups.find((x) => String(x.groupId) === String(ev.groupId));
    title = g ? g.displayName : "Group";
    const ms = await app.chat.members(ev.groupId).catch(() => []);
    from = ms.find((m) => String(m.memberId) === String(ev.sender))?.displayName || ev.senderName || "";
  } else {
    title = app.contacts.find((x) => String(x.contactId) === String(ev.contactId))?.displayName || "New message";
  }
  const body = notifyHideText() ? (ev.mentioned ? "New message mentioning you" : "New message")
    : `${from ? `${from}: ` : ""}${ev.mentioned ? "(mentions you) " : ""}${ev.file ? `📎 ${ev.file.name}${ev.text ? " " : ""}` : ""}${ev.text}`;
  try {
    const n = new Notification(title, { body, tag: `sxweb-${ev.messageId}`, icon: "web/icons/icon-192.png", data: { ref } });
    n.onclick = () => {
      globalThis.focus();
      app.navigate(ref.groupId != null ? `#/group/${encodeURIComponent(ref.groupId)}` : `#/contact/${encodeURIComponent(ref.contactId)}`);
      n.close();
    };
  } catch { /* Android Chrome allows notifications only from a service worker: none there */ }
}
