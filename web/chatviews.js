// chatviews.js — the group chat, the member list and the direct chat. Each view
// builds its skeleton once (so the draft and focus survive) and refreshes its
// dynamic parts from the core in update().
import { h, fill, fmtTime } from "./dom.js";

// A chat opens with its newest PAGE messages; older pages are read from the core
// (messages({..., limit, before})) when the list is scrolled to the top or on
// "Load earlier", so opening a long chat costs one page, not the whole history.
export const PAGE = 100;
const NEAR_TOP = 120; // px from the top of the list that load the next page
export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

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
function statusMark({ status, total = 0, sent = 0, delivered = 0, receipts = true }) {
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

function messageItem(m, nameOf) {
  const mine = m.sender === "me";
  return h("li", { class: `msg ${mine ? "mine" : "theirs"}`, dataset: { id: m.messageId, status: m.status || "" } },
    mine || !nameOf(m.sender) ? null : h("span", { class: "from" }, nameOf(m.sender)),
    h("span", { class: "text" }, m.text),
    h("span", { class: "meta" }, h("time", {}, fmtTime(m.ts)), mine ? statusMark(m) : null));
}

/**
 * A message log with a composer. send(text) must resolve once the core stored the
 * message; page(before) resolves with the PAGE messages before messageId `before`
 * (the newest PAGE when undefined), oldest first.
 */
function chatPane({ label, send, page, onError = console.error, composerHint }) {
  let all = []; // the loaded messages, oldest first: the newest pages of the chat
  let more = false; // the core may have messages older than all[0]
  let loading = null; // the Promise of the page being read
  // Not a live region: it is redrawn whole; app.js announces new messages instead.
  const list = h("ol", { class: "messages", "aria-label": label });
  const scroller = h("div", { class: "scroller", onscroll: () => { if (scroller.scrollTop < NEAR_TOP) loadEarlier(); } }, list);
  const moreButton = h("button", { class: "link", type: "button", onclick: () => loadEarlier() }, "Load earlier messages");
  const moreItem = h("li", { class: "more" }, moreButton);
  const keys = h("small", { class: "hint keys", id: `keys-${Math.random().toString(36).slice(2, 9)}` }, "Enter sends · Shift+Enter: new line");
  const input = h("textarea", {
    rows: 1, placeholder: "Message", "aria-label": "Message", "aria-describedby": keys.id, maxlength: 10000, autofocus: true,
    onkeydown: (e) => { if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); } },
  });
  const hint = h("small", { class: "hint composer-hint", "aria-live": "polite" });
  const button = h("button", { class: "primary send", type: "submit" }, "Send");
  const form = h("form", { class: "composer", onsubmit: (e) => { e.preventDefault(); submit(); } }, input, button);

  async function submit() {
    const text = input.value.trim();
    if (!text || input.disabled) return;
    input.value = ""; // never wait for the network: the core queues what it cannot send yet
    try {
      await send(text);
    } catch (e) {
      input.value = text;
      throw e;
    }
  }

  let nameOf = () => "";
  let pending = []; // events that arrived before the first load
  let frame = 0;
  /** Redraws the list; keepTop keeps what is on screen in place while older messages are added above it. */
  function draw(keepTop = false) {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const atBottom = fromBottom - scroller.clientHeight < 40;
    const hadFocus = document.activeElement === moreButton;
    moreButton.textContent = loading ? "Loading earlier messages…" : "Load earlier messages";
    moreItem.setAttribute("aria-busy", loading ? "true" : "false");
    fill(list,
      more ? moreItem : all.length >= PAGE ? h("li", { class: "more start" }, "Start of the conversation") : null,
      all.length ? all.map((m) => messageItem(m, nameOf)) : h("li", { class: "empty" }, "No messages yet."));
    if (keepTop) scroller.scrollTop = scroller.scrollHeight - fromBottom;
    else if (atBottom || list.dataset.first !== "0") scroller.scrollTop = scroller.scrollHeight;
    list.dataset.first = "0";
    list.dataset.more = String(more);
    if (hadFocus) (more ? moreButton : scroller).focus({ preventScroll: true });
  }
  const redraw = () => { if (!frame) frame = requestAnimationFrame(() => draw()); };

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

  /** Sets the names of senders and, on the first load, the newest page (then applies events that came meanwhile). */
  function render(messages, names) {
    if (names) nameOf = names;
    if (messages) {
      all = messages;
      more = messages.length >= PAGE;
      const early = pending || [];
      pending = [];
      early.forEach(apply);
    }
    draw();
  }
  // A message event carries the message; a delivery event the counts of one of mine.
  function apply(ev) {
    const i = all.findIndex((x) => x.messageId === ev.messageId);
    const counts = { status: ev.status, total: ev.total, sent: ev.sent, delivered: ev.delivered, receipts: ev.receipts };
    if (ev.type === "delivery") {
      if (i < 0) return; // not loaded: its page is read with the current state
      all[i] = { ...all[i], ...counts };
    } else {
      const m = { messageId: ev.messageId, text: ev.text, sender: ev.sender, ts: ev.ts, ...counts };
      if (i >= 0) all[i] = { ...all[i], ...m }; else all.push(m);
    }
  }
  /** Applies a message or delivery event of this chat without asking the core for the history. */
  function onEvent(ev) {
    if (!list.dataset.first) { pending.push(ev); return; } // not loaded yet
    apply(ev);
    redraw();
  }
  /** Shows a message I just sent, in case its event comes later. */
  function sent(messageId, text) {
    if (!all.some((x) => x.messageId === messageId)) {
      all.push({ messageId, text, sender: "me", ts: new Date().toISOString(), status: "pending", delivered: 0, total: 0 });
      redraw();
    }
  }

  function setEnabled(on, why) {
    input.disabled = !on;
    button.disabled = !on;
    hint.textContent = why || composerHint || "";
  }
  return {
    el: h("div", { class: "chat" }, scroller, h("div", { class: "composer-wrap" }, hint, form, keys)),
    render, onEvent, sent, setEnabled, input, loadEarlier,
  };
}

