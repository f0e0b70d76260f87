/**
 * The retention windows' rules (docs/operations.md#retention): the minimums are what the status rules and the
 * sign-in read, configuration refuses less; and the kinds kept by their own rule — closed tickets 180 days after
 * closing, expired sessions, consents and sign-in challenges — on both engines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { IMMIGRATION_IDENTITY_DAYS } from '../../src/identity/identity-provider.ts';
import {
  cutoffs,
  RETENTION_DEFAULT_DAYS,
  RETENTION_MINIMUM_DAYS,
} from '../../src/retention/retention.domain.ts';
import { baselineNumber } from '../../src/risk/baseline.ts';
import { ENGINES, startContext, TestClock, type TestHub } from '../helpers/context.ts';

const DAY_MS = 86_400_000;

test('the minimums are the look-back the rules read plus a day, and the defaults keep a margin over them', () => {
  const lookBack = baselineNumber('windowDays') + 1;
  assert.equal(RETENTION_MINIMUM_DAYS.healthDays, lookBack);
  assert.equal(RETENTION_MINIMUM_DAYS.travelDays, lookBack);
  assert.equal(RETENTION_MINIMUM_DAYS.telecomDays, lookBack);
  assert.equal(RETENTION_MINIMUM_DAYS.declarationVersionsDays, lookBack);
  assert.equal(RETENTION_MINIMUM_DAYS.immigrationDays, IMMIGRATION_IDENTITY_DAYS + 1);
  for (const [k, min] of Object.entries(RETENTION_MINIMUM_DAYS))
    assert.ok(RETENTION_DEFAULT_DAYS[k as keyof typeof RETENTION_DEFAULT_DAYS] >= min, k);
});

test('configuration refuses a window under its minimum, naming the key', () => {
  assert.throws(
    () => loadConfig({ RETENTION_TRAVEL_DAYS: '14', RETENTION_IMMIGRATION_DAYS: '30' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems.some((p) => p.startsWith('RETENTION_TRAVEL_DAYS: must be an integer from 15')) &&
      e.problems.some((p) => p.startsWith('RETENTION_IMMIGRATION_DAYS: must be an integer from 91')),
  );
  assert.deepEqual(loadConfig({ RETENTION_TRAVEL_DAYS: '15' }).retention.travelDays, 15);
  assert.equal(loadConfig({}).retentionIntervalMinutes, 60);
});

test('cut-offs: the instant and its Asia/Shanghai date, per kind', () => {
  const c = cutoffs(loadConfig({}).retention, new Date('2026-12-05T02:00:00Z'));
  assert.deepEqual(c.feeds.railway, { ms: Date.parse('2026-11-07T02:00:00Z'), date: '2026-11-07' });
  assert.equal(c.feeds.immigration.date, '2026-08-30');
  // 17:00 UTC is already the next day in Beijing.
  assert.equal(
    cutoffs(loadConfig({}).retention, new Date('2026-12-05T17:00:00Z')).feeds.health.date,
    '2026-11-08',
  );
  assert.equal(c.expired.ms, Date.parse('2026-12-05T02:00:00Z'));
  assert.equal(c.challenges.ms, Date.parse('2026-12-04T02:00:00Z'));
});

for (const engine of ENGINES) {
  describe(`kinds kept by their own rule (${engine})`, () => {
    let hub: TestHub;
    const start = Date.parse('2026-06-01T02:00:00Z');
    before(async () => {
      hub = await startContext(engine, { clock: new TestClock(start) });
      const db = hub.parts.db;
      for (const [id, state] of [
        ['t-closed', 'closed'],
        ['t-open', 'routed'],
      ] as const) {
        await db
          .insertInto('tickets')
          .values({
            ticket_id: id,
            kind: 'correction',
            person_id: 'p1',
            province: '440000',
            region: '440300',
            details_enc: 'x',
            state,
            owner: 'operators',
            answer: null,
            reopen_count: 0,
            due_at: null,
            escalated_at: null,
            first_answer_at: null,
            resolved_at: null,
            evidence_key: null,
            created_at: start,
            updated_at: start,
          })
          .execute();
        await db
          .insertInto('ticket_events')
          .values({
            ticket_id: id,
            at: start,
            actor: 'holder',
            from_state: null,
            to_state: state,
            reason_enc: null,
          })
          .execute();
        await db
          .insertInto('holder_notifications')
          .values({
            person_id: 'p1',
            ticket_id: id,
            state,
            created_at: start,
            delivered_at: start,
            channel: 'log',
          })
          .execute();
      }
      await db
        .insertInto('consents')
        .values({
          token_hash: 'c1',
          person_id: 'p1',
          audience: '440000',
          created_at: start,
          expires_at: start + 60_000,
        })
        .execute();
      await db
        .insertInto('sign_in_challenges')
        .values({
          challenge_id: 's1',
          province: '440000',
          doc_hash: 'd1',
          code_hash: 'h',
          attempts: 0,
          created_at: start,
          expires_at: start + 300_000,
          confirmed_at: null,
        })
        .execute();
    });
    after(() => hub.close());
    const left = async (table: 'tickets' | 'ticket_events' | 'holder_notifications') =>
      (await hub.parts.db.selectFrom(table).select('ticket_id').orderBy('ticket_id').execute()).map(
        (r) => r.ticket_id,
      );

    test('an expired consent goes at once; a sign-in challenge a day after expiry (the hourly limit counts it)', async () => {
      hub.clock.nowMs = start + 3600_000;
      const soon = await hub.parts.services.retention.purge(hub.clock.now());
      assert.deepEqual([soon?.consents, soon?.sign_in_challenges], [1, 0]);
      hub.clock.nowMs = start + DAY_MS + 3600_000;
      const later = await hub.parts.services.retention.purge(hub.clock.now());
      assert.deepEqual([later?.consents, later?.sign_in_challenges], [0, 1]);
    });

    test('a closed ticket goes 180 days after closing, with its events and notifications; an open one stays', async () => {
      hub.clock.nowMs = start + 179 * DAY_MS;
      assert.equal((await hub.parts.services.retention.purge(hub.clock.now()))?.tickets, 0);
      hub.clock.nowMs = start + 181 * DAY_MS;
      assert.equal((await hub.parts.services.retention.purge(hub.clock.now()))?.tickets, 1);
      assert.deepEqual(await left('tickets'), ['t-open']);
      assert.deepEqual(await left('ticket_events'), ['t-open']);
      assert.deepEqual(await left('holder_notifications'), ['t-open']);
    });
  });
}
