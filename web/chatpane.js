// chatpane.js — a chat's message list and composer, shared by group and direct
// chats. It keeps the loaded messages (the newest pages), applies the core's
// message, update and delivery events to them without re-reading the history,
// draws the "unread" divider, runs the actions of a message (reply, edit, delete,
// react, its file's), jumps to the original of a quote, counts down timed
// messages, takes files dropped on it, and marks the chat read while it is on
// screen. A redraw rebuilds only the bubbles whose message (or what they show
// of the chat: names, files) changed (keyed.js), and at the bottom the list
// keeps the newest AT_END messages: a burst of messages costs the new bubbles,
// not the whole history each time.
import { h, fill } from "./dom.js";
import { bubble, tickTimers } from "./bubble.js";
import { messageMenu, confirmDelete } from "./msgmenu.js";
import { composer } from "./composer.js";
import { fileMedia, fileActions, fileActor } from "./filemedia.js";
import { dropZone } from "./attach.js";
import { keyed } from "./keyed.js";

// A chat opens with its newest PAGE messages; older pages are read from the core
// (messages({..., limit, before})) when the list is scrolled to the top or on
// "Load earlier", so opening a long chat costs one page, not the whole history.
export const PAGE = 100;
const NEAR_TOP = 120; // px from the top of the list that load the next page
// At the bottom the list keeps this many messages (two pages): older ones are
// dropped from the DOM and from memory, and come back from the core as pages
// when scrolled to, like any older page. It is cut back once SLACK more came,
// not on every message: removing the first bubbles moves all the others.
export const AT_END = 2 * PAGE;
export const SLACK = PAGE / 2;

const received = (m) => m.sender !== "me" && !m.history;
/** The page is on screen (a hidden tab reads nothing: its chats stay unread). */
export const pageVisible = () => document.visibilityState === "visible";

/**
 * opts: label; page(before) → the PAGE messages before messageId `before` (the
 * newest PAGE when undefined), oldest first; send(text, {quote, mentions, ttl})
 * → {messageId} once stored; sendFile(file, {text}) → {messageId} likewise;
 * chat (the JS API: editMessage, deleteMessage, react, markRead, the file
 * calls, storage) and ref ({groupId} | {contactId}); features() → {reactions:
 * "" | why not, files: "" | why not, canModerate(m)}; members() to complete
 * @names; timer for the composer (composer.js); onError.
 */
