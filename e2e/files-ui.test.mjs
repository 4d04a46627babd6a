// files-ui.test.mjs — files in the app on the stand-in core (fixtures/mockcore.js
// and mockfiles.js: transfers that move in steps): previews at once and the
// full image once here, the viewer (mouse and keyboard), download with progress
// then Save (the saved bytes checked), cancel, a failure and Retry, attaching
// by the picker (several files, a caption, upload progress), paste and drop,
// the refusals (too large, files off, the owner's switch), storage and what
// files take, and the core's mentions, removed updates and unread counts.
// Screenshots at desktop and phone widths: e2e/screenshots/files-ui-*.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, launch, shot, watch, until, root, PHONE, DESKTOP } from "./lib.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh app on the mock core with a profile, on the Photos group. */
async function open(viewport, hash = "#/group/4") {
  const ctx = await browser.newContext({ viewport, serviceWorkers: "block", acceptDownloads: true });
  await ctx.addInitScript({ path: join(root, "e2e", "fixtures", "mockcore.js") });
  await ctx.addInitScript({ path: join(root, "e2e", "fixtures", "mockfiles.js") });
  const page = await ctx.newPage();
  watch(page, "mock");
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready='1']");
  await page.getByLabel("Display name").fill("alice");
  await page.getByRole("button", { name: "Create profile" }).click();
  await page.waitForSelector("body[data-route='home']");
  await page.goto(server.url + hash);
  if (hash.startsWith("#/group/")) await page.waitForSelector(".msg .file");
  return { ctx, page };
}

/** The bubble of file name (a file shows its name; an image says it in its label). */
const bubble = (page, name) => page.locator(".messages .msg").filter({ has: page.locator(`.file:has-text("${name}"), .file .thumb[aria-label*="${name}"]`) });
const thumb = (page, id) => page.locator(`.msg[data-id='${id}'] .thumb`);
/** Both widths of the same state: this one, then the other, then back. */
async function shots(page, name) {
  const vp = page.viewportSize();
  const phone = vp.width < 720;
  await shot(page, `files-ui-${phone ? "phone" : "desktop"}-${name}`);
  await page.setViewportSize(phone ? DESKTOP : PHONE);
  await page.waitForTimeout(200);
  await shot(page, `files-ui-${phone ? "desktop" : "phone"}-${name}`);
  await page.setViewportSize(vp);
}
/** A PNG drawn in the page (so the stand-in core can make its preview). */
const png = (page, w, h) => page.evaluate(async ([w, h]) => {
  const c = new OffscreenCanvas(w, h), g = c.getContext("2d");
  g.fillStyle = "#2a9d8f"; g.fillRect(0, 0, w, h);
  g.fillStyle = "#e9c46a"; g.fillRect(w / 4, h / 4, w / 2, h / 2);
  return [...new Uint8Array(await (await c.convertToBlob({ type: "image/png" })).arrayBuffer())];
}, [w, h]).then((a) => Buffer.from(a));

test("a chat with files: previews at once, the full image when here, each state said; mentions as the core lists them", async () => {
  const { ctx, page } = await open(DESKTOP);
  await until(async () => ((await thumb(page, "p1").locator("img").getAttribute("src")) || "").startsWith("blob:"), { what: "the full harbour image" });
  assert.equal(await thumb(page, "p1").locator("img").getAttribute("class"), "full");
  assert.match(await thumb(page, "p2").locator("img").getAttribute("src"), /^data:image\/jpeg/);
  assert.equal(await thumb(page, "p2").locator("img").getAttribute("class"), "preview");
  assert.equal(await thumb(page, "p2").getAttribute("aria-label"), "Download image mountain.jpg (3.4 MB)");
  assert.equal(await bubble(page, "minutes.pdf").getByRole("button", { name: "Download minutes.pdf" }).count(), 1);
  assert.match(await bubble(page, "minutes.pdf").innerText(), /5\.2 MB/);
  assert.match(await bubble(page, "big-video.mp4").innerText(), /still uploading/);
  const save = bubble(page, "notes.txt").getByRole("link", { name: "Save notes.txt" });
  await save.waitFor();
  assert.equal(await save.getAttribute("download"), "notes.txt");
  // Only the names the message lists are mentions: @alice (me), not @hana.
  const colours = page.locator(".msg", { hasText: "look at the colours" });
  assert.deepEqual(await colours.locator(".mention").allInnerTexts(), ["@alice"]);
  assert.equal(await colours.locator(".mention.me").count(), 1);
  await page.evaluate(() => { document.querySelector(".scroller").scrollTop = 0; });
  await shots(page, "chat-top");
  await page.evaluate(() => { document.querySelector(".scroller").scrollTop = 1e6; });
  await shots(page, "chat-bottom");
  await ctx.close();
});

