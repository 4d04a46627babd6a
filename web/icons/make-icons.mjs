// make-icons.mjs — draws the app icons (PNG) with no dependencies:
//   node web/icons/make-icons.mjs
// A white speech bubble with three dots on the accent blue; the maskable icon
// keeps the drawing inside the 80% safe zone.
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

const BG = [0x1d, 0x4e, 0xd8];
const FG = [0xff, 0xff, 0xff];

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}
const roundRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r, qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const mix = (a, b, t) => a.map((v, i) => Math.round(v * (1 - t) + b[i] * t));
const cover = (d) => Math.min(1, Math.max(0, 0.5 - d)); // 1px anti-aliasing

function icon(size, { maskable }) {
  const s = size / 512, k = maskable ? 0.8 : 1;
  const c = (v) => 256 + (v - 256) * k; // scale the drawing towards the centre
  return png(size, (px, py) => {
    const x = (px + 0.5) / s, y = (py + 0.5) / s; // in 512 units
    const bgA = maskable ? 1 : cover(roundRect(x, y, 256, 256, 256, 256, 96) * s);
    // bubble: rounded rectangle plus a tail at the bottom left
    const body = roundRect(x, y, c(256), c(236), 170 * k, 120 * k, 70 * k);
    const tx = x - c(150), ty = y - c(380);
    const tail = Math.max(-tx - 0 * k, ty + tx * 0.9 - 0, -ty - 60 * k, tx - 70 * k) ;
    let fg = cover(Math.min(body, tail) * s);
    for (const dx of [-80, 0, 80]) fg *= 1 - cover(circle(x, y, c(256 + dx), c(236), 26 * k) * s);
    const rgb = mix(BG, FG, fg);
    return [...rgb, Math.round(255 * bgA)];
  });
}
const dir = new URL(".", import.meta.url);
writeFileSync(new URL("icon-192.png", dir), icon(192, { maskable: false }));
writeFileSync(new URL("icon-512.png", dir), icon(512, { maskable: false }));
writeFileSync(new URL("maskable-512.png", dir), icon(512, { maskable: true }));
