// view.test.mjs — the page side of the many-tabs protocol (web/view.js) against
// a scripted core, in Node: which calls are sent again when the core goes away
// (not yet received, sends with the same sendId, reads), which reject MOVED,
// and what a view does when its core is closed under it. The browser tests
// (e2e/tabs-*.test.mjs) run the same code against the real worker; here the
// moment a core dies can be chosen exactly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { View, withSendId } from "../view.js";
import { VERSION } from "../version.js";

/** A view on a scripted transport: posted holds what it sent; reply(msg) plays the core. */
async function scripted() {
  const posted = [];
  let reply;
  const view = new View({ db: "t", relays: ["ws://r"], appURL: "http://a/", mode: "leader",
    transport: (onMessage) => { reply = onMessage; return { post: (m) => posted.push(m), close() {} }; } });
  const opening = view.open();
  await tick();
  const open = posted.shift();
  assert.deepEqual({ t: open.t, version: open.version, db: open.opts.db }, { t: "open", version: VERSION, db: "t" });
  reply({ t: "opened", view: view.id, host: "h1", methods: ["groups"], relays: ["ws://r"], appURL: "http://a/" });
  assert.deepEqual((await opening).methods, ["groups"]);
  // reply: an answer to this view; broadcast: to every view (no view id)
  return { view, posted, reply: (m) => reply({ view: view.id, ...m }), broadcast: (m) => reply(m) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const settled = (p) => p.then((v) => ({ v }), (e) => ({ code: e.code }));

test("a send gets a sendId in its options; the caller's own is kept", () => {
  const [, , o] = withSendId("sendGroupMessage", ["g", "hi"]);
  assert.match(o.sendId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(withSendId("sendDirectMessage", ["c", "hi", { sendId: "mine" }]), ["c", "hi", { sendId: "mine" }]);
  assert.equal(withSendId("sendGroupMessage", ["g", "hi", { x: 1 }])[2].x, 1);
  assert.deepEqual(withSendId("groups", []), []);
});

test("the core dies: unreceived calls, sends and reads go to the next core; other received calls reject MOVED", async () => {
  const { view, posted, reply, broadcast } = await scripted();
  const send = settled(view.call("sendGroupMessage", ["g", "hello"]));
  const made = settled(view.call("createGroup", [{ displayName: "G" }]));
  const read = settled(view.call("messages", [{ groupId: "g" }]));
  const unreceived = settled(view.call("createInvitation", []));
  const calls = posted.splice(0);
  assert.deepEqual(calls.map((c) => [c.method, c.host]), [["sendGroupMessage", "h1"], ["createGroup", "h1"], ["messages", "h1"], ["createInvitation", "h1"]]);
  for (const c of calls.slice(0, 3)) reply({ t: "got", host: "h1", id: c.id }); // createInvitation never arrived
  broadcast({ t: "down", host: "h1" }); // h1 is gone (its leader tab closed)
  assert.deepEqual(await made, { code: "MOVED" }, "it may or may not have happened");
  const reopen = posted.splice(0);
  assert.deepEqual(reopen.map((m) => m.t), ["open"]);
  reply({ t: "opened", host: "h2", methods: ["groups"] });
  const again = posted.splice(0);
  assert.deepEqual(again.map((c) => [c.method, c.host]), [["sendGroupMessage", "h2"], ["messages", "h2"], ["createInvitation", "h2"]], "in the order they were made");
  assert.equal(again[0].args[2].sendId, calls[0].args[2].sendId, "the same sendId: the core sends it once");
  for (const c of again) reply({ t: "result", host: "h2", id: c.id, value: c.method });
  assert.deepEqual(await Promise.all([send, read, unreceived]), [{ v: "sendGroupMessage" }, { v: "messages" }, { v: "createInvitation" }]);
});

test("a result from the old core after the move is ignored; calls made while there is no core wait for the next; its events come", async () => {
  const { view, posted, reply, broadcast } = await scripted();
  const p = settled(view.call("groups", []));
  const [c] = posted.splice(0);
  reply({ t: "got", host: "h1", id: c.id });
  const events = [];
  view.setEventSink((ev) => events.push(ev.text));
  broadcast({ t: "event", host: "h0", ev: { type: "message", text: "from a core we never had" } });
  broadcast({ t: "up", host: "h2" }); // a new core announces itself: the old one is gone
  broadcast({ t: "event", host: "h2", ev: { type: "message", text: "arrived while we move" } });
  const waiting = settled(view.call("contacts", []));
  assert.deepEqual(posted.splice(0).map((m) => m.t), ["open"], "nothing is sent before the new core answers");
  reply({ t: "result", host: "h1", id: c.id, value: "stale" });
  reply({ t: "opened", host: "h2", methods: [] });
  const again = posted.splice(0);
  assert.deepEqual(again.map((m) => m.method), ["groups", "contacts"]);
  for (const m of again) reply({ t: "result", host: "h2", id: m.id, value: m.method });
  assert.deepEqual(await p, { v: "groups" });
  assert.deepEqual(await waiting, { v: "contacts" });
  assert.deepEqual(events, ["arrived while we move"], "the next core's events count from its start; no others");
});

test("a call a leaving core did not run (moved) is sent to the next one, whatever it is", async () => {
  const { view, posted, reply, broadcast } = await scripted();
  const p = settled(view.call("createGroup", [{ displayName: "G" }]));
  const [c] = posted.splice(0);
  reply({ t: "result", host: "h1", id: c.id, moved: "handover" });
  broadcast({ t: "down", host: "h1" });
  posted.splice(0);
  reply({ t: "opened", host: "h2", methods: [] });
  const [again] = posted.splice(0);
  assert.equal(again.method, "createGroup");
  reply({ t: "result", host: "h2", id: again.id, value: { groupId: "1" } });
  assert.deepEqual(await p, { v: { groupId: "1" } });
});

test("a newer build takes the database: running and later calls reject VERSION, the view ends with reason version", async () => {
  const ended = [];
  const { view, posted, broadcast } = await scripted();
  view.onEnd = (r) => ended.push(r);
  const p = settled(view.call("groups", []));
  posted.splice(0);
  broadcast({ t: "closed", host: "h1", reason: "version" });
  assert.deepEqual(await p, { code: "VERSION" });
  assert.deepEqual(await settled(view.call("groups", [])), { code: "VERSION" });
  await tick();
  assert.deepEqual(ended, ["version"]);
});

test("close(): running calls reject CANCELED, later ones CLOSED; the core hears close", async () => {
  const { view, posted, reply } = await scripted();
  const p = settled(view.call("groups", []));
  posted.splice(0);
  const closing = view.close();
  const [bye] = posted.splice(0);
  assert.deepEqual([bye.t, bye.host], ["close", "h1"]);
  reply({ t: "closed", host: "h1", reason: "closed" });
  await closing;
  assert.deepEqual(await p, { code: "CANCELED" });
  assert.deepEqual(await settled(view.call("groups", [])), { code: "CLOSED" });
});

test("a transport that cannot be made (no SharedWorker, a CSP) rejects UNSUPPORTED and holds nothing", async () => {
  const view = new View({ db: "t", mode: "shared", transport: () => { throw new ReferenceError("SharedWorker is not defined"); } });
  await assert.rejects(view.open(), (e) => e.code === "UNSUPPORTED");
  assert.deepEqual(await settled(view.call("groups", [])), { code: "CLOSED" });
});