test("download: a progress bar with the percent, then Save hands over the file's bytes", async () => {
  const { ctx, page } = await open(DESKTOP);
  const b = bubble(page, "minutes.pdf");
  await b.getByRole("button", { name: "Download minutes.pdf" }).click();
  const bar = b.getByRole("progressbar", { name: "Downloading minutes.pdf" });
  await bar.waitFor();
  await until(async () => Number(await bar.getAttribute("value")) > 0, { what: "progress" });
  const pct = Number(/Downloading (\d+)%/.exec(await b.innerText())[1]);
  assert.ok(pct > 0 && pct < 100, `a percent on the way (${pct})`);
  assert.equal(await b.getByRole("button", { name: "Cancel minutes.pdf" }).count(), 1);
  await shots(page, "downloading");
  const save = b.getByRole("link", { name: "Save minutes.pdf" });
  await save.waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), save.click()]);
  assert.equal(download.suggestedFilename(), "minutes.pdf");
  const got = readFileSync(await download.path());
  assert.equal(got.length, 5 << 20);
  assert.ok(got.subarray(0, 600).every((x, i) => x === i % 251), "the bytes the core stored");
  await shots(page, "downloaded");
  await ctx.close();
});

test("cancel a download and download again; a failed one says so and Retry gets it", async () => {
  const { ctx, page } = await open(PHONE);
  await thumb(page, "p2").click(); // the big image: a click downloads it
  const mountain = page.locator(".msg[data-id='p2']");
  await mountain.getByRole("button", { name: "Cancel mountain.jpg" }).click();
  await mountain.locator(".fstate", { hasText: "Download cancelled" }).waitFor();
  await mountain.getByRole("button", { name: "Download mountain.jpg" }).click();
  await until(async () => (await thumb(page, "p2").locator("img.full").count()) === 1, { what: "the full mountain image" });

  const zip = bubble(page, "broken-archive.zip");
  await zip.getByRole("button", { name: "Download broken-archive.zip" }).click();
  await zip.locator(".fstate.err", { hasText: "Download failed" }).waitFor();
  await shots(page, "failed");
  assert.equal(await page.locator("#banner").isHidden(), true, "the bubble says it, not the banner");
  await zip.getByRole("button", { name: "Retry broken-archive.zip" }).click();
  await zip.getByRole("link", { name: "Save broken-archive.zip" }).waitFor();
  await ctx.close();
});

test("the viewer: a click opens the full image, Escape closes it; by keyboard through the message's actions", async () => {
  const { ctx, page } = await open(DESKTOP);
  await until(async () => (await thumb(page, "p1").locator("img.full").count()) === 1, { what: "full image" });
  await thumb(page, "p1").click();
  const viewer = page.getByRole("dialog", { name: "harbour.jpg" });
  await viewer.waitFor();
  assert.match(await viewer.locator("img").getAttribute("src"), /^blob:/);
  assert.equal(await viewer.getByRole("link", { name: "Save" }).getAttribute("download"), "harbour.jpg");
  await until(() => viewer.locator("img").evaluate((i) => i.complete && i.naturalWidth === 1600), { what: "the full image decoded" });
  await shots(page, "viewer");
  await page.keyboard.press("Escape");
  await until(async () => (await viewer.count()) === 0, { what: "Escape closes" });

  // Keyboard: the message's "⋯" → Open image; closing returns to the "⋯".
  const actions = page.locator(".msg[data-id='p1'] .actions-btn");
  await actions.focus();
  await page.keyboard.press("Enter");
  const item = page.getByRole("menuitem", { name: "Open image" });
  await item.waitFor();
  await item.focus();
  await page.keyboard.press("Enter");
  await viewer.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Close");
  await page.keyboard.press("Enter");
  await until(async () => (await viewer.count()) === 0, { what: "closed" });
  assert.equal(await page.evaluate(() => document.activeElement.dataset.focus), "actions-p1");
  await ctx.close();
});

