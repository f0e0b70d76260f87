/**
 * Builds the three web faces (docs/web.md) into dist/web: the citizen app at /, the checkpoint scanner at /scan/,
 * the operations console at /console/, and one service worker at /sw.js that keeps them for offline use.
 * Everything is bundled: nothing is loaded from a CDN at run time.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const web = fileURLToPath(new URL('./web/', import.meta.url));
/** dist/web, or the folder scripts/build-web.mjs builds into before it swaps the new build in. */
const outDir = process.env.YMT_WEB_OUT_DIR ?? fileURLToPath(new URL('./dist/web/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Writes precache.json once everything is written (pages, assets, public files): the paths the service worker
 * caches when it installs, pages by their folder (`/scan/`). It is written last, so it also marks a finished build.
 */
function precacheList(): Plugin {
  return {
    name: 'ymt-precache-list',
    closeBundle() {
      const files = filesUnder(outDir)
        .map((f) => relative(outDir, f).split('\\').join('/'))
        .filter((f) => f !== 'sw.js' && f !== 'precache.json' && !f.endsWith('.map'))
        .map((f) => `/${f.replace(/(^|\/)index\.html$/, '$1')}`)
        .sort();
      writeFileSync(join(outDir, 'precache.json'), JSON.stringify(files));
    },
  };
}

export default defineConfig({
  root: web,
  base: '/',
  publicDir: fileURLToPath(new URL('./web/public/', import.meta.url)),
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        citizen: `${web}index.html`,
        scan: `${web}scan/index.html`,
        console: `${web}console/index.html`,
        sw: `${web}sw.ts`,
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  plugins: [precacheList()],
});
