#!/usr/bin/env node
// Runs the compiled hub (dist/server/yimatong.mjs, from `npm run build:server`; `npm start` builds it) when it is
// newer than every source, and otherwise the TypeScript sources through tsx's loader, so an edit is never run
// stale. YMT_RUNTIME=compiled or =source chooses instead (docs/operations.md#runtime).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = `${root}dist/server/yimatong.mjs`;

/** The newest modification time under a folder. */
function newest(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${e.name}`;
    n = Math.max(n, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return n;
}

const choice = process.env.YMT_RUNTIME ?? 'auto';
if (!['auto', 'compiled', 'source'].includes(choice)) {
  process.stderr.write(`YMT_RUNTIME must be auto, compiled or source (got ${choice})\n`);
  process.exit(2);
}
const useCompiled =
  choice === 'compiled' ||
  (choice === 'auto' &&
    existsSync(compiled) &&
    (!existsSync(`${root}src`) || statSync(compiled).mtimeMs >= newest(`${root}src`)));
if (useCompiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/entry.ts');
}
