import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../src/codec/canonical-json.ts';

test('canonical JSON (RFC 8785) sorts keys and drops whitespace', () => {
  assert.equal(
    canonicalJson({ b: [1, 'x', { d: true, c: null }], a: '张' }),
    '{"a":"张","b":[1,"x",{"c":null,"d":true}]}',
  );
  assert.throws(() => canonicalJson({ a: Number.NaN }), TypeError);
});
