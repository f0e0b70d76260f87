/**
 * Refusal pacing (issue 14, finding 3: clients retrying at once made refusals eat the admitted requests' CPU).
 * The pacer's clock is a stub; only its drain timer runs on real time, so each test waits for an outcome (with a
 * generous bound), never for a duration.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RefusalPacer } from '../../src/http/refusal-pacer.ts';

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('RefusalPacer', () => {
  const pacing = { perAdmitted: 2, floorPerSecond: 10, burst: 3, maxWaitMs: 1000 };

  test('within the budget a refusal is answered at once; beyond it, it waits in order for time to earn one', async () => {
    let now = 0;
    const pacer = new RefusalPacer(pacing, () => now);
    const answered: number[] = [];
    for (let i = 0; i < 5; i++) pacer.refuse(() => answered.push(i));
    assert.deepEqual(answered, [0, 1, 2], 'the burst is answered at once');
    assert.equal(pacer.queued, 2);
    assert.equal(pacer.paced, 2);
    now += 100; // 10 a second, nothing admitted: one earned
    await eventually(() => answered.length === 4, 'one waiting refusal answered');
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(answered, [0, 1, 2, 3], 'in the order they came, and only what was earned');
    // A later refusal waits behind the one already waiting even when time has earned one.
    now += 100;
    pacer.refuse(() => answered.push(5));
    await eventually(() => answered.length === 5, 'the next earned refusal');
    assert.deepEqual(answered.slice(4), [4], 'first come, first answered');
    pacer.flush();
    assert.deepEqual(answered.slice(4), [4, 5]);
  });

  test('the budget follows the best second of admissions in the last minute, not the current one', () => {
    let now = 0;
    const pacer = new RefusalPacer({ ...pacing, floorPerSecond: 5 }, () => now);
    assert.equal(pacer.ratePerSecond, 5, 'nothing admitted yet: the floor');
    for (let i = 0; i < 10; i++) pacer.admitted();
    assert.equal(pacer.ratePerSecond, 25, 'the second running counts as it fills');
    now = 1000;
    for (let i = 0; i < 3; i++) pacer.admitted();
    assert.equal(pacer.ratePerSecond, 25, 'a worse second keeps the best one');
    now = 59_999;
    pacer.refuse(() => undefined);
    assert.equal(pacer.ratePerSecond, 25, 'the best second is remembered for a minute');
    now = 60_000;
    pacer.refuse(() => undefined);
    assert.equal(pacer.ratePerSecond, 11, 'then the best of the minute since');
    now = 61_000;
    pacer.refuse(() => undefined);
    assert.equal(pacer.ratePerSecond, 5, 'a minute without admissions: the floor again');
    pacer.flush();
  });

  test('no refusal waits longer than maxWaitMs, even with no budget at all', async () => {
    let now = 0;
    const pacer = new RefusalPacer({ ...pacing, floorPerSecond: 0, burst: 1 }, () => now);
    const answered: string[] = [];
    pacer.refuse(() => answered.push('a'));
    pacer.refuse(() => answered.push('b'));
    now += 999;
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(answered, ['a'], 'still within its longest wait');
    now += 2;
    await eventually(() => answered.length === 2, 'answered at its longest wait');
  });

  test('time earns refusals up to the burst, not beyond', () => {
    let now = 0;
    const pacer = new RefusalPacer({ ...pacing, floorPerSecond: 0 }, () => now);
    for (let i = 0; i < 100; i++) pacer.admitted();
    now = 10_000; // 200 a second for 10 s
    let answered = 0;
    for (let i = 0; i < 10; i++) pacer.refuse(() => answered++);
    assert.equal(answered, 3);
    pacer.flush();
    assert.equal(answered, 10, 'flush answers everything waiting');
    assert.equal(pacer.queued, 0);
  });
});
