/**
 * The federation's parsers of outside input (issue 17: property tests on every parser): an enrolment file, a key
 * certificate and a signed request's headers, from anything: accepted, or refused with a reason — never thrown.
 * The node URL rule has its own properties (node-url.domain.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { parseEnrolment } from '../../src/federation/enrolment.ts';
import { checkKeyCertificate, publicKeyOfJwk } from '../../src/federation/key-certificate.ts';
import { checkSignedRequest, NonceMemory, signRequest } from '../../src/federation/request-signature.ts';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';

const dir = mkdtempSync(join(tmpdir(), 'ymt-fed-parsers-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const NOW = Date.parse('2026-11-27T02:00:00.000Z');
const store = new KeyStore(join(dir, 'keys'), 960);
const gd = new ProvinceKeys(store, '440000');
const enrolment = gd.ensure(new Date(NOW));
const [certificate] = gd.certificates(store.read());
const json = fc.jsonValue({ maxDepth: 3 });
/** A real document with one member replaced, or members added. */
const damaged = (doc: Record<string, unknown>) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(...Object.keys(doc)), json).map(([k, v]) => ({ ...doc, [k]: v })),
    fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 3 }).map((extra) => ({ ...extra, ...doc })),
  );

test('property: an enrolment file from any JSON: the enrolment, or a problem', () => {
  fc.assert(
    fc.property(fc.oneof(json, damaged(enrolment as unknown as Record<string, unknown>)), (doc) => {
      const r = parseEnrolment(doc, '660000');
      if (r.ok) assert.equal(r.enrolment.format, 'yimatong-enrolment/1');
      else assert.ok(r.problem.length > 0);
    }),
    { numRuns: 2000 },
  );
});

test('property: a key certificate from any JSON: accepted, or a problem', () => {
  assert.ok(certificate);
  const expected = { iss: '440000', root: enrolment.rootJwk, rootKid: store.read().anchor.kid };
  assert.equal(checkKeyCertificate(certificate, expected, NOW).ok, true);
  fc.assert(
    fc.property(fc.oneof(json, damaged(certificate as unknown as Record<string, unknown>)), (doc) => {
      const r = checkKeyCertificate(doc, expected, NOW);
      if (!r.ok) assert.ok(r.problem.length > 0);
    }),
    { numRuns: 2000 },
  );
});

test('property: a signed request with any headers: checked, or refused with a problem', async () => {
  const key = publicKeyOfJwk(enrolment.accessJwk);
  const req = { method: 'POST', path: '/api/v1/federation/status-deltas', body: { deltas: [] } };
  const good = signRequest({ ...req, caller: '440000' }, gd.accessSigner(), new Date(NOW));
  const header = fc.oneof(
    fc.string({ maxLength: 100, unit: 'binary' }),
    fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }),
    fc.constant(undefined),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.dictionary(fc.constantFrom(...Object.keys(good), 'x-other'), header),
        fc.tuple(fc.constantFrom(...Object.keys(good)), header).map(([k, v]) => ({ ...good, [k]: v })),
      ),
      async (headers) => {
        const r = await checkSignedRequest(headers, req, key, NOW, new NonceMemory());
        if (!r.ok) assert.ok(r.problem.length > 0);
      },
    ),
    { numRuns: 1000 },
  );
});
