// runtime.js — loads the Go core (wasm_exec.js + app.wasm, found next to this
// file) into the current JS context: a page (mode "page") or the core's worker
// (web/core-worker.js). Also the error type every rejection of the JS API has.
// Shared by simplex.js (the page) and host.js (the worker), so both load the
// wasm the same way.

const base = new URL(".", import.meta.url);
let runtime = null; // Promise of globalThis.__sxweb, shared by every caller in this context

/** An Error with a stable string code, the shape of every rejection of this API. */
export class SimplexError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = "SimplexError";
    this.code = code;
  }
}

/** Any thrown value as an Error with a code (INTERNAL when it had none). */
export function asError(e) {
  if (e instanceof Error) {
    if (!e.code) e.code = "INTERNAL";
    return e;
  }
  if (e && typeof e === "object") return new SimplexError(e.code || "INTERNAL", e.message || String(e.code));
  return new SimplexError("INTERNAL", String(e));
}

/** An error as plain data for postMessage (structured clone drops Error.code). */
export function errorData(e) {
  const err = asError(e);
  return { code: err.code, message: err.message };
}

/**
 * Loads wasm_exec.js and the wasm once per JS context; resolves with the Go
 * bridge (globalThis.__sxweb). onExit runs if the Go runtime ever exits (a
 * fatal error in Go: the bridge is dead from then on).
 */
export function loadRuntime(wasmURL, onExit) {
  if (globalThis.__sxweb) return Promise.resolve(globalThis.__sxweb);
  if (runtime) return runtime;
  runtime = (async () => {
    if (typeof WebAssembly !== "object") throw new SimplexError("UNSUPPORTED", "this browser has no WebAssembly");
    if (!globalThis.Go) await import(new URL("wasm_exec.js", base).href);
    const go = new globalThis.Go();
    globalThis.__sxwebGo = go; // diagnostics: the wasm memory (go.mem.buffer) for benchmarks
    const ready = new Promise((resolve) => {
      globalThis.__sxwebReady = () => resolve(globalThis.__sxweb);
    });
    const url = wasmURL || new URL("app.wasm", base).href;
    let inst;
    try {
      inst = await WebAssembly.instantiateStreaming(fetch(url), go.importObject);
    } catch (e) {
      // A server with the wrong MIME type: fall back to bytes.
      const resp = await fetch(url);
      if (!resp.ok) throw new SimplexError("LOAD_FAILED", `fetching ${url}: ${resp.status}`);
      inst = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    }
    const exited = go.run(inst.instance).then(() => {
      runtime = null;
      if (onExit) onExit();
      throw new SimplexError("LOAD_FAILED", "the Go runtime exited");
    });
    return Promise.race([ready, exited]);
  })();
  runtime.catch(() => { runtime = null; });
  return runtime;
}
