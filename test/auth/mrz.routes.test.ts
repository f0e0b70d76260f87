/**
 * A passport's machine-readable zone at sign-in (ICAO 9303, docs/api.md#sign-in) on both engines: given, it must
 * read, pass its check digits and name the passport typed beside it; the same check on the other forms that name a
 * document (a family member added, a checkpoint look-up).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkDigit } from '../../src/identity/mrz.domain.ts';
import { parseDocument } from '../../src/identity/document.domain.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, register } from '../helpers/people.ts';

const SMITH = {
  documentType: 'passport',
  documentNumber: '123456789',
  nationality: 'GBR',
  name: 'JOHN SMITH',
};

/** The zone of a British passport, check digits computed as Doc 9303 says. */
function zone(number: string, nationality = 'GBR'): string {
  const fixed = `${number}${checkDigit(number)}${nationality}800101${checkDigit('800101')}M300101${checkDigit('300101')}`;
  const body = `${fixed}${'<'.repeat(14)}<`;
  const composite = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
  return `P<GBRSMITH<<JOHN${'<'.repeat(28)}\n${body}${checkDigit(composite)}`;
}

interface ErrorJson {
  error: { code: string; details?: { field: string; code: string }[] };
}

for (const engine of ENGINES) {
  describe(`a passport's MRZ (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
      const doc = parseDocument('passport', SMITH.documentNumber, SMITH.nationality, '2026-11-27');
      assert.ok(doc.ok);
      await hub.parts.repositories.persons.upsert(
        hub.parts.db,
        { doc: doc.value, name: SMITH.name },
        Date.now(),
      );
      await register(hub.parts, ALICE);
    });
    after(() => hub.close());

    const signIn = (payload: object) =>
      hub.app.inject({ method: 'POST', url: '/api/v1/auth/real-name', payload });
    const refusal = (res: { json: () => unknown }) => {
      const e = (res.json() as ErrorJson).error;
      return [e.code, e.details?.map((d) => d.field)];
    };

    test('a zone that reads and names the passport signs in', async () => {
      assert.equal((await signIn({ ...SMITH, mrz: zone('123456789') })).statusCode, 200);
    });

    test('refused with its code, at the field: a check digit, another passport, not two lines, an ID card', async () => {
      const good = zone('123456789');
      const badDigit = good.slice(0, -1) + String((Number(good.slice(-1)) + 1) % 10);
      const res = await signIn({ ...SMITH, mrz: badDigit });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(refusal(res), ['YMT_ERR_MRZ_CHECK_DIGIT', ['mrz']]);
      assert.deepEqual(refusal(await signIn({ ...SMITH, mrz: zone('987654321') })), [
        'YMT_ERR_MRZ_MISMATCH',
        ['mrz'],
      ]);
      assert.deepEqual(refusal(await signIn({ ...SMITH, mrz: 'P<GBR' })), ['YMT_ERR_MRZ_FORMAT', ['mrz']]);
      const idCard = await signIn({
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        name: ALICE.name,
        mrz: good,
      });
      assert.deepEqual(refusal(idCard), ['YMT_ERR_MRZ_FORMAT', ['mrz']]);
    });

    test('the same check when a family member is added and at a checkpoint look-up', async () => {
      const alice = (
        await signIn({ documentType: 'id_card', documentNumber: ALICE.documentNumber, name: ALICE.name })
      ).json<{
        token: string;
      }>().token;
      const added = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/me/dependants',
        headers: bearer(alice),
        payload: { ...SMITH, mrz: zone('987654321'), relationship: 'spouse' },
      });
      assert.deepEqual(refusal(added), ['YMT_ERR_MRZ_MISMATCH', ['mrz']]);
      const staff = await hub.parts.services.staff.create('checkpoint', '口岸', '310115', hub.clock.now());
      const looked = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/checkpoint/lookups',
        headers: bearer(staff.token),
        payload: { ...SMITH, mrz: zone('123456789') },
      });
      assert.equal(looked.statusCode, 201, looked.body);
    });
  });
}
