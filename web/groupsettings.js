// groupsettings.js — the group's features on its members screen: owners switch
// them (setGroupPreferences: every member gets them), the others see what is in
// force.
import { h, fill } from "./dom.js";

const FEATURES = [
  ["directMessages", "Direct messages between members",
    "A member can start a private chat with another member from the list above. Joining never connects members directly."],
  ["reactions", "Reactions", "Members can react to messages with 👍 👎 😀 😂 😢 ❤️ 🚀 ✅."],
  ["timedMessages", "Disappearing messages", "Members can send messages that disappear after a time each chooses."],
  ["fullDelete", "Deleted messages vanish", "A message deleted for everyone is removed completely instead of showing “Message deleted”."],
  ["history", "Recent history for new members", "Members who join by link get the last 100 messages."],
  ["files", "Files and images", "Members can send files and photos (up to 1 GB each; uploaded once for the whole group, end-to-end encrypted). Off: the attach button is disabled and files are refused."],
];

/** The settings card of group g; update(g) redraws it from the newest groups() entry. */
export function groupSettings(app, g) {
  const el = h("section", { class: "card group-settings", "aria-labelledby": `gs-h-${g.groupId}` });
  let busy = false;

  async function toggle(key, input) {
    busy = true;
    try {
      await app.chat.setGroupPreferences(g.groupId, { [key]: input.checked ? "on" : "off" });
      await app.sync(); // groups() now has the new value
    } catch (e) {
      input.checked = !input.checked;
      app.error(e);
    } finally {
      busy = false;
    }
  }

  function update(g2) {
    if (busy) return; // a switch is being saved: keep it as the person set it
    const owner = g2.role === "owner" && (!g2.status || g2.status === "active");
    const focused = el.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    fill(el, h("h2", { id: `gs-h-${g.groupId}` }, "Group settings"),
      owner ? null : h("p", { class: "hint" }, "Only the group's owners can change these."),
      h("ul", { class: "features" }, FEATURES.map(([key, label, hint]) => {
        const on = g2[key] === "on";
        const id = `gs-${key}-${g.groupId}`;
        const input = owner ? h("input", {
          type: "checkbox", role: "switch", id, checked: on, "aria-describedby": `${id}-hint`, dataset: { key },
          onchange: (e) => toggle(key, e.currentTarget),
        }) : null;
        return h("li", { class: "feature", dataset: { feature: key, on: String(on) } },
          owner ? h("label", { for: id }, input, " ", label) : h("span", {}, label, ": ", h("strong", {}, on ? "on" : "off")),
          h("small", { class: "hint", id: `${id}-hint` }, hint));
      })));
    if (focused) el.querySelector(`[data-key="${focused}"]`)?.focus();
  }
  update(g);
  return { el, update };
}
