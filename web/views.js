// views.js — the screens other than chats: onboarding, the chat list, creating
// and sharing a group, joining by link, connecting, connections, restoring
// (restoreview.js; storage: storageview.js, settings: settingsview.js).
import { h, fill, field } from "./dom.js";
import { groupView, membersView, contactView, plural } from "./chatviews.js";
import { settingsView, NOT_SIMPLEX } from "./settingsview.js";
import { unreadOf } from "./attention.js";
import { isMuted } from "./prefs.js";
import { storageView } from "./storageview.js";
import { copy, qrSVG } from "./qr.js";
import { restoreForm, home as leave } from "./restoreview.js";

const enc = encodeURIComponent;

/** A chat's badge in the list: a request, or its unread count (greyed where muted). */
function badge(app, x, ref) {
  if (x.status === "request") return h("span", { class: "badge" }, "request");
  const n = unreadOf(app, { ...ref, unread: x.unread });
  if (!n) return null;
  const muted = isMuted(ref);
  return h("span", { class: `badge${muted ? " muted" : ""}`, "aria-label": `${n} unread${muted ? ", muted" : ""}`, dataset: { unread: n } }, n > 99 ? "99+" : String(n));
}

export function sidebar(app) {
  const here = location.hash;
  const item = (href, name, sub, mark) => h("li", {},
    h("a", { href, "aria-current": here === href ? "page" : null, class: mark ? "has-badge" : null },
      h("span", { class: "name" }, name), sub ? h("small", {}, sub) : null, mark));
  const direct = app.contacts.filter((c) => c.status !== "deleted");
  const groups = app.groups.filter((g) => g.status !== "deleted");
  return h("div", { class: "side" },
    h("div", { class: "me" }, h("span", { "aria-label": "Your profile" }, app.profile.displayName)),
    h("div", { class: "side-actions" },
      h("a", { class: "button primary", href: "#/new-group" }, "New group"),
      h("a", { class: "button", href: "#/add" }, "Join or connect")),
    h("h2", { id: "groups-h" }, "Groups"),
    h("ul", { class: "chatlist", "aria-labelledby": "groups-h" },
      groups.length ? groups.map((g) => item(`#/group/${enc(g.groupId)}`, g.displayName,
        g.status === "active" || !g.status ? plural(g.memberCount ?? 0, "member") : g.status, badge(app, g, { groupId: g.groupId })))
        : h("li", { class: "empty" }, "No groups yet")),
    h("h2", { id: "direct-h" }, "Direct chats"),
    h("ul", { class: "chatlist", "aria-labelledby": "direct-h" },
      direct.length ? direct.map((c) => item(`#/contact/${enc(c.contactId)}`, c.displayName || "contact", c.status, badge(app, c, { contactId: c.contactId })))
        : h("li", { class: "empty" }, "No direct chats")),
    h("nav", { class: "side-foot", "aria-label": "More" },
      h("a", { href: "#/connections" }, "Connections"), h("a", { href: "#/storage" }, "Storage"), h("a", { href: "#/settings" }, "Settings")));
}

function home(app) {
  const el = h("section", { class: "card welcome" },
    h("h1", {}, `Hello, ${app.profile.displayName}`),
    h("p", {}, "Create a group and share its link, or open a link someone shared with you."),
    h("div", { class: "row" }, h("a", { class: "button primary", href: "#/new-group" }, "New group"), h("a", { class: "button", href: "#/add" }, "Join or connect")),
    evictionNote(app));
  return { el };
}

function evictionNote(app, details = true) {
  const p = app.chat.persisted;
  return h("aside", { class: `note ${p ? "ok" : "warn"}`, "aria-label": "Storage" },
    h("p", {}, h("strong", {}, p === true ? "Storage is persistent. " : "The browser may delete this app's storage. "),
      "Everything lives only in this browser: your profile, your keys, your contacts and groups, and the message history. There is no account and no server copy. ",
      p === true ? "The browser will not evict it on its own, but clearing site data still deletes it."
        : "If the browser evicts it (low disk space, long disuse, clearing site data), all of it is gone for good and your contacts must invite you again."),
    details ? h("p", {}, h("a", { href: "#/storage" }, "Storage details")) : null);
}

