// bubble.js — one message as the chat list shows it: sender, the quote it
// replies to (a button that jumps to the original), its file (filebubble.js),
// the text with @mentions highlighted (or who deleted it), reactions under it
// (mine highlighted; a click toggles mine), and a meta line: timer, "edited",
// time, delivery mark. The bubble's actions (reply, edit, delete, react, the
// file's) open from its "⋯" button, a right click or a long press; msgmenu.js
// draws them.
import { h, fmtTime } from "./dom.js";
import { duration } from "./prefs.js";
import { fileBlock } from "./filebubble.js";

// The statuses the core sends for my messages (README, "messages").
const STATUS = {
  pending: ["○ queued", "queued: sent when connected"],
  sent: ["✓", "sent to the relay"],
  delivered: ["✓✓", "delivered"],
  failed: ["! failed", "the relay refused it"],
};

/**
 * The delivery state of one of my messages, as a small mark with a readable
 * label. In large groups no receipts are asked (receipts: false): the mark says
 * how many members the relay took it for, never "delivered".
 */
export function statusMark({ status, total = 0, sent = 0, delivered = 0, receipts = true }) {
  let [mark, label] = STATUS[status] || ["", status || ""];
  if (status === "sent" && total > 1) {
    if (!receipts) {
      [mark, label] = [`✓ ${sent}/${total}`, `sent to ${sent} of ${total} members (no delivery receipts in groups this large)`];
    } else if (delivered > 0) {
      [mark, label] = [`✓✓ ${delivered}/${total}`, `delivered to ${delivered} of ${total} members`];
    }
  } else if (status === "delivered" && total > 1) {
    label = `delivered to all ${total} members`;
  }
  return h("span", { class: `st st-${status || "none"}`, title: label, "aria-label": label }, mark || status);
}

