/**
 * One colour per person: case status, colour and reasons always agree (SQLite and PostgreSQL). Every health-event
 * status the health commission's feed sends and every kind of status entry an operator can create (through the
 * console) is walked: `GET /api/v1/me/health` (colour, the reason with its evidence) and
 * `GET /api/v1/me/health/case-status` say the same, naming the same record; a `cleared` event, or ending the entry,
 * turns both back.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CASE_STATUSES } from '../../src/feeds/feed-records.domain.ts';
import { ENTRY_KINDS } from '../../src/status/status-entries.domain.ts';
import { useConsole } from '../console/console-fixture.ts';
import { ENGINES } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { bearer, declaredHolder, idNumber, signIn } from '../helpers/people.ts';

interface Evidence {
  source: string;
  batchId: string;
  record: number;
}
interface Health {
  colour: string;
  reasons: { code: string; colour: string; evidence: Evidence }[];
}
interface CaseStatus {
  status: string;
  isCase: boolean;
  at?: string;
  evidence?: Evidence;
}
interface Expected {
  colour: string;
  status: string;
  isCase: boolean;
  /** The reason that carries the case status (none when green). */
  code?: string;
}

/** What each status of the health feed gives under the national baseline. */
const BY_HEALTH_STATUS: Record<(typeof CASE_STATUSES)[number], Expected> = {
  confirmed: { colour: 'red', status: 'confirmed', isCase: true, code: 'CASE_CONFIRMED' },
  suspected: { colour: 'red', status: 'suspected', isCase: true, code: 'CASE_SUSPECTED' },
  asymptomatic: { colour: 'red', status: 'asymptomatic', isCase: true, code: 'CASE_ASYMPTOMATIC' },
  close_contact: { colour: 'red', status: 'close_contact', isCase: false, code: 'CLOSE_CONTACT_OBSERVED' },
  cleared: { colour: 'green', status: 'cleared', isCase: false },
};
const GREEN: Expected = { colour: 'green', status: 'none', isCase: false };
const ACTIVE_CASE = new Set(['confirmed', 'suspected', 'asymptomatic']);

