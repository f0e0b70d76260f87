import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build } from 'esbuild';

test('the verifier library bundles for the browser with no Node-only module', async () => {
  const result = await build({
    entryPoints: [new URL('../../src/codec/index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  const [output] = result.outputFiles;
  assert.ok(output);
  assert.doesNotMatch(output.text, /\bnode:|require\(/);
  // Small enough for a scanner page: 15.1 KB minified before SM2, 37.3 KB (13.9 KB gzipped) since SM2 and SM3
  // verify in the page too (2026-12-01), 19 KB of it @noble/curves' Weierstrass arithmetic (docs/web.md#size).
  assert.ok(output.contents.length < 40_000, `${output.contents.length} bytes`);
});