test("attach: several files from the picker, the caption goes with the first, upload progress, then uploaded", async () => {
  const { ctx, page } = await open(DESKTOP);
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Attach files" }).click()]);
  assert.equal(chooser.isMultiple(), true);
  await chooser.setFiles([{ name: "beach.png", mimeType: "image/png", buffer: await png(page, 800, 500) },
    { name: "report.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,2\n") },
    { name: "extra.txt", mimeType: "text/plain", buffer: Buffer.from("x") }]);
  const tray = page.getByRole("list", { name: "Files to send" });
  await until(async () => (await tray.getByRole("listitem").count()) === 3, { what: "three in the tray" });
  await tray.getByRole("button", { name: "Remove extra.txt" }).click();
  assert.equal(await tray.getByRole("listitem").count(), 2);
  assert.equal(await tray.locator("img").count(), 1, "a thumbnail for the image");
  await page.getByRole("textbox", { name: "Message" }).fill("Holiday pictures");
  await shots(page, "tray");
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
  await until(async () => await tray.isHidden(), { what: "the tray empties" });
  const beach = bubble(page, "beach.png"), csv = bubble(page, "report.csv");
  await beach.waitFor();
  assert.equal(await beach.locator(":scope > .text").innerText(), "Holiday pictures");
  const up = csv.getByRole("progressbar", { name: "Uploading report.csv" });
  await up.waitFor();
  assert.equal(await csv.locator(":scope > .text").count(), 0, "no caption on the second");
  await until(async () => (await beach.locator("img.full").count()) === 1, { what: "my image in full" });
  await until(async () => Number(await up.getAttribute("value")) > 0, { what: "upload progress" });
  await shots(page, "uploading");
  await csv.locator(".fstate", { hasText: "Uploaded" }).waitFor();
  assert.equal(await csv.getByRole("link", { name: "Save report.csv" }).getAttribute("download"), "report.csv");
  await ctx.close();
});

test("paste an image and drop files: both wait in the tray; while dragging, the chat says where to drop", async () => {
  const { ctx, page } = await open(PHONE);
  const bytes = [...(await png(page, 300, 200))];
  await page.getByRole("textbox", { name: "Message" }).evaluate((box, bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "image.png", { type: "image/png" }));
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, bytes);
  const tray = page.getByRole("list", { name: "Files to send" });
  await until(async () => /^pasted-\d{8}-\d{6}\.png/.test(await tray.innerText()), { what: "the pasted image, named by its time" });
  const chat = page.locator(".chat");
  await chat.evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File(["some notes"], "notes.md", { type: "text/markdown" }));
    window.__dt = dt;
    el.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  assert.equal(await page.locator(".drop-overlay").innerText(), "Drop files to send them");
  await shot(page, "files-ui-phone-drop");
  await chat.evaluate((el) => el.dispatchEvent(new DragEvent("drop", { dataTransfer: window.__dt, bubbles: true, cancelable: true })));
  await until(async () => (await tray.getByRole("listitem").count()) === 2, { what: "the dropped file too" });
  assert.equal(await page.locator(".drop-overlay").isHidden(), true);
  await page.getByRole("button", { name: "Send" }).click();
  await bubble(page, "notes.md").waitFor();
  await ctx.close();
});

