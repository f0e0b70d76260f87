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

  test('within the budget a refusal is answered at once; beyond it, it waits for admissions to earn one', async () => {
    let now = 0;
    const pacer = new RefusalPacer(pacing, () => now);
    const answered: number[] = [];
    for (let i = 0; i < 5; i++) pacer.refuse(() => answered.push(i));
    assert.deepEqual(answered, [0, 1, 2], 'the burst is answered at once');
    assert.equal(pacer.queued, 2);
    assert.equal(pacer.paced, 2);
    pacer.admitted(); // two refusals earned
    await eventually(() => answered.length === 5, 'the waiting refusals answered');
    assert.deepEqual(answered, [0, 1, 2, 3, 4], 'in the order they came');
    assert.equal(pacer.queued, 0);
    // The budget is spent: the next refusal waits, and a later one waits behind it even if time earned one.
    pacer.refuse(() => answered.push(5));
    assert.equal(answered.length, 5);
    now += 100; // 10 per second: one earned
    pacer.refuse(() => answered.push(6));
    await eventually(() => answered.length === 6, 'time earns a refusal');
    assert.deepEqual(answered.slice(5), [5], 'first come, first answered');
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

  test('admissions earn refusals up to the burst, not beyond', () => {
    const pacer = new RefusalPacer({ ...pacing, floorPerSecond: 0 }, () => 0);
    for (let i = 0; i < 100; i++) pacer.admitted();
    let answered = 0;
    for (let i = 0; i < 10; i++) pacer.refuse(() => answered++);
    assert.equal(answered, 3);
    pacer.flush();
    assert.equal(answered, 10, 'flush answers everything waiting');
    assert.equal(pacer.queued, 0);
  });
});
