// Helpers of the Worker's JS glue that need no Workers runtime (tested in
// Node by worker/test/lib.test.mjs).

// MAX_FRAME is the largest WebSocket message of the relay protocol
// (relay/wire.MaxFrame); a larger one closes the socket with 1009.
export const MAX_FRAME = 65536;

export function isUpgrade(req) {
  return req.method === "GET" && (req.headers.get("Upgrade") || "").toLowerCase() === "websocket";
}

// isFiles: a request of the file relay (mounted at /files).
export function isFiles(req) {
  const path = new URL(req.url).pathname;
  return path === "/files" || path.startsWith("/files/");
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// randomSessionHex returns a fresh 32-byte session id in hex.
export function randomSessionHex() {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

// decodeList splits Go's list encoding (relay/cfworker.EncodeList): each
// item is a big-endian u32 length and its bytes. It throws on a malformed
// list.
export function decodeList(buf) {
  const b = new Uint8Array(buf);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = [];
  for (let i = 0; i < b.length; ) {
    if (i + 4 > b.length) throw new Error("decodeList: truncated length");
    const n = dv.getUint32(i);
    if (i + 4 + n > b.length) throw new Error("decodeList: truncated item");
    out.push(b.subarray(i + 4, i + 4 + n));
    i += 4 + n;
  }
  return out;
}

// frameOf turns a WebSocket message into the bytes Go gets: a text
// message becomes an empty frame, which the relay answers ERR CMD_SYNTAX
// like a native relay does.
export function frameOf(msg) {
  return typeof msg === "string" ? new Uint8Array(0) : new Uint8Array(msg);
}

// Serial runs tasks one at a time in the order they were added: a
// session's frames are handled in order, as on a native relay.
export class Serial {
  constructor() {
    this.tail = Promise.resolve();
  }
  run(task) {
    const p = this.tail.then(task);
    this.tail = p.catch(() => {});
    return p;
  }
}
