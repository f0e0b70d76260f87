/**
 * 我要纠错 in the citizen app, end to end in headless Chromium on a 360-pixel phone against the real hub on loopback
 * (SQLite, demo population): a railway batch puts 陈静 in the carriage of a health-batch case and she turns yellow;
 * beside that reason she reports an error ("not me", a PDF attached), is told who deals with it and by when, and
 * finds the ticket under "my corrections" with its state and history. In English and elder mode the same record
 * disputed again joins the open ticket. The railway accepts through its feed credential: after a reload the ticket
 * is accepted and she is green. A trip of the co-travel list is disputed and rejected with an answer: she reads it
 * and reopens the ticket once. What the pages show is checked against what the hub answers. axe-core on each new
 * screen; screenshots of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { CORRECTION_ERRORS } from '../../src/errors/correction-errors.ts';
import { SESSION_COOKIE } from '../../src/http/authenticate.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { bearer, idNumber } from '../helpers/people.ts';
import { screenshot } from './browser.ts';
import { CHEN_JING, citizenWithCode, noSeriousViolations, startFaces, type Faces } from './faces.ts';

interface Evidence {
  source: string;
  batchId: string;
  record: number;
}
interface Health {
  colour: 'green' | 'yellow' | 'red';
  reasons: { code: string; text: string; textEn: string; evidence: Evidence }[];
}
interface Correction {
  id: string;
  state: string;
  evidence: Evidence;
  owner: { id: string; name: string; nameEn: string };
  answer?: string;
  history?: { to: string }[];
  attachments?: { contentType: string }[];
}

const CASE_DOC = { documentType: 'id_card', documentNumber: idNumber('44030519850404313') };
const HOLDER_DOC = { documentType: 'id_card', documentNumber: CHEN_JING.documentNumber };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const COLOUR_WORDS = { green: '绿码', yellow: '黄码', red: '红码' } as const;

/** A Beijing calendar date, `days` before the instant. */
function beijingDate(ms: number, days: number): string {
  return new Date(ms - days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

describe('我要纠错 in the citizen app', { timeout: 180_000 }, () => {
  let faces: Faces;
  let context: BrowserContext;
  let page: Page;
  let railway: string;
  /** The reason she disputes, in Chinese. */
  let disputed = '';

  /** The hub's answer to the holder, with the session the browser holds. */
  const asHolder = async <T>(url: string): Promise<T> => {
    const session = (await context.cookies(faces.base)).find((c) => c.name === SESSION_COOKIE);
    assert.ok(session, 'the browser holds a session');
    const r = await faces.hub.app.inject({
      method: 'GET',
      url,
      headers: { cookie: `${SESSION_COOKIE}=${session.value}` },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json<T>();
  };
  const railwayReason = async () => {
    const reason = (await asHolder<Health>('/api/v1/me/health')).reasons.find(
      (r) => r.evidence.source === 'railway',
    );
    assert.ok(reason, 'a co-travel reason from the railway batch');
    return reason;
  };
  const tab = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

  before(async () => {
    faces = await startFaces();
    ({ context, page } = await citizenWithCode(faces));
    const hub = faces.hub;
    railway = (await hub.parts.services.departments.create('国铁集团', 'railway', null, hub.clock.now()))
      .token;
    // Two days ago she sat in the carriage of a case confirmed yesterday.
    const date = beijingDate(hub.clock.nowMs, 2);
    await sendFeed(hub, 'railway', 'rail-e2e-1', [
      { ...CASE_DOC, trainNo: 'G1234', date, carriage: 5, seat: '01A' },
      { ...HOLDER_DOC, trainNo: 'G1234', date, carriage: 5, seat: '02A' },
    ]);
    await sendFeed(hub, 'health', 'case-e2e-1', [
      { ...CASE_DOC, status: 'confirmed', at: new Date(hub.clock.nowMs - 20 * 3_600_000).toISOString() },
    ]);
  });

  after(async () => {
    await faces.close();
  });

  test('a yellow holder reports an error beside the reason and finds the ticket under my corrections', async () => {
    const health = await asHolder<Health>('/api/v1/me/health');
    assert.notEqual(health.colour, 'green', 'the co-travel makes her yellow');
    const reason = await railwayReason();
    disputed = reason.text;

    await tab('健康信息').click();
    const status = page.getByTestId('health-status');
    await status.getByText(COLOUR_WORDS[health.colour]).waitFor();
    const item = page.getByTestId('reason').filter({ hasText: reason.text });
    // Only a record the holder may dispute has the button: hers from the railway does.
    const button = item.getByRole('button', { name: '我要纠错' });
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    const form = page.getByRole('form', { name: /我要纠错/ });
    await form.waitFor();
    // The form's heading takes the focus and names the record.
    assert.equal(
      await page.evaluate(() => document.activeElement?.tagName),
      'H3',
      'the form takes the focus',
    );
    await form.getByText(reason.text).first().waitFor();

    // Nothing sent until the kind and the explanation are there; each problem is told at its field.
    await form.getByRole('button', { name: '提交纠错' }).click();
    await form.getByRole('alert').nth(1).waitFor();
    assert.equal(await form.getByRole('alert').count(), 2);
    assert.equal(await form.getByLabel(/情况说明/).getAttribute('aria-invalid'), 'true');
    assert.deepEqual((await asHolder<{ corrections: unknown[] }>('/api/v1/me/corrections')).corrections, []);

    await form.getByLabel('不是我本人').check();
    await form.getByLabel(/情况说明/).fill('我那天没有乘坐这趟列车，车票不是我买的。');
    await form
      .getByLabel(/证明材料/)
      .setInputFiles({ name: '行程证明.pdf', mimeType: 'application/pdf', buffer: PDF });
    await noSeriousViolations(page, 'dispute form');
    await screenshot(page, 'citizen-dispute-form-zh');

    // A refusal by the hub is told in its own words: here the record is made one she was never shown.
    await page.route('**/api/v1/me/corrections', async (route) => {
      const body = route.request().postDataJSON() as { evidence: Evidence };
      await route.continue({
        postData: JSON.stringify({
          ...body,
          evidence: { ...body.evidence, record: body.evidence.record + 999 },
        }),
      });
    });
    await form.getByRole('button', { name: '提交纠错' }).click();
    await form.getByRole('alert').getByText(CORRECTION_ERRORS.YMT_ERR_CORRECTION_EVIDENCE.message).waitFor();
    await page.unroute('**/api/v1/me/corrections');

    await form.getByRole('button', { name: '提交纠错' }).click();
    const outcome = page.getByTestId('dispute-outcome');
    await outcome.waitFor();
    const [ticket] = (await asHolder<{ corrections: Correction[] }>('/api/v1/me/corrections')).corrections;
    assert.ok(ticket, 'the ticket is on the hub');
    assert.deepEqual(ticket.evidence, reason.evidence);
    assert.equal(ticket.owner.id, 'department:railway');
    await outcome.getByText(ticket.owner.name).waitFor();
    await outcome.getByText(/预计 .+ 前答复/).waitFor();
    await outcome.getByText('已上传 1 个附件').waitFor();
    const full = await asHolder<Correction>(`/api/v1/me/corrections/${ticket.id}`);
    assert.deepEqual(
      full.attachments?.map((a) => a.contentType),
      ['application/pdf'],
    );
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
      'dispute-outcome',
      'the outcome takes the focus',
    );
    await noSeriousViolations(page, 'dispute outcome');
    await screenshot(page, 'citizen-dispute-sent-zh');

    // From the outcome to my corrections: the ticket with its state, record, owner; then its history.
    await outcome.getByRole('button', { name: '查看我的纠错' }).click();
    const mine = page.getByRole('region', { name: '我的纠错' });
    await mine.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'corrections-title');
    const listed = mine.getByTestId('correction');
    // The list arrives after the region is shown: wait for it before counting.
    await listed.first().waitFor();
    assert.equal(await listed.count(), 1);
    assert.equal(await listed.getAttribute('data-state'), ticket.state);
    assert.ok(
      ['已提交', '已转交', '核查中'].includes(
        (await listed.getByTestId('correction-state').textContent()) ?? '',
      ),
    );
    await listed.getByText(ticket.owner.name).waitFor();
    await listed.getByText('不是我本人').waitFor();
    await listed.getByText(new RegExp(`批次 ${ticket.evidence.batchId}`)).waitFor();
    await listed.getByText('答复期限').waitFor();
    await listed.getByRole('button', { name: '查看处理经过' }).click();
    const history = listed.getByTestId('history-step');
    await history.first().waitFor();
    assert.equal(await history.count(), full.history?.length);
    await listed.getByText('application/pdf').waitFor();
    // An open ticket is not reopened.
    assert.equal(await listed.getByRole('button', { name: /重新提交/ }).count(), 0);
    await noSeriousViolations(page, 'my corrections');
    await screenshot(page, 'citizen-my-corrections-zh');
  });

  test('in English and elder mode the same record disputed again joins the open ticket', async () => {
    const reason = await railwayReason();
    const [ticket] = (await asHolder<{ corrections: Correction[] }>('/api/v1/me/corrections')).corrections;
    assert.ok(ticket);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Elder mode' }).click();
    await page.waitForFunction(() => document.body.classList.contains('elder'));

    await tab('Health').click();
    const item = page.getByTestId('reason').filter({ hasText: reason.textEn });
    await item.getByRole('button', { name: 'Report an error' }).click();
    const form = page.getByRole('form', { name: /Report an error/ });
    await form.getByRole('group', { name: 'What is wrong' }).waitFor();
    await form.getByLabel('The details are wrong').check();
    await form.getByLabel(/Explanation/).fill('The seat was booked under my number by mistake.');
    await noSeriousViolations(page, 'dispute form (elder, en)');
    await screenshot(page, 'citizen-dispute-form-elder-en');
    await form.getByRole('button', { name: 'Send the report' }).click();
    const outcome = page.getByTestId('dispute-outcome');
    await outcome.getByText(/already disputed this record/).waitFor();
    await outcome.getByText(ticket.owner.nameEn).waitFor();
    const after = (await asHolder<{ corrections: Correction[] }>('/api/v1/me/corrections')).corrections;
    assert.deepEqual(
      after.map((c) => c.id),
      [ticket.id],
      'still one ticket',
    );

    await outcome.getByRole('button', { name: 'See my corrections' }).click();
    const mine = page.getByRole('region', { name: 'My corrections' });
    await mine.getByText(ticket.owner.nameEn).waitFor();
    await mine.getByText('This is not me').waitFor();
    await noSeriousViolations(page, 'my corrections (elder, en)');
    await screenshot(page, 'citizen-my-corrections-elder-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '标准模式' }).click();
  });

  test('the railway accepts: after a reload the ticket is accepted and the holder is green', async () => {
    const [ticket] = (await asHolder<{ corrections: Correction[] }>('/api/v1/me/corrections')).corrections;
    assert.ok(ticket);
    const answer = '经核查，该乘车记录登记有误，已撤销';
    const decided = await faces.hub.app.inject({
      method: 'POST',
      url: `/api/v1/feeds/railway/corrections/${ticket.id}/decision`,
      headers: bearer(railway),
      payload: { decision: 'accept', answer },
    });
    assert.equal(decided.statusCode, 200, decided.body);
    const now = await asHolder<Correction>(`/api/v1/me/corrections/${ticket.id}`);
    assert.equal(now.state, 'accepted');
    const health = await asHolder<Health>('/api/v1/me/health');

    await page.reload();
    await tab('更多').click();
    const listed = page.getByRole('region', { name: '我的纠错' }).getByTestId('correction');
    await listed.and(page.locator(`[data-state="${now.state}"]`)).waitFor();
    assert.equal(await listed.getByTestId('correction-state').textContent(), '已采纳，记录已更正');
    await listed.getByText(answer).waitFor();
    // Decided: no due time any more, and an accepted ticket is not reopened.
    assert.equal(await listed.getByText('答复期限').count(), 0);
    assert.equal(await listed.getByRole('button', { name: /重新提交/ }).count(), 0);
    await listed.getByRole('button', { name: '查看处理经过' }).click();
    const history = listed.getByTestId('history-step');
    await history.nth((now.history?.length ?? 1) - 1).waitFor();
    assert.equal(await history.count(), now.history?.length);
    await screenshot(page, 'citizen-my-corrections-accepted-zh');

    await tab('健康信息').click();
    const status = page.getByTestId('health-status');
    await status.getByText(COLOUR_WORDS[health.colour]).waitFor();
    assert.equal(health.colour, 'green');
    assert.equal(
      await page.getByTestId('reason').filter({ hasText: disputed }).count(),
      0,
      'the reason is gone',
    );
  });

  test('a trip of the co-travel list is disputed, rejected with an answer, and reopened once', async () => {
    // Yesterday she shared another train with the case: yellow again, the trip listed under co-travel.
    const date = beijingDate(faces.hub.clock.nowMs, 1);
    await sendFeed(faces.hub, 'railway', 'rail-e2e-2', [
      { ...CASE_DOC, trainNo: 'D88', date, carriage: 2, seat: '01A' },
      { ...HOLDER_DOC, trainNo: 'D88', date, carriage: 2, seat: '01B' },
    ]);
    const trips = await asHolder<{ tripNo: string; evidence: Evidence }[]>('/api/v1/me/health/co-travel');
    const trip = trips.find((t) => t.evidence.batchId === 'rail-e2e-2');
    assert.ok(trip, JSON.stringify(trips));

    await tab('更多').click();
    await tab('健康信息').click();
    const coTravel = page.locator('.card').filter({ has: page.getByRole('heading', { name: /同行程/ }) });
    const line = coTravel.getByRole('listitem').filter({ hasText: trip.tripNo });
    await line.getByRole('button', { name: '我要纠错' }).click();
    const form = page.getByRole('form', { name: /我要纠错/ });
    await form.getByLabel('信息有误').check();
    await form.getByLabel(/情况说明/).fill('车厢和座位都不是我的。');
    await form.getByRole('button', { name: '提交纠错' }).click();
    await page.getByTestId('dispute-outcome').waitFor();
    const ticket = (await asHolder<{ corrections: Correction[] }>('/api/v1/me/corrections')).corrections.find(
      (c) => c.evidence.batchId === trip.evidence.batchId,
    );
    assert.ok(ticket);

    const answer = '乘车记录与购票实名信息一致';
    const rejected = await faces.hub.app.inject({
      method: 'POST',
      url: `/api/v1/feeds/railway/corrections/${ticket.id}/decision`,
      headers: bearer(railway),
      payload: { decision: 'reject', answer },
    });
    assert.equal(rejected.statusCode, 200, rejected.body);

    await page.reload();
    await tab('更多').click();
    const listed = page
      .getByRole('region', { name: '我的纠错' })
      .getByTestId('correction')
      .filter({ hasText: trip.evidence.batchId });
    await listed.and(page.locator('[data-state="rejected"]')).waitFor();
    assert.equal(await listed.getByTestId('correction-state').textContent(), '未采纳');
    await listed.getByText(answer).waitFor();
    await listed.getByRole('button', { name: '查看处理经过' }).click();
    await listed.getByRole('button', { name: '补充新信息，重新提交' }).click();
    const reopenText = listed.getByLabel('新的情况说明（必填）');
    // Focus moves to the new text once the form has rendered (a frame after the click, not at once).
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA', undefined, {
      timeout: 5000,
    });
    await reopenText.fill('我当天在外地，有酒店入住记录。');
    await noSeriousViolations(page, 'reopen');
    await screenshot(page, 'citizen-correction-reopen-zh');
    await listed.getByRole('button', { name: '重新提交', exact: true }).click();

    // Reopened: open again as the hub says, and not offered a second time.
    await listed.and(page.locator('[data-state="rejected"]')).waitFor({ state: 'detached' });
    const now = await asHolder<Correction & { reopenable: boolean }>(`/api/v1/me/corrections/${ticket.id}`);
    assert.equal(now.reopenable, false);
    await listed.and(page.locator(`[data-state="${now.state}"]`)).waitFor();
    await listed
      .getByTestId('history-step')
      .nth((now.history?.length ?? 1) - 1)
      .waitFor();
    assert.equal(await listed.getByTestId('history-step').count(), now.history?.length);
    assert.equal(await listed.getByRole('button', { name: /重新提交/ }).count(), 0);
  });
});
