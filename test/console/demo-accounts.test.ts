/**
 * The demo population's console credentials: made for the data folder (random, never well known), written once to
 * DATA_DIR/demo-credentials.json (owner-only) and returned so `yimatong serve` prints them; an operator, Beijing's
 * authority and the railway department sign in with them. Another data folder's demo has other credentials, and
 * none exists without DEMO_DATA. The demo's red holder is red from a status entry an operator recorded, and his case
 * status says so.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compose } from '../../src/app/compose.ts';
import { DEMO_PEOPLE } from '../../src/demo/demo-population.ts';
import { DEMO_CREDENTIALS_FILE, type DemoCredentials } from '../../src/demo/demo.loader.ts';
import { ENGINES, startApp, type TestApp } from '../helpers/context.ts';
import { bearer, signIn } from '../helpers/people.ts';

for (const engine of ENGINES) {
  describe(`demo console credentials (${engine})`, () => {
    let demo: TestApp;
    let other: TestApp;
    let plain: TestApp;
    let credentials: DemoCredentials;
    before(async () => {
      demo = await startApp(engine, { env: { DEMO_DATA: 'true' } });
      other = await startApp(engine, { env: { DEMO_DATA: 'true' } });
      plain = await startApp(engine);
      assert.ok(demo.parts.demo, 'the first start loads the demo population and returns its credentials');
      credentials = demo.parts.demo;
    });
    after(async () => {
      await demo.close();
      await other.close();
      await plain.close();
    });

    const get = (hub: TestApp, token: string, url: string) =>
      hub.app.inject({
        method: 'GET',
        url: `/api/v1/console${url}`,
        headers: { authorization: `Bearer ${token}` },
      });
    const all = () => [credentials.operator, credentials.province, credentials.railway];

    test('each demo credential signs in as its role', async () => {
      const roles = await Promise.all(
        all().map(async (c) => {
          const res = await get(demo, c.token, '/me');
          assert.equal(res.statusCode, 200, res.body);
          return res.json<{ role: string; province?: string; source?: string }>();
        }),
      );
      assert.deepEqual(
        roles.map((r) => [r.role, r.province, r.source]),
        [
          ['operator', undefined, undefined],
          ['province', '110000', undefined],
          ['department', undefined, 'railway'],
        ],
      );
      // The department sees the demo population's railway batch.
      const batches = (await get(demo, credentials.railway.token, '/batches')).json<{
        batches: { source: string }[];
      }>();
      assert.ok(batches.batches.length > 0, 'the seeded railway batch is listed');
      assert.deepEqual([...new Set(batches.batches.map((b) => b.source))], ['railway']);
    });

    test("王强 is red from an operator's status entry, and his case status says so from the same entry", async () => {
      const wang = DEMO_PEOPLE.find((p) => p.name === '王强');
      assert.ok(wang?.status);
      const token = await signIn(demo.app, { ...wang, documentType: 'id_card' });
      const read = async <T>(url: string) =>
        (await demo.app.inject({ method: 'GET', url, headers: bearer(token) })).json<T>();
      type Evidence = { source: string; batchId: string };
      const health = await read<{ colour: string; reasons: { code: string; evidence: Evidence }[] }>(
        '/api/v1/me/health',
      );
      const caseStatus = await read<{ status: string; isCase: boolean; evidence: Evidence }>(
        '/api/v1/me/health/case-status',
      );
      assert.equal(health.colour, 'red');
      assert.deepEqual([caseStatus.status, caseStatus.isCase], ['confirmed', true]);
      assert.deepEqual(health.reasons[0], {
        ...health.reasons[0],
        code: 'CASE_CONFIRMED',
        evidence: caseStatus.evidence,
      });
      // The operator's console lists the entry with who recorded it and why.
      const { entries } = (await get(demo, credentials.operator.token, '/status-entries?active=true')).json<{
        entries: { entryId: string; holder: { name: string }; createdBy: string; reason: string }[];
      }>();
      const entry = entries.find((e) => e.entryId === caseStatus.evidence.batchId);
      assert.deepEqual([entry?.holder.name, entry?.reason], ['王*', wang.status.reason]);
      assert.match(entry?.createdBy ?? '', /演示数据/);
    });

    test('they are written once, owner-only, to the data folder', () => {
      const file = join(demo.dataDir, DEMO_CREDENTIALS_FILE);
      assert.equal(credentials.file, file);
      assert.equal(statSync(file).mode & 0o077, 0, 'no access for group or others');
      const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { token: string }>;
      assert.deepEqual(
        [written.operator?.token, written.province?.token, written.railway?.token],
        all().map((c) => c.token),
      );
    });

    test("another data folder's demo has other credentials, and a database without the demo none", async () => {
      assert.ok(other.parts.demo);
      const theirs = [other.parts.demo.operator, other.parts.demo.province, other.parts.demo.railway];
      for (const [i, c] of all().entries()) {
        assert.notEqual(c.token, theirs[i]?.token);
        assert.match(c.token, /^ymt[od]_[A-Za-z0-9_-]{43}$/, 'a random 32-byte token, not a fixed one');
        assert.equal((await get(other, c.token, '/me')).statusCode, 401);
        assert.equal((await get(plain, c.token, '/me')).statusCode, 401);
      }
    });

    test('a second start of the same data folder loads nothing again and shows no credentials', async () => {
      assert.equal(plain.parts.demo, undefined);
      const file = join(demo.dataDir, DEMO_CREDENTIALS_FILE);
      const before = readFileSync(file, 'utf8');
      const again = await compose(demo.parts.config, demo.schema ? { pgSchema: demo.schema } : {});
      try {
        assert.equal(again.demo, undefined);
        assert.equal(readFileSync(file, 'utf8'), before);
      } finally {
        await again.close();
      }
    });
  });
}
