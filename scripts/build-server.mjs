// Compiles the hub's TypeScript (src/) into one JavaScript file, dist/server/yimatong.mjs, unless that file is newer
// than every source it is made from. `npm start` runs it first (under a second once, nothing afterwards); `npm test`
// and `npm run build:server` pass --force. bin/yimatong.js runs this file when it is up to date and the sources
// through tsx's loader otherwise (docs/operations.md#runtime). Packages stay outside the bundle (node_modules).
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  logLevel: 'warning',
});
renameSync(join(aside, 'yimatong.mjs.map'), `${OUT}.map`);
renameSync(join(aside, 'yimatong.mjs'), OUT);
rmSync(aside, { recursive: true, force: true });
console.error(`hub compiled into ${OUT} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
