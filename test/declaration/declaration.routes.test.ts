import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, BOB, bearer, HEALTHY_DECLARATION, register, signIn } from '../helpers/people.ts';

interface ErrorJson {
  error: { code: string; message: string; messageEn: string; details?: { field: string; code: string }[] };
}

for (const engine of ENGINES) {
  describe(`health declaration (${engine})`, () => {
    let hub: TestApp;
    let token: string;
    before(async () => {
      hub = await startApp(engine);
      await register(hub.parts, ALICE);
      await register(hub.parts, BOB);
      token = await signIn(hub.app, ALICE);
    });
    after(() => hub.close());

    const call = (method: 'GET' | 'POST' | 'PATCH', payload?: unknown, query = '', t = token) =>
      hub.app.inject({
        method,
        url: `/api/v1/me/declaration${query}`,
        headers: bearer(t),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });

    test('reading before filling in is a coded 404', async () => {
      const res = await call('GET');
      assert.equal(res.statusCode, 404);
      assert.equal(res.json<ErrorJson>().error.code, 'YMT_ERR_DECLARATION_NOT_FOUND');
    });

    test('every invalid field is reported at once, and nothing is written', async () => {
      const res = await call('POST', {
        ...HEALTHY_DECLARATION,
        householdRegion: '999999',
        temperature: 45.2,
        recentCities: ['440300', '440000', '123456'],
        address: '   ',
        symptoms: [''],
      });
      assert.equal(res.statusCode, 400);
      const body = res.json<ErrorJson>();
      assert.equal(body.error.code, 'YMT_ERR_VALIDATION');
      assert.ok(body.error.message.length > 0 && body.error.messageEn.length > 0);
      const byField = Object.fromEntries((body.error.details ?? []).map((d) => [d.field, d.code]));
      assert.deepEqual(byField, {
        householdRegion: 'YMT_ERR_REGION_UNKNOWN',
        address: 'YMT_ERR_VALIDATION',
        temperature: 'YMT_ERR_TEMPERATURE_RANGE',
        'symptoms[0]': 'YMT_ERR_VALIDATION',
        'recentCities[1]': 'YMT_ERR_REGION_UNKNOWN',
        'recentCities[2]': 'YMT_ERR_REGION_UNKNOWN',
      });
      assert.equal((await call('GET')).statusCode, 404);
    });

    test('schema violations are coded 400s naming the field', async () => {
      const wrongType = await call('POST', { ...HEALTHY_DECLARATION, temperature: '36.5' });
      assert.equal(wrongType.statusCode, 400);
      assert.deepEqual(
        wrongType.json<ErrorJson>().error.details?.map((d) => d.field),
        ['temperature'],
      );
      const missing = await call('POST', { ...HEALTHY_DECLARATION, contactWithCases: undefined });
      assert.deepEqual(
        missing.json<ErrorJson>().error.details?.map((d) => d.field),
        ['contactWithCases'],
      );
      const unknown = await call('POST', { ...HEALTHY_DECLARATION, bloodType: 'A' });
      assert.deepEqual(
        unknown.json<ErrorJson>().error.details?.map((d) => d.field),
        ['bloodType'],
      );
    });

    test('a different name or ID number in the body is refused as immutable', async () => {
      const res = await call('POST', {
        ...HEALTHY_DECLARATION,
        name: '王五',
        documentNumber: BOB.documentNumber,
      });
      assert.equal(res.statusCode, 422);
      const body = res.json<ErrorJson>();
      assert.equal(body.error.code, 'YMT_ERR_IMMUTABLE_FIELD');
      assert.deepEqual(body.error.details?.map((d) => d.field).sort(), ['documentNumber', 'name']);
    });

    test('the first fill is stored and read back masked, or in full on request', async () => {
      const created = await call('POST', { ...HEALTHY_DECLARATION, name: ALICE.name });
      assert.equal(created.statusCode, 201);
      const masked = created.json<Record<string, unknown>>();
      assert.equal(masked.masked, true);
      assert.equal(masked.name, '张*三');
      assert.equal(
        masked.documentNumber,
        `${ALICE.documentNumber.slice(0, 3)}***********${ALICE.documentNumber.slice(-4)}`,
      );
      assert.equal(masked.phone, '139****5678');
      assert.equal(masked.address, '深圳市南山区****');
      assert.equal(masked.birthDate, undefined);
      assert.equal(masked.householdRegionName, '南山区');
      assert.equal(masked.sex, 'male');
      assert.equal(masked.version, 1);

      const full = (await call('GET', undefined, '?full=true')).json<Record<string, unknown>>();
      assert.equal(full.name, ALICE.name);
      assert.equal(full.documentNumber, ALICE.documentNumber);
      assert.equal(full.phone, ALICE.phone);
      assert.equal(full.address, HEALTHY_DECLARATION.address);
      assert.equal(full.birthDate, '1990-01-01');
      assert.equal(full.canModifyToday, true);
      assert.deepEqual(full.recentCities, ['440300']);
    });

    test('a second first fill is refused', async () => {
      const res = await call('POST', HEALTHY_DECLARATION);
      assert.equal(res.statusCode, 409);
      assert.equal(res.json<ErrorJson>().error.code, 'YMT_ERR_DECLARATION_EXISTS');
    });

    test('the phone, name and ID number can never change', async () => {
      for (const [field, value] of [
        ['phone', '13000000000'],
        ['name', '张大三'],
        ['documentNumber', BOB.documentNumber],
      ] as const) {
        const res = await call('PATCH', { [field]: value });
        assert.equal(res.statusCode, 422, field);
        assert.deepEqual(
          res.json<ErrorJson>().error.details?.map((d) => d.field),
          [field],
        );
      }
      // Sending the same value is not a change.
      const same = await call('PATCH', { phone: `+86 ${ALICE.phone}`, temperature: 36.4 }, '?full=true');
      assert.equal(same.statusCode, 200);
      assert.equal(same.json<{ version: number }>().version, 2);
    });

    test('a modification is allowed once per calendar day in Asia/Shanghai, and every version is kept', async () => {
      // Today (2026-11-27, Shanghai) already has its modification from the previous test.
      const second = await call('PATCH', { temperature: 37.5 });
      assert.equal(second.statusCode, 429);
      const err = second.json<ErrorJson>();
      assert.equal(err.error.code, 'YMT_ERR_DECLARATION_DAILY_LIMIT');
      const view = (await call('GET')).json<{
        canModifyToday: boolean;
        nextModificationAt: string;
        temperature: number;
      }>();
      assert.equal(view.canModifyToday, false);
      assert.equal(view.nextModificationAt, '2026-11-27T16:00:00.000Z');
      assert.equal(view.temperature, 36.4);

      // 23:59 in Shanghai is still the same day; 00:00 is the next.
      hub.clock.nowMs = Date.parse('2026-11-27T15:59:00.000Z');
      token = await signIn(hub.app, ALICE);
      assert.equal((await call('PATCH', { temperature: 37.5 })).statusCode, 429);
      hub.clock.nowMs = Date.parse('2026-11-27T16:00:00.000Z');
      token = await signIn(hub.app, ALICE);
      const nextDay = await call('PATCH', { temperature: 37.5, symptoms: ['咳嗽'] });
      assert.equal(nextDay.statusCode, 200);
      assert.equal(nextDay.json<{ version: number; temperature: number }>().temperature, 37.5);
      assert.equal(
        await hub.parts.repositories.declarations.countVersions(hub.parts.db, await personIdOf(hub)),
        3,
      );
    });

    test('an invalid modification writes nothing', async () => {
      hub.clock.advance(86400);
      token = await signIn(hub.app, ALICE);
      const bad = await call('PATCH', { householdRegion: '000000' });
      assert.equal(bad.statusCode, 400);
      assert.equal(
        await hub.parts.repositories.declarations.countVersions(hub.parts.db, await personIdOf(hub)),
        3,
      );
      // The failed attempt does not use up the day's modification.
      assert.equal((await call('PATCH', { temperature: 36.6 })).statusCode, 200);
    });

    test('an empty PATCH is refused', async () => {
      const empty = await call('PATCH', {});
      assert.equal(empty.statusCode, 400);
    });
  });
}

async function personIdOf(hub: TestApp): Promise<string> {
  const found = await hub.parts.repositories.persons.findByDocument(hub.parts.db, {
    type: 'id_card',
    number: ALICE.documentNumber,
    nationality: 'CHN',
  });
  assert.ok(found);
  return found.personId;
}
