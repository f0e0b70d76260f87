/**
 * New P-256 key pairs exported as JWK never hang the process (Node 20: exporting a key straight from
 * `generateKeyPairSync` could deadlock when a garbage collection finalised the generation job meanwhile; a clean
 * clone's test run once hung for 25 minutes in it). A child process makes and exports 3 000 pairs with a tiny young
 * generation, so collections fall inside exports; with keys taken straight from the generator it hangs within
 * the first few hundred.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const NODE_CRYPTO = fileURLToPath(new URL('../../src/signing/node-crypto.ts', import.meta.url));

test('3 000 new key pairs exported as JWK while the garbage collector runs: no deadlock', () => {
  const script = `
    const { newP256KeyPair } = await import(${JSON.stringify(NODE_CRYPTO)});
    const kept = [];
    for (let i = 0; i < 3000; i++) {
      const { privateKey, publicKey } = newP256KeyPair();
      kept.push(privateKey.export({ format: 'jwk' }), publicKey.export({ format: 'jwk' }));
      if (kept.length > 500) kept.length = 0;
    }
    process.stdout.write('done');
  `;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--max-semi-space-size=1', '--input-type=module', '--eval', script],
    { encoding: 'utf8', timeout: 180_000 },
  );
  assert.equal(run.signal, null, 'the process hung and was killed');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'done');
});