test("refusals: a file over 1 GB, a group with files off, and the owner's switch", async () => {
  const { ctx, page } = await open(DESKTOP);
  // A file that says it is 2 GB (made without 2 GB of memory), dropped on the chat.
  await page.locator(".chat").evaluate((el) => {
    const f = new File(["x"], "film.mkv", { type: "video/x-matroska" });
    Object.defineProperty(f, "size", { value: 2e9 });
    const ev = new Event("drop", { bubbles: true, cancelable: true });
    Object.defineProperty(ev, "dataTransfer", { value: { types: ["Files"], files: [f] } });
    el.dispatchEvent(ev);
  });
  const note = page.locator(".attach-note");
  await until(async () => /film\.mkv is 2 GB: Hearth sends files up to 1 GB/.test(await note.innerText()), { what: "the size refusal" });
  assert.equal(await page.getByRole("list", { name: "Files to send" }).isHidden(), true);
  await shot(page, "files-ui-desktop-too-large");

  await page.goto(`${server.url}#/group/2`); // Announcements: files off, I am a member
  const attach = page.getByRole("button", { name: "Attach files" });
  await until(async () => (await attach.getAttribute("aria-disabled")) === "true", { what: "attach disabled" });
  assert.match(await attach.getAttribute("title"), /Files are turned off in this group by its owners/);
  await attach.click({ force: true }); // aria-disabled (still focusable): says why instead of opening a picker
  assert.match(await note.innerText(), /Files are turned off in this group by its owners/);
  await shots(page, "files-off");
  await page.locator(".chat").evaluate((el) => {
    const dt = new DataTransfer();
    dt.items.add(new File(["x"], "a.txt"));
    el.dispatchEvent(new DragEvent("dragenter", { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  assert.match(await page.locator(".drop-overlay.refused").innerText(), /turned off/);
  await shot(page, "files-ui-desktop-files-off-drop");

  // The owner turns files off in Book club: its attach button follows.
  await page.goto(`${server.url}#/group/1/members`);
  const sw = page.getByRole("switch", { name: "Files and images" });
  assert.equal(await sw.isChecked(), true);
  await sw.uncheck();
  await page.goto(`${server.url}#/group/1`);
  await until(async () => (await attach.getAttribute("aria-disabled")) === "true", { what: "off in Book club" });
  assert.match(await attach.getAttribute("title"), /you can turn them on in its settings/);
  await ctx.close();
});

test("storage: the estimate and what files take in settings; the storage page lists them and deletes one from this device", async () => {
  const { ctx, page } = await open(DESKTOP, "#/settings");
  const total = page.locator(".storage-summary .files-total");
  await total.waitFor();
  assert.match(await total.innerText(), /Files take .* \(2 files/); // harbour.jpg (downloaded) and notes.txt (mine)
  assert.match(await page.locator(".storage-summary").innerText(), /Using .* of .* this browser allows this site/);
  await shots(page, "settings-storage");
  await page.goto(`${server.url}#/storage`);
  const files = page.getByRole("list", { name: "Files kept in this browser" });
  await files.waitFor();
  assert.deepEqual((await files.locator("strong").allInnerTexts()), ["harbour.jpg", "notes.txt"], "largest first");
  await shots(page, "storage");
  await files.getByRole("button", { name: "Delete notes.txt from this device" }).click();
  const dlg = page.getByRole("dialog", { name: "Delete the file from this device?" });
  assert.match(await dlg.innerText(), /those you sent it to keep their copies/);
  await dlg.getByRole("button", { name: "Delete file" }).click();
  await until(async () => (await files.locator("strong").allInnerTexts()).join() === "harbour.jpg", { what: "notes.txt gone" });
  await files.getByRole("button", { name: "Delete harbour.jpg from this device" }).click();
  assert.match(await dlg.innerText(), /cannot be downloaded again/);
  await dlg.getByRole("button", { name: "Delete file" }).click();
  await page.getByText("No files are kept in this browser.").waitFor();
  // The messages stay, saying where their files are.
  await page.goto(`${server.url}#/group/4`);
  await bubble(page, "notes.txt").locator(".fstate", { hasText: "deleted from this device" }).waitFor();
  assert.equal(await bubble(page, "notes.txt").getByRole("link", { name: /Save/ }).count(), 0);
  // The received photo shows its preview again; the core refuses to fetch it again, and the bubble says why.
  await thumb(page, "p1").locator("img.preview").waitFor();
  await thumb(page, "p1").click();
  await page.locator(".msg[data-id='p1'] .fstate", { hasText: "Deleted from this device" }).waitFor();
  assert.equal(await page.locator("#banner").isHidden(), true);
  assert.equal(await page.locator(".msg[data-id='p1'] button.thumb").count(), 0, "nothing left to click");
  await ctx.close();
});

test("the core's counts: a message's event sets its chat's badge (no list reload); a removed update drops the message", async () => {
  const { ctx, page } = await open(DESKTOP);
  await page.evaluate(() => {
    const h = globalThis.__mock.handle, groups = h.groups;
    globalThis.__groupsCalls = 0;
    h.groups = (...a) => { globalThis.__groupsCalls++; return groups(...a); };
  });
  await page.evaluate(() => globalThis.__mock.receive("1", "news in the book club", "m1"));
  const badge = page.locator(".chatlist a", { hasText: "Book club" }).locator(".badge");
  await until(async () => (await badge.count()) === 1 && (await badge.innerText()) === "1", { what: "Book club shows 1" });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => globalThis.__groupsCalls), 0, "the count came with the message");
  // Delete for me: the core's update says removed, and the bubble goes.
  await page.locator(".msg[data-id='p7'] .actions-btn").click();
  await page.getByRole("menuitem", { name: /Delete/ }).click();
  await page.getByRole("dialog", { name: "Delete message?" }).getByRole("button", { name: "Delete for me" }).click();
  await until(async () => (await page.locator(".msg[data-id='p7']").count()) === 0, { what: "p7 gone" });
  await ctx.close();
});