const GROUP_STATE = { invited: "invited", joining: "joining: waiting for the host", left: "you left", removed: "you were removed", deleted: "deleted" };

/** An invitation to a group (from a contact): accept, possibly incognito. */
function invitation(app, g) {
  if (g.status !== "invited") return null;
  const accept = (incognito) => app.chat.acceptGroupInvitation(g.groupId, { incognito }).then(app.refresh, app.error);
  return h("div", { class: "note", role: "status" }, h("p", {}, `You are invited to ${g.displayName}.`),
    h("div", { class: "row" }, h("button", { class: "primary", onclick: () => accept(false) }, "Join group"),
      h("button", { onclick: () => accept(true) }, "Join incognito")));
}

/** "You appear as <name> …": the random name the others see where I am incognito (none otherwise). */
function appearAs(name, where) {
  return name ? h("p", { class: "incognito-as" }, "You appear as ", h("strong", {}, name), ` ${where}`) : null;
}

function groupHeader(app, g, title) {
  return h("header", { class: "chat-head" },
    h("a", { class: "back", href: "#/", "aria-label": "Back to chats" }, "←"),
    h("div", { class: "title" }, h("h1", {}, title || g.displayName),
      h("small", {}, `${plural(g.memberCount ?? 0, "member")} · direct messages ${g.directMessages === "on" ? "on" : "off"}`,
        g.status && g.status !== "active" ? ` · ${GROUP_STATE[g.status] || g.status}` : "", g.incognito && !g.incognitoName ? " · incognito" : ""),
      appearAs(g.incognitoName, "in this group")),
    h("nav", { class: "actions", "aria-label": "Group" },
      h("a", { class: "button", href: `#/group/${encodeURIComponent(g.groupId)}` }, "Chat"),
      h("a", { class: "button", href: `#/group/${encodeURIComponent(g.groupId)}/members` }, "Members"),
      h("a", { class: "button", href: `#/group/${encodeURIComponent(g.groupId)}/share` }, "Invite")));
}

const findGroup = (app, id) => app.groups.find((g) => String(g.groupId) === String(id));
// Not (yet) in the lists: re-route once a refresh finds it (lists load after navigation).
const notFound = (app, what, found) => ({
  el: h("section", { class: "card" }, h("h1", {}, `${what} not found`), h("a", { href: "#/" }, "Back to chats")),
  update: () => { if (found()) app.navigate(location.hash); },
});

