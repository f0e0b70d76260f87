/**
 * The citizen app's first load — the page and every script, style sheet and module it pulls in before it can
 * draw — stays within 200 KB gzipped (docs/web.md#size). Reads the build `npm test` makes first (dist/web).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { WEB_ROOT } from '../../src/web/web.routes.ts';

const BUDGET = 200 * 1024;

/** The files a page loads before it runs: itself, its scripts, module preloads and style sheets. */
function firstLoad(page: string): string[] {
  const html = readFileSync(join(WEB_ROOT, page), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
  return [page, ...new Set(refs.map((r) => r.slice(1)))];
}

function gzipped(file: string): number {
  return gzipSync(readFileSync(join(WEB_ROOT, file)), { level: 9 }).length;
}

test('the citizen app loads in at most 200 KB gzipped; the scanner and the console are measured too', (t) => {
  assert.ok(existsSync(join(WEB_ROOT, 'index.html')), 'dist/web is not built: run npm run build:web');
  const pages = { citizen: 'index.html', scanner: 'scan/index.html', console: 'console/index.html' };
  const sizes = Object.fromEntries(
    Object.entries(pages).map(([face, page]) => {
      const files = firstLoad(page);
      assert.ok(
        files.some((f) => f.endsWith('.js')),
        `${face} loads a script`,
      );
      return [face, files.reduce((sum, f) => sum + gzipped(f), 0)];
    }),
  );
  t.diagnostic(`first load, gzipped: ${JSON.stringify(sizes)}`);
  assert.ok((sizes.citizen ?? Infinity) <= BUDGET, `citizen app ${sizes.citizen} bytes > ${BUDGET}`);
});
