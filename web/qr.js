// qr.js — showing a link to pass to another device: a QR code of it (SVG,
// drawn with the vendored qrcode-generator) and a copy button's action.
import { h } from "./dom.js";

/** Copies text to the clipboard; the button says "Copied" for a moment. */
export async function copy(text, btn) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const ta = h("textarea", { value: text });
    document.body.append(ta); ta.select(); document.execCommand("copy"); ta.remove();
  }
  const was = btn.textContent;
  btn.textContent = "Copied";
  setTimeout(() => { btn.textContent = was; }, 1500);
}

/** Draws text as a QR code (SVG, labelled label) with the vendored qrcode-generator; null when it does not fit. */
export async function qrSVG(text, label) {
  try {
    const { default: qrcode } = await import("./vendor/qrcode.mjs");
    const qr = qrcode(0, "L");
    qr.addData(text, "Byte");
    qr.make();
    const n = qr.getModuleCount();
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", `-4 -4 ${n + 8} ${n + 8}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    svg.setAttribute("shape-rendering", "crispEdges");
    let d = "";
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += `M${c} ${r}h1v1h-1z`;
    const bg = document.createElementNS(NS, "rect");
    Object.entries({ x: -4, y: -4, width: n + 8, height: n + 8, fill: "#fff" }).forEach(([k, v]) => bg.setAttribute(k, v));
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "#000");
    svg.append(bg, path);
    return svg;
  } catch {
    return null;
  }
}
