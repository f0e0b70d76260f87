/**
 * The audit chain's check (src/audit/audit-chain.ts): an intact chain passes; any one entry edited,
 * deleted, inserted or moved — and a removed tail — is found, and the first bad entry is named.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  GENESIS_HASH,
  checkChain,
  entryHash,
  type AuditFacts,
  type StoredAuditEntry,
} from '../../src/audit/audit-chain.ts';

const facts = fc.record<AuditFacts>({
  at: fc.integer({ min: 0, max: 2 ** 45 }),
  actorKind: fc.constantFrom('operator', 'province', 'department', 'proxy', 'checkpoint'),
  actorRef: fc.string({ maxLength: 12 }),
  action: fc.constantFrom('access.status.lookup', 'operator.create', 'rule-set.publish'),
  subject: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
  detail: fc.option(fc.json({ maxDepth: 1 }), { nil: null }),
});

/** A chain of these facts after `base`. */
function chain(all: readonly AuditFacts[], base = { seq: 0, hash: GENESIS_HASH }): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = base.hash;
  all.forEach((f, i) => {
    const e = { ...f, seq: base.seq + i + 1 };
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  });
  return out;
}

/** The element at `i`, which the test knows is there. */
const at = <T>(xs: readonly T[], i: number): T => {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
};

const headOf = (c: readonly StoredAuditEntry[]) => {
  const last = c.at(-1);
  return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
};
const GENESIS = { seq: 0, hash: GENESIS_HASH };

describe('audit chain', () => {
  test('an intact chain passes, from the genesis or from a base retention left', () => {
    fc.assert(
      fc.property(fc.array(facts, { maxLength: 20 }), fc.nat({ max: 1000 }), (all, baseSeq) => {
        const c = chain(all);
        assert.equal(checkChain(GENESIS, c, headOf(c)), undefined);
        const base = { seq: baseSeq, hash: 'ab'.repeat(32) };
        const later = chain(all, base);
        assert.equal(checkChain(base, later, later.length === 0 ? base : headOf(later)), undefined);
      }),
    );
  });

  test('an edited entry is named, whether its hash was left or computed again', () => {
    fc.assert(
      fc.property(fc.array(facts, { minLength: 2, maxLength: 12 }), fc.nat(), (all, pick) => {
        const c = chain(all);
        const i = pick % c.length;
        const victim = at(c, i);
        const edited = { ...victim, actorRef: `${victim.actorRef}x` };
        const left = c.with(i, edited);
        assert.deepEqual(checkChain(GENESIS, left, headOf(c)), { seq: victim.seq, problem: 'edited' });
        // Recomputing the edited entry's hash breaks the link of the next one (or the head, for the last).
        const recomputed = c.with(i, { ...edited, hash: entryHash(edited.prevHash, edited) });
        const bad = checkChain(GENESIS, recomputed, headOf(c));
        assert.deepEqual(
          bad,
          i === c.length - 1
            ? { seq: victim.seq + 1, problem: 'truncated' }
            : { seq: victim.seq + 1, problem: 'relinked' },
        );
      }),
    );
  });

  test('a deleted entry is named by its number; a removed tail by the head', () => {
    fc.assert(
      fc.property(fc.array(facts, { minLength: 2, maxLength: 12 }), fc.nat(), (all, pick) => {
        const c = chain(all);
        const i = pick % (c.length - 1);
        const without = c.toSpliced(i, 1);
        assert.deepEqual(checkChain(GENESIS, without, headOf(c)), { seq: at(c, i).seq, problem: 'missing' });
        const short = c.slice(0, i + 1);
        assert.deepEqual(checkChain(GENESIS, short, headOf(c)), {
          seq: at(c, i).seq + 1,
          problem: 'truncated',
        });
      }),
    );
  });

  test('an inserted entry (the numbers after it shifted) and two swapped entries are named', () => {
    fc.assert(
      fc.property(fc.array(facts, { minLength: 2, maxLength: 12 }), facts, fc.nat(), (all, extra, pick) => {
        const c = chain(all);
        const i = pick % c.length;
        // An entry slipped in at position i, chained to the one before, the later ones renumbered.
        const forged = { ...extra, seq: i + 1 };
        const prev = i === 0 ? GENESIS_HASH : at(c, i - 1).hash;
        const inserted = [
          ...c.slice(0, i),
          { ...forged, prevHash: prev, hash: entryHash(prev, forged) },
          ...c.slice(i).map((e) => ({ ...e, seq: e.seq + 1 })),
        ];
        const head = { seq: c.length + 1, hash: at(c, c.length - 1).hash };
        const bad = checkChain(GENESIS, inserted, head);
        assert.deepEqual(bad, { seq: i + 2, problem: 'relinked' });
        // Two neighbours swapped (their numbers kept in place).
        const j = pick % (c.length - 1);
        const swapped = c
          .with(j, { ...at(c, j + 1), seq: at(c, j).seq })
          .with(j + 1, { ...at(c, j), seq: at(c, j + 1).seq });
        assert.deepEqual(checkChain(GENESIS, swapped, headOf(c)), { seq: j + 1, problem: 'relinked' });
      }),
    );
  });
});