export function groupView(app, { groupId }) {
  const g = findGroup(app, groupId);
  if (!g) return notFound(app, "Group", () => findGroup(app, groupId));
  const id = g.groupId;
  let members = [];
  const head = h("div");
  const pane = chatPane({
    label: `Messages in ${g.displayName}`,
    page: (before) => app.chat.messages({ groupId: id, limit: PAGE, before }),
    onError: app.error,
    send: async (text) => {
      const r = await app.chat.sendGroupMessage(id, text).catch((e) => { app.error(e); throw e; });
      pane.sent(r.messageId, text);
    },
  });
  const nameOf = (s) => members.find((m) => String(m.memberId) === String(s))?.displayName || "member";
  let loaded = false;
  async function update() {
    const g2 = findGroup(app, id) || g;
    fill(head, groupHeader(app, g2), invitation(app, g2));
    // The newest page is read once; later messages and delivery marks come as
    // events, older pages when scrolled to.
    const [ms, msgs] = await Promise.all([app.chat.members(id), loaded ? null : app.chat.messages({ groupId: id, limit: PAGE })]);
    loaded = true;
    members = ms || [];
    pane.render(msgs, nameOf);
    const connected = members.filter((m) => m.status === "connected").length;
    pane.setEnabled(true, members.length === 0
      ? "No members yet: share the invite link. Messages are kept and sent as members connect."
      : connected < members.length ? `Connected with ${connected} of ${members.length} members; the others get messages once connected.` : "");
  }
  update().catch(app.error);
  const onEvent = (ev) => { if (String(ev.groupId) === String(id)) pane.onEvent(ev); };
  return { el: h("section", { class: "chat-view", "aria-label": g.displayName }, head, pane.el), update, onEvent };
}

function directReason(g, m) {
  if (g.directMessages !== "on") return "Direct messages are off in this group";
  if (m.status !== "connected") return "Not connected with this member yet";
  return "";
}

export function membersView(app, { groupId }) {
  const g = findGroup(app, groupId);
  if (!g) return notFound(app, "Group", () => findGroup(app, groupId));
  const list = h("ul", { class: "members", "aria-label": "Members" });
  const composeFor = new Set();

  function memberRow(m) {
    const g2 = findGroup(app, g.groupId) || g;
    const reason = directReason(g2, m);
    const open = m.contactId ? h("a", { class: "button", href: `#/contact/${encodeURIComponent(m.contactId)}` }, "Open direct chat") : null;
    const btn = open || h("button", {
      disabled: !!reason, "aria-disabled": reason ? "true" : null, title: reason || null,
      "aria-describedby": reason ? `why-${m.memberId}` : null,
      onclick: () => { composeFor.add(m.memberId); update(); },
    }, "Message directly");
    const first = composeFor.has(m.memberId) && !m.contactId ? directForm(app, g2, m, () => { composeFor.delete(m.memberId); update(); }) : null;
    return h("li", { class: "member", dataset: { memberId: m.memberId } },
      h("div", { class: "who" }, h("strong", {}, m.displayName || "member"),
        h("small", {}, `${m.role || "member"} · ${m.status || "unknown"}${m.connection === "via-host" ? " (via the host)" : ""}`)),
      h("div", { class: "do" }, btn, reason && !open ? h("small", { class: "why", id: `why-${m.memberId}` }, reason) : null),
      first);
  }
  async function update() {
    const ms = (await app.chat.members(g.groupId)) || [];
    const g2 = findGroup(app, g.groupId) || g;
    fill(list, ms.length ? ms.map(memberRow) : h("li", { class: "empty" }, "No other members yet."));
    fill(head, groupHeader(app, g2, `${g2.displayName}: members`));
  }
  const head = h("div");
  const owner = g.role === "owner";
  const end = h("button", {
    class: "danger",
    onclick: async () => {
      if (!confirm(owner ? `Delete ${g.displayName} for everyone?` : `Leave ${g.displayName}?`)) return;
      try {
        await (owner ? app.chat.deleteGroup(g.groupId) : app.chat.leaveGroup(g.groupId));
        await app.sync();
        app.navigate("#/");
      } catch (e) { app.error(e); }
    },
  }, owner ? "Delete group" : "Leave group");
  update().catch(app.error);
  return { el: h("section", { class: "members-view" }, head, h("div", { class: "card" }, list),
    !g.status || g.status === "active" ? h("div", { class: "row end" }, end) : null), update };
}

