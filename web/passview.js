// passview.js — encryption at rest in settings: whether the data in this
// browser is sealed with this browser's own key or with a passphrase
// (chat.atRest()), and setting, changing or removing that passphrase
// (chat.setPassphrase). What each protects is in docs/backup-and-storage.md.
import { h, fill, field } from "./dom.js";
import { formDialog, newPassphrase, passInput } from "./dialog.js";

const MODES = {
  device: ["Encrypted with this browser's key.",
    "Message text never lies in clear in the browser's files on disk. But the key is kept next to the data, so someone who copies this browser's profile can read it. " +
    "A passphrase protects against that: Hearth then asks for it each time it starts."],
  passphrase: ["Encrypted with your passphrase.",
    "Hearth asks for it when it starts. Tabs opened while Hearth already runs in another tab do not ask again."],
  none: ["Not encrypted.", "This database was made without encryption at rest (a test setting)."],
};

const explain = (e) => (e.code === "BAD_PASSPHRASE" ? "The current passphrase is not right." : `${e.message}${e.code ? ` (${e.code})` : ""}`);

/** The dialog for action "set", "change" or "remove"; done() after it worked. */
function passDialog(app, action, done) {
  const current = action === "set" ? null : passInput({ autofocus: true });
  const next = action === "remove" ? null : newPassphrase(action === "set" ? "Passphrase" : "New passphrase");
  formDialog({
    title: { set: "Set a passphrase", change: "Change the passphrase", remove: "Remove the passphrase" }[action],
    content: [
      action === "remove" ? h("p", {}, "Your data stays encrypted, with this browser's own key: Hearth no longer asks for a passphrase.")
        : h("p", { class: "note warn" }, h("strong", {}, "Nobody can recover this passphrase. "),
          "If you forget it, the chats in this browser cannot be opened: keep a backup too (Settings → Back up)."),
      current ? field("Current passphrase", current) : null,
      next ? next.el : null,
    ],
    submit: { set: "Set passphrase", change: "Change passphrase", remove: "Remove passphrase" }[action],
    busy: "Working… deriving a key takes about a second.",
    explain,
    danger: action === "remove",
    async run() {
      const nw = next ? next.value() : null;
      try {
        await app.chat.setPassphrase(current ? current.value : null, nw);
      } catch (e) {
        if (e.code === "BAD_PASSPHRASE") e.input = current;
        throw e;
      }
      done();
    },
  });
}

/** The settings card "Encryption at rest". */
export function atRestCard(app) {
  const body = h("div", {}, h("p", { class: "hint" }, "Reading…"));
  const draw = async () => {
    let mode;
    try {
      mode = (await app.chat.atRest()).mode;
    } catch (e) {
      return fill(body, h("p", { class: "error" }, `Could not read it: ${e.message}`));
    }
    const [state, why] = MODES[mode] || [mode, ""];
    const act = (action, label, cls = "") => h("button", { type: "button", class: cls, onclick: () => passDialog(app, action, draw) }, label);
    fill(body, h("p", { class: "at-rest", dataset: { mode } }, h("strong", {}, state), " ", why),
      h("div", { class: "row" }, mode === "device" ? act("set", "Set a passphrase", "primary") : null,
        mode === "passphrase" ? [act("change", "Change passphrase"), act("remove", "Remove passphrase", "danger")] : null));
  };
  draw();
  return h("section", { class: "card at-rest-card", "aria-labelledby": "set-ar-h" }, h("h2", { id: "set-ar-h" }, "Encryption at rest"), body);
}
