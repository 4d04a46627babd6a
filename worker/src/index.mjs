// The relay as a Cloudflare Worker: the JavaScript Go cannot replace.
//   - the entry: a WebSocket upgrade goes to a new session object; a
//     plain GET or POST is served by Go (role "worker");
//   - SessionDO: holds one client's WebSocket (hibernation API), hands each
//     frame to Go (a kept instance, role "session-keep", or a fresh one per
//     frame, role "session"), writes the answers and the pushes from queues
//     (RPC push);
//   - QueueDO: one queue's storage; runs Go (role "queue-keep" or "queue")
//     on one command at a time (RPC cmd inside blockConcurrencyWhile), so
//     its transitions are atomic.
//   - the file relay: requests under /files are served by Go (role
//     "files", relay/files' handler); ChunkDO holds one chunk's record and
//     recipients and runs Go (role "chunk") on one command at a time; the
//     chunks' bytes are in the R2 bucket FILES.
// docs/cloudflare.md explains the design.
// The relay's work (commands, authenticators, re-encryption, limits) is
// all in Go: relay/cfworker.
import { DurableObject } from "cloudflare:workers";
import { runGo, startGo } from "./go.mjs";
import { MAX_FRAME, Serial, decodeList, frameOf, isFiles, isUpgrade, randomSessionHex } from "./lib.mjs";

export default {
  async fetch(req, env, ctx) {
    if (isUpgrade(req)) {
      const sid = randomSessionHex();
      const headers = new Headers(req.headers);
      headers.set("X-Session", sid);
      return env.SESSION.get(env.SESSION.idFromName(sid)).fetch(new Request(req, { headers }));
    }
    if (isFiles(req)) return serveFiles(req, env, ctx);
    return runGo({ env, ctx, role: "worker" }, req);
  },
};

// The file relay's requests. An upload's body is read first, so that a
// client sending it slowly holds no Go instance (and its memory)
// meanwhile. A download's answer names its R2 object (header
// X-Sxweb-Blob): its bytes stream from R2 here, not through Go, and the
// Go instance ends at once. (Go instances are not counted against each
// other: a request waiting on a promise another request resolves is
// cancelled by the runtime as hung.)
const MAX_BODY = 4 * 1024 * 1024 + 64 * 1024; // the largest chunk, and some
const BLOB_HEADER = "X-Sxweb-Blob";

async function serveFiles(req, env, ctx) {
  const len = Number(req.headers.get("Content-Length") ?? -1);
  if ((req.method === "PUT" || req.method === "POST") && len > 0 && len <= MAX_BODY) {
    req = new Request(req, { body: await req.arrayBuffer() });
  }
  const resp = await runGo({ env, ctx, role: "files" }, req);
  const blob = resp.headers.get(BLOB_HEADER);
  if (!blob) return resp;
  const obj = await env.FILES.get(blob);
  const headers = new Headers(resp.headers);
  headers.delete(BLOB_HEADER);
  if (obj === null) {
    // deleted since Go looked: the chunk is gone, as its ids are
    headers.set("Content-Type", "application/json");
    headers.delete("Content-Length");
    return new Response('{"error":"AUTH"}', { status: 403, headers });
  }
  return new Response(obj.body, { status: 200, headers });
}

// ChunkDO is one chunk of the file relay: op (RPC from the files role's
// Go) runs one command on its storage, alarm deletes it once it has
// expired (with its bytes in R2). One at a time, so each change is
// atomic.
export class ChunkDO extends DurableObject {
  constructor(state, env) {
    super(state, env);
    this.state = state;
    this.env = env;
  }

  op(body) {
    return this.inGo("/op", body);
  }

  alarm() {
    return this.inGo("/expire", new Uint8Array(0));
  }

  inGo(path, body) {
    const context = { env: this.env, ctx: this.state, storage: this.state.storage, role: "chunk" };
    return this.state.blockConcurrencyWhile(async () => {
      const r = await runGo(context, new Request("https://chunk.internal" + path, { method: "POST", body }));
      if (!r.ok) throw new Error("chunk: " + (await r.text()));
      return new Uint8Array(await r.arrayBuffer());
    });
  }
}

export class SessionDO extends DurableObject {
  constructor(state, env) {
    super(state, env);
    this.state = state;
    this.env = env;
    this.serial = new Serial();
    // RELAY_SESSION_KEEP_MS > 0: one Go instance serves the session while
    // it is busy and frames run concurrently (Go keeps per-queue order);
    // 0: a fresh Go instance per frame, frames one at a time.
    this.keepMs = Number(env.RELAY_SESSION_KEEP_MS ?? 10000);
    this.kept = null; // Promise of the kept instance's binding
    this.busy = 0;
    this.idle = null;
  }

  // go runs the session half of the relay in a fresh Go instance.
  go(path, sid, body) {
    const req = new Request("https://session.internal" + path, {
      method: "POST",
      headers: { "X-Session": sid },
      body,
    });
    return runGo({ env: this.env, ctx: this.state, role: "session" }, req);
  }

  keep() {
    clearTimeout(this.idle);
    this.kept ??= startGo({ env: this.env, ctx: this.state, role: "session-keep" }).catch((e) => {
      this.kept = null; // the next frame tries a new instance
      throw e;
    });
    return this.kept;
  }

