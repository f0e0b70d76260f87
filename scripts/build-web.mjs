// Builds the web faces (vite.config.ts) into dist/web unless that build is newer than every source it is made
// from. `npm start` runs it first (a few seconds once, nothing afterwards); `npm test` and `npm run build:web`
// pass --force.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/web/precache.json';
// The faces import parts of src/ (the verifier, acceptance rules, errors, answer types): any change there counts.
const SOURCES = ['web', 'src', 'vite.config.ts', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newest(join(path, e))));
}

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
const started = Date.now();
await vite.build({ configFile: 'vite.config.ts' });
console.error(`web faces built into dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s`);
