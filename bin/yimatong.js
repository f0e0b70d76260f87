#!/usr/bin/env node
// Runs the compiled hub (dist/server/yimatong.mjs, from `npm run build:server`; `npm start` builds it) when it is
// newer than every source, and otherwise the TypeScript sources through tsx's loader, so an edit is never run
// stale. YMT_RUNTIME=compiled or =source chooses instead (docs/operations.md#runtime).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { newest } from '../scripts/newest.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/server/yimatong.mjs`;

const choice = process.env.YMT_RUNTIME ?? 'auto';
if (!['auto', 'compiled', 'source'].includes(choice)) {
  process.stderr.write(`YMT_RUNTIME must be auto, compiled or source (got ${choice})\n`);
  process.exit(2);
}
const useCompiled =
  choice === 'compiled' ||
  (choice === 'auto' && existsSync(compiled) && statSync(compiled).mtimeMs >= newest(`${root}src`));
if (useCompiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/entry.ts');
}
