/** The enrolment file a province hands the hub operator (`yimatong provinces enrol FILE`): good and bad files. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnrolment } from '../../src/federation/enrolment.ts';
import { newP256KeyPair } from '../../src/signing/node-crypto.ts';

const jwk = () => {
  const j = newP256KeyPair().publicKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x: String(j.x), y: String(j.y) };
};
const good = { format: 'yimatong-enrolment/1', code: '440000', rootJwk: jwk(), accessJwk: jwk() };

test('a well-formed enrolment of a provincial unit (the Corps under its configured code too)', () => {
  const r = parseEnrolment(good, '660000');
  assert.ok(r.ok);
  assert.deepEqual(r.enrolment, good);
  assert.ok(parseEnrolment({ ...good, code: '660000' }, '660000').ok);
});

test('refused, each with its problem: not an enrolment, no unit, bad keys, the same key twice', () => {
  const problem = (doc: unknown) => {
    const r = parseEnrolment(doc, '660000');
    return r.ok ? 'accepted' : r.problem;
  };
  assert.match(problem(null), /not an enrolment/);
  assert.match(problem({ ...good, format: 'other' }), /not an enrolment/);
  assert.match(problem({ ...good, code: '440300' }), /32 provincial units/);
  assert.match(problem({ ...good, code: '810000' }), /32 provincial units/);
  assert.match(problem({ ...good, rootJwk: { ...good.rootJwk, crv: 'P-384' } }), /P-256/);
  // A point that is not on the curve.
  assert.match(problem({ ...good, accessJwk: { ...good.accessJwk, y: good.accessJwk.x } }), /P-256/);
  assert.match(problem({ ...good, accessJwk: good.rootJwk }), /must differ/);
});
