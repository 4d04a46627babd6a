// Tests of the Worker's JS glue that need no Workers runtime:
//   node --test worker/test/
// (The Durable Object classes are exercised in workerd by
// relay/cfworker/cftest.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_FRAME, Serial, decodeList, frameOf, isFiles, isUpgrade, randomSessionHex, toHex } from "../src/lib.mjs";

const here = dirname(fileURLToPath(import.meta.url));

function list(...items) {
  const parts = [];
  for (const it of items) {
    const n = new Uint8Array(4);
    new DataView(n.buffer).setUint32(0, it.length);
    parts.push(n, Uint8Array.from(it));
  }
  return Buffer.concat(parts);
}

test("decodeList splits Go's list encoding", () => {
  const got = decodeList(list([1, 2, 3], [], [9]));
  assert.deepEqual(got.map((b) => Array.from(b)), [[1, 2, 3], [], [9]]);
  assert.deepEqual(decodeList(new Uint8Array(0)), []);
});

test("decodeList rejects truncated lists", () => {
  const b = list([1, 2, 3]);
  assert.throws(() => decodeList(b.subarray(0, b.length - 1)), /truncated item/);
  assert.throws(() => decodeList(b.subarray(0, 2)), /truncated length/);
});

test("isUpgrade needs a GET with Upgrade: websocket", () => {
  const req = (method, up) => new Request("http://x/", { method, headers: up ? { Upgrade: up } : {} });
  assert.equal(isUpgrade(req("GET", "websocket")), true);
  assert.equal(isUpgrade(req("GET", "WebSocket")), true);
  assert.equal(isUpgrade(req("GET")), false);
  assert.equal(isUpgrade(req("POST", "websocket")), false);
});

test("frameOf: binary as bytes, text as the empty frame", () => {
  assert.deepEqual(Array.from(frameOf(Uint8Array.from([5, 6]).buffer)), [5, 6]);
  assert.equal(frameOf("hello").byteLength, 0);
  assert.equal(MAX_FRAME, 65536);
});

test("session ids are 32 random bytes in hex", () => {
  const a = randomSessionHex();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, randomSessionHex());
  assert.equal(toHex([0, 255, 16]), "00ff10");
});

test("Serial runs tasks one at a time, in order, past failures", async () => {
  const s = new Serial();
  const log = [];
  const slow = (name, ms) => () => new Promise((r) => setTimeout(() => (log.push(name), r()), ms));
  const p1 = s.run(slow("a", 20));
  const p2 = s.run(() => Promise.reject(new Error("b fails")));
  const p3 = s.run(slow("c", 1));
  await p1;
  await assert.rejects(p2, /b fails/);
  await p3;
  assert.deepEqual(log, ["a", "c"]);
});

test("patch-wasm-exec gives each Go instance its own context", () => {
  const goroot = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
  const dir = mkdtempSync(join(tmpdir(), "wasm-exec-"));
  const out = join(dir, "wasm_exec.js");
  execFileSync("node", [join(here, "..", "patch-wasm-exec.mjs"), join(goroot, "lib", "wasm", "wasm_exec.js"), out]);
  const s = readFileSync(out, "utf8");
  assert.match(s, /async run\(instance, context\)/);
  assert.match(s, /\[globalProxy, 5\]/);
  assert.equal(s.match(/globalProxy,\n/g).length, 1);
  const bad = join(dir, "old.js");
  writeFileSync(bad, "not wasm_exec");
  assert.throws(() => execFileSync("node", [join(here, "..", "patch-wasm-exec.mjs"), bad, join(dir, "x.js")], { stdio: "pipe" }));
});

test("isFiles: the file relay's paths, nothing else", () => {
  const req = (p) => new Request("https://relay.example" + p);
  for (const p of ["/files", "/files/new", "/files/chunk/abc"]) assert.ok(isFiles(req(p)), p);
  for (const p of ["/", "/filesx", "/relay", "/x/files/new"]) assert.ok(!isFiles(req(p)), p);
});
