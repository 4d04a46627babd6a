// files.test.mjs — files through the app's UI on the real core and file relay
// (cmd/serve's /files, its chunks under the data directory): alice (owner,
// desktop) sends a photo and a 5 MB file with a caption to bob (desktop) and
// carol (phone). Everyone sees the photo's preview at once; alice sees her
// upload's progress; the relay holds one copy of each chunk for the whole
// group; carol's photo downloads by itself; bob's download of a damaged chunk
// fails, Retry gets it once the chunk is whole again, a cancelled download
// starts again, and Save hands over the exact bytes; the owner turns files off
// and bob is told why. The app is served through a small proxy that can hold
// the file relay's chunk requests (the core runs in a SharedWorker, which no
// page route sees), so that progress is on screen long enough to see and to
// cancel. The relay's data directory holds no plaintext of the file, its name
// or its caption (every file in it scanned, with a control that the scan finds
// what is there). Screenshots: e2e/screenshots/files-*.
import assert from "node:assert/strict";
import { after } from "node:test";
import http from "node:http";
import net from "node:net";
import { mkdtempSync, mkdirSync, readdirSync, statSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { storySuite, until, watch, shot, PHONE, DESKTOP } from "./lib.mjs";

const data = mkdtempSync(join(tmpdir(), "sxweb-e2e-files-"));
process.on("exit", () => rmSync(data, { recursive: true, force: true }));
let server, browser;
const u = {};
const test = storySuite((s, b) => { server = s; browser = b; }, {
  server: { data },
  requires: async (s) => ((await fetch(`${s.url}files/new`, { method: "OPTIONS" })).ok ? "" : "this build serves no file relay at /files yet"),
});

const BIG = randomBytes(5_000_000); // 5 MB
const MiB = 1 << 20;
/**
 * The relay's chunks of a file of n bytes, as core/files.Layout cuts it: 4 MiB
 * chunks while the rest fills one, then the largest size the rest fills, the
 * last one the smallest (padded).
 */
function layout(n) {
  const sizes = [64 << 10, 256 << 10, MiB, 4 * MiB];
  let rest = n + 16 * Math.max(1, Math.ceil(n / 65536)); // 64 KiB segments, 16 bytes each
  const out = [];
  while (rest > 0) {
    const s = [...sizes].reverse().find((x) => rest >= x) || sizes[0];
    out.push(s);
    rest -= Math.min(s, rest);
  }
  return out;
}
const chunksDir = () => join(data, "files", "chunks");
const chunkFiles = () => readdirSync(chunksDir()).map((n) => ({ path: join(chunksDir(), n), size: statSync(join(chunksDir(), n)).size }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function person(name, viewport, url = proxy.url) {
  const ctx = await browser.newContext({ viewport, serviceWorkers: "block", acceptDownloads: true });
  const page = await ctx.newPage();
  watch(page, name);
  await page.goto(url);
  await page.waitForSelector("body[data-ready='1']", { timeout: 60000 });
  u[name] = { name, ctx, page };
  return u[name];
}
async function onboard(p) {
  await p.page.getByLabel("Display name").fill(p.name);
  await p.page.getByRole("button", { name: "Create profile" }).click();
}
/**
 * A proxy in front of the server (HTTP and WebSocket) that holds requests to
 * the file relay's chunks for delay[method] ms: {url, delay, close}.
 */
async function slowProxy(target) {
  const t = new URL(target);
  const delay = { PUT: 0, GET: 0 };
  const server = http.createServer((req, res) => {
    const go = () => {
      const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on("error", () => res.destroy());
      req.pipe(up);
    };
    const ms = req.url.startsWith("/files/chunk/") ? delay[req.method] || 0 : 0;
    if (ms) setTimeout(go, ms); else go();
  });
  server.on("upgrade", (req, sock, head) => {
    const up = net.connect(Number(t.port), t.hostname, () => {
      up.write(`${req.method} ${req.url} HTTP/1.1\r\n${Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`);
      up.write(head);
      sock.pipe(up).pipe(sock);
    });
    up.on("error", () => sock.destroy());
    sock.on("error", () => up.destroy());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/`, delay, close: () => { server.closeAllConnections(); server.close(); } };
}
let proxy;
after(() => proxy?.close());
/** Holds the file relay's chunk requests of this method (PUT: uploads, GET: downloads) ms each; 0 stops. */
const slow = (method, ms) => { proxy.delay[method] = ms; };
/** The bubble of file name (a file shows its name; an image says it in its label). */
const bubble = (p, name) => p.page.locator(".messages .msg").filter({ has: p.page.locator(`.file:has-text("${name}"), .file .thumb[aria-label*="${name}"]`) });
const api = (p, fn, arg) => p.page.evaluate(fn, arg);
/** Both widths of the same state: this one, then the other, then back. */
async function shots(p, name) {
  const vp = p.page.viewportSize();
  const phone = vp.width < 720;
  await shot(p.page, `files-${phone ? "phone" : "desktop"}-${name}`);
  await p.page.setViewportSize(phone ? DESKTOP : PHONE);
  await p.page.waitForTimeout(200);
  await shot(p.page, `files-${phone ? "desktop" : "phone"}-${name}`);
  await p.page.setViewportSize(vp);
}

test("alice makes a group; bob (desktop) and carol (phone) join", async () => {
  proxy = await slowProxy(server.url);
  const alice = await person("alice", DESKTOP);
  await onboard(alice);
  await alice.page.getByRole("link", { name: "New group" }).first().click();
  await alice.page.getByLabel("Group name").fill("Photo club");
  await alice.page.getByRole("button", { name: "Create group" }).click();
  const link = alice.page.getByRole("textbox", { name: "Group link" });
  await link.waitFor();
  u.link = await link.inputValue();
  alice.groupId = decodeURIComponent(new URL(alice.page.url()).hash.split("/")[2]);
  for (const [name, vp] of [["bob", DESKTOP], ["carol", PHONE]]) {
    const p = await person(name, vp, u.link);
    await onboard(p);
    await p.page.getByRole("button", { name: "Join group", exact: true }).click();
    await p.page.waitForSelector("body[data-route='group']");
    p.groupId = decodeURIComponent(new URL(p.page.url()).hash.split("/")[2]);
  }
  for (const p of [alice, u.bob, u.carol]) {
    await until(async () => {
      const ms = await api(p, (id) => sxapp.chat.members(id), p.groupId);
      return ms.length === 2 && ms.every((m) => m.status === "connected");
    }, { what: `${p.name} connected with both others`, timeout: 120000 });
  }
  await alice.page.goto(`${proxy.url}#/group/${encodeURIComponent(alice.groupId)}`);
  await alice.page.waitForSelector(".chat-view .messages li");
});

test("alice sends a photo and a 5 MB file with a caption: her upload's progress, everyone sees the preview at once", async () => {
  const { alice, bob, carol } = u;
  const photo = Buffer.from(await alice.page.evaluate(async () => {
    const c = new OffscreenCanvas(1600, 1000), g = c.getContext("2d");
    const grad = g.createLinearGradient(0, 0, 1600, 1000);
    grad.addColorStop(0, "#f4a261"); grad.addColorStop(1, "#264653");
    g.fillStyle = grad; g.fillRect(0, 0, 1600, 1000);
    g.fillStyle = "#e9c46a"; g.beginPath(); g.arc(1100, 330, 140, 0, 7); g.fill();
    return [...new Uint8Array(await (await c.convertToBlob({ type: "image/jpeg", quality: 0.9 })).arrayBuffer())];
  }));
  assert.ok(photo.length < MiB, "a photo that downloads by itself");
  u.photoSize = photo.length;
  slow("PUT", 1500); // uploads take long enough to be seen
  const [chooser] = await Promise.all([alice.page.waitForEvent("filechooser"), alice.page.getByRole("button", { name: "Attach files" }).click()]);
  await chooser.setFiles([{ name: "sunset.jpg", mimeType: "image/jpeg", buffer: photo }, { name: "data.bin", mimeType: "application/octet-stream", buffer: BIG }]);
  await alice.page.getByRole("list", { name: "Files to send" }).getByRole("listitem").nth(1).waitFor();
  await alice.page.getByRole("textbox", { name: "Message" }).fill("Sunset, and the data");
  await shot(alice.page, "files-desktop-tray");
  await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");

  // The photo's message is at bob's and carol's with its preview while it still uploads.
  for (const p of [bob, carol]) {
    const img = bubble(p, "sunset.jpg").locator(".thumb img");
    await until(async () => (await img.count()) === 1 && /^data:image\/jpeg/.test(await img.getAttribute("src")), { what: `${p.name} sees the preview`, timeout: 60000 });
    assert.equal(await bubble(p, "sunset.jpg").locator(":scope > .text").innerText(), "Sunset, and the data");
  }
  await shot(carol.page, "files-phone-preview");
  const bar = bubble(alice, "data.bin").getByRole("progressbar", { name: "Uploading data.bin" });
  await until(async () => (await bar.count()) === 1 && Number(await bar.getAttribute("value")) > 0, { what: "alice's upload on its way", timeout: 90000 });
  await shots(alice, "uploading");
  await bubble(alice, "data.bin").locator(".fstate", { hasText: "Uploaded" }).waitFor({ timeout: 90000 });
  slow("PUT", 0);
});

test("the relay holds one copy of each chunk for the whole group", async () => {
  const { bob, carol } = u;
  for (const p of [bob, carol]) {
    await bubble(p, "data.bin").getByRole("button", { name: "Download data.bin" }).waitFor({ timeout: 60000 });
  }
  const sizes = chunkFiles().map((f) => f.size).sort((a, b) => a - b);
  const big = layout(BIG.length), photo = layout(u.photoSize);
  const sort = (a) => [...a].sort((x, y) => x - y);
  // The photo's chunk goes once both have downloaded it (it downloads by itself): it may be gone.
  assert.ok([sort([...big, ...photo]), sort(big)].some((want) => JSON.stringify(want) === JSON.stringify(sizes)),
    `chunks on the relay ${sizes} are one copy of ${big} (+ ${photo})`);
  assert.equal(sizes.filter((x) => x === 4 * MiB).length, 1, "one copy, not one per member");
});

/** Every file under dir, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}
/**
 * Scans every file under the data directory for needles ({what, bytes}):
 * {found: [what in path], files, bytes} (a file gone meanwhile is skipped).
 */
function scanData(needles) {
  const found = [];
  let files = 0, bytes = 0;
  for (const path of filesUnder(data)) {
    let buf;
    try { buf = readFileSync(path); } catch { continue; }
    files++; bytes += buf.length;
    for (const n of needles) if (buf.includes(n.bytes)) found.push(`${n.what} in ${path.slice(data.length)}`);
  }
  return { found, files, bytes };
}
/**
 * A piece of plaintext as it could sit on the relay: raw, and (64 bytes and
 * more: shorter would match random bytes by chance) in base64 at each of the
 * 3 alignments, only whole groups.
 */
function forms(what, bytes) {
  const out = [{ what, bytes }];
  for (let a = 0; bytes.length >= 64 && a < 3; a++) {
    const whole = bytes.subarray(a, a + Math.floor((bytes.length - a) / 3) * 3);
    out.push({ what: `${what} (base64, +${a})`, bytes: Buffer.from(whole.toString("base64")) });
  }
  return out;
}

test("the relay's data directory holds no plaintext: not the file, not its name, not the caption", async () => {
  const window = (off) => BIG.subarray(off, off + 64);
  const needles = [
    ...[0, 65536 - 32, 1_000_000, 2_500_001, 4 * MiB, BIG.length - 64].flatMap((off) => forms(`bytes ${off}–${off + 63} of data.bin`, window(off))),
    ...forms("the name data.bin", Buffer.from("data.bin")),
    ...forms("the name sunset.jpg", Buffer.from("sunset.jpg")),
    ...forms("the caption", Buffer.from("Sunset, and the data")),
  ];
  // The control: plaintext put in the data directory is found, wherever it is.
  const control = join(data, "control", "deep");
  mkdirSync(control, { recursive: true });
  writeFileSync(join(control, "plain.bin"), Buffer.concat([Buffer.from("x"), window(1_000_000), Buffer.from(" Sunset, and the data "), Buffer.from(window(4 * MiB).toString("base64"))]));
  const seen = scanData(needles);
  rmSync(join(data, "control"), { recursive: true, force: true });
  const inControl = seen.found.filter((f) => f.includes("/control/deep/plain.bin"));
  for (const want of ["bytes 1000000–1000063 of data.bin in", "the caption in", `bytes ${4 * MiB}–${4 * MiB + 63} of data.bin (base64, +0) in`]) {
    assert.ok(inControl.some((f) => f.startsWith(want)), `the scan finds the control's ${want} (found: ${inControl})`);
  }
  // The scan read the chunks: at least the file's padded size, and the file's own chunks are there.
  const chunks = chunkFiles();
  const padded = layout(BIG.length).reduce((a, b) => a + b, 0);
  assert.ok(chunks.reduce((a, c) => a + c.size, 0) >= padded, `the chunks on disk hold at least ${padded} bytes`);
  assert.ok(seen.bytes >= padded, `the scan read ${seen.bytes} bytes, less than the chunks' ${padded}`);
  assert.deepEqual(seen.found.filter((f) => !f.includes("/control/")), [], `plaintext on the relay's disk (${seen.files} files scanned)`);
});

test("carol's photo arrives by itself and opens full size on her phone", async () => {
  const { carol } = u;
  const thumb = bubble(carol, "sunset.jpg").locator(".thumb");
  await until(async () => (await thumb.locator("img.full").count()) === 1, { what: "carol's photo in full, not clicked", timeout: 60000 });
  assert.match(await thumb.locator("img").getAttribute("src"), /^blob:/);
  await shots(carol, "photo");
  await thumb.click();
  const viewer = carol.page.getByRole("dialog", { name: "sunset.jpg" });
  await viewer.waitFor();
  await until(() => viewer.locator("img").evaluate((i) => i.complete && i.naturalWidth === 1600), { what: "the full photo decoded" });
  await shot(carol.page, "files-phone-viewer");
  await viewer.getByRole("button", { name: "Close" }).click();
  await until(async () => (await viewer.count()) === 0, { what: "closed" });
});

test("bob: a damaged chunk fails the download, Retry gets it, a cancelled one starts again, and Save hands over the exact bytes", async () => {
  const { bob } = u;
  const b = bubble(bob, "data.bin");
  // Damage the file's 4 MiB chunk on the relay's disk: its digest no longer matches.
  const big = chunkFiles().find((f) => f.size === 4 * MiB);
  const whole = readFileSync(big.path);
  const bad = Buffer.from(whole);
  bad[1000] ^= 0xff;
  writeFileSync(big.path, bad);
  await b.getByRole("button", { name: "Download data.bin" }).click();
  await b.locator(".fstate.err", { hasText: "Download failed" }).waitFor({ timeout: 60000 });
  await shots(bob, "failed");
  writeFileSync(big.path, whole);

  slow("GET", 2000);
  await b.getByRole("button", { name: "Retry data.bin" }).click();
  await b.getByRole("progressbar", { name: "Downloading data.bin" }).waitFor();
  await b.getByRole("button", { name: "Cancel data.bin" }).click();
  await b.locator(".fstate", { hasText: "Download cancelled" }).waitFor();
  await b.getByRole("button", { name: "Download data.bin" }).click();
  const bar = b.getByRole("progressbar", { name: "Downloading data.bin" });
  await until(async () => (await bar.count()) === 1 && Number(await bar.getAttribute("value")) > 0, { what: "bob's download on its way", timeout: 60000 });
  const pct = Number(/Downloading (\d+)%/.exec(await b.innerText())[1]);
  assert.ok(pct > 0 && pct < 100, `a percent on the way (${pct})`);
  await shots(bob, "downloading");
  const save = b.getByRole("link", { name: "Save data.bin" });
  await save.waitFor({ timeout: 60000 });
  slow("GET", 0);
  const [download] = await Promise.all([bob.page.waitForEvent("download"), save.click()]);
  assert.equal(download.suggestedFilename(), "data.bin");
  assert.ok(readFileSync(await download.path()).equals(BIG), "the saved bytes are alice's");
  await shots(bob, "downloaded");
});

test("the owner turns files off: bob's attach button says why and sendFile is refused", async () => {
  const { alice, bob } = u;
  await alice.page.goto(`${proxy.url}#/group/${encodeURIComponent(alice.groupId)}/members`);
  await alice.page.getByRole("switch", { name: "Files and images" }).uncheck();
  await until(async () => (await api(bob, (id) => sxapp.chat.groups().then((gs) => gs.find((g) => g.groupId === id).files), bob.groupId)) === "off",
    { what: "bob gets files off" });
  const attach = bob.page.getByRole("button", { name: "Attach files" });
  await until(async () => (await attach.getAttribute("aria-disabled")) === "true", { what: "bob's attach disabled" });
  assert.match(await attach.getAttribute("title"), /Files are turned off in this group by its owners/);
  await attach.click({ force: true });
  assert.match(await bob.page.locator(".attach-note").innerText(), /turned off/);
  const code = await api(bob, (id) => sxapp.chat.sendFile({ groupId: id }, new Blob(["x"]), { name: "x.txt" }).then(() => "sent", (e) => e.code), bob.groupId);
  assert.equal(code, "NOT_ALLOWED");
  await shots(bob, "files-off");
});
