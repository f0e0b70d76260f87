/**
 * The shape of the code, as a newcomer relies on it (docs/architecture.md): no import cycles in src/; only the
 * app builder, the commands and src/app itself reach the composition root; no source file longer than a sitting
 * (400 lines; frozen migrations excepted); and the README's layout names every folder of src/.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX_LINES = 400;

function files(dir: string, ends: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path, ends);
    return ends.test(e.name) ? [path] : [];
  });
}

/** Every module a file imports (static, type-only, re-exported or dynamic), as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g),
    ...text.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? '');
  return specifiers.map((s) => normalize(join(dirname(file), s)));
}

const SOURCES = files('src', /\.ts$/);

test('src/ has no import cycle', () => {
  const graph = new Map(SOURCES.map((f) => [f, importsOf(f).filter((t) => t.startsWith('src/'))]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, 'done');
  };
  for (const f of SOURCES) visit(f, []);
  assert.deepEqual(cycles, []);
  // The check sees imports at all: the app builder imports many modules.
  assert.ok((graph.get('src/http/app.ts') ?? []).length > 10);
});

test('only src/app, the commands and the app builder import the composition root', () => {
  const allowed = (f: string) =>
    f.startsWith('src/app/') || f.startsWith('src/cli/') || f === 'src/http/app.ts';
  const offenders = SOURCES.filter((f) => !allowed(f) && importsOf(f).some((t) => /^src\/app\//.test(t)));
  assert.deepEqual(offenders, []);
  assert.ok(importsOf('src/http/app.ts').includes('src/app/compose.ts'), 'the builder does import it');
});

test(`no source file is longer than ${String(MAX_LINES)} lines (frozen migrations excepted)`, () => {
  const frozen = (f: string) => f.startsWith('src/db/migrations/');
  const long = ['src', 'web', 'test', 'bench', 'scripts']
    .flatMap((d) => files(d, /\.(ts|tsx|mjs|js|css)$/))
    .filter((f) => !frozen(f))
    .map((f) => [f, readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1] as const)
    .filter(([, n]) => n > MAX_LINES);
  assert.deepEqual(long, []);
});

test("the README's layout names every folder of src/, and nothing that is not one", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const layout = /```\nsrc\/\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(layout, 'README.md has a layout block that starts with src/');
  const named = [...layout.matchAll(/^ {2}([a-z][a-z0-9-]*)\//gm)].map((m) => m[1]).sort();
  const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  assert.deepEqual(named, folders);
  assert.equal(relative(ROOT, join(ROOT, 'src')), 'src');
});
