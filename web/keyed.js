// keyed.js — the children of an element kept per key: a list redrawn on every
// event (the chat's messages) builds only the items that are new or changed and
// moves none of the others, so a redraw costs the changed items, not the whole
// list, and the unchanged ones keep their DOM (focus, a running image load, a
// class set on them since).

/** Two signatures are the same: the same values, compared one by one (Object.is). */
function same(a, b) {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * keyed(parent).sync(items) makes parent's children the items, in order. An
 * item is a Node (kept as it is: a fixed item such as a "load earlier" button)
 * or [key, sig, make]: the element built by make() the last time key was drawn
 * is kept while its signature (sig: an array of the values it shows; objects
 * compare by identity) is the same, else make() builds it anew in its place.
 * Keys that are no longer given are removed. Returns the elements, in order;
 * get(key) is the element drawn for key.
 */
export function keyed(parent) {
  let drawn = new Map(); // key → {el, sig}
  function sync(items) {
    const next = new Map();
    const els = items.map((it) => {
      if (it instanceof Node) return it;
      const [key, sig, make] = it;
      const old = drawn.get(key);
      if (old && same(old.sig, sig)) {
        next.set(key, old);
        return old.el;
      }
      const el = make();
      if (old && old.el.parentNode === parent) old.el.replaceWith(el); // in place: nothing after it moves
      next.set(key, { el, sig });
      return el;
    });
    drawn = next;
    const keyedEls = new Set([...next.values()].map((d) => d.el));
    const isKeyed = (el) => keyedEls.has(el);
    // Removed first, then the walk: a gone item in the middle moves none of those
    // after it, and a fixed item out of place is taken out and put back where it
    // belongs rather than moving the keyed ones past it (a moved element loses
    // the focus).
    const want = new Set(els);
    for (const c of [...parent.children]) if (!want.has(c)) c.remove();
    let at = parent.firstChild;
    for (const el of els) {
      while (at && at !== el && !isKeyed(at)) {
        const n = at.nextSibling;
        at.remove();
        at = n;
      }
      if (el === at) at = at.nextSibling;
      else parent.insertBefore(el, at);
    }
    return els;
  }
  return { sync, get: (key) => drawn.get(key)?.el || null };
}
