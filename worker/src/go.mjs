// runGo serves one request in a fresh Go instance, as github.com/syumai/workers
// does: Go's init reads `context` (env, ctx, binding, and our role and
// storage) through wasm_exec.js's per-instance proxy, Main registers
// binding.handleRequest and signals ready, and the instance ends when the
// response is done.
import "./wasm_exec.js";
import mod from "./relay.wasm";

globalThis.tryCatch ??= (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

export async function runGo(context, req) {
  const binding = await startGo(context);
  return binding.handleRequest(req);
}

// startGo starts a Go instance and returns its binding once Go is ready.
// With role "session-keep" the instance stays until binding.exit().
export async function startGo(context) {
  const go = new Go();
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  const instance = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  const binding = {};
  go.run(instance, { ...context, binding });
  await isReady;
  return binding;
}