/** The first message of a direct chat with a member, which also asks them to connect. */
function directForm(app, g, m, done) {
  const ta = h("textarea", { rows: 2, "aria-label": `First message to ${m.displayName}`, placeholder: `Hi ${m.displayName}…`, autofocus: true });
  return h("form", {
    class: "direct-first",
    onsubmit: async (e) => {
      e.preventDefault();
      const text = ta.value.trim();
      if (!text) return ta.focus();
      try {
        const { contactId } = await app.chat.startDirectChat(g.groupId, m.memberId, text);
        done();
        await app.sync();
        app.navigate(`#/contact/${encodeURIComponent(contactId)}`);
      } catch (err) { app.error(err); }
    },
  }, ta, h("div", { class: "row" }, h("button", { class: "primary", type: "submit" }, "Send request"), h("button", { type: "button", onclick: done }, "Cancel")));
}

const CONTACT_STATE = {
  pending: "Waiting for them to accept. Messages you send now are queued and delivered once they accept.",
  request: "wants to chat with you directly. Accept to connect, or ignore to delete the request.",
  connecting: "Connecting… messages are queued until the connection is ready.",
  connected: "",
};

export function contactView(app, { contactId }) {
  const find = () => app.contacts.find((c) => String(c.contactId) === String(contactId));
  const c = find();
  if (!c) return notFound(app, "Chat", find);
  const head = h("div");
  const state = h("div", { class: "contact-state", role: "status" });
  const pane = chatPane({
    label: `Messages with ${c.displayName}`,
    page: (before) => app.chat.messages({ contactId: c.contactId, limit: PAGE, before }),
    onError: app.error,
    send: async (text) => {
      const r = await app.chat.sendDirectMessage(c.contactId, text).catch((e) => { app.error(e); throw e; });
      pane.sent(r.messageId, text);
    },
  });
  async function update() {
    const c2 = find() || c;
    const group = c2.groupId != null ? findGroup(app, c2.groupId) : null;
    fill(head, h("header", { class: "chat-head" },
      h("a", { class: "back", href: "#/", "aria-label": "Back to chats" }, "←"),
      h("div", { class: "title" }, h("h1", {}, c2.displayName || "contact"),
        h("small", { dataset: { status: c2.status } }, `${c2.status}${group ? ` · via ${group.displayName}` : ""}${c2.incognito && !c2.incognitoName ? " · incognito" : ""}`),
        appearAs(c2.incognitoName, "in this chat"))));
    if (c2.status === "request") {
      fill(state, h("p", {}, h("strong", {}, c2.displayName), ` ${CONTACT_STATE.request}`),
        h("div", { class: "row" },
          h("button", { class: "primary", onclick: () => app.chat.acceptDirectChat(c2.contactId).then(app.refresh, app.error) }, "Accept"),
          h("button", { onclick: () => { if (confirm(`Ignore ${c2.displayName}'s request and delete it?`)) app.chat.deleteContact(c2.contactId).then(() => { app.navigate("#/"); app.refresh(); }, app.error); } }, "Ignore")));
    } else {
      fill(state, CONTACT_STATE[c2.status] ? h("p", {}, CONTACT_STATE[c2.status]) : null);
    }
    pane.setEnabled(c2.status !== "request", c2.status === "request" ? "Accept the request to reply." : "");
    pane.render(loaded ? null : await app.chat.messages({ contactId: c2.contactId, limit: PAGE }), () => ""); // one sender: no names
    loaded = true;
  }
  let loaded = false;
  update().catch(app.error);
  const onEvent = (ev) => { if (String(ev.contactId) === String(c.contactId)) pane.onEvent(ev); };
  return { el: h("section", { class: "chat-view", "aria-label": c.displayName }, head, state, pane.el), update, onEvent };
}
