// dialog.js — the app's form dialogs: a modal <dialog> whose work runs with a
// busy state (a passphrase's key derivation takes about a second, an export
// longer), a plain-words error line when it fails, and a result shown in place
// of the form; and the fields that ask for a new passphrase twice.
import { h, fill, field } from "./dom.js";

/** The shortest passphrase the app accepts (the key derivation makes each guess cost, not the length). */
export const MIN_PASSPHRASE = 8;

/** An Error whose message is for the person, pointing at the input to fix. */
export function fieldError(input, message) {
  return Object.assign(new Error(message), { input });
}

/**
 * Opens a modal form. content: its fields; submit: the button's label; busy:
 * what the status says while run() works; run(): does the work (a thrown
 * error's words, from explain(e), show under the fields and the form stays),
 * resolves with nodes to show in place of the form (then one "Done" button
 * closes it) or nothing to close. onClose runs when it closes, however.
 */
export function formDialog({ title, content, submit, busy, run, explain = (e) => e.message, onClose = () => {}, danger = false }) {
  const id = `dlg-${Math.random().toString(36).slice(2, 8)}`;
  const err = h("p", { class: "error", role: "alert", hidden: true });
  const status = h("p", { class: "busy", role: "status", hidden: true }, h("progress", { "aria-label": busy }), h("span", {}, busy));
  const fields = h("fieldset", { class: "plain" }, content);
  const ok = h("button", { type: "submit", class: danger ? "danger" : "primary" }, submit);
  const cancel = h("button", { type: "button", onclick: () => dlg.close() }, "Cancel");
  const buttons = h("div", { class: "row end" }, cancel, ok);
  let working = false;
  const form = h("form", {
    onsubmit: async (e) => {
      e.preventDefault();
      if (working) return;
      err.hidden = true;
      working = true;
      fields.disabled = ok.disabled = cancel.disabled = true;
      status.hidden = false;
      try {
        const shown = await run();
        if (!shown) return dlg.close();
        const done = h("button", { type: "button", class: "primary", onclick: () => dlg.close() }, "Done");
        fill(fields, shown);
        fill(buttons, done);
        fields.disabled = false;
        done.focus();
      } catch (ex) {
        fill(err, explain(ex));
        err.hidden = false;
        fields.disabled = ok.disabled = cancel.disabled = false;
        (ex.input || fields.querySelector("input"))?.focus();
      } finally {
        working = false;
        status.hidden = true;
      }
    },
  }, h("h2", { id }, title), fields, err, status, buttons);
  const dlg = h("dialog", { class: "confirm form-dialog", "aria-labelledby": id }, form);
  dlg.addEventListener("cancel", (e) => { if (working) e.preventDefault(); }); // Escape waits for the work
  dlg.addEventListener("close", () => { dlg.remove(); onClose(); });
  document.body.append(dlg);
  dlg.showModal();
  (fields.querySelector("[autofocus]") || fields.querySelector("input") || ok).focus();
  return dlg;
}

/** A password input for a passphrase someone already has (to unlock, restore, change). */
export function passInput(attrs = {}) {
  return h("input", { type: "password", autocomplete: "current-password", required: true, spellcheck: "false", ...attrs });
}

/**
 * The two fields of a new passphrase ("Passphrase", "Repeat the passphrase"):
 * {el, value()}; value() throws a fieldError when it is too short or the two differ.
 */
export function newPassphrase(label = "Passphrase") {
  const a = h("input", { type: "password", autocomplete: "new-password", required: true, spellcheck: "false", autofocus: true });
  const b = h("input", { type: "password", autocomplete: "new-password", required: true, spellcheck: "false" });
  return {
    el: [field(label, a, `At least ${MIN_PASSPHRASE} characters. A few words only you would put together are easy to type and hard to guess.`),
      field("Repeat the passphrase", b)],
    value() {
      if (a.value.length < MIN_PASSPHRASE) throw fieldError(a, `The passphrase is too short: use at least ${MIN_PASSPHRASE} characters.`);
      if (a.value !== b.value) throw fieldError(b, "The two passphrases differ: type the same one twice.");
      return a.value;
    },
  };
}
