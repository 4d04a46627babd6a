// msgmenu.js — the actions of one message: a small menu (the eight reactions the
// protocol allows, reply, edit, copy, its file's actions, delete) next to its
// "⋯" button, a sheet at the bottom on phones; and the dialog that confirms a
// delete. The menu lives outside the message list, so a redraw of the list (an
// event arriving) does not close it. Keyboard: arrows move, Escape closes and
// returns to the button.
import { h, fill } from "./dom.js";

/** The reactions the core accepts (README, "react"), in its order. */
export const REACTIONS = ["👍", "👎", "😀", "😂", "😢", "❤️", "🚀", "✅"];

/**
 * A menu for one chat. can(m) says what m allows: {react, reactions: "" or why
 * not, reply, edit, copy, jump, file: [[kind, icon, label]], remove: "own" |
 * "moderate" | "here"}; act(kind, m, arg) does it (kind: react, reply, edit,
 * copy, jump, delete, or a file's kind).
 */
export function messageMenu({ can, act }) {
  const el = h("div", { class: "msg-menu", role: "menu", "aria-label": "Message actions", hidden: true, tabindex: "-1" });
  let anchor = null, current = null;
  const items = () => [...el.querySelectorAll("[role^='menuitem']:not(:disabled)")];

  function close(refocus = true) {
    if (el.hidden) return;
    el.hidden = true;
    current = null;
    anchor?.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", outside, true);
    removeEventListener("resize", onResize);
    // Back to the button that opened it (redrawn meanwhile if an event came: the same message's).
    const back = anchor && (anchor.isConnected ? anchor : anchor.dataset.focus && document.querySelector(`[data-focus="${CSS.escape(anchor.dataset.focus)}"]`));
    if (refocus && back) back.focus({ preventScroll: true });
    anchor = null;
  }
  const outside = (e) => { if (!el.contains(e.target) && e.target !== anchor) close(false); };
  const onResize = () => close(false);
  const run = (kind, m, arg) => () => { close(); act(kind, m, arg); };

  function open(m, from) {
    if (current && current.messageId === m.messageId && !el.hidden) return close();
    const c = can(m);
    current = m;
    anchor?.setAttribute("aria-expanded", "false");
    anchor = from;
    from.setAttribute("aria-expanded", "true");
    const mineOf = (e) => (m.reactions || []).some((r) => r.emoji === e && r.mine);
    const why = c.reactions ? h("p", { class: "why", id: "menu-why" }, c.reactions) : null;
    fill(el,
      c.react ? h("div", { class: "react-row", role: "group", "aria-label": "React" }, REACTIONS.map((e) => h("button", {
        type: "button", role: "menuitemcheckbox", "aria-checked": mineOf(e) ? "true" : "false", class: mineOf(e) ? "mine" : null,
        "aria-label": `React with ${e}`, title: c.reactions || (mineOf(e) ? "Remove your reaction" : `React with ${e}`),
        disabled: !!c.reactions, "aria-describedby": why ? "menu-why" : null, onclick: run("react", m, [e, !mineOf(e)]),
      }, e))) : null,
      why,
      c.reply ? item("↩️", "Reply", run("reply", m)) : null,
      c.edit ? item("✏️", "Edit", run("edit", m)) : null,
      c.copy ? item("📋", "Copy text", run("copy", m)) : null,
      c.jump ? item("⬆️", "Show the message it replies to", run("jump", m)) : null,
      (c.file || []).map(([kind, icon, label]) => item(icon, label, run(kind, m))),
      c.remove ? item("🗑️", "Delete…", run("delete", m), "danger") : null);
    el.hidden = false;
    place(from);
    (items()[0] || el).focus({ preventScroll: true });
    document.addEventListener("pointerdown", outside, true);
    addEventListener("resize", onResize);
  }

  /**
   * Under the message (above it near the bottom), on its side of the chat, inside
   * the window. Phones: CSS makes it a bottom sheet and ignores these.
   */
  function place(from) {
    const li = from.closest(".msg") || from;
    const r = li.getBoundingClientRect();
    const w = el.offsetWidth, hgt = el.offsetHeight;
    const x = Math.min(Math.max(8, li.classList.contains("mine") ? r.right - w : r.left), innerWidth - w - 8);
    const below = r.bottom + 4 + hgt < innerHeight - 8;
    el.style.setProperty("--x", `${x}px`);
    el.style.setProperty("--y", `${below ? r.bottom + 4 : Math.max(8, r.top - 4 - hgt)}px`);
  }

  // The emoji are one row (Left/Right move along it), the other items a column;
  // Up/Down move between the row and the items.
  el.addEventListener("keydown", (e) => {
    const list = items();
    const emoji = list.filter((b) => b.closest(".react-row"));
    const rows = list.filter((b) => !b.closest(".react-row"));
    const cur = document.activeElement;
    const focus = (b) => { e.preventDefault(); b?.focus(); };
    const inRow = emoji.includes(cur);
    const k = (inRow ? emoji : rows).indexOf(cur);
    if (e.key === "Escape") { e.preventDefault(); close(); }
    else if (e.key === "Tab") close(false);
    else if (e.key === "Home") focus(list[0]);
    else if (e.key === "End") focus(list[list.length - 1]);
    else if (inRow && (e.key === "ArrowRight" || e.key === "ArrowLeft")) focus(emoji[(k + (e.key === "ArrowRight" ? 1 : -1) + emoji.length) % emoji.length]);
    else if (e.key === "ArrowDown") focus(inRow ? rows[0] || emoji[0] : rows[k + 1] || emoji[0] || rows[0]);
    else if (e.key === "ArrowUp") focus(inRow ? rows[rows.length - 1] || emoji[0] : k > 0 ? rows[k - 1] : emoji[0] || rows[rows.length - 1]);
  });
  /** The list scrolled (by hand, or a new message): stay by the message, or close once it is out of sight. */
  function follow(view) {
    if (el.hidden || !anchor) return;
    const r = anchor.getBoundingClientRect(), v = view.getBoundingClientRect();
    if (!anchor.isConnected || r.bottom < v.top || r.top > v.bottom) close(false);
    else place(anchor);
  }
  /** The list was redrawn while the menu is open: its message's new "⋯" button is the anchor. */
  function adopt(btn) {
    anchor = btn;
    btn.setAttribute("aria-expanded", "true");
  }
  return { el, open, close, adopt, follow, openFor: () => (el.hidden ? null : current && current.messageId) };
}