  release() {
    if (--this.busy > 0) return;
    this.idle = setTimeout(async () => {
      const kept = this.kept;
      this.kept = null;
      if (kept) (await kept).exit();
    }, this.keepMs);
  }

  // push (RPC from a queue's Go) writes one event frame to the socket;
  // false when the session has no open socket (the queue then drops the
  // subscription).
  push(frame) {
    const [ws] = this.state.getWebSockets();
    try {
      ws.send(frame); // throws when there is no open socket (ws undefined or closed)
      return true;
    } catch {
      return false;
    }
  }

  // alive (RPC from a queue's Go, when the queue has been idle for its
  // expiry): whether this session still has its socket. A queue it is
  // subscribed to is then in use and is kept.
  alive() {
    return this.state.getWebSockets().length > 0;
  }

  async fetch(req) {
    const sid = req.headers.get("X-Session");
    if (!isUpgrade(req) || !sid) return new Response("relay: WebSocket only", { status: 400 });
    const hello = await this.go("/open", sid, new Uint8Array(0));
    if (!hello.ok) return hello;
    const [client, server] = Object.values(new WebSocketPair());
    this.state.acceptWebSocket(server);
    server.serializeAttachment({ sid, hello: false });
    server.send(await hello.arrayBuffer());
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws, msg) {
    const frame = frameOf(msg);
    if (frame.byteLength > MAX_FRAME) return ws.close(1009, "frame too large");
    if (this.keepMs <= 0) return this.serial.run(() => this.onFrame(ws, msg, frame));
    // Kept instance: the hello check and the hand-over to Go happen in
    // message order; the answers come back as they are ready.
    this.busy++;
    try {
      const b = await this.keep();
      const att = ws.deserializeAttachment();
      if (!att.hello) {
        if (typeof msg === "string" || !b.clientHello(frame)) return ws.close(1002, "bad client hello");
        return ws.serializeAttachment({ ...att, hello: true });
      }
      for (const f of decodeList(await b.frame(att.sid, frame))) ws.send(f);
    } catch {
      closeQuietly(ws, 1011, "relay error");
    } finally {
      this.release();
    }
  }

  async onFrame(ws, msg, frame) {
    const att = ws.deserializeAttachment();
    if (!att.hello) {
      const r = await this.go("/hello", att.sid, frame);
      if (typeof msg === "string" || r.status !== 204) return ws.close(1002, "bad client hello");
      return ws.serializeAttachment({ ...att, hello: true });
    }
    const r = await this.go("/frame", att.sid, frame);
    if (!r.ok) return ws.close(1011, "relay error");
    for (const f of decodeList(await r.arrayBuffer())) ws.send(f);
  }

  webSocketClose(ws, code) {
    closeQuietly(ws, code === 1005 ? 1000 : code, "closed");
  }

  webSocketError() {}
}

function closeQuietly(ws, code, reason) {
  try {
    ws.close(code, reason);
  } catch {
    // already closed
  }
}

export class QueueDO extends DurableObject {
  constructor(state, env) {
    super(state, env);
    this.state = state;
    this.env = env;
    // RELAY_QUEUE_KEEP_MS > 0: one Go instance serves the queue's commands
    // while it is busy; 0: a fresh Go instance per command.
    this.keepMs = Number(env.RELAY_QUEUE_KEEP_MS ?? 0);
    this.kept = null;
    this.idle = null;
  }

  // cmd (RPC from a session's Go) runs one queue command, given as
  // relay/cfworker.EncodeQueueReq bytes, and returns the caller's answer
  // (EncodeList bytes), or null for a malformed request. One command at a
  // time, pushes included: the queue's transitions are atomic and its
  // events leave in order.
  cmd(body) {
    return this.inGo((b) => b.cmd(body), async (run) => {
      const r = await run(new Request("https://queue.internal/cmd", { method: "POST", body }));
      return r.ok ? new Uint8Array(await r.arrayBuffer()) : null;
    });
  }

  // alarm: the oldest message's expiry or the queue's idle time, set by
  // Go; Go removes what has expired (the queue itself when it is idle and
  // nobody is subscribed) and sets the next alarm.
  alarm() {
    return this.inGo((b) => b.expire(), (run) => run(new Request("https://queue.internal/expire", { method: "POST" })));
  }

  // inGo runs one call in Go, one call at a time: kept(binding) in the
  // kept instance, or fresh(run) with run(req) serving req in a fresh one.
  inGo(kept, fresh) {
    const context = { env: this.env, ctx: this.state, storage: this.state.storage };
    return this.state.blockConcurrencyWhile(async () => {
      if (this.keepMs <= 0) return fresh((req) => runGo({ ...context, role: "queue" }, req));
      clearTimeout(this.idle);
      this.kept ??= startGo({ ...context, role: "queue-keep" }).catch((e) => {
        this.kept = null;
        throw e;
      });
      try {
        return await kept(await this.kept);
      } finally {
        this.idle = setTimeout(async () => {
          const k = this.kept;
          this.kept = null;
          if (k) (await k).exit();
        }, this.keepMs);
      }
    });
  }
}
