/**
 * The console's corrections section (纠错工单) end to end in headless Chromium, against the real hub on loopback
 * (SQLite, demo population): a railway batch puts two holders in the carriage of a health-batch case and they turn
 * yellow; both dispute their manifest row through the API, one with a picture attached. The railway department
 * signs in to the console with its feed credential, sees both tickets with the holders masked, opens one (the
 * disputed record, the history, the attachment saved with the credential), is refused a rejection without an answer
 * at the field, takes the ticket in review and accepts it: the holder is green through the API at once, and the
 * oversight chart names the railway with its figures. A Beijing provincial authority sees none of the railway's
 * tickets; past its deadline the other ticket is escalated, and an operator finds it overdue among the escalated.
 * The tests share the console's page and run in order; axe-core on the section, screenshots of it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { TestClock } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { bearer, declaredHolder, doc, person } from '../helpers/people.ts';
import { desk, screenshot } from './browser.ts';
import { consoleSignIn, noSeriousViolations, startFaces, type Faces } from './faces.ts';

const ZHOU = person('周明', '44030519880202121', '13900000021');
const QIAN = person('钱芳', '44030519900303222', '13900000022');
const CASE = person('王强', '44030519850404313', '13900000023');

/** The first bytes of a PNG: the hub takes an attachment by its content. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const HOUR = 3600;

interface Reason {
  code: string;
  colour: string;
  evidence: { source: string; batchId: string; record: number };
}

describe('the console’s corrections section in Chromium', { timeout: 180_000 }, () => {
  let faces: Faces;
  let desktop: BrowserContext;
  let page: Page;
  const holders: Record<string, string> = {};
  let railway: string;
  let operator: string;
  let beijing: string;
  /** The tickets, by holder. */
  const ticket: Record<string, string> = {};

  /** A call to the hub with a bearer credential. */
  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    faces.hub.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const colour = async (who: typeof ZHOU) => {
    const r = await api('GET', '/api/v1/me/health', holders[who.name] ?? '');
    assert.equal(r.statusCode, 200, r.body);
    return r.json<{ colour: string; reasons: Reason[] }>();
  };

  before(async () => {
    // The hub's clock stands at 2026-11-27 10:00 Beijing time until a test moves it (by hours: the holders'
    // sessions last a day).
    faces = await startFaces({ clock: new TestClock(), env: { SESSION_TTL_SECONDS: '86400' } });
    const { hub } = faces;
    for (const p of [ZHOU, QIAN, CASE]) holders[p.name] = await declaredHolder(hub, p);
    const now = hub.clock.now();
    const { departments, consoleAccounts } = hub.parts.services;
    railway = (await departments.create('国铁集团', 'railway', null, now)).token;
    operator = (await consoleAccounts.create('国家运营值班', null, now)).token;
    beijing = (await consoleAccounts.create('北京市卫健委', '110000', now)).token;
    await sendFeed(hub, 'railway', 'rail-1', [
      { ...doc(CASE), trainNo: 'G123', date: '2026-11-25', carriage: 5, seat: '01A' },
      { ...doc(ZHOU), trainNo: 'G123', date: '2026-11-25', carriage: 5, seat: '02A' },
      { ...doc(QIAN), trainNo: 'G123', date: '2026-11-25', carriage: 5, seat: '03A' },
    ]);
    await sendFeed(hub, 'health', 'case-1', [
      { ...doc(CASE), status: 'confirmed', at: '2026-11-26T08:00:00+08:00' },
    ]);
    for (const [who, text] of [
      [ZHOU, `我没有乘坐这趟车，证件 ${ZHOU.documentNumber} 被他人冒用`],
      [QIAN, '当天我在深圳上班'],
    ] as const) {
      const health = await colour(who);
      assert.equal(health.colour, 'yellow', JSON.stringify(health));
      const coTravel = health.reasons.find((r) => r.evidence.source === 'railway');
      assert.ok(coTravel, JSON.stringify(health.reasons));
      const filed = await api('POST', '/api/v1/me/corrections', holders[who.name] ?? '', {
        evidence: coTravel.evidence,
        kind: 'not_me',
        text,
      });
      assert.equal(filed.statusCode, 201, filed.body);
      const { id, state } = filed.json<{ id: string; state: string }>();
      assert.equal(state, 'routed');
      ticket[who.name] = id;
    }
    const attached = await hub.app.inject({
      method: 'POST',
      url: `/api/v1/me/corrections/${ticket[ZHOU.name] ?? ''}/attachments`,
      headers: { ...bearer(holders[ZHOU.name] ?? ''), 'content-type': 'image/png' },
      payload: PNG,
    });
    assert.equal(attached.statusCode, 201, attached.body);

    desktop = await desk(faces.browser);
    page = await desktop.newPage();
    await page.goto(`${faces.base}/console/`);
  });

  after(async () => {
    await faces.close();
  });

  /** The ticket's row in the list, by the holder's masked name. */
  const row = (masked: string): Locator =>
    page.getByTestId('corrections').getByRole('row', { name: new RegExp(masked.replace('*', '\\*')) });
  /** An owner's oversight chart. */
  const chart = (owner: string): Locator =>
    page.getByTestId('oversight').locator(`svg[role="img"][data-owner="${owner}"]`);

  test('the railway sees its tickets, masked; opens one with its record, history and attachment; a rejection needs an answer; it accepts and the holder is green', async () => {
    const { hub } = faces;
    await consoleSignIn(page, railway, /数据部门 railway/);
    await page.getByRole('button', { name: '纠错工单', exact: true }).click();
    // Both tickets, the holders masked: neither their names nor the document number in the holder's text.
    await row('周*').waitFor();
    await row('钱*').waitFor();
    const listed = (await page.locator('main').textContent()) ?? '';
    for (const secret of [ZHOU.name, QIAN.name, ZHOU.documentNumber])
      assert.ok(!listed.includes(secret), `${secret} is not shown`);
    assert.match((await row('周*').textContent()) ?? '', /待处理.*railway · 批次 rail-1 · 第 2 行/);
    // Before any answer the railway's chart shows two open tickets.
    const rail = chart('department:railway');
    assert.match((await rail.getAttribute('aria-label')) ?? '', /^铁路部门（全国）：共 2 件，未办结 2 件/);

    // Two hours later the railway opens Zhou's ticket.
    hub.clock.advance(2 * HOUR);
    await row('周*').getByRole('button', { name: /^查看/ }).click();
    const detail = page.getByTestId('correction');
    const state = page.getByTestId('correction-state');
    const history = page.getByTestId('correction-history');
    await state.getByText('待处理').waitFor();
    assert.equal(await page.getByTestId('correction-holder').textContent(), '周*');
    await detail.getByText('railway · 批次 rail-1 · 第 2 行').waitFor();
    const text = (await detail.locator('.holder-text').textContent()) ?? '';
    assert.match(text, /^我没有乘坐这趟车/);
    assert.ok(!text.includes(ZHOU.documentNumber), `the document number is masked: ${text}`);
    // The history: filed, then routed to the railway.
    assert.deepEqual(await history.locator('tbody tr td:nth-child(2)').allTextContents(), [
      '— → 已提交',
      '已提交 → 待处理',
    ]);
    await detail.getByText(/受理即撤销这条数据记录.*通过部门接口（API）提交/).waitFor();

    // The attachment is fetched with the credential and saved, byte for byte.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      detail.getByRole('button', { name: /^附件 1（image\/png/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^correction-[0-9a-f]{8}-1\.png$/);
    assert.deepEqual(await readFile(await download.path()), PNG);
    assert.equal(await page.getByRole('alert').count(), 0);
    await noSeriousViolations(page, 'console corrections');
    await screenshot(page, 'console-corrections-zh');

    // A rejection without an answer is refused by the hub, at the field; nothing moves.
    const answer = detail.getByLabel(/给持码人的答复/);
    await detail.getByRole('button', { name: '不予受理', exact: true }).click();
    await detail.locator('#correction-answer-error').getByText('不予受理须填写答复').waitFor();
    await detail
      .getByRole('alert')
      .getByText(/YMT_ERR_VALIDATION/)
      .waitFor();
    assert.equal(await answer.getAttribute('aria-invalid'), 'true');
    await state.getByText('待处理').waitFor();
    await noSeriousViolations(page, 'console corrections (refused rejection)');

    // Taken in review: the railway's first answer, on record with its name.
    await detail.getByRole('button', { name: '开始核实' }).click();
    await state.getByText('核实中').waitFor();
    await history.getByRole('row', { name: /待处理 → 核实中.*国铁集团/ }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'the refusal is cleared');

    // An hour later it accepts, with an answer: the record is retracted and the holder is green at once.
    hub.clock.advance(HOUR);
    await answer.fill('经核查，该乘车记录登记有误，已撤销');
    await detail.getByRole('button', { name: '受理：撤销该记录' }).click();
    await state.getByText('已受理').waitFor();
    await history
      .getByRole('row', { name: /核实中 → 已受理.*国铁集团.*经核查，该乘车记录登记有误/ })
      .waitFor();
    await detail.getByText('经核查，该乘车记录登记有误，已撤销').first().waitFor();
    assert.equal(await detail.getByRole('button', { name: '受理：撤销该记录' }).count(), 0);
    assert.match((await row('周*').textContent()) ?? '', /已受理/);
    assert.equal((await colour(ZHOU)).colour, 'green');
    assert.equal((await colour(QIAN)).colour, 'yellow', 'the other co-traveller’s ticket is still open');

    // The oversight chart: an image named with the owner and every figure, five bars, and the table beside it.
    await page
      .getByTestId('oversight')
      .getByRole('row', { name: /铁路部门（全国） 2 1 0 0 2 小时 3 小时/ })
      .waitFor();
    assert.equal(
      await rail.getAttribute('aria-label'),
      '铁路部门（全国）：共 2 件，未办结 1 件，逾期 0 件，升级 0 件；首次答复中位时长 2 小时，办结中位时长 3 小时',
    );
    assert.equal(await rail.locator('title').textContent(), await rail.getAttribute('aria-label'));
    assert.equal(await rail.locator('rect.bar').count(), 5);
    const widths = await rail
      .locator('rect.bar')
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('width'))));
    assert.ok((widths[0] ?? 0) > 0, `the open bar is drawn: ${widths.join()}`);
    assert.deepEqual(widths.slice(1, 3), [0, 0], 'nothing overdue or escalated');
    assert.ok((widths[3] ?? 0) > 0 && (widths[3] ?? 0) < (widths[4] ?? 0), 'first answer before decision');
    await noSeriousViolations(page, 'console corrections (decided)');
    await screenshot(page, 'console-corrections-decided-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await state.getByText('accepted').waitFor();
    assert.match(
      (await rail.getAttribute('aria-label')) ?? '',
      /^railway \(national\): 2 in all, 1 open, 0 overdue, 0 escalated; median time to first answer 2 h/,
    );
    await noSeriousViolations(page, 'console corrections (en)');
    await screenshot(page, 'console-corrections-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  test('a Beijing provincial authority sees none of the railway’s tickets', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await consoleSignIn(page, beijing, /省级主管部门 110000/);
    await page.getByRole('button', { name: '纠错工单', exact: true }).click();
    await page.getByRole('heading', { name: '督办统计' }).waitFor();
    // The list and the oversight both say there is nothing.
    await page.locator('main').getByText('暂无', { exact: true }).nth(1).waitFor();
    assert.equal(await page.getByTestId('corrections').count(), 0);
    assert.equal(await page.getByTestId('oversight').locator('svg').count(), 0);
    assert.equal(await page.getByRole('alert').count(), 0);
    const main = (await page.locator('main').textContent()) ?? '';
    assert.ok(!main.includes('周*') && !main.includes('rail-1'), main);
    // Nor through the API, even by the ticket's id.
    const one = await api('GET', `/api/v1/console/corrections/${ticket[ZHOU.name] ?? ''}`, beijing);
    assert.equal(one.json<{ error?: { code: string } }>().error?.code, 'YMT_ERR_CORRECTION_NOT_FOUND');
  });

  test('past its deadline the open ticket is escalated; an operator finds it among the escalated, overdue', async () => {
    const { hub } = faces;
    hub.clock.advance(24 * HOUR);
    const swept = await hub.parts.services.tickets.sweep(hub.clock.now());
    assert.equal(swept.escalated, 1, JSON.stringify(swept));
    await page.getByRole('button', { name: '退出' }).click();
    await consoleSignIn(page, operator, '国家运营值班');
    await page.getByRole('button', { name: '纠错工单', exact: true }).click();
    // Operators see every owner's tickets.
    await row('周*').waitFor();
    await row('钱*').waitFor();
    await page.getByLabel('关注', { exact: true }).selectOption('escalated');
    await row('周*').waitFor({ state: 'detached' });
    const qian = row('钱*');
    assert.match((await qian.textContent()) ?? '', /待处理.*升级.*逾期/);
    assert.equal(await qian.getAttribute('class'), 'overdue');
    await noSeriousViolations(page, 'console corrections (escalated)');
    await screenshot(page, 'console-corrections-escalated-zh');
    await page.getByLabel('关注', { exact: true }).selectOption('overdue');
    await row('钱*').waitFor();
    assert.equal(await page.getByTestId('corrections').locator('tbody tr').count(), 1);
    await page.getByLabel('状态', { exact: true }).selectOption('accepted');
    await page.locator('main').getByText('暂无', { exact: true }).waitFor();
    await page.getByLabel('关注', { exact: true }).selectOption('all');
    await row('周*').waitFor();
    assert.match(
      (await chart('department:railway').getAttribute('aria-label')) ?? '',
      /共 2 件，未办结 1 件，逾期 1 件，升级 1 件/,
    );
    // An answer arriving late for an earlier filter does not replace the newer filter's (seen on a busy machine:
    // "accepted" went on showing the previous filter's tickets). The unfiltered list is held back 1.5 s here.
    await page.route(
      (url) => url.pathname === '/api/v1/console/corrections' && url.search === '',
      async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      },
    );
    await page.getByLabel('状态', { exact: true }).selectOption('');
    await page.getByLabel('状态', { exact: true }).selectOption('accepted');
    await row('周*').waitFor();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await page.getByTestId('corrections').locator('tbody tr').count(), 1);
    assert.equal(await row('钱*').count(), 0);
    await desktop.close();
  });
});
