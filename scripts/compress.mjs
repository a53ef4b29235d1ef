// Writes NAME.br and NAME.gz beside each compressible file of a release build, for
// natter-server (and nginx's gzip_static/brotli_static) to send as they are.
// Run by scripts/build-app.mjs on a release build; or by hand: node scripts/compress.mjs DIR.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node scripts/compress.mjs DIR');

const compressible = /\.(wasm|js|mjs|css|html|svg|json|txt|webmanifest)$/;
// Below this a compressed copy saves less than the bytes of its headers.
const smallest = 512;

const encoders = {
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gz: (bytes) => gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }),
};

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (compressible.test(entry.name) && statSync(full).size >= smallest) yield full;
  }
}

for (const file of files(dir)) {
  const bytes = readFileSync(file);
  for (const [suffix, encode] of Object.entries(encoders)) {
    const packed = encode(bytes);
    // Kept only when it is smaller: the server falls back to the plain file.
    if (packed.length < bytes.length) writeFileSync(`${file}.${suffix}`, packed);
  }
}
