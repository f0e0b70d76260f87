import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importIdentities, parseIdentityLine } from '../../src/identity/identities.import.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { idNumber } from '../helpers/people.ts';

const good1 = {
  documentType: 'id_card',
  documentNumber: idNumber('32010619800101123'),
  name: '赵六',
  phone: '13611112222',
};
const good2 = {
  documentType: 'passport',
  documentNumber: 'X1234567',
  nationality: 'usa',
  name: 'Jane Doe',
  phone: '+12025550123',
};

for (const engine of ENGINES) {
  describe(`identities import (${engine})`, () => {
    let hub: TestApp;
    before(async () => {
      hub = await startApp(engine);
    });
    after(() => hub.close());

    test('good lines are imported, bad lines come back with line and reason', async () => {
      const file = join(hub.dataDir, 'people.ndjson');
      writeFileSync(
        file,
        [
          JSON.stringify(good1),
          '',
          '{not json',
          JSON.stringify({
            ...good1,
            documentNumber: `${good1.documentNumber.slice(0, 17)}${good1.documentNumber.endsWith('1') ? '2' : '1'}`,
          }),
          JSON.stringify({ ...good2, nationality: 'XX' }),
          JSON.stringify({ ...good1, name: '' }),
          JSON.stringify({ ...good1, phone: '123' }),
          JSON.stringify({ ...good1, extra: true }),
          JSON.stringify(good2),
          '[]',
        ].join('\n'),
      );
      const report = await importIdentities(
        hub.parts.db,
        hub.parts.repositories.persons,
        file,
        hub.clock.now(),
        { actorKind: 'system', actorRef: 'test' },
      );
      assert.equal(report.accepted, 2);
      assert.equal(report.created, 2);
      assert.deepEqual(
        report.rejected.map((r) => [r.line, r.code, r.field]),
        [
          [3, 'YMT_ERR_VALIDATION', 'json'],
          [4, 'YMT_ERR_ID_NUMBER_CHECKSUM', 'documentNumber'],
          [5, 'YMT_ERR_NATIONALITY', 'nationality'],
          [6, 'YMT_ERR_NAME_FORMAT', 'name'],
          [7, 'YMT_ERR_PHONE_FORMAT', 'phone'],
          [8, 'YMT_ERR_VALIDATION', 'extra'],
          [10, 'YMT_ERR_VALIDATION', 'json'],
        ],
      );
      // Imported people can sign in; passport names are matched case-insensitively.
      for (const payload of [
        { documentType: 'id_card', documentNumber: good1.documentNumber, name: '赵六' },
        { documentType: 'passport', documentNumber: 'x1234567', nationality: 'USA', name: 'JANE DOE' },
      ]) {
        const res = await hub.app.inject({ method: 'POST', url: '/api/v1/auth/real-name', payload });
        assert.equal(res.statusCode, 200, JSON.stringify(payload));
      }
    });

    test('re-importing updates instead of duplicating', async () => {
      const file = join(hub.dataDir, 'again.ndjson');
      writeFileSync(file, `${JSON.stringify({ ...good1, name: '赵六六' })}\n`);
      const report = await importIdentities(
        hub.parts.db,
        hub.parts.repositories.persons,
        file,
        hub.clock.now(),
        { actorKind: 'system', actorRef: 'test' },
      );
      assert.deepEqual([report.created, report.updated], [0, 1]);
      assert.equal(await hub.parts.repositories.persons.count(hub.parts.db), 2);
      const old = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/real-name',
        payload: { documentType: 'id_card', documentNumber: good1.documentNumber, name: '赵六' },
      });
      assert.equal(old.statusCode, 401);
    });
  });
}

test('an identity line with a field name or a string the text rule refuses is rejected with its code', () => {
  const line = (r: object) => JSON.stringify(r);
  assert.deepEqual(parseIdentityLine(line({ ...good1, 'x\u0000': 1 }), 1, '2026-11-27'), {
    line: 1,
    code: 'YMT_ERR_TEXT_CONTROL',
    field: 'x\\u0000',
  });
  assert.deepEqual(parseIdentityLine(line({ ...good1, name: '赵\u202e六' }), 2, '2026-11-27'), {
    line: 2,
    code: 'YMT_ERR_TEXT_INVISIBLE',
    field: 'name',
  });
  assert.ok('doc' in parseIdentityLine(line(good1), 3, '2026-11-27'));
});
