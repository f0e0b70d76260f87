import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERRORS } from '../../src/errors/registry.ts';

test('docs/errors.md lists exactly the registry: code, status and both messages', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = doc
    .split('\n')
    .filter((l) => l.startsWith('| `YMT_ERR_'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const documented: Record<string, unknown> = Object.fromEntries(
    rows.map(([code, status, zh, en]): [string, unknown] => [
      String(code).replace(/`/g, ''),
      [Number(status), zh, en],
    ]),
  );
  const registry = Object.fromEntries(
    Object.entries(ERRORS).map(([code, d]) => [code, [d.status, d.message, d.messageEn]]),
  );
  assert.deepEqual(documented, registry);
});

test('every code is well-formed with a Chinese and an English message', () => {
  for (const [code, d] of Object.entries(ERRORS)) {
    assert.match(code, /^YMT_ERR_[A-Z0-9_]+$/);
    assert.ok(d.status >= 400 && d.status < 600, code);
    assert.match(d.message, /\p{Script=Han}/u, code);
    assert.ok(d.messageEn.length > 0, code);
    assert.doesNotMatch(d.messageEn, /\p{Script=Han}/u, code);
  }
});