function onboarding(app) {
  const name = h("input", { required: true, maxlength: 100, autocomplete: "nickname", autofocus: true });
  const full = h("input", { maxlength: 200, autocomplete: "name" });
  const joining = app.pendingLink();
  const form = h("form", {
    class: "card", "aria-labelledby": "onb-h",
    onsubmit: async (e) => {
      e.preventDefault();
      if (!name.value.trim()) return name.focus();
      try {
        await app.chat.setProfile({ displayName: name.value.trim(), fullName: full.value.trim() });
        app.profile = await app.chat.getProfile();
        await app.sync();
        app.navigate(joining ? new URL(joining).hash : "#/");
      } catch (err) { app.error(err); }
    },
  },
  h("h1", { id: "onb-h" }, "Create your profile"),
  h("p", {}, "Your profile is shared only with the people and groups you connect to. There are no user IDs or phone numbers."),
  h("p", { class: "hint not-simplex" }, NOT_SIMPLEX),
  joining ? h("p", { class: "note" }, "After this you can join the group from the link you opened.") : null,
  field("Display name", name, "Shown to your contacts and group members."),
  field("Full name (optional)", full),
  h("button", { class: "primary", type: "submit" }, "Create profile"),
  h("p", { class: "restore-link" }, "Used Hearth before? ", h("a", { href: "#/restore" }, "Restore from backup")));
  return { el: form };
}

function newGroup(app) {
  const name = h("input", { required: true, maxlength: 100, autofocus: true });
  const full = h("input", { maxlength: 200 });
  const dm = h("input", { type: "checkbox", checked: true, role: "switch" });
  const form = h("form", {
    class: "card", "aria-labelledby": "ng-h",
    onsubmit: async (e) => {
      e.preventDefault();
      if (!name.value.trim()) return name.focus();
      try {
        const { groupId } = await app.chat.createGroup({ displayName: name.value.trim(), fullName: full.value.trim(), directMessages: dm.checked ? "on" : "off" });
        await app.sync();
        app.navigate(`#/group/${enc(groupId)}/share`);
      } catch (err) { app.error(err); }
    },
  },
  h("h1", { id: "ng-h" }, "New group"),
  field("Group name", name),
  field("Description (optional)", full),
  h("div", { class: "field check" }, h("label", {}, dm, " Allow direct messages between members"),
    h("small", { class: "hint" }, "On: a member can later start a private chat with another member, from the member list. Off: members cannot message each other privately. " +
      "Either way, joining makes no direct connections between members: messages reach everyone over the connections the group already has.")),
  h("button", { class: "primary", type: "submit" }, "Create group"));
  return { el: form };
}

function share(app, { groupId }) {
  const g = app.groups.find((x) => String(x.groupId) === String(groupId));
  const out = h("div", { class: "share-body" }, h("p", {}, "Making the link…"));
  const el = h("section", { class: "card share", "aria-labelledby": "sh-h" },
    h("a", { class: "backlink", href: `#/group/${enc(groupId)}` }, "← Back to the group"),
    h("h1", { id: "sh-h" }, `Invite to ${g ? g.displayName : "the group"}`), out);
  app.chat.createGroupLink(groupId).then(async (link) => {
    link = typeof link === "string" ? link : link.link;
    const input = h("input", { readonly: true, value: link, class: "link-input", "aria-label": "Group link", onfocus: (e) => e.target.select() });
    const btn = h("button", { class: "primary", onclick: () => copy(link, btn) }, "Copy link");
    const qr = await qrSVG(link, "QR code of the group link");
    fill(out,
      h("p", {}, "Anyone who opens this link in a browser can join the group. Share it privately."),
      h("div", { class: "row" }, input, btn),
      qr ? h("figure", { class: "qr" }, qr, h("figcaption", {}, "Scan to open the link")) : h("p", { class: "hint" }, "This link is too long for a QR code."));
  }, (e) => { fill(out, h("p", { class: "error" }, `Could not make a link: ${e.message}`)); });
  return { el };
}

/** The kind byte of a link's payload (docs/agent-protocol.md): 1 one-time invitation, 2 address (a group link). */
export function linkKind(link) {
  try {
    const b64 = new URL(link).hash.split("/")[2].replace(/-/g, "+").replace(/_/g, "/");
    return atob(b64.slice(0, 4))[1].charCodeAt(0) === 1 ? "invitation" : "group";
  } catch {
    return "group";
  }
}

