/**
 * Admission control (issue 14, findings 2 and 5), the policy alone: priority classes and their shares of the
 * in-flight budget, the uploads' own budget, and shedding by the event loop's lateness. The app around it:
 * overload.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  Admission,
  LoopDelayMonitor,
  PRIORITIES,
  priorityOf,
  type Priority,
} from '../../src/http/admission.ts';

describe('Admission', () => {
  const limits = { maxInFlight: 4, maxUploadsInFlight: 2, loopDelayLimitMs: 100 };

  test('codes may fill the budget, declarations 3/4 of it, details half; a refusal takes nothing', () => {
    const a = new Admission(limits, () => 0);
    assert.equal(a.tryAdmit('details'), undefined);
    assert.equal(a.tryAdmit('details'), undefined);
    assert.equal(a.tryAdmit('details'), 'in-flight', 'details stop at half the budget');
    assert.equal(a.tryAdmit('declarations'), undefined);
    assert.equal(a.tryAdmit('declarations'), 'in-flight', 'declarations stop at three quarters');
    assert.equal(a.tryAdmit('codes'), undefined, 'the last slot is kept for codes');
    assert.equal(a.tryAdmit('codes'), 'in-flight');
    assert.equal(a.inFlight, 4);
    assert.equal(a.limit, 4);
    a.release('details');
    assert.equal(a.tryAdmit('details'), 'in-flight', 'three in flight: still over the details share');
    assert.equal(a.tryAdmit('codes'), undefined);
    const s = a.snapshot();
    assert.deepEqual(
      { codes: s.codes, declarations: s.declarations, details: s.details },
      {
        codes: { inFlight: 2, cap: 4, admitted: 2, shed: 1 },
        declarations: { inFlight: 1, cap: 3, admitted: 1, shed: 1 },
        details: { inFlight: 1, cap: 2, admitted: 2, shed: 2 },
      },
    );
  });

  test("uploads have their own budget: they never take a holder's slot, nor holders theirs", () => {
    const a = new Admission(limits, () => 0);
    assert.equal(a.tryAdmit('uploads'), undefined);
    assert.equal(a.tryAdmit('uploads'), undefined);
    assert.equal(a.tryAdmit('uploads'), 'in-flight');
    assert.equal(a.inFlight, 0, "uploads are not counted against the holders' budget");
    for (let i = 0; i < 4; i++) assert.equal(a.tryAdmit('codes'), undefined);
    a.release('uploads');
    assert.equal(a.tryAdmit('uploads'), undefined, 'holders filling their budget do not block an upload');
  });

  test('the later the event loop runs, the more classes are shed: details and uploads first, codes last', () => {
    let delay = 0;
    const a = new Admission(limits, () => delay);
    const admitted = () =>
      PRIORITIES.filter((p) => {
        const refused = a.tryAdmit(p);
        if (refused === undefined) a.release(p);
        else assert.equal(refused, 'loop-delay');
        return refused === undefined;
      });
    assert.deepEqual(admitted(), ['codes', 'declarations', 'details', 'uploads']);
    delay = 50;
    assert.deepEqual(admitted(), ['codes', 'declarations', 'details', 'uploads'], 'half the limit: all');
    delay = 51;
    assert.deepEqual(admitted(), ['codes', 'declarations']);
    delay = 76;
    assert.deepEqual(admitted(), ['codes']);
    delay = 101;
    assert.deepEqual(admitted(), []);
    delay = 0;
    assert.deepEqual(admitted(), ['codes', 'declarations', 'details', 'uploads'], 'back at once');
  });

  test('a release without an admission is a bug, and so are budgets that are not positive integers', () => {
    assert.throws(() => {
      new Admission(limits, () => 0).release('codes');
    }, /release without/);
    for (const bad of [0, -1, 1.5, Number.NaN])
      assert.throws(() => new Admission({ ...limits, maxInFlight: bad }, () => 0), RangeError);
    assert.throws(() => new Admission({ ...limits, loopDelayLimitMs: -1 }, () => 0), RangeError);
  });

  test('each request has its class', () => {
    const cases: [string, string, Priority][] = [
      ['POST', '/api/v1/me/code', 'codes'],
      ['GET', '/api/v1/me/code?x=1', 'codes'],
      ['POST', '/api/v1/verify', 'codes'],
      ['GET', '/api/v1/checkpoint/national-status', 'codes'],
      ['POST', '/api/v1/federation/code-holder', 'codes'],
      ['POST', '/api/v1/me/declaration', 'declarations'],
      ['PATCH', '/api/v1/me/declaration', 'declarations'],
      ['POST', '/api/v1/auth/real-name', 'declarations'],
      ['POST', '/api/v1/federation/identities/verify', 'declarations'],
      ['GET', '/api/v1/me/health', 'details'],
      ['GET', '/api/v1/me/code.png', 'details'],
      ['GET', '/api/v1/console/capacity', 'details'],
      ['GET', '/api/v1/feeds/railway/batches/b1', 'details'],
      ['POST', '/api/v1/feeds/railway/batches?batchId=b1', 'uploads'],
      ['POST', '/api/v1/me/corrections/c1/attachments', 'uploads'],
      ['GET', '/api/v1/me/corrections/c1/attachments', 'details'],
      ['GET', '/api/nope', 'details'],
    ];
    for (const [method, url, p] of cases) assert.equal(priorityOf(method, url), p, `${method} ${url}`);
  });
});

describe('LoopDelayMonitor', () => {
  test("admitted work waits until the turn has read every ready request, and counts as the turn's queued work", async () => {
    const loop = new LoopDelayMonitor();
    const ran: number[] = [];
    loop.defer(() => ran.push(1));
    loop.defer(() => ran.push(2));
    assert.equal(ran.length, 0, 'nothing runs where it is read');
    assert.ok(loop.queuedWorkMs() > 0, 'two requests queued for this turn');
    const one = loop.queuedWorkMs() / 2;
    loop.defer(() => ran.push(3));
    assert.ok(Math.abs(loop.queuedWorkMs() - 3 * one) < 1e-9, 'each adds its estimated cost');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(ran, [1, 2, 3], 'then they run, in order');
    assert.equal(loop.queuedWorkMs(), 0);
  });

  test('pressure is the smaller of late now (with queued work) and late lately: a burst after quiet turns sheds nothing', () => {
    const loop = new LoopDelayMonitor();
    for (let i = 0; i < 50; i++) loop.defer(() => undefined);
    assert.ok(loop.queuedWorkMs() > 5, 'much queued now');
    assert.equal(loop.lateLatelyMs, 0, 'no tick ran late');
    assert.equal(loop.pressureMs(), 0);
  });
});
