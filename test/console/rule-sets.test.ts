/**
 * The console's rule sets section (inject, SQLite and PostgreSQL): acceptance rule sets listed by role, validated
 * without writing, published (the same service and refusals as the province API: test/app/one-service-per-action)
 * and distributed with the trust list; status rule sets validated, scheduled and deciding colours from their
 * validFrom. Each describe has its own hub: a publication changes what the others would see.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import beijingExample from '../../docs/examples/rules/110000.acceptance.json' with { type: 'json' };
import national from '../../src/recognition/rule-sets/national.acceptance.json' with { type: 'json' };
import baseline from '../../src/risk/baseline.rule-set.json' with { type: 'json' };
import { ENGINES } from '../helpers/context.ts';
import { bearer, declaredHolder, HEALTHY_DECLARATION, idNumber, signIn } from '../helpers/people.ts';
import { ruleSet, useConsole } from './console-fixture.ts';

for (const engine of ENGINES) {
  describe(`console: acceptance rule sets, as shipped (${engine})`, () => {
    const c = useConsole(engine);
    const { ok } = c;

    test('rule sets: each role sees its own and the national ones, with the one in force', async () => {
      type View = {
        id: string;
        version: string;
        province: string | null;
        inForce: boolean;
        shipped: boolean;
      };
      const view = (r: View) => [r.id, r.version, r.province, r.inForce, r.shipped];
      const all = (await ok<{ ruleSets: View[] }>('operator', 'GET', '/rule-sets')).ruleSets;
      // Only the national set ships: every province recognises any green code until it publishes its own.
      assert.deepEqual(all.map(view), [['national-acceptance', '1.0.0', null, true, true]]);
      const gd = (await ok<{ ruleSets: View[] }>('gd', 'GET', '/rule-sets')).ruleSets;
      assert.deepEqual(gd.map(view), [['national-acceptance', '1.0.0', null, true, true]]);
    });

    test('rule sets: validate says what publication would refuse, and writes nothing', async () => {
      const good = ruleSet({ province: '440000', version: '1.0.0', validFrom: '2026-12-01T00:00:00+08:00' });
      assert.deepEqual(await ok('gd', 'POST', '/rule-sets/validate', { document: good }), {
        ok: true,
        problems: [],
      });
      const broken = await ok<{ ok: boolean; problems: { path: string }[] }>(
        'gd',
        'POST',
        '/rule-sets/validate',
        {
          document: { ...good, version: 'one', otherwise: {} },
        },
      );
      assert.equal(broken.ok, false);
      assert.deepEqual(broken.problems.map((p) => p.path).sort(), [
        'otherwise.decision',
        'otherwise.text',
        'version',
      ]);
      const notOwn = await ok<{ ok: boolean; problems: { path: string }[] }>(
        'bj',
        'POST',
        '/rule-sets/validate',
        {
          document: good,
        },
      );
      assert.deepEqual([notOwn.ok, notOwn.problems.map((p) => p.path)], [false, ['province']]);
      const ruleSets = (await ok<{ ruleSets: { id: string }[] }>('operator', 'GET', '/rule-sets')).ruleSets;
      assert.ok(!ruleSets.some((r) => r.id === 'guangdong-acceptance'), 'validation published nothing');
    });
  });

  describe(`console: acceptance rule set publication (${engine})`, () => {
    const c = useConsole(engine);
    const { ok, fails } = c;

    test('rule sets: publication by role, scheduled at validFrom, and distributed with the trust list', async () => {
      const future = ruleSet({
        province: '440000',
        version: '1.0.0',
        validFrom: '2026-12-01T00:00:00+08:00',
      });
      assert.deepEqual(await ok('gd', 'POST', '/rule-sets', { document: future }), {
        id: 'guangdong-acceptance',
        version: '1.0.0',
        province: '440000',
        validFrom: '2026-11-30T16:00:00.000Z',
        inForce: false,
        created: true,
      });
      // The same again changes nothing; another content under the same version is refused.
      assert.equal(
        (await ok<{ created: boolean }>('gd', 'POST', '/rule-sets', { document: future })).created,
        false,
      );
      const changed = await fails('gd', 'POST', '/rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...future, description: 'changed' },
      });
      assert.deepEqual(
        changed.error.details?.map((d) => d.field),
        ['version'],
      );
      // Beijing publishes the example of stricter rules (docs/examples/rules/): the id is Beijing's from then on.
      assert.equal(
        (await ok<{ created: boolean }>('bj', 'POST', '/rule-sets', { document: beijingExample })).created,
        true,
      );
      // Not its province, another province's id, a shipped version: refused, as the province API refuses them
      // (one service: src/recognition/acceptance-rule-sets.service.ts), naming the field at fault.
      const bj = ruleSet({ id: 'beijing-acceptance', province: '110000', version: '9.0.0' });
      const fieldsOf = (r: { error: { details?: { field: string }[] } }) =>
        r.error.details?.map((d) => d.field);
      const notOwn = await fails('gd', 'POST', '/rule-sets', 403, 'YMT_ERR_PROVINCE_FORBIDDEN', {
        document: bj,
      });
      assert.deepEqual(fieldsOf(notOwn), ['province']);
      const othersId = await fails('gd', 'POST', '/rule-sets', 403, 'YMT_ERR_PROVINCE_FORBIDDEN', {
        document: { ...bj, province: '440000' },
      });
      assert.deepEqual(fieldsOf(othersId), ['id']);
      await fails('bj', 'POST', '/rule-sets', 403, 'YMT_ERR_PROVINCE_FORBIDDEN', {
        document: ruleSet({ id: 'national-acceptance', province: null, version: '2.0.0' }),
      });
      await fails('operator', 'POST', '/rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...national, description: 'changed' },
      });
      const invalid = await fails('operator', 'POST', '/rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...future, rules: 'none' },
      });
      assert.ok(
        invalid.error.details?.some((d) => d.field === 'rules'),
        'rules is named',
      );

      // An operator publishes a new national version already in effect: it replaces the shipped one.
      const v2 = { ...national, version: '2.0.0', validFrom: '2026-11-20T00:00:00+08:00' };
      const published = await ok<{ inForce: boolean; province: null }>('operator', 'POST', '/rule-sets', {
        document: v2,
      });
      assert.deepEqual([published.province, published.inForce], [null, true]);
      type View = {
        id: string;
        version: string;
        inForce: boolean;
        shipped: boolean;
        publishedAt: string | null;
      };
      const seen = (await ok<{ ruleSets: View[] }>('gd', 'GET', '/rule-sets')).ruleSets;
      assert.deepEqual(
        seen.map((r) => [r.id, r.version, r.inForce, r.shipped, r.publishedAt !== null]),
        [
          ['national-acceptance', '1.0.0', false, true, false],
          ['guangdong-acceptance', '1.0.0', false, false, true],
          ['national-acceptance', '2.0.0', true, false, true],
        ],
      );
      const list = (await c.hub.app.inject({ method: 'GET', url: '/.well-known/yimatong/trust-list' })).json<{
        acceptanceRules: { id: string; version: string }[];
      }>();
      assert.ok(
        list.acceptanceRules.some((r) => r.id === 'national-acceptance' && r.version === '2.0.0'),
        'the national 2.0.0 is distributed',
      );
      assert.ok(
        list.acceptanceRules.some((r) => r.id === 'guangdong-acceptance'),
        'the Guangdong set is distributed',
      );
    });
  });

  describe(`console: status rule sets (${engine})`, () => {
    const c = useConsole(engine);
    const { ok, fails } = c;

    test('status rule sets: validated, scheduled, and deciding colours from their validFrom', async () => {
      const feverish = {
        documentType: 'id_card' as const,
        documentNumber: idNumber('51010719900101333'),
        name: '赵六',
        phone: '13512345678',
      };
      let holder = await declaredHolder(c.hub, feverish, { ...HEALTHY_DECLARATION, temperature: 37.6 });
      const health = async () => {
        const h = (
          await c.hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(holder) })
        ).json<{ colour: string; ruleSet: string }>();
        return [h.colour, h.ruleSet];
      };
      assert.deepEqual(await health(), ['yellow', 'national-baseline@1.0.0']);

      const inAnHour = new Date(c.hub.clock.nowMs + 3600_000).toISOString();
      // Fever from 38.0 ℃ instead of 37.3 ℃, from an hour from now.
      const next = {
        ...baseline,
        version: '1.1.0',
        validFrom: inAnHour,
        parameters: { ...baseline.parameters, feverThresholdDeci: 380 },
      };
      const bad = await ok<{ ok: boolean; problems: { path: string }[] }>(
        'operator',
        'POST',
        '/status-rule-sets/validate',
        {
          document: { ...next, parameters: { ...next.parameters, windowDays: 30 } },
        },
      );
      assert.deepEqual(bad, { ok: false, problems: [bad.problems[0]] });
      assert.equal(bad.problems[0]?.path, 'parameters.windowDays');
      assert.deepEqual(await ok('operator', 'POST', '/status-rule-sets/validate', { document: next }), {
        ok: true,
        problems: [],
      });
      await fails('operator', 'POST', '/status-rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...baseline },
      });
      await fails('bj', 'POST', '/status-rule-sets', 403, 'YMT_ERR_CONSOLE_FORBIDDEN', { document: next });
      await fails('bj', 'GET', '/status-rule-sets', 403, 'YMT_ERR_CONSOLE_FORBIDDEN');

      const published = await ok<{ inForce: boolean; created: boolean }>(
        'operator',
        'POST',
        '/status-rule-sets',
        {
          document: next,
        },
      );
      assert.deepEqual(published, {
        id: 'national-baseline',
        version: '1.1.0',
        validFrom: inAnHour,
        inForce: false,
        created: true,
      });
      // The same document again changes nothing; another one under the same version is refused.
      assert.equal(
        (await ok<{ created: boolean }>('operator', 'POST', '/status-rule-sets', { document: next })).created,
        false,
      );
      await fails('operator', 'POST', '/status-rule-sets', 400, 'YMT_ERR_RULE_SET_INVALID', {
        document: { ...next, description: 'changed' },
      });
      const listed = async () =>
        (
          await ok<{ ruleSets: { version: string; inForce: boolean; publishedBy: string | null }[] }>(
            'operator',
            'GET',
            '/status-rule-sets',
          )
        ).ruleSets.map((r) => [r.version, r.inForce, r.publishedBy]);
      assert.deepEqual(await listed(), [
        ['1.0.0', true, null],
        ['1.1.0', false, '国家运营值班'],
      ]);
      // Scheduled: nothing changes before its validFrom (the holder's snapshot stands) …
      assert.deepEqual(await health(), ['yellow', 'national-baseline@1.0.0']);
      // … and from it on, the snapshot made under 1.0.0 is computed again under 1.1.0.
      c.hub.clock.advance(3601);
      holder = await signIn(c.hub.app, feverish);
      assert.deepEqual(await health(), ['green', 'national-baseline@1.1.0']);
      assert.deepEqual(await listed(), [
        ['1.0.0', false, null],
        ['1.1.0', true, '国家运营值班'],
      ]);
    });
  });
}
