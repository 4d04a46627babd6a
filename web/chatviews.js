// chatviews.js — the group chat, the member list (with the group's settings) and
// the direct chat. Each view builds its skeleton once (so the draft and focus
// survive) and refreshes its dynamic parts from the core in update(); the
// message list and composer are chatpane.js.
import { h, fill } from "./dom.js";
import { chatPane, PAGE } from "./chatpane.js";
import { chatTTL, setChatTTL, isMuted, setMuted } from "./prefs.js";
import { groupSettings } from "./groupsettings.js";


export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

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
  const enc = encodeURIComponent(g.groupId);
  return h("header", { class: "chat-head" },
    h("a", { class: "back", href: "#/", "aria-label": "Back to chats" }, "←"),
    h("div", { class: "title" }, h("h1", {}, title || g.displayName),
      h("small", {}, `${plural(g.memberCount ?? 0, "member")} · direct messages ${g.directMessages === "on" ? "on" : "off"}`,
        g.status && g.status !== "active" ? ` · ${GROUP_STATE[g.status] || g.status}` : "", g.incognito && !g.incognitoName ? " · incognito" : ""),
      appearAs(g.incognitoName, "in this group")),
    h("nav", { class: "actions", "aria-label": "Group" },
      h("a", { class: "button", href: `#/group/${enc}` }, "Chat"),
      h("a", { class: "button", href: `#/group/${enc}/members` }, "Members"),
      h("a", { class: "button", href: `#/group/${enc}/share` }, "Invite"),
      muteButton(app, { groupId: g.groupId })));
}

/** The bell of a chat: muted chats notify nothing and are left out of the title's and the badge's count. */
function muteButton(app, ref) {
  const muted = isMuted(ref);
  return h("button", {
    type: "button", class: "mute", "aria-pressed": muted ? "true" : "false", "aria-label": "Mute notifications",
    title: muted ? "Muted: no notifications from this chat. Click to unmute." : "Mute notifications from this chat",
    onclick: (e) => {
      setMuted(ref, !muted);
      e.currentTarget.replaceWith(muteButton(app, ref));
      app.refresh(); // the counts in the title and badge
      document.querySelector(".chat-head .mute")?.focus();
    },
  }, muted ? "🔕" : "🔔");
}

const findGroup = (app, id) => app.groups.find((g) => String(g.groupId) === String(id));
// Not (yet) in the lists: re-route once a refresh finds it (lists load after navigation).
const notFound = (app, what, found) => ({
  el: h("section", { class: "card" }, h("h1", {}, `${what} not found`), h("a", { href: "#/" }, "Back to chats")),
  update: () => { if (found()) app.navigate(location.hash); },
});

const RANK = { observer: 1, author: 2, member: 3, moderator: 4, admin: 5, owner: 6 };
/** An admin or owner may delete any member's message for everyone, except one of a higher role (as the core decides). */
function canModerate(g, members, m) {
  if (m.sender === "me" || (RANK[g.role] || 0) < RANK.admin) return false;
  const author = members.find((x) => String(x.memberId) === String(m.sender));
  return !author || (RANK[author.role] || 0) <= RANK[g.role];
}

/** Why I cannot send files in group g ("" when I can). */
function filesRefused(g) {
  if (g.files === "off") return `Files are turned off in this group${g.role === "owner" ? ": you can turn them on in its settings (Members)" : " by its owners"}.`;
  if (g.role === "observer") return "Observers cannot send files in this group.";
  return "";
}

