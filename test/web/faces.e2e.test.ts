/**
 * The three faces end to end in headless Chromium, against the real hub listening on loopback (SQLite, demo
 * population, a clock the test moves): a citizen signs in, declares, gets a code; the scanner reads a screenshot
 * of that code from the image and accepts it, online and offline; the countdown runs and the code refreshes
 * itself; the console raises an area's risk level and the holder's status follows; the busy notice under a real
 * overload (MAX_IN_FLIGHT=1, one upload held open). axe-core on each main screen; screenshots of them in both
 * languages and in elder mode.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, TestClock, type TestApp, listenOnLoopback } from '../helpers/context.ts';
import { desk, launch, launchWithCamera, phone, screenshot, seriousViolations } from './browser.ts';

const CHEN_JING = { documentNumber: '42010619880520582X', name: '陈静', phone: '13800138005' };
const ZHANG_WEI = { documentNumber: '110105198503121234', name: '张伟' };
const BUSY_TEXT = '系统繁忙，当前查询人数过多，请稍后再试';

/** axe-core finds nothing serious or critical; on a phone, nothing is wider than the screen. */
async function noSeriousViolations(page: Page, screen: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${screen}: ${JSON.stringify(violations)}`);
  const width = page.viewportSize()?.width ?? 0;
  if (width <= 400) {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${screen} is ${scrollWidth} px wide on a ${width} px screen`);
  }
}