function join(app, r) {
  const link = r.link;
  const group = linkKind(link) !== "invitation";
  const go = async (incognito) => {
    try {
      app.clearPendingLink();
      if (group) {
        const { groupId } = await app.chat.joinGroup(link, { incognito });
        await app.sync();
        app.navigate(`#/group/${enc(groupId)}`);
      } else {
        const { contactId } = await app.chat.connect(link);
        await app.sync();
        app.navigate(`#/contact/${enc(contactId)}`);
      }
    } catch (e) { app.error(e); }
  };
  const el = h("section", { class: "card", "aria-labelledby": "join-h" },
    h("h1", { id: "join-h" }, group ? "Join group" : "Connect"),
    h("p", {}, group ? "You opened a group link. Join to connect with the group's members; they will see your profile."
      : "You opened a one-time invitation. Connect to start a private chat."),
    h("div", { class: "row" },
      h("button", { class: "primary", autofocus: true, onclick: () => go(false) }, group ? "Join group" : "Connect"),
      group ? h("button", { onclick: () => go(true) }, "Join incognito") : null,
      h("button", { onclick: () => { app.clearPendingLink(); app.navigate("#/"); } }, "Cancel")),
    group ? h("p", { class: "hint" }, "Incognito uses a random name in this group instead of your profile.") : null);
  return { el };
}

function add(app) {
  const input = h("input", { type: "url", required: true, placeholder: "https://…#/join/…", autofocus: true });
  const out = h("div");
  const form = h("form", {
    onsubmit: (e) => {
      e.preventDefault();
      try {
        const u = new URL(input.value.trim());
        const kind = u.hash.split("/")[1];
        if (!["join", "invite", "connect"].includes(kind)) throw new Error("not a link of this app");
        sessionStorage.setItem("sxweb.pendingLink", u.href);
        app.navigate(u.hash);
      } catch (err) { app.error(new Error(`That link cannot be opened: ${err.message}`)); }
    },
  }, field("Paste a link", input), h("button", { class: "primary", type: "submit" }, "Open link"));
  const invite = h("button", {
    onclick: async () => {
      try {
        const { link } = await app.chat.createInvitation();
        const i = h("input", { readonly: true, value: link, "aria-label": "One-time invitation link" });
        const b = h("button", { onclick: () => copy(link, b) }, "Copy");
        fill(out, h("p", {}, "Send this one-time link to one person. It works once."), h("div", { class: "row" }, i, b));
        app.refresh();
      } catch (err) { app.error(err); }
    },
  }, "Create one-time invitation");
  return { el: h("section", { class: "card", "aria-labelledby": "add-h" }, h("h1", { id: "add-h" }, "Join or connect"), form,
    h("h2", {}, "Invite someone directly"), invite, out) };
}

function connections(app) {
  const table = h("table", { class: "stats" });
  const LABELS = [["connections", "All connections"], ["groupConnections", "Group connections"], ["directConnections", "Direct connections"],
    ["subscriptions", "Subscriptions at relays"], ["pendingDeliveries", "Messages waiting to be sent"]];
  async function update() {
    const s = (await app.chat.stats()) || {};
    fill(table, h("caption", {}, "This browser's connections"),
      LABELS.map(([k, label]) => h("tr", {}, h("th", { scope: "row" }, label), h("td", { dataset: { stat: k } }, String(s[k] ?? "–")))));
  }
  update().catch(app.error);
  const timer = setInterval(() => update().catch(() => {}), 3000);
  return {
    el: h("section", { class: "card", "aria-labelledby": "cn-h" }, h("h1", { id: "cn-h" }, "Connections"),
      h("p", {}, "This browser keeps one connection per group member it is connected with and one per direct chat; " +
        "groups make no direct connections. Relays hold one subscription per connection, plus one per group link you host."),
      table, h("p", {}, h("small", {}, `Relays: ${app.chat.relays.join(", ")}`))),
    update, dispose: () => clearInterval(timer),
  };
}

/** Restoring from a file (#/restore) or a moving link (#/move/…): the account here, if any, is replaced. */
const restore = (app, r) => ({ el: restoreForm(app, { link: r.link || null, account: app.profile?.displayName || null, back: () => leave(app) }) });

export const views = {
  restore, move: restore,
  home, onboarding, "new-group": newGroup, share, join, add, connections, storage: (app) => storageView(app, { evictionNote }), settings: settingsView,
  group: groupView, members: membersView, contact: contactView,
};
