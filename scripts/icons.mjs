// Draws the install icons of public/manifest.webmanifest: public/favicon.svg's shapes (an
// indigo square, a white speech bubble) as PNGs, which Chromium asks of an installable app.
// Their output is committed; run again after changing the drawing: node scripts/icons.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public');
// favicon.svg's drawing, on its 32-unit grid.
const indigo = [0x4f, 0x46, 0xe5];
const white = [0xff, 0xff, 0xff];
const bubble = [[8, 10], [24, 10], [24, 20], [14, 20], [9, 24], [9, 20], [8, 20]];
// Samples per pixel along each axis, for smooth edges.
const samples = 4;

/** Whether (x, y) is inside `polygon` (even-odd rule). */
function inPolygon(polygon, x, y) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether (x, y) is inside the 32-unit square with corners of `radius`. */
function inSquare(radius, x, y) {
  const dx = Math.max(radius - x, 0, x - (32 - radius));
  const dy = Math.max(radius - y, 0, y - (32 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

/** RGBA rows of the icon at `size` pixels: `radius` 8 as the favicon, 0 for a maskable one. */
function draw(size, radius) {
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // leading 0: PNG's "no filter"
    for (let px = 0; px < size; px++) {
      let square = 0;
      let mark = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) * 32) / size;
          const y = ((py + (sy + 0.5) / samples) * 32) / size;
          if (inSquare(radius, x, y)) square++;
          if (inPolygon(bubble, x, y)) mark++;
        }
      }
      const all = samples * samples;
      const colour = indigo.map((c, i) => Math.round(c + ((white[i] - c) * mark) / all));
      row.set([...colour, Math.round((255 * square) / all)], 1 + px * 4);
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, radius) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter choice, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(draw(size, radius), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const [name, size, radius] of [['icon-192.png', 192, 8], ['icon-512.png', 512, 8], ['icon-maskable.png', 512, 0]]) {
  writeFileSync(path.join(publicDir, name), png(size, radius));
}
