/**
 * The citizen app end to end in headless Chromium on a 360-pixel phone, against the real hub on loopback (SQLite,
 * demo population, a clock the test moves): a citizen signs in, is told at the field what is wrong, declares and
 * gets a green code; re-entry, English and elder mode; the countdown runs on the hub's clock and the code refreshes
 * itself; the declaration in full and modified once a day; consent and a non-recognition report; an expired
 * session. The tests share one page and run in order. axe-core on each main screen; screenshots of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { phone, screenshot } from './browser.ts';
import {
  CHEN_JING,
  countdownSeconds,
  lastCode,
  noSeriousViolations,
  signIn,
  startFaces,
  type Faces,
} from './faces.ts';

describe('the citizen app in Chromium', { timeout: 180_000 }, () => {
  let faces: Faces;
  let page: Page;

  before(async () => {
    faces = await startFaces();
    page = await (await phone(faces.browser)).newPage();
    await page.clock.install({ time: faces.hub.clock.nowMs });
  });

  after(async () => {
    await faces.close();
  });

  test('a citizen signs in, is told what is wrong at the field, declares and gets a green code', async () => {
    await page.goto(`${faces.base}/`);
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
    await page.getByLabel(/现居住地区/).fill('420106');
    await page.getByLabel('详细住址').fill('武汉市武昌区中南路1号');
    await page.getByLabel(/今日体温/).fill('45');
    await page.getByLabel(/近14天到访城市/).fill('420100 31000');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.locator('#temperature-error').getByText('34.0 至 43.0').waitFor();
    await page.locator('#recentCities-error').getByText('从列表中选择').waitFor();
    await noSeriousViolations(page, 'declaration');
    await screenshot(page, 'citizen-declaration-errors-zh');
    // A region code of no region is the hub's to refuse: its message arrives under the field.
    await page.getByLabel(/今日体温/).fill('36.6');
    await page.getByLabel(/近14天到访城市/).fill('420100');
    await page.getByLabel(/现居住地区/).fill('999999');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.locator('#householdRegion-error').waitFor();
    // Regions are chosen by name or pinyin, never typed as codes.
    await page.getByLabel(/现居住地区/).fill('wuchang');
    await page
      .getByTestId('householdRegion-choices')
      .getByRole('button', { name: /^武昌区 · 湖北省武汉市/ })
      .click();
    assert.equal(await page.getByLabel(/现居住地区/).inputValue(), '420106');
    await page.getByTestId('householdRegion-chosen').getByText('武昌区').waitFor();
    // Or walked to, province → city → district.
    await page.getByRole('button', { name: '按省、市、区县逐级选择' }).first().click();
    await page.getByRole('button', { name: '查看湖北省下属地区' }).click();
    await page.getByRole('button', { name: '查看武汉市下属地区' }).click();
    await page.getByRole('button', { name: '洪山区', exact: true }).click();
    assert.equal(await page.getByLabel(/现居住地区/).inputValue(), '420111');
    await page.getByLabel(/现居住地区/).fill('420106');
    await page.getByLabel(/近14天到访城市/).fill('420100 长沙');
    await page.getByTestId('recentCities-choices').waitFor();
    await screenshot(page, 'citizen-region-picker-zh', { fullPage: true });
    await page
      .getByTestId('recentCities-choices')
      .getByRole('button', { name: /^长沙市 · 湖南省/ })
      .click();
    assert.equal(await page.getByLabel(/近14天到访城市/).inputValue(), '420100 430100 ');
    await page.getByTestId('recentCities-chosen').getByText('武汉市、长沙市').waitFor();
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
    assert.match((await lastCode(page)).code, /^YMT1:/);
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
    const firstId = (await lastCode(page)).codeId;
    // From here until the new code is in, the page's clock moves only when the test moves it, as the hub's does:
    // time the machine spends elsewhere, or a request spends in flight, does not count against the code.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 5000);
    try {
      const before = countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '');
      await page.clock.runFor(60_000);
      const later = countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '');
      assert.ok(before - later >= 59 && before - later <= 62, `${before} → ${later}`);
      // The hub's clock moves 13.5 minutes: with under 2 minutes left, it signs a new code when asked.
      faces.hub.clock.advance(12.5 * 60 + 60);
      // The page's clock moves to 112 s before expiry as the app counts it (it asks at 110 s), then a second at a
      // time until the app has asked: its refresh button is disabled while it asks, and the new code is kept once
      // it is in.
      await page.clock.runFor((later - 112) * 1000);
      const asked = () =>
        page.evaluate((id) => {
          const refresh = Array.from(document.querySelectorAll('button')).find(
            (b) => b.textContent === '刷新',
          );
          const held = JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as {
            code: { codeId: string };
          };
          return refresh?.disabled === true || held.code.codeId !== id;
        }, firstId);
      for (let seconds = 0; !(await asked()); seconds++) {
        assert.ok(seconds < 15, `the app has not asked for a new code ${112 - seconds} s before expiry`);
        await page.clock.runFor(1000);
      }
      // The new code arrives while the page's clock stands still.
      await page.waitForFunction(
        (id) =>
          (JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as { code: { codeId: string } }).code
            .codeId !== id,
        firstId,
      );
      await page.clock.runFor(1000);
      const fresh = countdownSeconds((await page.getByTestId('countdown').textContent()) ?? '');
      assert.ok(fresh > 880, `fresh code shows ${fresh} s`);
    } finally {
      await page.clock.resume();
    }
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
    faces.hub.clock.advance(faces.hub.parts.config.sessionTtlSeconds + 60);
    await page.getByRole('button', { name: '健康码', exact: true }).click();
    await page.getByRole('heading', { name: '实名认证' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('ymt.lastCode')), null);
  });
});
