import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomPool } from '../../src/signing/random-pool.ts';

test('every draw is a fresh, distinct copy, across refills', () => {
  const pool = new RandomPool(64);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const a = pool.take(16);
    assert.equal(a.length, 16);
    assert.equal(a.byteOffset, 0, 'a copy, not a view of the block');
    seen.add(Buffer.from(a).toString('hex'));
  }
  assert.equal(seen.size, 100);
  assert.throws(() => pool.take(65), RangeError);
});
