// settingsview.js — the settings and about screen: backup and moving
// (backupview.js), encryption at rest (passview.js), notifications (the
// browser's permission is asked only from the button here), hiding message text
// in them, storage used and what files take (storageview.js), and what Hearth
// is — and is not.
import { h, fill } from "./dom.js";
import { notifyOn, setNotifyOn, notifyHideText, setNotifyHideText } from "./prefs.js";
import { storageSummary } from "./storageview.js";
import { backupCard } from "./backupview.js";
import { atRestCard } from "./passview.js";

// Said plainly wherever a person first meets the app: its name is its own, so
// nobody expects to reach their SimpleX contacts with it.
export const NOT_SIMPLEX = "Hearth follows SimpleX's design and chat protocol but is not on the SimpleX network: it cannot reach SimpleX contacts, and SimpleX apps cannot open its links.";

const PERMISSION = {
  granted: "This browser allows Hearth to show notifications.",
  denied: "Notifications are blocked for this site. Allow them in the browser's site settings, then reload.",
  default: "The browser asks once whether Hearth may show notifications.",
};

export function settingsView(app) {
  const notes = h("section", { class: "card", "aria-labelledby": "set-n-h" });

  function draw() {
    const supported = typeof Notification === "function";
    const perm = supported ? Notification.permission : "unsupported";
    const on = h("input", {
      type: "checkbox", role: "switch", id: "set-notify", checked: notifyOn(), "aria-describedby": "set-notify-hint",
      onchange: (e) => { setNotifyOn(e.currentTarget.checked); draw(); document.getElementById("set-notify")?.focus(); },
    });
    const hide = h("input", {
      type: "checkbox", role: "switch", id: "set-hide", checked: notifyHideText(), disabled: !notifyOn(), "aria-describedby": "set-hide-hint",
      onchange: (e) => { setNotifyHideText(e.currentTarget.checked); },
    });
    const ask = supported && perm === "default" ? h("button", {
      type: "button", class: "primary", onclick: async () => {
        await Notification.requestPermission().catch(() => {});
        if (Notification.permission === "granted") setNotifyOn(true);
        draw();
        notes.querySelector("button, input")?.focus();
      },
    }, "Allow notifications") : null;
    fill(notes, h("h2", { id: "set-n-h" }, "Notifications"),
      h("p", { dataset: { permission: perm } }, supported ? PERMISSION[perm] : "This browser cannot show notifications."),
      ask,
      h("div", { class: "field check" }, h("label", { for: "set-notify" }, on, " Notify me of new messages while Hearth is in the background"),
        h("small", { class: "hint", id: "set-notify-hint" }, "Never for your own messages or for chats you muted with their 🔔 button.")),
      h("div", { class: "field check" }, h("label", { for: "set-hide" }, hide, " Hide message text in notifications"),
        h("small", { class: "hint", id: "set-hide-hint" }, "They say “New message” instead, so nothing of the conversation shows on your screen.")));
  }
  draw();
  const el = h("div", { class: "settings" }, h("h1", {}, "Settings"), backupCard(app), atRestCard(app), notes, storageSummary(app),
    h("section", { class: "card about", "aria-labelledby": "about-h" },
      h("h2", { id: "about-h" }, "About Hearth"),
      h("p", {}, h("strong", {}, "Hearth — private group chat. "), "End-to-end encrypted, with no user identifiers; everything is kept only in this browser."),
      h("p", { class: "not-simplex" }, NOT_SIMPLEX),
      h("p", {}, h("a", { href: "#/connections" }, "Connections"), " · ", h("a", { href: "#/storage" }, "Storage"))));
  // The permission can change in the browser's own settings meanwhile.
  const onVisible = () => { if (document.visibilityState === "visible") draw(); };
  document.addEventListener("visibilitychange", onVisible);
  return { el, dispose: () => document.removeEventListener("visibilitychange", onVisible) };
}
