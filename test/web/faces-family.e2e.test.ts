/**
 * 家人代办 in the citizen app, end to end in headless Chromium on a 360-pixel phone against the real hub on loopback
 * (SQLite, demo population): 张伟 adds his grandmother 黄秀英 (declared already: her green code appears on the
 * family screen) and 陈静, who has not declared — he fills in her declaration, and her code appears beside. The
 * codes shown are the ones the hub gives each of them. In English, the same screen. 黄秀英 signs in herself and
 * finds his requests in her access history, then ends his proxy. axe-core on each new screen; screenshots of them.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/http/authenticate.ts';
import { bearer } from '../helpers/people.ts';
import { phone, screenshot, SCREENSHOTS } from './browser.ts';
import { CHEN_JING, noSeriousViolations, signIn, startFaces, ZHANG_WEI, type Faces } from './faces.ts';

const HUANG = { documentNumber: '430102194002027247', name: '黄秀英' };

describe('家人代办 in the citizen app', { timeout: 180_000 }, () => {
  let faces: Faces;
  let context: BrowserContext;
  let page: Page;

  /** The hub's answer to the holder whose session the browser holds. */
  const asHolder = async <T>(method: 'GET' | 'POST', url: string): Promise<T> => {
    const session = (await context.cookies(faces.base)).find((c) => c.name === SESSION_COOKIE);
    assert.ok(session);
    const res = await faces.hub.app.inject({ method, url, headers: bearer(session.value) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<T>();
  };

  before(async () => {
    faces = await startFaces();
    context = await phone(faces.browser);
    page = await context.newPage();
    await page.goto(`${faces.base}/`);
    await signIn(page, ZHANG_WEI);
    await page.getByRole('button', { name: '家人' }).click();
  });
  after(async () => {
    await faces.close();
  });

  const add = async (who: { documentNumber: string; name: string }, relationship: string) => {
    await page.getByRole('button', { name: '添加家人' }).click();
    await page.getByLabel('证件号码').fill(who.documentNumber);
    await page.getByLabel('姓名').fill(who.name);
    await page.getByLabel('家人是您的').selectOption(relationship);
  };

  test('he adds his grandmother: refused until he confirms her agreement, then her code shows', async () => {
    await page.getByRole('heading', { name: '家人代办' }).waitFor();
    await page.getByText('还没有添加家人').waitFor();
    await add(HUANG, 'grandparent');
    await page.getByRole('button', { name: '添加家人' }).last().click();
    await page.locator('#family-consent-error').getByText('请先确认').waitFor();
    await noSeriousViolations(page, 'family: add');
    await page.getByLabel(/我确认/).check();
    await page.getByRole('button', { name: '添加家人' }).last().click();
    const card = page.getByTestId('family-member').filter({ hasText: '黄*英' });
    await card.getByTestId('qr').waitFor();
    await card.getByText('绿码').waitFor();
    const [link] = (await asHolder<{ dependants: { id: string }[] }>('GET', '/api/v1/me/dependants'))
      .dependants;
    assert.ok(link);
    const shown = await page.evaluate(() => document.querySelector('[data-testid=qr]')?.getAttribute('alt'));
    assert.equal(shown, '黄*英的健康码');
  });

  test('a wrong name is refused with the hub’s message; 陈静’s declaration is filled in for her', async () => {
    await add({ ...CHEN_JING, name: '陈晶' }, 'other');
    await page.getByLabel(/我确认/).check();
    await page.getByRole('button', { name: '添加家人' }).last().click();
    await page.getByText('家属实名核验未通过').waitFor();
    await page.getByLabel('姓名').fill(CHEN_JING.name);
    await page.getByRole('button', { name: '添加家人' }).last().click();
    const card = page.getByTestId('family-member').filter({ hasText: '陈*' });
    await card.getByText('尚未申报健康信息').waitFor();
    await card.getByRole('button', { name: '代为申报' }).click();
    await page.getByRole('heading', { name: '填写健康申报' }).waitFor();
    await page.getByLabel(/手机号码/).fill(CHEN_JING.phone);
    await page.getByLabel(/现居住地区/).fill('420106');
    await page.getByLabel('详细住址').fill('武汉市武昌区中南路1号');
    await page.getByLabel(/今日体温/).fill('36.6');
    await page.getByLabel(/近14天到访城市/).fill('420100');
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.getByTestId('family-member').filter({ hasText: '陈*' }).getByTestId('qr').waitFor();
    assert.equal(await page.getByTestId('family-member').count(), 2);
    await noSeriousViolations(page, 'family');
    await screenshot(page, 'citizen-family-zh');
    // The codes on the screen are the ones the hub gives.
    const links = (
      await asHolder<{ dependants: { id: string; maskedName: string }[] }>('GET', '/api/v1/me/dependants')
    ).dependants;
    for (const l of links) {
      const code = await asHolder<{ code: string }>('POST', `/api/v1/me/dependants/${l.id}/code`);
      const shown = await page.evaluate(
        (text) =>
          Array.from(document.querySelectorAll('[data-code]')).some(
            (e) => e.getAttribute('data-code') === text,
          ),
        code.code,
      );
      assert.ok(shown, `${l.maskedName}'s code is on the screen`);
    }
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Acting for family members' }).waitFor();
    await page.getByText('grandparent').first().waitFor();
    await noSeriousViolations(page, 'family (en)');
    await screenshot(page, 'citizen-family-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  test('黄秀英 signs in herself: his requests are in her access history, and she ends his proxy', async () => {
    const hers = await (await phone(faces.browser)).newPage();
    await hers.goto(`${faces.base}/`);
    await signIn(hers, HUANG);
    await hers.getByRole('button', { name: '更多' }).click();
    const history = hers.getByTestId('access-history');
    await history.getByText('出示健康码').first().waitFor();
    assert.match((await history.textContent()) ?? '', /张\*.*家属代办/);
    await noSeriousViolations(hers, 'access history');
    // The two sections, as the person scrolls to them at the foot of "more".
    mkdirSync(SCREENSHOTS, { recursive: true });
    await hers
      .locator('section[aria-labelledby=guardians-title], section[aria-labelledby=access-title]')
      .last()
      .screenshot({ path: join(SCREENSHOTS, 'citizen-access-history-zh.png') });
    await hers.getByRole('button', { name: '结束代办' }).click();
    await hers.getByText('没有人为您代办').waitFor();
    await page.reload();
    await page.getByRole('button', { name: '家人' }).click();
    await page.getByTestId('family-member').filter({ hasText: '陈*' }).waitFor();
    assert.equal(await page.getByTestId('family-member').count(), 1);
  });
});