const item = (icon, label, onclick, cls) => h("button", { type: "button", role: "menuitem", class: cls || null, onclick },
  h("span", { class: "icon", "aria-hidden": "true" }, icon), label);

/**
 * Asks before a delete. kind: "own" (mine: for everyone or for me), "moderate"
 * (an admin's delete of a member's message: for everyone or for me), "here"
 * (for me only). Resolves "everyone", "me" or null (cancelled).
 */
export function confirmDelete(kind, preview) {
  return new Promise((resolve) => {
    let answer = null;
    const choose = (a) => () => { answer = a; dlg.close(); };
    const everyone = kind === "here" ? null : h("button", { type: "button", class: "danger", onclick: choose("everyone") }, "Delete for everyone");
    const dlg = h("dialog", { class: "confirm", "aria-labelledby": "del-h", "aria-describedby": "del-d" },
      h("h2", { id: "del-h" }, "Delete message?"),
      preview ? h("blockquote", { class: "preview" }, preview.length > 140 ? `${preview.slice(0, 140)}…` : preview) : null,
      h("p", { id: "del-d" }, kind === "own" ? "“For everyone” removes it from every member's screen; they see “Message deleted”. “For me” removes it only from this browser."
        : kind === "moderate" ? "As an admin you can remove it for every member: they see “Removed by an admin”. “For me” removes it only from this browser."
          : "It is removed only from this browser; the others keep it."),
      h("div", { class: "row end" }, h("button", { type: "button", onclick: choose(null), autofocus: true }, "Cancel"),
        h("button", { type: "button", class: kind === "here" ? "danger" : null, onclick: choose("me") }, "Delete for me"), everyone));
    dlg.addEventListener("close", () => { dlg.remove(); resolve(answer); });
    document.body.append(dlg);
    dlg.showModal();
  });
}
