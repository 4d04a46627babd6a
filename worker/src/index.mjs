// The relay as a Cloudflare Worker: the JavaScript Go cannot replace.
//   - the entry: a WebSocket upgrade goes to a new session object; a
//     plain GET or POST is served by Go (role "worker");
//   - SessionDO: holds one client's WebSocket (hibernation API), runs Go
//     (role "session") on each frame in order, writes pushes from queues;
//   - QueueDO: one queue's storage; runs Go (role "queue") on one command
//     at a time (blockConcurrencyWhile), so its transitions are atomic.
// The relay's work (commands, authenticators, re-encryption, limits) is
// all in Go: relay/cfworker.
import { runGo } from "./go.mjs";
import { MAX_FRAME, Serial, decodeList, frameOf, isUpgrade, randomSessionHex } from "./lib.mjs";

export default {
  async fetch(req, env, ctx) {
    if (isUpgrade(req)) {
      const sid = randomSessionHex();
      const headers = new Headers(req.headers);
      headers.set("X-Session", sid);
      return env.SESSION.get(env.SESSION.idFromName(sid)).fetch(new Request(req, { headers }));
    }
    return runGo({ env, ctx, role: "worker" }, req);
  },
};

export class SessionDO {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    this.serial = new Serial();
  }

  // go runs the session half of the relay for one frame.
  go(path, sid, body) {
    const req = new Request("https://session.internal" + path, {
      method: "POST",
      headers: { "X-Session": sid },
      body,
    });
    return runGo({ env: this.env, ctx: this.state, role: "session" }, req);
  }

  async fetch(req) {
    if (new URL(req.url).pathname === "/push") {
      const [ws] = this.state.getWebSockets();
      if (!ws) return new Response(null, { status: 410 });
      ws.send(await req.arrayBuffer());
      return new Response(null);
    }
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

  webSocketMessage(ws, msg) {
    return this.serial.run(() => this.onFrame(ws, msg));
  }

  async onFrame(ws, msg) {
    const att = ws.deserializeAttachment();
    const frame = frameOf(msg);
    if (frame.byteLength > MAX_FRAME) return ws.close(1009, "frame too large");
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
    try {
      ws.close(code === 1005 ? 1000 : code, "closed");
    } catch {
      // already closed
    }
  }

  webSocketError() {}
}

export class QueueDO {
  constructor(state, env) {
    this.state = state;
    this.env = env;
  }

  fetch(req) {
    const context = { env: this.env, ctx: this.state, role: "queue", storage: this.state.storage };
    return this.state.blockConcurrencyWhile(() => runGo(context, req));
  }
}
