/**
 * The citizen app at a province's node, end to end in headless Chromium on a 360-pixel phone: a hub and Guangdong's
 * node in this process on loopback (SQLite, one clock), the node enrolled and started as `yimatong province` starts
 * it. A holder signs in at the node in two steps — the code the hub texted (read from the hub's sms-outbox.ndjson),
 * a malformed and a wrong code refused at the field, the right one — declares (with a phone: the node never gets
 * the real-name record's), gets a code named 广东省健康码, and sees how old the national status is; while the node
 * does not hold it, the code screen waits and tries again by itself. At the hub, the same holder's linked
 * Guangdong code shows beside the national code. axe-core on each screen; screenshots of them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { compose, type Parts } from '../../src/app/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import {
  listenOnLoopback,
  startApp,
  TestClock,
  TESTS_LOOP_DELAY,
  type TestApp,
  LOCAL_NODE_URLS,
} from '../helpers/context.ts';
import { ALICE, HEALTHY_DECLARATION, register } from '../helpers/people.ts';
import { launch, phone, screenshot } from './browser.ts';
import { lastCode, noSeriousViolations, signIn } from './faces.ts';

const GUANGDONG = '440000';

/** The six digits of the last text message the hub sent to `to`. */
function textedCode(hub: TestApp, to: string): string {
  const lines = readFileSync(join(hub.dataDir, 'sms-outbox.ndjson'), 'utf8').trim().split('\n');
  const sms = lines
    .map((l) => JSON.parse(l) as { phone: string; text: string })
    .filter((m) => m.phone === to);
  const last = sms[sms.length - 1];
  assert.ok(last, `no text message to ${to}`);
  assert.match(last.text, /广东省/);
  const m = /\b(\d{6})\b/.exec(last.text);
  assert.ok(m?.[1], last.text);
  return m[1];
}

/** "HH:MM" of an instant in Beijing time. */
function beijingClock(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);
}

