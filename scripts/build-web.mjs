// Builds the web faces (vite.config.ts) into dist/web unless that build is newer than every source it is made
// from. `npm start` runs it first (a few seconds once, nothing afterwards); `npm test` and `npm run build:web`
// pass --force.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newest } from './newest.mjs';

const STAMP = 'dist/web/precache.json';
// The faces import parts of src/ (the verifier, acceptance rules, errors, answer types): any change there counts.
const SOURCES = ['web', 'src', 'vite.config.ts', 'package-lock.json'];

const force = process.argv.includes('--force');
if (!force && existsSync(STAMP) && statSync(STAMP).mtimeMs >= Math.max(...SOURCES.map(newest)))
  process.exit(0);
let vite;
try {
  vite = await import('vite');
} catch {
  // A production install (npm ci --omit=dev) runs the build it was shipped with.
  if (existsSync(STAMP) && !force) {
    console.error(
      'dist/web may be older than its sources, and Vite is not installed to rebuild it: serving it as it is.',
    );
    process.exit(0);
  }
  console.error('Vite is not installed: run `npm ci` (with dev dependencies), then `npm run build:web`.');
  process.exit(2);
}
// Built aside, then swapped in with two renames: a hub (or a test run) serving dist/web meanwhile never sees it
// half-built or emptied. The same sources give the same hashed file names, so a page loaded from the old build
// finds its assets in the new one.
const started = Date.now();
const target = resolve('dist/web');
const aside = resolve(`dist/web-build-${process.pid}`);
const old = resolve(`dist/web-old-${process.pid}`);
process.env.YMT_WEB_OUT_DIR = aside;
/** Moves the new build into place; another build swapping at the same moment only makes it try again. */
function swapIn() {
  for (let attempt = 0; ; attempt++) {
    try {
      if (existsSync(target)) renameSync(target, `${old}-${attempt}`);
      renameSync(aside, target);
      return;
    } catch (e) {
      if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes(e.code)) throw e;
    }
  }
}
try {
  await vite.build({ configFile: 'vite.config.ts' });
  swapIn();
} finally {
  rmSync(aside, { recursive: true, force: true });
  for (const name of readdirSync('dist'))
    if (name.startsWith(`web-old-${process.pid}-`))
      rmSync(join('dist', name), { recursive: true, force: true });
}
console.error(`web faces built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