/** Time left until ms (epoch), short: "42 s", "12 min", "5 h", "3 d". */
export function timeLeft(at, now = Date.now()) {
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.ceil(s / 60)} min`;
  if (s < 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/** The small timer mark of a timed message: the time left once its timer runs, else its ttl. */
export function timerMark(m) {
  if (!m.ttl && m.expiresAt == null) return null;
  const running = m.expiresAt != null;
  const label = running ? `disappears in ${timeLeft(m.expiresAt)}` : `disappears ${duration(m.ttl)} after it is read`;
  return h("span", { class: "ttl", title: label, "aria-label": label, dataset: running ? { expires: m.expiresAt } : null },
    "⏱ ", running ? timeLeft(m.expiresAt) : duration(m.ttl, true));
}

/** Refreshes the time left of every running timer mark under el (called each second; no redraw). */
export function tickTimers(el, now = Date.now()) {
  for (const t of el.querySelectorAll(".ttl[data-expires]")) {
    const left = timeLeft(Number(t.dataset.expires), now);
    if (t.lastChild.textContent !== left) {
      t.lastChild.textContent = left;
      t.title = `disappears in ${left}`;
      t.setAttribute("aria-label", t.title);
    }
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The text as nodes, with "@name" highlighted for every member the message
 * mentions (mentions: {displayName: memberId}, as the core lists them; the
 * longest name first so "@Ann Lee" wins over "@Ann"); a mention of myId (my
 * memberId in the group) is marked as mine.
 */
export function withMentions(text, mentions, myId = null) {
  const names = Object.keys(mentions || {});
  if (!text || !names.length || !text.includes("@")) return [text];
  const re = new RegExp(`@(${names.sort((a, b) => b.length - a.length).map(escapeRe).join("|")})(?![\\p{L}\\p{N}_])`, "gu");
  const out = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > 0 && /[\p{L}\p{N}_]/u.test(text[m.index - 1])) continue; // an e-mail address, not a mention
    const me = myId != null && String(mentions[m[1]]) === String(myId);
    out.push(text.slice(last, m.index), h("span", { class: `mention${me ? " me" : ""}` }, m[0]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

const DELETED = { sender: "Message deleted", moderator: "Removed by an admin" };

/**
 * One message. ctx: nameOf(sender), showFrom (a group: name the sender), myId
 * (my memberId: mentions of me), reactions ("" allowed, else the reason they
 * are not), onReact(m, emoji, add), onJump(m.quote), onMenu(m, anchor), file
 * (filebubble.js's fx: media, act).
 */
export function bubble(m, ctx) {
  const mine = m.sender === "me";
  const deleted = m.deleted && m.deleted !== false ? m.deleted : "";
  const from = mine || !ctx.showFrom ? "" : (ctx.nameOf(m.sender) || m.senderName || "member");
  const file = m.file && !deleted && ctx.file ? m.file : null;
  const cls = ["msg", mine ? "mine" : "theirs", deleted && "deleted", m.mentioned && "mentioned", m.history && "history", (m.ttl || m.expiresAt) && "timed", file && "has-file"];
  const li = h("li", {
    class: cls.filter(Boolean).join(" "), tabindex: "-1",
    dataset: { id: m.messageId, status: m.status || "", ...(deleted ? { deleted } : {}) },
    // A right click opens the actions, unless text is selected (then the browser's menu copies it).
    oncontextmenu: (e) => {
      if (String(getSelection() || "")) return;
      e.preventDefault();
      ctx.onMenu(m, li.querySelector(".actions-btn") || li);
    },
  },
  from ? h("span", { class: "from", id: `from-${m.messageId}` }, from) : null,
  m.mentioned ? h("span", { class: "sr-only" }, "Mentions you. ") : null,
  m.quote && !deleted ? quoteBlock(m.quote, ctx) : null,
  file ? fileBlock(m, ctx.file) : null,
  deleted ? h("span", { class: "text gone", id: `text-${m.messageId}` }, DELETED[deleted] || "Message deleted")
    : file && !m.text ? null : h("span", { class: "text", id: `text-${m.messageId}` }, withMentions(m.text, m.mentions, ctx.myId)),
  !deleted && m.reactions && m.reactions.length ? reactionsRow(m, ctx) : null,
  h("span", { class: "meta" }, timerMark(m), m.edited && !deleted ? h("span", { class: "edited" }, "edited") : null,
    m.history ? h("span", { class: "hist", title: "sent to you as the group's history when you joined" }, "history") : null,
    h("time", {}, fmtTime(m.ts)), mine ? statusMark(m) : null),
  h("button", {
    type: "button", class: "actions-btn", "aria-label": "Message actions", "aria-haspopup": "menu", title: file ? "Reply, react, delete, the file's actions" : "Reply, react, edit, delete",
    // Moving through the list with the arrows, a screen reader hears whose message and what it says.
    "aria-describedby": [from && `from-${m.messageId}`, file && `file-${m.messageId}`, (!file || m.text) && `text-${m.messageId}`].filter(Boolean).join(" "),
    dataset: { focus: `actions-${m.messageId}` }, onclick: (e) => ctx.onMenu(m, e.currentTarget),
  }, "⋯"));
  longPress(li, () => ctx.onMenu(m, li.querySelector(".actions-btn") || li));
  return li;
}

/** The message m replies to: who and what; a button that jumps to it when it is here. */
function quoteBlock(q, ctx) {
  const who = q.sender === "me" ? "You" : ctx.nameOf(q.sender) || "";
  const body = [who ? h("strong", {}, who) : null, h("span", { class: "qtext" }, q.text || "…")];
  return q.messageId
    ? h("button", { type: "button", class: "quote", title: "Show the original message", "aria-label": `Reply to ${who || "a message"}: ${q.text}. Show the original`,
      dataset: { focus: `quote-${q.messageId}` }, onclick: () => ctx.onJump(q) }, body)
    : h("div", { class: "quote", title: "The original message is not here" }, body);
}

/** The reactions under a bubble: "👍 2" chips, mine pressed; a click toggles mine. */
function reactionsRow(m, ctx) {
  return h("div", { class: "reactions", role: "group", "aria-label": "Reactions" }, m.reactions.map((r) => h("button", {
    type: "button", class: `reaction${r.mine ? " mine" : ""}`, "aria-pressed": r.mine ? "true" : "false",
    disabled: !!ctx.reactions, title: ctx.reactions || (r.mine ? "Remove your reaction" : "React with this too"),
    "aria-label": `${r.emoji} ${r.count}${r.mine ? ", including you" : ""}`,
    dataset: { focus: `react-${m.messageId}-${r.emoji}`, emoji: r.emoji },
    onclick: () => ctx.onReact(m, r.emoji, !r.mine),
  }, `${r.emoji} ${r.count}`)));
}

/**
 * Opens the actions on a touch long press (phones: no hover, and iOS sends no
 * contextmenu). A move or an early release cancels it.
 */
function longPress(el, fn) {
  let timer = 0, x = 0, y = 0;
  const cancel = () => { clearTimeout(timer); timer = 0; };
  el.addEventListener("pointerdown", (e) => {
    if (e.pointerType !== "touch" || e.target.closest("button")) return;
    x = e.clientX; y = e.clientY;
    timer = setTimeout(() => { timer = 0; fn(); }, 500);
  });
  el.addEventListener("pointermove", (e) => { if (timer && Math.hypot(e.clientX - x, e.clientY - y) > 10) cancel(); });
  for (const t of ["pointerup", "pointercancel", "pointerleave"]) el.addEventListener(t, cancel);
}