for (const engine of ENGINES) {
  describe(`case status, colour and reasons agree (${engine})`, () => {
    const c = useConsole(engine);
    let people = 0;

    /** A new holder with a healthy declaration: their session and their document. */
    const holder = async () => {
      people += 1;
      const person = {
        documentType: 'id_card' as const,
        documentNumber: idNumber(`11010519900101${String(100 + people)}`),
        name: '测试人',
        phone: `1390000${String(1000 + people)}`,
      };
      return { token: await declaredHolder(c.hub, person), doc: person };
    };
    const read = async (token: string) => {
      const get = async <T>(url: string) => {
        const res = await c.hub.app.inject({ method: 'GET', url, headers: bearer(token) });
        assert.equal(res.statusCode, 200, res.body);
        return res.json<T>();
      };
      return {
        health: await get<Health>('/api/v1/me/health'),
        caseStatus: await get<CaseStatus>('/api/v1/me/health/case-status'),
      };
    };
    /** Both answers as expected, and naming the same record: the case status is one of the reasons. */
    const agree = async (token: string, expected: Expected, what: string) => {
      const { health, caseStatus } = await read(token);
      assert.equal(health.colour, expected.colour, `${what}: colour`);
      assert.deepEqual([caseStatus.status, caseStatus.isCase], [expected.status, expected.isCase], what);
      assert.equal(caseStatus.isCase, ACTIVE_CASE.has(caseStatus.status), what);
      if (expected.code === undefined) {
        assert.deepEqual(
          health.reasons.map((r) => r.code),
          ['NO_ABNORMALITY'],
          `${what}: no finding`,
        );
        return { health, caseStatus };
      }
      const reason = health.reasons.find((r) => r.code === expected.code);
      assert.ok(reason, `${what}: the reason ${expected.code} in ${JSON.stringify(health.reasons)}`);
      assert.equal(reason.colour, health.colour, `${what}: the reason decides the colour`);
      assert.deepEqual(caseStatus.evidence, reason.evidence, `${what}: the same record`);
      return { health, caseStatus };
    };
    const health = (doc: { documentNumber: string }, status: string, at: string) => ({
      documentType: 'id_card',
      documentNumber: doc.documentNumber,
      status,
      at,
    });

    test('every status of the health feed, then a clearance', async () => {
      for (const status of CASE_STATUSES) {
        const { token, doc } = await holder();
        await agree(token, GREEN, `${status}: before`);
        await sendFeed(c.hub, 'health', `h-${status}`, [health(doc, status, '2026-11-22T09:00:00+08:00')]);
        const { caseStatus } = await agree(token, BY_HEALTH_STATUS[status], status);
        assert.deepEqual(caseStatus.evidence, { source: 'health', batchId: `h-${status}`, record: 1 });
        assert.equal(caseStatus.at, '2026-11-22T01:00:00.000Z');
        if (status === 'cleared') continue;
        await sendFeed(c.hub, 'health', `c-${status}`, [health(doc, 'cleared', '2026-11-22T09:30:00+08:00')]);
        await agree(token, BY_HEALTH_STATUS.cleared, `${status}, then cleared`);
      }
    });

    test('every kind of status entry an operator can create, then its end', async () => {
      const { kinds } = await c.ok<{ kinds: { code: string }[] }>('operator', 'GET', '/status-entries/kinds');
      assert.deepEqual(
        kinds.map((k) => k.code),
        ENTRY_KINDS.map((k) => k.code),
      );
      for (const kind of ENTRY_KINDS) {
        const { token, doc } = await holder();
        const entry = await c.ok<{ entryId: string }>('operator', 'POST', '/status-entries', {
          documentType: 'id_card',
          documentNumber: doc.documentNumber,
          kind: kind.code,
          reason: '流调核实',
        });
        const status = kind.caseStatus ?? 'none';
        const { caseStatus } = await agree(
          token,
          { colour: kind.colour, status, isCase: ACTIVE_CASE.has(status), code: kind.code },
          kind.code,
        );
        assert.deepEqual(caseStatus.evidence, { source: 'status', batchId: entry.entryId, record: 0 });
        assert.equal(caseStatus.at, new Date(c.hub.clock.nowMs).toISOString());
        await c.ok('operator', 'POST', `/status-entries/${entry.entryId}/end`, { reason: '解除隔离' });
        await agree(token, GREEN, `${kind.code}, then ended`);
      }
    });

    test('an entry and health events together: the most serious finding answers, each ending in turn', async () => {
      const { token, doc } = await holder();
      const entry = await c.ok<{ entryId: string }>('operator', 'POST', '/status-entries', {
        documentType: 'id_card',
        documentNumber: doc.documentNumber,
        kind: 'CASE_SUSPECTED',
        reason: '发热门诊报告',
      });
      await sendFeed(c.hub, 'health', 'mixed-1', [health(doc, 'confirmed', '2026-11-22T09:00:00+08:00')]);
      const both = await agree(token, BY_HEALTH_STATUS.confirmed, 'suspected entry and confirmed event');
      assert.ok(both.health.reasons.some((r) => r.code === 'CASE_SUSPECTED'));
      // The health commission clears the holder; the operator's entry still holds.
      await sendFeed(c.hub, 'health', 'mixed-2', [health(doc, 'cleared', '2026-11-22T09:30:00+08:00')]);
      const entryOnly = await agree(token, BY_HEALTH_STATUS.suspected, 'the entry after the clearance');
      assert.equal(entryOnly.caseStatus.evidence?.batchId, entry.entryId);
      await c.ok('operator', 'POST', `/status-entries/${entry.entryId}/end`, { reason: '排除' });
      await agree(token, BY_HEALTH_STATUS.cleared, 'both ended');
    });

    test('an entry past its end no longer counts, for the colour as for the case status', async () => {
      const { token, doc } = await holder();
      await c.ok('operator', 'POST', '/status-entries', {
        documentType: 'id_card',
        documentNumber: doc.documentNumber,
        kind: 'CLOSE_CONTACT_OBSERVED',
        until: new Date(c.hub.clock.nowMs + 3600_000).toISOString(),
        reason: '集中隔离观察',
      });
      await agree(token, BY_HEALTH_STATUS.close_contact, 'during');
      // Past its end, once the snapshot read during it has lived its life (STATUS_SNAPSHOT_TTL_SECONDS).
      c.hub.clock.advance(3600 + c.hub.parts.config.statusSnapshotTtlSeconds);
      await agree(await signIn(c.hub.app, doc), GREEN, 'after its end');
    });
  });
}
