/** The replica's lag as a bound in time (src/db/replica-lag.ts): WAL positions, and what the bound may claim. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseLsn, ReplicaLag } from '../../src/db/replica-lag.ts';

test('WAL positions compare as numbers, the high part first', () => {
  assert.equal(parseLsn('0/0'), 0n);
  assert.equal(parseLsn('1/0'), 1n << 32n);
  assert.ok(parseLsn('16/B374D848') > parseLsn('16/B374D847'));
  assert.ok(parseLsn('2/0') > parseLsn('1/FFFFFFFF'));
  for (const bad of ['', '16', '16/', '/1', 'G/1', '1/2/3', '123456789/0'])
    assert.throws(() => parseLsn(bad), TypeError, bad);
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
      const text = `${(n >> 32n).toString(16).toUpperCase()}/${(n & 0xffffffffn).toString(16).toUpperCase()}`;
      assert.equal(parseLsn(text), n);
    }),
  );
});

test('the bound is the age of the newest primary position the replica has replayed', () => {
  const lag = new ReplicaLag();
  assert.equal(lag.boundMs(1000), Infinity, 'nothing measured: not known');
  lag.primaryAt(1000, 100n);
  lag.primaryAt(1200, 150n);
  lag.primaryAt(1400, 300n);
  lag.replayed(160n);
  assert.equal(lag.boundMs(1500), 300, 'holds all before 1200, not all before 1400');
  lag.replayed(300n);
  assert.equal(lag.boundMs(1500), 100);
  // Between measures the bound only grows: a replica that stopped replaying soon exceeds any limit.
  assert.equal(lag.boundMs(9400), 8000);
  // A replica that answers it is not replaying (promoted, or not a standby), or goes away, is not known.
  lag.replayed(null);
  assert.equal(lag.boundMs(9400), Infinity);
  lag.primaryAt(9500, 400n);
  lag.replayed(400n);
  assert.equal(lag.boundMs(9600), 100);
  lag.lost();
  assert.equal(lag.boundMs(9600), Infinity);
});

test('the bound never claims more than was replayed (property)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 1, maxLength: 40 }),
      fc.nat(100_000),
      (steps, replayedLsn) => {
        const lag = new ReplicaLag();
        let at = 0;
        let lsn = 0n;
        const samples: { at: number; lsn: bigint }[] = [];
        for (const [dt, dl] of steps) {
          at += dt;
          lsn += BigInt(dl);
          lag.primaryAt(at, lsn);
          samples.push({ at, lsn });
        }
        lag.replayed(BigInt(replayedLsn));
        const bound = lag.boundMs(at);
        // The bound is the age of the newest sample at or below what was replayed, and nothing younger.
        const covered = samples.filter((s) => s.lsn <= BigInt(replayedLsn));
        const newest = covered.at(-1);
        assert.equal(bound, newest === undefined ? Infinity : at - newest.at);
      },
    ),
  );
});
