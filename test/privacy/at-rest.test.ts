import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEMO_PEOPLE } from '../../src/demo/demo-population.ts';
import { startApp } from '../helpers/context.ts';
import { bearer, signIn } from '../helpers/people.ts';

test('a grep of the SQLite files finds no demo person’s name, ID number, phone or address', async () => {
  const hub = await startApp('sqlite', { env: { DEMO_DATA: 'true' } });
  try {
    // Exercise every write path: sign-in, a modification, a code.
    const person = DEMO_PEOPLE[0];
    assert.ok(person?.declaration);
    const token = await signIn(hub.app, { ...person, documentType: 'id_card' });
    hub.clock.advance(86400);
    const again = await signIn(hub.app, { ...person, documentType: 'id_card' });
    assert.equal(
      (
        await hub.app.inject({
          method: 'PATCH',
          url: '/api/v1/me/declaration',
          headers: bearer(again),
          payload: { temperature: 36.8 },
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(again) })).statusCode,
      200,
    );
    assert.ok(token);
    await hub.parts.close();
    const files = ['', '-wal', '-shm']
      .map((s) => `${hub.parts.config.sqliteFile}${s}`)
      .filter((f) => existsSync(f));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    assert.ok(bytes.length > 0);
    for (const p of DEMO_PEOPLE) {
      for (const secret of [p.name, p.documentNumber, p.phone, p.declaration?.address]) {
        if (typeof secret !== 'string') continue;
        assert.equal(bytes.includes(Buffer.from(secret, 'utf8')), false, `found ${p.name}'s data in clear`);
      }
    }
    // The test can fail: the encrypted columns are really there.
    assert.ok(bytes.includes(Buffer.from('persons')));
  } finally {
    await hub.app.close();
    await hub.close().catch(() => undefined);
  }
});
