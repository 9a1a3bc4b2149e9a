/**
 * Writes the panel's PNG icons into plugin/icons (committed; run again only to change them):
 *   node plugin/make-icons.js
 * Sizes as Adobe's Premiere sample declares them: the panel icon 23x23 at scale 1 and 2 (dark and light theme
 * variants), the plugin icon 48x48 at scale 1 and 2. A scale-2 file carries "@2x" before ".png", as UXP looks
 * them up. The glyph: a bed of three sound bars under a marker flag, drawn from simple shapes; no packages.
 */
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const OUT = path.join(__dirname, "icons");

function crc32(buf) {
  let c;
  const table =
    crc32.table ||
    (crc32.table = Array.from({ length: 256 }, (_, n) => {
      c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    }));
  let crc = 0xffffffff;
  for (const b of buf) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (size x size) → PNG bytes. */
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x / size, y / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** The glyph in unit coordinates: true where it is drawn. */
function glyph(u, v) {
  const bars = [
    [0.18, 0.34, 0.55],
    [0.42, 0.58, 0.38],
    [0.66, 0.82, 0.5],
  ];
  if (v > 0.86 || v < 0.1) return false;
  for (const [x0, x1, top] of bars) if (u >= x0 && u < x1 && v >= top && v <= 0.86) return true;
  // the marker flag: a pole and a pennant at the top left
  if (u >= 0.18 && u < 0.24 && v >= 0.1 && v < 0.5) return true;
  if (u >= 0.24 && v >= 0.1 && v < 0.3 && u < 0.24 + (0.3 - v) * 1.6 && u < 0.56) return true;
  return false;
}

function icon(size, rgb) {
  return png(size, (u, v) => (glyph(u + 0.5 / size, v + 0.5 / size) ? [...rgb, 255] : [0, 0, 0, 0]));
}

fs.mkdirSync(OUT, { recursive: true });
const files = {
  "dark.png": icon(23, [214, 214, 214]),
  "dark@2x.png": icon(46, [214, 214, 214]),
  "light.png": icon(23, [50, 50, 50]),
  "light@2x.png": icon(46, [50, 50, 50]),
  "plugin-icon.png": icon(48, [55, 142, 240]),
  "plugin-icon@2x.png": icon(96, [55, 142, 240]),
};
for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(OUT, name), bytes);
console.log(`wrote ${Object.keys(files).length} icons to ${OUT}`);