export function groupView(app, { groupId }) {
  const g = findGroup(app, groupId);
  if (!g) return notFound(app, "Group", () => findGroup(app, groupId));
  const id = g.groupId;
  const ref = { groupId: id };
  const cur = () => findGroup(app, id) || g;
  let members = [];
  const head = h("div");
  const pane = chatPane({
    label: `Messages in ${g.displayName}`, chat: app.chat, ref, onError: app.error,
    page: (before) => app.chat.messages({ groupId: id, limit: PAGE, before }),
    send: (text, o) => app.chat.sendGroupMessage(id, text, o).catch((e) => { app.error(e); throw e; }),
    sendFile: (f, o) => app.chat.sendFile(ref, f, o).catch((e) => { app.error(e); throw e; }),
    features: () => ({
      reactions: cur().reactions === "off" ? "Reactions are turned off in this group." : "",
      files: filesRefused(cur()),
      canModerate: (m) => canModerate(cur(), members, m),
    }),
    members: () => members.filter((m) => !["left", "removed"].includes(m.status)),
    timer: {
      get: () => chatTTL(ref), set: (s) => setChatTTL(ref, s),
      allowed: () => (cur().timedMessages === "on" ? "" : "Disappearing messages are off in this group."),
    },
  });
  const nameOf = (s) => members.find((m) => String(m.memberId) === String(s))?.displayName || "";
  // The newest page and the unread count are read once, when the chat opens;
  // later messages, changes and delivery marks come as events, older pages when
  // scrolled to.
  let first = null;
  async function update() {
    const g2 = cur();
    fill(head, groupHeader(app, g2), invitation(app, g2));
    first ||= Promise.all([app.chat.messages({ groupId: id, limit: PAGE }), app.chat.groups()]).catch((e) => { first = null; throw e; });
    const [ms, [msgs, groups]] = await Promise.all([app.chat.members(id), first]);
    members = ms || [];
    const names = { nameOf, showFrom: true, myId: g2.memberId ?? null };
    if (msgs) pane.render(msgs, names, groups.find((x) => String(x.groupId) === String(id))?.unread || 0);
    else pane.render(null, names);
    first = Promise.resolve([null, []]);
    pane.syncTimer();
    const connected = members.filter((m) => m.status === "connected").length;
    pane.setEnabled(true, members.length === 0
      ? "No members yet: share the invite link. Messages are kept and sent as members connect."
      : connected < members.length ? `Connected with ${connected} of ${members.length} members; the others get messages once connected.` : "");
  }
  update().catch(app.error);
  const onEvent = (ev) => { if (String(ev.groupId) === String(id)) pane.onEvent(ev); };
  return { el: h("section", { class: "chat-view", "aria-label": g.displayName }, head, pane.el), update, onEvent, dispose: pane.dispose };
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
    fill(head, groupHeader(app, g2, `${g2.displayName}: members and settings`));
    settings.update(g2);
  }
  const head = h("div");
  const settings = groupSettings(app, g);
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
  return { el: h("section", { class: "members-view" }, head, h("div", { class: "card" }, list), settings.el,
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
  const ref = { contactId: c.contactId };
  const head = h("div");
  const state = h("div", { class: "contact-state", role: "status" });
  const pane = chatPane({
    label: `Messages with ${c.displayName}`, chat: app.chat, ref, onError: app.error,
    page: (before) => app.chat.messages({ contactId: c.contactId, limit: PAGE, before }),
    send: (text, o) => app.chat.sendDirectMessage(c.contactId, text, o).catch((e) => { app.error(e); throw e; }),
    sendFile: (f, o) => app.chat.sendFile(ref, f, o).catch((e) => { app.error(e); throw e; }),
    // Timed messages are always allowed between contacts.
    timer: { get: () => chatTTL(ref), set: (s) => setChatTTL(ref, s), allowed: () => "" },
  });
  let first = null;
  async function update() {
    const c2 = find() || c;
    const group = c2.groupId != null ? findGroup(app, c2.groupId) : null;
    fill(head, h("header", { class: "chat-head" },
      h("a", { class: "back", href: "#/", "aria-label": "Back to chats" }, "←"),
      h("div", { class: "title" }, h("h1", {}, c2.displayName || "contact"),
        h("small", { dataset: { status: c2.status } }, `${c2.status}${group ? ` · via ${group.displayName}` : ""}${c2.incognito && !c2.incognitoName ? " · incognito" : ""}`),
        appearAs(c2.incognitoName, "in this chat")),
      h("div", { class: "actions" }, muteButton(app, ref))));
    if (c2.status === "request") {
      fill(state, h("p", {}, h("strong", {}, c2.displayName), ` ${CONTACT_STATE.request}`),
        h("div", { class: "row" },
          h("button", { class: "primary", onclick: () => app.chat.acceptDirectChat(c2.contactId).then(app.refresh, app.error) }, "Accept"),
          h("button", { onclick: () => { if (confirm(`Ignore ${c2.displayName}'s request and delete it?`)) app.chat.deleteContact(c2.contactId).then(() => { app.navigate("#/"); app.refresh(); }, app.error); } }, "Ignore")));
    } else {
      fill(state, CONTACT_STATE[c2.status] ? h("p", {}, CONTACT_STATE[c2.status]) : null);
    }
    pane.setEnabled(c2.status !== "request", c2.status === "request" ? "Accept the request to reply." : "");
    pane.syncTimer();
    // One sender: no names on the bubbles; quotes and the reply bar name the contact.
    const names = { nameOf: (s) => (String(s) === String(c2.contactId) ? c2.displayName : ""), showFrom: false, myId: null };
    first ||= Promise.all([app.chat.messages({ contactId: c2.contactId, limit: PAGE }), app.chat.contacts()]).catch((e) => { first = null; throw e; });
    const [msgs, contacts] = await first;
    first = Promise.resolve([null, []]);
    pane.render(msgs, names, contacts.find((x) => String(x.contactId) === String(c2.contactId))?.unread || 0);
  }
  update().catch(app.error);
  const onEvent = (ev) => { if (String(ev.contactId) === String(c.contactId)) pane.onEvent(ev); };
  return { el: h("section", { class: "chat-view", "aria-label": c.displayName }, head, state, pane.el), update, onEvent, dispose: pane.dispose };
}
