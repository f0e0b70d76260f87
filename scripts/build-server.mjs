// Compiles the hub's TypeScript (src/) into one JavaScript file, dist/server/yimatong.mjs, unless that file is newer
// than every source it is made from. `npm start` runs it first (under a second once, nothing afterwards); `npm test`
// and `npm run build:server` pass --force. bin/yimatong.js runs this file when it is up to date and the sources
// through tsx's loader otherwise (docs/operations.md#runtime). Packages stay outside the bundle (node_modules).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { newest } from './newest.mjs';

const OUT = 'dist/server/yimatong.mjs';
const SOURCES = ['src', 'package-lock.json'];

const force = process.argv.includes('--force');
if (!force && existsSync(OUT) && statSync(OUT).mtimeMs >= Math.max(...SOURCES.map(newest))) process.exit(0);
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (existsSync(OUT) && !force) {
    console.error(
      `${OUT} may be older than its sources, and esbuild is not installed to rebuild it: using it.`,
    );
    process.exit(0);
  }
  console.error(
    'esbuild is not installed: run `npm ci` (with dev dependencies), then `npm run build:server`.',
  );
  process.exit(2);
}
const started = Date.now();
mkdirSync('dist/server', { recursive: true });
// Written aside and renamed into place: a process starting meanwhile never reads half a file. The bundle sits two
// folders below the project's root, as src/cli/*.ts do, so the paths the sources resolve from import.meta.url
// (bin/yimatong.js, dist/web/) resolve the same from it.
const aside = `dist/server-build-${String(process.pid)}`;
await esbuild.build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: join(aside, 'yimatong.mjs'),
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // Without comments and indentation (names are kept; the source map gives TypeScript lines): V8 keeps each loaded
  // script's source in the heap, once per process, and 33 processes run this file in the federation.
  minifyWhitespace: true,
  logLevel: 'warning',
});
// ASCII only: V8 holds a source with a single other character at two bytes a character, ≈ 0.6 MiB more per process
// (docs/federation.md#footprint). esbuild escapes strings but copies regular expressions as written: write such
// characters there as \u escapes.
const text = readFileSync(join(aside, 'yimatong.mjs'), 'utf8');
const wide = /[^\t\n\r\x20-\x7e]/.exec(text);
if (wide) {
  console.error(
    `the compiled hub must be ASCII; found ${JSON.stringify(wide[0])} in …${text.slice(Math.max(0, wide.index - 60), wide.index + 20)}…`,
  );
  rmSync(aside, { recursive: true, force: true });
  process.exit(1);
}
renameSync(join(aside, 'yimatong.mjs.map'), `${OUT}.map`);
renameSync(join(aside, 'yimatong.mjs'), OUT);
rmSync(aside, { recursive: true, force: true });
console.error(`hub compiled into ${OUT} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