describe('the citizen app at a province node in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let hub: TestApp;
  let hubUrl: string;
  let node: Parts;
  let nodeApp: FastifyInstance;
  let nodeUrl: string;
  let dir: string;
  let aliceAtHub: string;
  let page: Page;

  before(async () => {
    browser = await launch();
    hub = await startApp('sqlite', { clock: new TestClock(Date.now()), env: LOCAL_NODE_URLS });
    hubUrl = await listenOnLoopback(hub);
    aliceAtHub = await register(hub.parts, ALICE);
    dir = mkdtempSync(join(tmpdir(), 'ymt-node-web-'));
    node = await compose(
      loadConfig({ DATA_DIR: dir, DEMO_DATA: 'false', LOG_LEVEL: 'silent', ...TESTS_LOOP_DELAY }),
      {
        clock: hub.clock.now,
        province: { code: GUANGDONG, hubUrl },
      },
    );
    assert.ok(node.node);
    await hub.parts.services.provinces.enrol(node.node.life.keys.enrolment(), hub.clock.now());
    nodeApp = await buildApp(node);
    await nodeApp.listen({ port: 0, host: '127.0.0.1' });
    const address = nodeApp.server.address();
    assert.ok(address !== null && typeof address === 'object');
    nodeUrl = `http://127.0.0.1:${String(address.port)}`;
    await node.node.life.start(nodeUrl);
    page = await (await phone(browser)).newPage();
  });

  after(async () => {
    await browser.close();
    await node.node?.life.stop();
    await nodeApp.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
    // The node's keep-alive connection to the hub (same process) would hold the hub's close for its 72 s timeout.
    hub.app.server.closeAllConnections();
    await hub.close();
  });

  test('sign-in at the node: the texted code, refused at the field when wrong, then signed in', async () => {
    await page.goto(`${nodeUrl}/`);
    // The app knows it is Guangdong's: the sign-in says a code will be texted.
    await page.getByText('登录时，将向您实名登记的手机号码发送短信验证码。').waitFor();
    await page.getByRole('heading', { name: '广东省健康码', level: 1 }).waitFor();
    await signIn(page, ALICE);

    await page.getByRole('heading', { name: '短信验证' }).waitFor();
    await page.getByTestId('sent-to').getByText('验证码已发送至 139****5678').waitFor();
    assert.match(
      (await page.getByTestId('confirm-countdown').textContent()) ?? '',
      /验证码 \d\d:\d\d 后失效/,
    );
    const field = page.getByLabel('短信验证码（6位数字）');
    assert.equal(await field.getAttribute('inputmode'), 'numeric');
    assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
    await noSeriousViolations(page, 'confirm');
    await screenshot(page, 'citizen-node-confirm-zh');
    const code = textedCode(hub, ALICE.phone);

    // Not six digits: caught before the node is asked.
    await field.fill('12');
    await page.getByRole('button', { name: '确认登录' }).click();
    await page.locator('#confirmCode-error').getByText('请输入短信中的6位数字验证码').waitFor();
    // A wrong code: the hub's refusal, at the field, in the app's language.
    await field.fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '确认登录' }).click();
    await page.locator('#confirmCode-error').getByText('验证码不正确').waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.getAttribute('aria-describedby'), 'confirmCode-error');
    await noSeriousViolations(page, 'confirm (wrong code)');
    await screenshot(page, 'citizen-node-confirm-error-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Confirm by text message' }).waitFor();
    await page.locator('#confirmCode-error').getByText('The confirmation code is not correct').waitFor();
    await noSeriousViolations(page, 'confirm (en)');
    await screenshot(page, 'citizen-node-confirm-en');
    await page.getByRole('button', { name: 'Elder mode' }).click();
    await page.waitForFunction(() => document.body.classList.contains('elder'));
    await noSeriousViolations(page, 'confirm (elder)');
    await screenshot(page, 'citizen-node-confirm-elder-en');
    await page.getByRole('button', { name: 'Standard mode' }).click();
    await page.getByRole('button', { name: '中文' }).click();

    // Back to the document and forward again: a new code is texted, and the first one no longer counts.
    await page.getByRole('button', { name: '返回修改证件' }).click();
    assert.equal(await page.getByLabel('证件号码').inputValue(), ALICE.documentNumber);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '短信验证' }).waitFor();
    const second = textedCode(hub, ALICE.phone);
    await page.getByLabel('短信验证码（6位数字）').fill(second);
    await page.getByRole('button', { name: '确认登录' }).click();
    // Signed in: the app goes on as after a sign-in at the hub.
    await page.getByRole('heading', { name: '填写健康申报' }).waitFor();
  });

  test('the declaration asks for a phone; the code is 广东省健康码; the health screen dates the national status', async () => {
    await page.getByLabel(/现居住地区/).fill('440305');
    await page.getByLabel('详细住址').fill('深圳市南山区科技园南区1号');
    await page.getByLabel(/今日体温/).fill('36.6');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.locator('#phone-error').getByText('此项为必填项').waitFor();
    await page.getByLabel('手机号码', { exact: true }).fill(ALICE.phone);
    await page.getByRole('button', { name: '提交申报' }).click();

    await page.getByRole('button', { name: '申领健康码' }).click();
    const frame = page.getByTestId('code-frame');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('data-colour'), 'green');
    assert.equal(await page.getByTestId('code-name').textContent(), '广东省健康码');
    await frame.getByText('签发方: 广东省').waitFor();
    assert.equal(await page.evaluate(() => document.title), '广东省健康码');
    const saved = page.getByRole('link', { name: '保存图片' });
    assert.equal(await saved.getAttribute('download'), '广东省健康码.png');
    const issued = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as { code: { issuer: string } }).code,
    );
    assert.equal(issued.issuer, GUANGDONG);
    assert.match((await lastCode(page)).code, /^YMT1:/);
    await noSeriousViolations(page, 'code at the node');
    await screenshot(page, 'citizen-node-code-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('code-name').getByText('Guangdong health code').waitFor();
    assert.equal(
      await page.getByRole('link', { name: 'Save as a picture' }).getAttribute('download'),
      'guangdong-health-code.png',
    );
    await noSeriousViolations(page, 'code at the node (en)');
    await screenshot(page, 'citizen-node-code-en');
    await page.getByRole('button', { name: '中文' }).click();

    await page.getByRole('button', { name: '健康信息', exact: true }).click();
    const national = page.getByTestId('national-as-of');
    await national.waitFor();
    const [row] = await node.db.selectFrom('national_status').select('as_of').execute();
    assert.ok(row);
    const text = (await national.textContent()) ?? '';
    assert.match(text, /^全国平台状态：更新于 .+（(刚刚|\d+ 分钟前)）$/);
    assert.ok(text.includes(beijingClock(row.as_of)), `${text} (as of ${beijingClock(row.as_of)}, Beijing)`);
    await noSeriousViolations(page, 'health at the node');
    await screenshot(page, 'citizen-node-health-zh');

    // The hub's functions are the hub's: at the node, the More screen says where they are.
    await page.getByRole('button', { name: '更多', exact: true }).click();
    await page.getByText('请在国家平台办理').waitFor();
  });

  test('while the node lacks the national status, the app says so and gets the code by itself once it is in', async () => {
    const rows = await node.db.selectFrom('national_status').selectAll().execute();
    const forget = async () => {
      for (const r of rows) await node.repositories.snapshots.invalidate(node.db, r.person_id);
    };
    await node.db.deleteFrom('national_status').execute();
    await forget();

    await page.getByRole('button', { name: '健康信息', exact: true }).click();
    await page
      .getByTestId('national-unknown')
      .getByText(/尚未取得您在全国平台的健康状态/)
      .waitFor();
    await page.getByRole('button', { name: '健康码', exact: true }).click();
    const busy = page.getByTestId('busy');
    await busy.getByText('暂未取得全国健康状态，请稍后再试').waitFor();
    await busy.getByText(/秒后自动重试/).waitFor();
    await page.getByText('仍显示您上一次获取、尚在有效期内的健康码。').waitFor();
    await noSeriousViolations(page, 'national status unknown');
    await screenshot(page, 'citizen-node-national-unknown-zh');

    // The national status arrives (as from the hub's exchange): the app's next try gets the code.
    await node.db.insertInto('national_status').values(rows).execute();
    await forget();
    // The next try comes after the current backoff: at most a minute and its 20 % of jitter.
    await busy.waitFor({ state: 'detached', timeout: 75_000 });
    await page.getByTestId('countdown').waitFor();
  });

  test("at the hub, the holder's linked Guangdong code shows beside the national code", async () => {
    await hub.parts.repositories.linkedCodes.link(hub.parts.db, aliceAtHub, GUANGDONG, hub.clock.nowMs);
    await hub.parts.services.declarations.create(aliceAtHub, HEALTHY_DECLARATION, hub.clock.now());
    const atHub = await (await phone(browser)).newPage();
    await atHub.goto(`${hubUrl}/`);
    await signIn(atHub, ALICE);
    await atHub.getByRole('button', { name: '申领健康码' }).click();
    await atHub.getByTestId('code-frame').waitFor();
    assert.equal(await atHub.getByTestId('code-name').textContent(), '全国健康码');
    const beside = atHub.getByTestId('linked-beside');
    const guangdong = beside.locator(`li[data-province="${GUANGDONG}"]`);
    await guangdong.getByText('广东省').waitFor();
    // Asked live from the node, or its last push, or unavailable: each says so, and a colour comes with its word.
    assert.match((await guangdong.textContent()) ?? '', /^广东省(绿码|黄码|红码)?(实时|最近推送|暂不可用)/);
    await noSeriousViolations(atHub, 'code at the hub with a linked code');
    await screenshot(atHub, 'citizen-hub-linked-zh');
    await atHub.getByRole('button', { name: 'English' }).click();
    await beside.getByText('Guangdong').waitFor();
    await noSeriousViolations(atHub, 'code at the hub with a linked code (en)');
    await screenshot(atHub, 'citizen-hub-linked-en');
    await atHub.getByRole('button', { name: '中文' }).click();

    await beside.getByRole('button', { name: '管理关联的省级健康码' }).click();
    await atHub.getByRole('region', { name: '关联的省级健康码' }).getByText('广东省').waitFor();
    await atHub.waitForFunction(() => document.activeElement?.id === 'linked-title');
  });
});