export function chatPane(opts) {
  const { label, page, chat, ref, onError = console.error } = opts;
  const features = opts.features || (() => ({ reactions: "" }));
  let all = []; // the loaded messages, oldest first: the newest pages of the chat
  let more = false; // the core may have messages older than all[0]
  let loading = null; // the Promise of the page being read
  let dividerAt = null; // messageId the "unread" divider stands before
  let flashId = null; // the message a quote jump highlights
  let jumping = false; // a quote jump is reading earlier pages
  let currentId = null; // the message whose "⋯" is the list's one tab stop, once one was focused (else the newest)
  let stopId = null; // that tab stop in the last drawing
  let ctx = { nameOf: () => "", myId: null };

  // Not a live region: app.js announces new messages instead.
  const list = h("ol", { class: "messages", "aria-label": label, onkeydown: onListKey });
  const rows = keyed(list);
  const dividerItem = h("li", { class: "unread-divider", role: "separator", "aria-label": "Unread messages" }, h("span", {}, "Unread messages"));
  const startItem = h("li", { class: "more start" }, "Start of the conversation");
  const emptyItem = h("li", { class: "empty" }, "No messages yet.");
  const drawn = new WeakMap(); // a bubble → {id: its messageId, btn: its "⋯" button}
  const scroller = h("div", { class: "scroller", onscroll: () => { menu.follow(scroller); if (scroller.scrollTop < NEAR_TOP) loadEarlier(); } }, list);
  const moreButton = h("button", { class: "link", type: "button", onclick: () => loadEarlier() }, "Load earlier messages");
  const moreItem = h("li", { class: "more" }, moreButton);
  const menu = messageMenu({ can, act });
  // The full files' object URLs; an image whose shape becomes known keeps the list's bottom in view.
  const media = fileMedia(chat, { onChange: () => redraw(), onShape: () => { if (atEnd) scroller.scrollTop = scroller.scrollHeight; } });
  const fileAct = fileActor({ chat, media, onError });
  const box = composer({
    send: submit,
    edit: (id, text) => chat.editMessage(id, text).catch((e) => { onError(e); throw e; }),
    members: opts.members || null,
    timer: opts.timer || null,
    describe: (m) => ({ who: m.sender === "me" ? "yourself" : ctx.nameOf(m.sender) || m.senderName || "them", text: m.text || (m.file ? `📎 ${m.file.name}` : "") }),
    onMode: () => redraw(), // the message being edited is outlined
    files: opts.sendFile ? {
      allowed: () => features().files || "",
      storage: () => (chat.storage ? chat.storage() : Promise.resolve(null)),
      send: async (f, o) => {
        const r = await opts.sendFile(f, o);
        sent(r.messageId, o.text, { file: { name: f.name, size: f.size, type: f.type, state: "uploading", done: 0 } });
      },
    } : null,
  });

  async function submit(text, o) {
    const ttl = opts.timer && !opts.timer.allowed() ? opts.timer.get() || undefined : undefined;
    const r = await opts.send(text, { ...o, ttl });
    const q = o.quote ? all.find((x) => x.messageId === o.quote) : null;
    sent(r.messageId, text, { quote: q ? { messageId: q.messageId, text: q.text, sender: q.sender } : null, ttl });
  }

  // ---- drawing ----
  let frame = 0;
  /**
   * Redraws the list: builds the bubbles that are new or changed, keeps the
   * others; keepTop keeps what is on screen in place while older messages are
   * added above it.
   */
  function draw(keepTop = false) {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const atBottom = fromBottom - scroller.clientHeight < 40;
    const first = list.dataset.first !== "0";
    if (atBottom && !keepTop && !first && !loading && !jumping) trim();
    // The focus survives a bubble rebuilt: the same control of the same message.
    const focusKey = list.contains(document.activeElement) ? document.activeElement.dataset.focus : null;
    const hadMore = document.activeElement === moreButton;
    moreButton.textContent = loading ? "Loading earlier messages…" : "Load earlier messages";
    moreItem.setAttribute("aria-busy", loading ? "true" : "false");
    const divider = all.some((m) => m.messageId === dividerAt) ? dividerAt : null;
    stopId = tabStop();
    const bx = bubbleCtx();
    const items = [more ? moreItem : all.length >= PAGE ? startItem : null];
    for (const m of all) {
      if (m.messageId === divider) items.push(dividerItem);
      items.push([m.messageId, signature(m, bx), () => item(m, bx)]);
    }
    if (!all.length) items.push(emptyItem);
    fresh = [];
    rows.sync(items.filter(Boolean));
    // The list's marks (tab stop, edited, highlighted, menu open) on the new
    // bubbles, and on the kept ones whose mark came or went.
    const now = [stopId, box.editingId(), flashId, menu.openFor()];
    for (const li of fresh) mark(li);
    for (const id of new Set([...marked, ...now])) if (id != null && rows.get(id)) mark(rows.get(id));
    marked = now;
    if (keepTop) scroller.scrollTop = scroller.scrollHeight - fromBottom;
    else if (first && divider) dividerItem.scrollIntoView({ block: "center" });
    else if (atBottom || first) scroller.scrollTop = scroller.scrollHeight;
    list.dataset.first = "0";
    list.dataset.more = String(more);
    if (hadMore && !more) scroller.focus({ preventScroll: true }); // "Load earlier" went: nothing older
    else if (focusKey && !list.contains(document.activeElement)) list.querySelector(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus({ preventScroll: true });
    tickTimers(list);
  }
  const redraw = () => { if (!frame) frame = requestAnimationFrame(() => draw()); };
  let fresh = []; // the bubbles built in this drawing
  let marked = []; // the messageIds the last drawing marked (see draw)

  /** What the bubbles of this drawing share (bubble.js's ctx). */
  const bubbleCtx = () => ({ ...ctx, reactions: features().reactions, onReact: react, onJump: jump, onMenu: (x, a) => menu.open(x, a), file: { media, act: fileAct } });

  /**
   * Everything a bubble shows that can change: its message (a new object on
   * every change: apply() never edits one in place), the names it shows, my id
   * (mentions of me), whether reactions are allowed, and its file's URL here.
   * A bubble is rebuilt when this changes, and only then.
   */
  function signature(m, bx) {
    const f = m.file && !m.deleted;
    return [m, bx.showFrom && m.sender !== "me" ? bx.nameOf(m.sender) : "", m.quote ? bx.nameOf(m.quote.sender) : "", bx.myId,
      m.reactions && m.reactions.length ? bx.reactions : "",
      f ? media.url(m) : null, f && media.missing(m), f && media.gone(m)];
  }

  function item(m, bx) {
    const li = bubble(m, bx);
    const btn = li.querySelector(".actions-btn");
    drawn.set(li, { id: m.messageId, btn });
    fresh.push(li);
    btn.addEventListener("focus", () => { currentId = m.messageId; });
    for (const b of li.querySelectorAll(".quote, .reaction, .file button, .file a")) b.tabIndex = -1; // reached through the menu
    return li;
  }

  /** What a bubble shows of the list's state (set on new bubbles, and on kept ones when it changes). */
  function mark(li) {
    const { id, btn } = drawn.get(li);
    li.classList.toggle("flash", id === flashId);
    li.classList.toggle("editing", id === box.editingId());
    // One tab stop for the whole list (the current message's "⋯"); arrows move it.
    const tab = id === stopId ? 0 : -1;
    if (btn.tabIndex !== tab) btn.tabIndex = tab;
    if (menu.openFor() === id && btn.getAttribute("aria-expanded") !== "true") menu.adopt(btn); // rebuilt while its menu is open
  }

  /**
   * At the bottom, SLACK messages over: drops all but the newest AT_END (they come back as
   * pages when scrolled to), keeping any the person is busy with (edited, its
   * menu open, focused).
   */
  function trim() {
    if (all.length <= AT_END + SLACK) return;
    let cut = all.length - AT_END;
    const focused = list.contains(document.activeElement) ? drawn.get(document.activeElement.closest(".msg"))?.id : null;
    for (const id of [box.editingId(), menu.openFor(), focused]) {
      const i = id == null ? -1 : all.findIndex((m) => m.messageId === id);
      if (i >= 0 && i < cut) cut = i;
    }
    for (const m of all.slice(0, cut)) if (m.file) media.forget(m.messageId);
    all = all.slice(cut);
    more = true;
  }

  const tabStop = () => (currentId && all.some((m) => m.messageId === currentId) ? currentId : all.length ? all[all.length - 1].messageId : null);

  /** Arrow keys move between messages (their "⋯" buttons); the menu offers every action. */
  function onListKey(e) {
    if (!e.target.classList.contains("actions-btn")) return;
    const btns = [...list.querySelectorAll(".actions-btn")];
    const i = btns.indexOf(e.target);
    const to = { ArrowUp: i - 1, ArrowDown: i + 1, Home: 0, End: btns.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const b = btns[Math.max(0, Math.min(btns.length - 1, to))];
    if (!b) return;
    for (const x of btns) x.tabIndex = x === b ? 0 : -1;
    b.focus();
    b.closest(".msg").scrollIntoView({ block: "nearest" });
  }

  // ---- paging ----
  /** Reads the page before the first loaded message and shows it above, keeping the scroll position. */
  function loadEarlier() {
    if (!more || loading || !all.length) return loading;
    const before = all[0].messageId;
    loading = page(before).then((older = []) => {
      more = older.length >= PAGE;
      all = [...older.filter((m) => !all.some((x) => x.messageId === m.messageId)), ...all];
    }).catch((e) => {
      if (e && e.code === "NOT_FOUND") more = false; // the first message was deleted meanwhile
      else onError(e);
    }).finally(() => {
      loading = null;
      draw(true);
    });
    draw(true);
    return loading;
  }

  /** Scrolls to the message a quote answers (reading earlier pages until it is loaded) and highlights it. */
  async function jump(q) {
    jumping = true; // the pages read on the way stay, even at the bottom
    try {
      for (let n = 0; n < 50 && !all.some((m) => m.messageId === q.messageId) && more; n++) await loadEarlier();
    } finally { jumping = false; }
    const li = list.querySelector(`.msg[data-id="${CSS.escape(q.messageId)}"]`);
    if (!li) return onError(new Error("The original message is no longer here."));
    flashId = q.messageId;
    li.classList.add("flash");
    li.scrollIntoView({ block: "center", behavior: "smooth" });
    li.focus({ preventScroll: true });
    setTimeout(() => { if (flashId === q.messageId) { flashId = null; list.querySelector(".msg.flash")?.classList.remove("flash"); } }, 2500);
  }

  // ---- actions ----
  function can(m) {
    const f = features();
    if (m.deleted) return { remove: "here" };
    return {
      react: true, reactions: f.reactions, reply: true, edit: m.sender === "me", copy: !!m.text,
      jump: !!(m.quote && m.quote.messageId), file: fileActions(m, media),
      remove: m.sender === "me" ? "own" : f.canModerate && f.canModerate(m) ? "moderate" : "here",
    };
  }
  async function act(kind, m, arg) {
    try {
      if (kind === "react") return await react(m, ...arg);
      if (kind === "reply") return box.replyTo(m);
      if (kind === "edit") return box.editing(m);
      if (kind === "copy") return await navigator.clipboard.writeText(m.text);
      if (kind === "jump") return await jump(m.quote);
      if (["open", "save", "download", "retry", "cancel"].includes(kind)) return await fileAct(kind, m);
      if (kind === "delete") {
        const how = await confirmDelete(can(m).remove, m.text || (m.file ? `📎 ${m.file.name}` : ""));
        if (how) await chat.deleteMessage(m.messageId, { forEveryone: how === "everyone" });
        list.querySelector(".actions-btn[tabindex='0']")?.focus({ preventScroll: true });
      }
    } catch (e) { onError(e); }
  }
  function react(m, emoji, add) {
    return chat.react(m.messageId, emoji, add).catch(onError);
  }

  // ---- events ----
  /** Sets the names (ctx: nameOf, showFrom, myId) and, on the first load, the newest page and the chat's unread count. */
  function render(messages, names, unread = 0) {
    if (names) ctx = { ...ctx, ...names };
    if (messages && pending) { // the first load only: later ones would drop the events applied since
      all = messages;
      more = messages.length >= PAGE;
      placeDivider(unread);
      const early = pending || [];
      pending = null;
      early.forEach(apply);
      markRead();
    }
    draw();
  }
  /** The divider goes before the first of the chat's `unread` newest received messages. */
  function placeDivider(unread) {
    if (!unread) return;
    let n = 0;
    for (let i = all.length - 1; i >= 0; i--) {
      if (received(all[i]) && ++n === unread) { dividerAt = all[i].messageId; return; }
    }
    const firstReceived = all.find(received);
    if (firstReceived) dividerAt = firstReceived.messageId; // more unread than loaded
  }

  let pending = []; // events that arrived before the first load
  // A message event carries the message; an update the whole message (or that it
  // went); a delivery event the counts of one of mine; a file event where its
  // transfer stands.
  function apply(ev) {
    const i = all.findIndex((x) => x.messageId === ev.messageId);
    if (ev.type === "delivery") {
      if (i >= 0) all[i] = { ...all[i], status: ev.status, total: ev.total, sent: ev.sent, delivered: ev.delivered, receipts: ev.receipts };
      return; // not loaded: its page is read with the current state
    }
    if (ev.type === "file") {
      if (i < 0 || !all[i].file) return;
      // Theirs done: its Blob is here now (or gone again); mine keeps its bytes whatever the state.
      if (ev.state !== all[i].file.state && all[i].sender !== "me") media.forget(ev.messageId);
      all[i] = { ...all[i], file: { ...all[i].file, state: ev.state, done: ev.done } };
      return;
    }
    const { type, groupId, contactId, unread, ...m } = ev;
    // Gone from this device: its time ran out, deleted here, or deleted where the group removes deleted messages.
    if (type === "update" && m.removed) {
      if (i >= 0) all.splice(i, 1);
      box.forget(m.messageId);
      media.forget(m.messageId);
      return;
    }
    if (i >= 0) all[i] = { ...all[i], ...m };
    else if (type === "message") {
      all.push(m);
      if (received(m) && !dividerAt && !(pageVisible() && document.hasFocus())) dividerAt = m.messageId;
    }
  }
  /** Applies a message, update or delivery event of this chat without asking the core for the history. */
  function onEvent(ev) {
    if (pending) { pending.push(ev); return; } // not loaded yet
    apply(ev);
    if (ev.type === "message" && received(ev)) markRead();
    redraw();
  }
  /** Shows a message I just sent, in case its event comes later. */
  function sent(messageId, text, extra = {}) {
    if (!all.some((x) => x.messageId === messageId)) {
      all.push({ messageId, text, sender: "me", ts: new Date().toISOString(), status: "pending", delivered: 0, total: 0, reactions: [], ...extra });
      redraw();
    }
  }

  // Marks the chat read while it is on screen: on opening, when a message arrives, when the tab shows again.
  let readTimer = 0;
  function markRead() {
    if (!pageVisible() || !chat.markRead) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(() => { if (pageVisible() && el.isConnected) chat.markRead(ref).catch(onError); }, 200);
  }
  const onVisible = () => { if (pageVisible()) markRead(); };
  document.addEventListener("visibilitychange", onVisible);
  // Timed messages count down on screen; the core removes them when their time is up.
  const ticker = setInterval(() => tickTimers(list), 1000);

  // The list keeps its bottom in view while the space above the composer changes
  // (the reply or edit bar, the phone keyboard), if it was at the bottom.
  let atEnd = true;
  scroller.addEventListener("scroll", () => { atEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40; });
  const sticky = typeof ResizeObserver === "function" ? new ResizeObserver(() => { if (atEnd) scroller.scrollTop = scroller.scrollHeight; }) : null;
  sticky?.observe(scroller);

  const el = h("div", { class: "chat" }, scroller, box.el, menu.el);
  dropZone(el, { allowed: box.allowFiles, add: box.attach });
  return {
    el, render, onEvent, sent, loadEarlier, input: box.input, syncTimer: box.syncTimer, syncFiles: box.syncFiles,
    setEnabled: (on, why) => box.setEnabled(on, why),
    dispose() {
      media.dispose();
      clearInterval(ticker);
      sticky?.disconnect();
      clearTimeout(readTimer);
      document.removeEventListener("visibilitychange", onVisible);
      menu.close(false);
    },
  };
}