async function signIn(page: Page, who: { documentNumber: string; name: string }): Promise<void> {
  await page.getByLabel('证件号码').fill(who.documentNumber);
  await page.getByLabel('姓名').fill(who.name);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Beijing time as a datetime-local input wants it. */
function localInput(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

function countdownSeconds(text: string): number {
  const m = /(\d{2}):(\d{2})/.exec(text);
  assert.ok(m, text);
  return Number(m[1]) * 60 + Number(m[2]);
}

describe('the three faces in Chromium', { timeout: 240_000 }, () => {
  let browser: Browser;
  let hub: TestApp;
  let base: string;
  let citizen: BrowserContext;
  let page: Page;
  let codePng: Buffer;
  let codeText: string;

  before(async () => {
    browser = await launch();
    hub = await startApp('sqlite', { env: { DEMO_DATA: 'true' }, clock: new TestClock(Date.now()) });
    base = await listenOnLoopback(hub);
    citizen = await phone(browser);
    page = await citizen.newPage();
    await page.clock.install({ time: hub.clock.nowMs });
  });

  after(async () => {
    await browser.close();
    await hub.close();
  });

  test('a citizen signs in, is told what is wrong at the field, declares and gets a green code', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: '实名认证' }).waitFor();
    await noSeriousViolations(page, 'sign-in');
    await screenshot(page, 'citizen-sign-in-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Real-name sign-in' }).waitFor();
    await noSeriousViolations(page, 'sign-in (en)');
    await screenshot(page, 'citizen-sign-in-en');
    await page.getByRole('button', { name: '中文' }).click();
    // A malformed ID number is caught before the hub is asked.
    await page.getByLabel('证件号码').fill('4201061988');
    await page.getByLabel('姓名').fill(CHEN_JING.name);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#documentNumber-error').getByText('18位').waitFor();
    assert.equal(await page.getByLabel('证件号码').getAttribute('aria-invalid'), 'true');
    await signIn(page, CHEN_JING);

    await page.getByRole('heading', { name: '填写健康申报' }).waitFor();
    await page.getByLabel(/现居住地区代码/).fill('420106');
    await page.getByLabel('详细住址').fill('武汉市武昌区中南路1号');
    await page.getByLabel(/今日体温/).fill('45');
    await page.getByLabel(/近14天到访城市代码/).fill('420100 31000');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.locator('#temperature-error').getByText('34.0 至 43.0').waitFor();
    await page.locator('#recentCities-error').getByText('6位数字').waitFor();
    await noSeriousViolations(page, 'declaration');
    await screenshot(page, 'citizen-declaration-errors-zh');
    // A region code of no region is the hub's to refuse: its message arrives under the field.
    await page.getByLabel(/今日体温/).fill('36.6');
    await page.getByLabel(/近14天到访城市代码/).fill('420100');
    await page.getByLabel(/现居住地区代码/).fill('999999');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.locator('#householdRegion-error').waitFor();
    await page.getByLabel(/现居住地区代码/).fill('420106');
    await page.getByRole('button', { name: '提交申报' }).click();

    await page.getByRole('button', { name: '申领健康码' }).click();
    const frame = page.getByTestId('code-frame');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('data-colour'), 'green');
    assert.equal(await page.getByTestId('masked-name').textContent(), '陈*');
    assert.ok(countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '') > 890);
    assert.equal(await page.getByTestId('already-applied').count(), 0);
    await noSeriousViolations(page, 'code');
    await screenshot(page, 'citizen-code-zh');
    codePng = await page.getByTestId('qr').screenshot();
    codeText = await page.evaluate(
      () =>
        (JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as { code: { code: string } }).code.code,
    );
    assert.match(codeText, /^YMT1:/);
  });

  test('re-entry says "您已领取，立即查看"; English and elder mode', async () => {
    await page.reload();
    await page.getByTestId('already-applied').getByText('您已领取，立即查看').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('You have already applied: view your code now').waitFor();
    await noSeriousViolations(page, 'code (en)');
    await screenshot(page, 'citizen-code-en');
    await page.getByRole('button', { name: 'Elder mode' }).click();
    await page.waitForFunction(() => document.body.classList.contains('elder'));
    const size = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    assert.equal(size, '22px');
    // The bigger code still fits its frame on a 360-pixel screen.
    const qr = await page.getByTestId('qr').boundingBox();
    const box = await page.getByTestId('code-frame').boundingBox();
    assert.ok(
      qr && box && qr.x >= box.x && qr.x + qr.width <= box.x + box.width,
      JSON.stringify({ qr, box }),
    );
    await noSeriousViolations(page, 'code (elder)');
    await screenshot(page, 'citizen-code-elder-en');
    await page.getByRole('button', { name: '中文' }).click();
    await screenshot(page, 'citizen-code-elder-zh');
    await page.getByRole('button', { name: '标准模式' }).click();
    // Nothing overflows a 360-pixel screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 360, `page is ${overflow} px wide`);
  });

  test('the countdown runs on the hub clock and the code refreshes itself before it expires', async () => {
    const firstId = await page.evaluate(
      () =>
        (JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as { code: { codeId: string } }).code
          .codeId,
    );
    const before = countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '');
    await page.clock.runFor(60_000);
    const later = countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '');
    assert.ok(before - later >= 59 && before - later <= 62, `${before} → ${later}`);
    // Both clocks move 12.5 minutes: under 2 minutes left, the app asks again and the hub signs a new code.
    hub.clock.advance(12.5 * 60 + 60);
    await page.clock.runFor(12.5 * 60_000);
    await page.waitForFunction(
      (id) =>
        (JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as { code: { codeId: string } }).code
          .codeId !== id,
      firstId,
    );
    await page.clock.runFor(1000);
    const fresh = countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '');
    assert.ok(fresh > 880, `fresh code shows ${fresh} s`);
    codeText = await page.evaluate(
      () =>
        (JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as { code: { code: string } }).code.code,
    );
    codePng = await page.getByTestId('qr').screenshot();
  });

  test('the scanner reads the code from a picture and accepts it, then does the same offline', async () => {
    const scanner = await desk(browser);
    const scan = await scanner.newPage();
    // The checkpoint's clock agrees with the hub's (which the previous test moved on).
    await scan.clock.install({ time: hub.clock.nowMs });
    await scan.goto(`${base}/scan/`);
    await scan
      .getByTestId('trust')
      .getByText(/信任列表第 \d+ 版/)
      .waitFor();
    await scan
      .getByLabel('从图片识别')
      .setInputFiles({ name: 'code.png', mimeType: 'image/png', buffer: codePng });
    const verdict = scan.getByTestId('verdict');
    await verdict.waitFor();
    assert.equal(await verdict.getAttribute('data-decision'), 'accept');
    await verdict.getByText('陈*').waitFor();
    await verdict.getByText('颜色: 绿码').waitFor();
    await noSeriousViolations(scan, 'scanner');
    await screenshot(scan, 'scanner-accept-zh');
    await scan.getByRole('button', { name: 'English' }).click();
    await verdict.getByText('ACCEPT', { exact: true }).waitFor();
    await screenshot(scan, 'scanner-accept-en');
    await scan.getByRole('button', { name: '中文' }).click();

    // With the camera: a phone camera filming the code on the citizen's screen.
    const filming = await launchWithCamera(codePng, join(hub.dataDir, 'camera.y4m'));
    try {
      const cameraPage = await (await desk(filming)).newPage();
      await cameraPage.clock.install({ time: hub.clock.nowMs });
      await cameraPage.goto(`${base}/scan/`);
      await cameraPage
        .getByTestId('trust')
        .getByText(/信任列表第 \d+ 版/)
        .waitFor();
      await cameraPage.getByRole('button', { name: '打开摄像头扫码' }).click();
      await cameraPage.getByTestId('verdict').waitFor();
      assert.equal(await cameraPage.getByTestId('verdict').getAttribute('data-decision'), 'accept');
      // Once read, the camera is off again.
      assert.equal(await cameraPage.locator('video').count(), 0);
    } finally {
      await filming.close();
    }

    // Under Beijing's rules (a national green is accepted there) too.
    await scan.getByRole('button', { name: '继续扫码' }).click();
    await scan.getByLabel('本查验点所在省份').selectOption('110000');
    await scan.getByLabel(/粘贴健康码文字/).fill(codeText);
    await scan.getByRole('button', { name: '查验', exact: true }).click();
    assert.equal(await scan.getByTestId('verdict').getAttribute('data-decision'), 'accept');
    await scan
      .getByTestId('verdict')
      .getByText(/beijing-acceptance@/)
      .waitFor();

    // Offline: the service worker serves the page, the device's trust list decides.
    await scan.evaluate(async () => navigator.serviceWorker.ready);
    await scanner.setOffline(true);
    await scan.reload();
    await scan
      .getByTestId('trust')
      .getByText(/信任列表第 \d+ 版/)
      .waitFor();
    // It did try the network, and could not reach it.
    await scan.getByText(/更新失败/).waitFor();
    await scan.getByLabel(/粘贴健康码文字/).fill(codeText);
    await scan.getByRole('button', { name: '查验', exact: true }).click();
    assert.equal(await scan.getByTestId('verdict').getAttribute('data-decision'), 'accept');
    // A tampered code is refused with the verifier's reason.
    await scan.getByRole('button', { name: '继续扫码' }).click();
    await scan.getByLabel(/粘贴健康码文字/).fill(`${codeText.slice(0, -4)}AAAA`);
    await scan.getByRole('button', { name: '查验', exact: true }).click();
    assert.equal(await scan.getByTestId('verdict').getAttribute('data-decision'), 'refuse');

    // Eight days later, still offline: the list has expired and the scanner will not pretend.
    const stale = await scanner.newPage();
    await stale.clock.install({ time: hub.clock.nowMs + 8 * 24 * 3600_000 });
    await stale.goto(`${base}/scan/`);
    await stale.getByTestId('trust-unusable').getByText('信任列表已过期').waitFor();
    await stale.getByLabel(/粘贴健康码文字/).fill(codeText);
    await stale.getByRole('button', { name: '查验', exact: true }).click();
    assert.equal(await stale.getByTestId('verdict').getAttribute('data-decision'), 'manual');
    await stale.getByTestId('verdict').getByText('信任列表已过期，请联网更新').waitFor();
    await scanner.close();
  });

  test('the console raises an area to high risk and the holder who stayed there turns yellow', async () => {
    // The telecom department reports that the citizen's phone stayed in Wuhan (420100) yesterday.
    const telecom = await hub.parts.services.departments.create(
      '中国移动（测试）',
      'telecom',
      null,
      new Date(hub.clock.nowMs),
    );
    const day = 24 * 3600_000;
    const stay = {
      phone: CHEN_JING.phone,
      cityCode: '420100',
      firstSeen: new Date(hub.clock.nowMs - 2 * day).toISOString(),
      lastSeen: new Date(hub.clock.nowMs - day).toISOString(),
    };
    const upload = await fetch(`${base}/api/v1/feeds/telecom/batches?batchId=stay-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${telecom.token}`, 'content-type': 'application/x-ndjson' },
      // The second record names no real city: it is quarantined, and the console shows it masked.
      body: `${JSON.stringify(stay)}\n${JSON.stringify({ ...stay, cityCode: '999999' })}\n`,
    });
    assert.equal(upload.status, 201, await upload.text());

    await page.getByRole('button', { name: '健康信息' }).click();
    const status = page.getByTestId('health-status');
    await status.getByText('绿码').waitFor();

    const desktop = await desk(browser);
    const operator = await desktop.newPage();
    await operator.goto(`${base}/console/`);
    const demo = hub.parts.demo;
    assert.ok(demo, 'the demo population was loaded with its credentials');
    await operator.getByLabel(/凭证/).fill(demo.operator.token);
    await operator.getByRole('button', { name: '登录' }).click();
    await operator.getByTestId('role').getByText('国家平台运营').waitFor();
    await operator.getByLabel('地区代码', { exact: true }).fill('420100');
    await operator.getByLabel('风险等级', { exact: true }).selectOption('high');
    await operator.getByLabel('生效时间').fill(localInput(hub.clock.nowMs - 3 * day));
    await operator.getByLabel('失效时间').fill(localInput(hub.clock.nowMs + 7 * day));
    await operator.getByLabel('发布机关').fill('武汉市疫情防控指挥部');
    await operator.getByRole('button', { name: '保存' }).click();
    await operator.getByText(/已保存/).waitFor();
    await operator
      .getByRole('cell', { name: /420100/ })
      .first()
      .waitFor();
    await noSeriousViolations(operator, 'console');
    await screenshot(operator, 'console-area-risk-zh');
    // Every other section of the operator's opens without an error.
    for (const [section, shows] of [
      ['规则集', /national-baseline@1\.0\.0/],
      ['省份与密钥', /北京市 \(110000\)/],
      ['信任列表', /信任锚/],
      ['不互认反馈', /暂无|工单/],
      ['数据批次', /stay-1/],
      ['容量', /当前并发 \d+ \/ 上限 256/],
    ] as const) {
      await operator.getByRole('button', { name: section, exact: true }).click();
      await operator.locator('main').getByText(shows).first().waitFor();
      assert.equal(await operator.getByRole('alert').count(), 0, section);
    }
    await operator.getByRole('button', { name: '容量', exact: true }).click();
    await screenshot(operator, 'console-capacity-zh');
    await operator.getByRole('button', { name: 'English' }).click();
    await operator.getByText(/In flight \d+ \/ limit 256/).waitFor();
    await noSeriousViolations(operator, 'console (en)');
    await screenshot(operator, 'console-capacity-en');
    await operator.getByRole('button', { name: '中文' }).click();

    await page.getByRole('button', { name: '健康码' }).click();
    await page.getByRole('button', { name: '健康信息' }).click();
    await status.getByText('黄码').waitFor();
    await status.getByText(/到访中高风险地区 420100/).waitFor();
    await noSeriousViolations(page, 'health');
    await screenshot(page, 'citizen-health-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await status.getByText('Yellow').waitFor();
    await screenshot(page, 'citizen-health-en');
    await page.getByRole('button', { name: '中文' }).click();

    // A mistaken entry is withdrawn (kept on record, with the reason): the holder is green again.
    await operator.getByRole('button', { name: '地区风险等级', exact: true }).click();
    await operator
      .getByRole('row', { name: /武汉市 \(420100\)/ })
      .getByRole('button', { name: '撤销' })
      .click();
    const dialog = operator.getByRole('dialog', { name: '撤销 武汉市 (420100) 的风险等级' });
    await dialog.getByLabel('请说明原因（将记录在案）').fill('误发布，撤销');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await operator.getByRole('row', { name: /武汉市 \(420100\)/ }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '健康码', exact: true }).click();
    await page.getByRole('button', { name: '健康信息', exact: true }).click();
    await status.getByText('绿码').waitFor();

    // A department sees only its own batches; the operator's sections are not offered to it.
    await operator.getByRole('button', { name: '退出' }).click();
    await operator.getByLabel(/凭证/).fill(telecom.token);
    await operator.getByRole('button', { name: '登录' }).click();
    await operator
      .getByTestId('role')
      .getByText(/数据部门/)
      .waitFor();
    assert.equal(await operator.getByRole('button', { name: '地区风险等级' }).count(), 0);
    await operator.getByRole('cell', { name: 'stay-1' }).waitFor();
    await operator.getByRole('button', { name: '查看隔离记录' }).click();
    const quarantine = operator.getByTestId('quarantine');
    await quarantine.getByText('YMT_ERR_REGION_UNKNOWN').waitFor();
    const shown = (await quarantine.textContent()) ?? '';
    assert.ok(!shown.includes(CHEN_JING.phone), `the phone number is masked: ${shown}`);
    await screenshot(operator, 'console-department-quarantine-zh');
    await desktop.close();
  });

  test('the declaration in full, modified once a day; consent and a non-recognition report', async () => {
    await page.getByRole('button', { name: '申报', exact: true }).click();
    const record = page.getByRole('region', { name: '我的申报' });
    await record.getByText('420***********582X').waitFor();
    await page.getByRole('button', { name: '显示完整信息' }).click();
    await record.getByText(CHEN_JING.documentNumber).waitFor();
    await page.getByRole('button', { name: '修改申报' }).click();
    await page.getByLabel(/今日体温/).fill('37.9');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.getByText('已保存').waitFor();
    // Once a day: the next modification is tomorrow, and the page says when.
    await page.getByText(/今天已修改过，下次可在 .+ 后修改/).waitFor();
    assert.equal(await page.getByRole('button', { name: '修改申报' }).count(), 0);
    await noSeriousViolations(page, 'declaration');
    await screenshot(page, 'citizen-declaration-zh');

    await page.getByRole('button', { name: '更多', exact: true }).click();
    await page.getByRole('region', { name: '关联的省级健康码' }).getByText('全国码').waitFor();
    await page.getByLabel('省份', { exact: true }).selectOption('110000');
    await page.getByRole('button', { name: '生成授权码' }).click();
    await page.getByText(/授权码（.+ 前有效）/).waitFor();
    await page.getByLabel('发生地区代码（6位）').fill('110105');
    await page.getByLabel('查验点编号或名称').fill('朝阳站-3号口');
    await page.getByRole('button', { name: '提交反馈' }).click();
    await page.getByText(/转交 北京市/).waitFor();
    await page.getByText(/12345/).first().waitFor();
    await noSeriousViolations(page, 'more');
    await screenshot(page, 'citizen-more-zh');
    await page.getByRole('button', { name: '健康码', exact: true }).click();
  });

  test('an expired session goes back to sign-in and forgets the last code', async () => {
    // On the health screen, whose answers are in, the session runs out; the code screen asks the hub next.
    await page.getByRole('button', { name: '健康信息', exact: true }).click();
    await page.getByTestId('health-status').waitFor();
    hub.clock.advance(hub.parts.config.sessionTtlSeconds + 60);
    await page.getByRole('button', { name: '健康码', exact: true }).click();
    await page.getByRole('heading', { name: '实名认证' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ymt.lastCode')), null);
  });
});

