/** The ticket workflow's pure part: moves, deadlines, owners (src/tickets/workflow.domain.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Actor } from '../../src/access/actor.ts';
import {
  allowed,
  dueAt,
  median,
  ownerId,
  owns,
  parseOwnerId,
  stateAfter,
  STATES,
  STATE_TEXT,
  type Move,
  type Owner,
} from '../../src/tickets/workflow.domain.ts';

const D = { answerMs: 24 * 3600_000, decisionMs: 72 * 3600_000, closeAfterMs: 14 * 86_400_000 };
const MOVES: Move[] = ['review', 'accept', 'reject', 'reopen', 'close'];

describe('ticket workflow', () => {
  test('the moves: submitted → routed → in review → accepted | rejected → closed; reopened once', () => {
    const table = STATES.map((s) => [s, MOVES.filter((m) => allowed(m, s, 0))]);
    assert.deepEqual(table, [
      ['submitted', ['review', 'accept', 'reject']],
      ['routed', ['review', 'accept', 'reject']],
      ['in_review', ['accept', 'reject']],
      ['accepted', ['close']],
      ['rejected', ['reopen', 'close']],
      ['closed', ['reopen']],
    ]);
    assert.equal(allowed('reopen', 'rejected', 1), false);
    assert.equal(allowed('reopen', 'closed', 1), false);
    assert.equal(stateAfter('reopen'), 'routed');
  });

  test('each stage has its deadline; a closed ticket has none', () => {
    assert.equal(dueAt('routed', 1000, D), 1000 + D.answerMs);
    assert.equal(dueAt('in_review', 1000, D), 1000 + D.decisionMs);
    assert.equal(dueAt('accepted', 1000, D), 1000 + D.closeAfterMs);
    assert.equal(dueAt('rejected', 1000, D), 1000 + D.closeAfterMs);
    assert.equal(dueAt('closed', 1000, D), null);
  });

  test('every state has a text for the holder in both languages', () => {
    for (const s of STATES) {
      assert.match(STATE_TEXT[s].zh, /\p{Script=Han}/u);
      assert.match(STATE_TEXT[s].en, /^[ -~]+$/);
    }
  });

  test('an owner survives its id; garbage is not an owner', () => {
    const owner = fc.oneof(
      fc.constant<Owner>({ kind: 'operators' }),
      fc.stringMatching(/^\d{6}$/).map((p): Owner => ({ kind: 'province', province: p })),
      fc
        .record({
          source: fc.constantFrom(
            'health' as const,
            'railway' as const,
            'aviation' as const,
            'telecom' as const,
            'immigration' as const,
            'area-risk' as const,
          ),
          province: fc.option(fc.stringMatching(/^\d{6}$/), { nil: null }),
        })
        .map((r): Owner => ({ kind: 'department', ...r })),
    );
    fc.assert(
      fc.property(owner, (o) => {
        assert.deepEqual(parseOwnerId(ownerId(o)), o);
      }),
    );
    for (const bad of ['', 'operators:x', 'province:11', 'department:bus', 'department:railway:abc'])
      assert.equal(parseOwnerId(bad), undefined, bad);
  });

  test('operators own every ticket; a province its own; a department its source in its province only', () => {
    const operator: Actor = { role: 'operator', name: 'op' };
    const bj: Actor = { role: 'province', name: 'bj', province: '110000' };
    const rail: Actor = {
      role: 'department',
      name: '国铁集团',
      departmentId: 'd1',
      source: 'railway',
      province: null,
    };
    const railGd: Actor = { ...rail, departmentId: 'd2', province: '440000' };
    const railway: Owner = { kind: 'department', source: 'railway', province: null };
    const railwayGd: Owner = { kind: 'department', source: 'railway', province: '440000' };
    const bjOwner: Owner = { kind: 'province', province: '110000' };
    assert.deepEqual(
      [operator, bj, rail, railGd].map((a) =>
        [railway, railwayGd, bjOwner, { kind: 'operators' } as Owner].map((o) => owns(a, o)),
      ),
      [
        [true, true, true, true],
        [false, false, true, false],
        [true, false, false, false],
        [false, true, false, false],
      ],
    );
  });

  test('median', () => {
    assert.equal(median([]), null);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});
