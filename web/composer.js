// composer.js — the message box under a chat: Enter sends, a bar above it while
// replying to or editing a message (Escape or ✕ leaves it), @-completion of member
// names (a list filtered as you type; arrows and Enter or Tab pick), the chat's
// disappearing-message timer (kept by the app per chat, sent as ttl), and files
// to send (attach.js: the paperclip, a paste; the text is the first one's caption).
import { h, fill } from "./dom.js";
import { TIMERS, duration } from "./prefs.js";
import { attachTray } from "./attach.js";

let seq = 0;

/**
 * opts: send(text, {quote, mentions}) and edit(messageId, text), both resolving
 * once the core has it; members() → [{memberId, displayName}] to complete (null:
 * no completion, a direct chat); timer: {get() seconds, set(seconds), allowed() "" or why not}
 * or null; describe(m) → {who, text} of a message for the reply bar; onMode()
 * when replying or editing starts or ends; files: {allowed() "" or why not,
 * storage(), send(file, {text})} or null (no attaching).
 */
export function composer({ send, edit, members = null, timer = null, describe, onMode = () => {}, files = null }) {
  const id = ++seq;
  const keys = h("small", { class: "hint keys", id: `keys-${id}` }, `Enter sends · Shift+Enter: new line${members ? " · @ names a member" : ""}`);
  const list = h("ul", { class: "mentions-list", role: "listbox", id: `mentions-${id}`, "aria-label": "Members", hidden: true });
  const input = h("textarea", {
    rows: 1, placeholder: "Message", "aria-label": "Message", "aria-describedby": keys.id, maxlength: 10000, autofocus: true,
    "aria-autocomplete": "list", "aria-controls": list.id,
    onkeydown: onKey, oninput: complete, onclick: complete, onblur: () => setTimeout(hideList, 150), onpaste: paste,
  });
  const tray = files ? attachTray({
    allowed: () => (mode && mode.edit ? "Files cannot be added while editing a message." : files.allowed()), storage: files.storage,
    // The core has no timer for files: say so rather than let a photo outlive its caption.
    onChange: () => { if (tray && tray.count() && timer && timer.get() && !timer.allowed()) tray.say("Files do not disappear: the timer applies to text messages only."); },
  }) : null;
  const hint = h("small", { class: "hint composer-hint", "aria-live": "polite" });
  const bar = h("div", { class: "compose-bar", hidden: true });
  const button = h("button", { class: "primary send", type: "submit" }, "Send");
  const ttlSelect = timer ? h("select", { class: "ttl-select", "aria-label": "Disappearing messages", title: "Disappearing messages", onchange: () => { timer.set(Number(ttlSelect.value)); syncTimer(); input.focus(); } }) : null;
  const ttlHint = h("small", { class: "hint ttl-hint", hidden: true });
  // The sender reports a failure (the app's banner); the box keeps the text and files.
  const form = h("form", { class: "composer", onsubmit: (e) => { e.preventDefault(); submit().catch(() => {}); } }, ttlSelect, input, tray && tray.button, tray && tray.input, button);
  const el = h("div", { class: "composer-wrap" }, bar, list, hint, tray && tray.el, form, ttlHint, keys);

  let mode = null; // null | {reply: m} | {edit: m}
  let picked = {}; // displayName → memberId, from @-completion

  async function submit() {
    const text = input.value.trim();
    if (input.disabled) return;
    if (mode && mode.edit) {
      const m = mode.edit;
      if (!text || text === m.text) return leave();
      await edit(m.messageId, text);
      return leave();
    }
    const attached = tray ? tray.take() : [];
    if (!text && !attached.length) return;
    // Only the names still in the text are mentions.
    const mentions = Object.fromEntries(Object.entries(picked).filter(([n]) => text.includes(`@${n}`)));
    const quote = mode && mode.reply ? mode.reply.messageId : undefined;
    const saved = { mode, picked };
    input.value = ""; // never wait for the network: the core queues what it cannot send yet
    leave(false);
    // A file carries a caption but no quote, mentions or timer: such a text goes on its own, first.
    const alone = text && (!attached.length || quote || Object.keys(mentions).length || (timer && timer.get() && !timer.allowed()));
    let textSent = !text, next = 0;
    try {
      if (alone) await send(text, { quote, mentions: Object.keys(mentions).length ? mentions : undefined });
      textSent = true;
      for (; next < attached.length; next++) {
        const f = attached[next];
        if (tray) tray.say(`Sending ${f.name}…`);
        await files.send(f, { text: !alone && next === 0 ? text : "" });
        if (!alone && next === 0) textSent = true;
      }
      if (tray && attached.length) tray.say("");
    } catch (e) {
      if (!textSent) {
        input.value = text;
        ({ mode, picked } = saved);
        drawBar();
      }
      if (tray && next < attached.length) { tray.say(""); await tray.add(attached.slice(next)); }
      throw e;
    }
  }

  /** Files (an image copied, files copied in a file manager) pasted into the box wait in the tray. */
  function paste(e) {
    const fs = e.clipboardData ? [...e.clipboardData.files] : [];
    if (!tray || !fs.length) return; // text: the box takes it
    e.preventDefault();
    tray.add(fs, { pasted: true });
  }

  /** Leaves replying or editing (and empties the box after an edit). */
  function leave(refocus = true) {
    if (mode && mode.edit) input.value = "";
    mode = null;
    picked = {};
    drawBar();
    if (refocus) input.focus();
  }
  function drawBar() {
    onMode();
    bar.hidden = !mode;
    button.textContent = mode && mode.edit ? "Save" : "Send";
    if (!mode) return fill(bar);
    const m = mode.reply || mode.edit;
    const d = describe(m);
    fill(bar, h("div", { class: "what" }, h("strong", {}, mode.edit ? "Editing your message" : `Replying to ${d.who}`),
      h("span", { class: "qtext" }, d.text)),
    h("button", { type: "button", class: "link", "aria-label": mode.edit ? "Cancel editing" : "Cancel reply", onclick: () => leave() }, "✕"));
  }
  function replyTo(m) { mode = { reply: m }; drawBar(); input.focus(); }
  function editing(m) { mode = { edit: m }; picked = {}; input.value = m.text; drawBar(); input.focus(); input.setSelectionRange(m.text.length, m.text.length); }

  // ---- @-completion ----
  let matches = [], active = 0, token = null;
  function complete() {
    const upto = input.value.slice(0, input.selectionStart);
    const t = /(^|\s)@([^\s@]{0,40})$/u.exec(upto);
    const all = t && members ? members() : [];
    if (!t || !all.length) return hideList();
    const q = t[2].toLowerCase();
    matches = all.filter((m) => m.displayName && m.displayName.toLowerCase().includes(q))
      .sort((a, b) => Number(!a.displayName.toLowerCase().startsWith(q)) - Number(!b.displayName.toLowerCase().startsWith(q))).slice(0, 8);
    if (!matches.length) return hideList();
    token = { start: upto.length - t[2].length - 1, end: input.selectionStart };
    active = Math.min(active, matches.length - 1);
    drawList();
  }
  function drawList() {
    fill(list, matches.map((m, i) => h("li", {
      role: "option", id: `mention-${id}-${i}`, "aria-selected": i === active ? "true" : "false", class: i === active ? "active" : null,
      onpointerdown: (e) => { e.preventDefault(); pick(i); },
    }, h("span", { class: "at" }, "@"), m.displayName, m.role && m.role !== "member" ? h("small", {}, ` ${m.role}`) : null)));
    list.hidden = false;
    input.setAttribute("aria-activedescendant", `mention-${id}-${active}`);
  }
  function hideList() {
    if (list.hidden) return;
    list.hidden = true;
    matches = [];
    active = 0;
    input.removeAttribute("aria-activedescendant");
  }
  function pick(i) {
    const m = matches[i];
    if (!m || !token) return;
    const v = input.value;
    const ins = `@${m.displayName} `;
    input.value = v.slice(0, token.start) + ins + v.slice(token.end);
    const at = token.start + ins.length;
    input.setSelectionRange(at, at);
    picked[m.displayName] = m.memberId;
    hideList();
    input.focus();
  }

  function onKey(e) {
    if (!list.hidden && matches.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length;
        return drawList();
      }
      if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); return pick(active); }
      if (e.key === "Escape") { e.preventDefault(); return hideList(); }
    }
    if (e.key === "Escape" && mode) { e.preventDefault(); return leave(); }
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit().catch(() => {}); }
  }

  // ---- disappearing messages ----
  let shown = "";
  function syncTimer() {
    if (!timer) return;
    const not = timer.allowed();
    const cur = not ? 0 : timer.get();
    if (shown === `${not}/${cur}`) return; // unchanged: an open select stays open
    shown = `${not}/${cur}`;
    ttlSelect.hidden = !!not;
    const choices = [0, ...new Set([...TIMERS, ...(cur ? [cur] : [])])].sort((a, b) => a - b);
    fill(ttlSelect, choices.map((s) => h("option", { value: String(s), selected: s === cur }, s ? `⏱ ${duration(s, true)}` : "⏱ Off")));
    ttlHint.hidden = !cur;
    ttlHint.textContent = cur ? `Your new messages disappear ${duration(cur)} after sending (for the others, after reading).` : "";
  }

  /** Turns the box on or off; text is the hint above it (why it is off, or a state worth knowing). */
  function setEnabled(on, text) {
    input.disabled = !on;
    button.disabled = !on;
    if (ttlSelect) ttlSelect.disabled = !on;
    if (tray) tray.button.disabled = !on;
    hint.textContent = text || "";
    syncFiles();
  }
  /** The attach button follows the chat's rules (a group's owners may turn files off). */
  function syncFiles() { if (tray) tray.sync(); }
  return {
    el, input, replyTo, editing, setEnabled, syncTimer, syncFiles,
    /** Files dropped on the chat: to the tray. */
    attach: (fs) => (tray && !input.disabled ? tray.add(fs) : undefined),
    allowFiles: () => (!tray ? "Files cannot be sent here." : input.disabled ? hint.textContent || "Nothing can be sent here now." : tray.allowed()),
    editingId: () => (mode && mode.edit ? mode.edit.messageId : null),
    /** Leaves replying to or editing message id (it went). */
    forget(id) { if (mode && (mode.edit || mode.reply).messageId === id) leave(false); },
  };
}