describe('the busy notice under a real overload', { timeout: 120_000 }, () => {
  let browser: Browser;
  let hub: TestApp;
  let base: string;

  before(async () => {
    browser = await launch();
    hub = await startApp('sqlite', { env: { DEMO_DATA: 'true', MAX_IN_FLIGHT: '1' } });
    base = await listenOnLoopback(hub);
  });

  after(async () => {
    await browser.close();
    await hub.close();
  });

  test('shows "系统繁忙…", keeps the last valid code and recovers by itself', async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await signIn(page, ZHANG_WEI);
    await page.getByRole('button', { name: '申领健康码' }).click();
    await page.getByTestId('code-frame').waitFor();

    // A railway upload whose body is not finished holds the only slot.
    const railway = await hub.parts.services.departments.create(
      '国铁集团（测试）',
      'railway',
      null,
      new Date(hub.clock.nowMs),
    );
    const held: ClientRequest = httpRequest(`${base}/api/v1/feeds/railway/batches?batchId=held-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${railway.token}` },
    });
    const finished = new Promise<number>((resolve, reject) => {
      held.on('response', (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      });
      held.on('error', reject);
    });
    held.write(
      `${JSON.stringify({ documentType: 'id_card', documentNumber: ZHANG_WEI.documentNumber, trainNo: 'G1', date: '2026-11-26', carriage: 3, seat: '5A' })}\n`,
    );
    for (let i = 0; i < 100 && hub.parts.limiter.inFlight === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(hub.parts.limiter.inFlight, 1);

    await page.getByRole('button', { name: '刷新' }).click();
    const busy = page.getByTestId('busy');
    await busy.getByText(BUSY_TEXT).waitFor();
    await busy.getByText(/秒后自动重试/).waitFor();
    // The last code stays while it is valid.
    await page.getByTestId('code-frame').waitFor();
    await page.getByText('仍显示您上一次获取、尚在有效期内的健康码。').waitFor();
    await noSeriousViolations(page, 'busy');
    await screenshot(page, 'citizen-busy-zh');

    held.end();
    assert.equal(await finished, 201);
    await busy.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('countdown').waitFor();
    await context.close();
  });
});
