// dom.js — a tiny element builder for the app (no framework: the app is a thin
// view over the Go core, re-rendered from its answers).

/**
 * h("button", {class: "x", onclick: fn, "aria-label": "Send"}, "text", child...)
 * Attributes starting with "on" become listeners; false/null attributes and
 * children are skipped; strings become text nodes (never parsed as HTML).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k === "value") el.value = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// Made once: toLocaleTimeString builds a formatter on every call (a third of a
// millisecond each, once per bubble drawn).
let clock = null, dated = null;

/** Formats a message timestamp (ms, seconds, or an ISO string) as a short local time. */
export function fmtTime(ts) {
  if (ts === undefined || ts === null || ts === "") return "";
  let d = typeof ts === "number" ? new Date(ts < 1e12 ? ts * 1000 : ts) : new Date(ts);
  if (Number.isNaN(d.getTime())) return "";
  const today = new Date().toDateString() === d.toDateString();
  clock ||= new Intl.DateTimeFormat([], { hour: "2-digit", minute: "2-digit" });
  dated ||= new Intl.DateTimeFormat([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  return (today ? clock : dated).format(d);
}

/** A form field: a label wrapping its input, with an optional hint. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const hintEl = hint ? h("small", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintEl);
}
