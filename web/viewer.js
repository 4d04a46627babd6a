// viewer.js — an image at full size over the page: a modal dialog (Escape, the
// ✕ or a click beside the image closes it; the focus goes back to where it
// was), with the file's name and size and a Save link. The image is the
// object URL the chat made from getFile's Blob: nothing is read into JS.
import { h } from "./dom.js";

/** Opens the viewer on {src, name, detail (e.g. its size)}; resolves when it closes. */
export function openViewer({ src, name, detail = "" }) {
  return new Promise((resolve) => {
    const back = document.activeElement;
    const key = back && back.dataset ? back.dataset.focus : null;
    const close = h("button", { type: "button", class: "close", "aria-label": "Close", title: "Close (Escape)", autofocus: true, onclick: () => dlg.close() }, "✕");
    const dlg = h("dialog", { class: "viewer", "aria-labelledby": "viewer-name" },
      h("div", { class: "viewer-bar" },
        h("span", { class: "vname", id: "viewer-name" }, name),
        detail ? h("small", {}, detail) : null,
        h("a", { class: "button", href: src, download: name }, "Save"),
        close),
      h("div", { class: "viewer-body", onclick: (e) => { if (e.target === e.currentTarget) dlg.close(); } },
        h("img", { src, alt: name })));
    dlg.addEventListener("close", () => {
      dlg.remove();
      // Back to the control that opened it (the list may have been redrawn meanwhile).
      const to = back && back.isConnected ? back : key ? document.querySelector(`[data-focus="${CSS.escape(key)}"]`) : null;
      to?.focus({ preventScroll: true });
      resolve();
    });
    document.body.append(dlg);
    dlg.showModal();
    close.focus();
  });
}
