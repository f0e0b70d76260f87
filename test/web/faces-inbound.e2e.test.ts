/**
 * An inbound traveller in the citizen app, in English, end to end in headless Chromium on a 360-pixel phone against
 * the real hub on loopback (SQLite, demo population): JOHN SMITH (a British passport) signs in, adds his entry — the
 * flight, date, port, country left from and quarantine place — to his declaration, and the health screen's entry
 * check says no immigration record has arrived; the immigration feed then records another flight that day, and the
 * check shows the mismatch. MARIA GARCIA (a Spanish passport), whom no registry knows, signs in from her immigration
 * record, declares with her entry and holds a code; her entry check matches; and no tab shows her a Chinese
 * character (the English health screen once said "上海市"). axe-core on the new screens; screenshots of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { sendFeed } from '../helpers/feeds.ts';
import { phone, screenshot } from './browser.ts';
import { noSeriousViolations, startFaces, type Faces } from './faces.ts';

const SMITH = { documentNumber: '123456789', nationality: 'GBR', name: 'JOHN SMITH' };

/** A Beijing calendar date, `days` before the instant. */
function beijingDate(ms: number, days: number): string {
  return new Date(ms - days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

describe('an inbound traveller in the citizen app, in English', { timeout: 180_000 }, () => {
  let faces: Faces;
  let page: Page;
  let arrival = '';

  before(async () => {
    faces = await startFaces();
    arrival = beijingDate(faces.hub.clock.nowMs, 3);
    page = await (await phone(faces.browser)).newPage();
    await page.goto(`${faces.base}/`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Document type').selectOption('passport');
    await page.getByLabel('Document number').fill(SMITH.documentNumber);
    await page.getByLabel('Name').fill(SMITH.name);
    await page.getByLabel(/Nationality/).fill(SMITH.nationality);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Declare', exact: true }).click();
  });
  after(async () => {
    await faces.close();
  });

  test('he adds his entry to the declaration: asked for what is missing, then saved', async () => {
    await page.getByRole('button', { name: 'Modify the declaration' }).click();
    await page.getByLabel('I entered China in the last 30 days').check();
    await page.getByLabel('Flight or train number').fill('CA938');
    await page.getByRole('button', { name: 'Submit the declaration' }).click();
    await page.locator('#entry-error').getByText('Give the flight or train').waitFor();
    await page.getByLabel('Date of entry').fill(arrival);
    await page.getByLabel('Port of entry').fill('Beijing Capital Airport');
    await page.getByLabel(/Country left from/).fill('gbr');
    await page.getByLabel(/Quarantine place/).fill('Hotel Yanshan, Haidian');
    await noSeriousViolations(page, 'declaration with entry');
    await screenshot(page, 'citizen-entry-form-en');
    await page.getByRole('button', { name: 'Submit the declaration' }).click();
    await page.getByText('Saved').waitFor();
  });

  test('the health screen checks it against the immigration feed', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Health', exact: true }).click();
    const card = page.getByTestId('entry-check');
    await card.getByText('No immigration record of yours has arrived yet').waitFor();
    assert.equal(await card.getAttribute('data-result'), 'not_recorded');
    await sendFeed(faces.hub, 'immigration', 'nia-inbound-e2e', [
      {
        documentType: 'passport',
        documentNumber: SMITH.documentNumber,
        nationality: SMITH.nationality,
        flightNo: 'CA934',
        date: arrival,
        port: 'PEK',
      },
    ]);
    await page.reload();
    await page.getByRole('navigation').getByRole('button', { name: 'Health', exact: true }).click();
    await card.getByText('Differs from the immigration record: flight or train').waitFor();
    assert.equal(await card.getAttribute('data-result'), 'mismatch');
    assert.match((await card.textContent()) ?? '', new RegExp(`CA934 \\(${arrival}, PEK\\)`));
    await noSeriousViolations(page, 'health with the entry check');
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'citizen-entry-check-en', { fullPage: true });
  });

  test('a visitor no registry knows signs in from her immigration record, declares and holds a code', async () => {
    const maria = { documentNumber: 'PAB123456', nationality: 'ESP', name: 'Maria Garcia' };
    await sendFeed(faces.hub, 'immigration', 'nia-visitor-e2e', [
      { documentType: 'passport', ...maria, flightNo: 'IB6841', date: arrival, port: 'PVG' },
    ]);
    const visitor = await (await phone(faces.browser)).newPage();
    await visitor.goto(`${faces.base}/`);
    await visitor.getByRole('button', { name: 'English' }).click();
    await visitor.getByLabel('Document type').selectOption('passport');
    await visitor.getByLabel('Document number').fill(maria.documentNumber);
    await visitor.getByLabel('Name').fill('MARIA GARCIA');
    await visitor.getByLabel(/Nationality/).fill(maria.nationality);
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.getByRole('heading', { name: 'Health declaration' }).waitFor();
    await visitor.getByLabel(/Mobile phone/).fill('+34612345678');
    await visitor.getByLabel('Sex').selectOption('female');
    await visitor.getByLabel(/Region where you live/).fill('310115');
    await visitor.getByLabel('Address').fill('Hotel Pudong, 88 Century Avenue');
    await visitor.getByLabel("Today's temperature (°C)").fill('36.5');
    await visitor.getByLabel(/Cities visited/).fill('310100');
    await visitor.getByLabel('I entered China in the last 30 days').check();
    await visitor.getByLabel('Flight or train number').fill('IB6841');
    await visitor.getByLabel('Date of entry').fill(arrival);
    await visitor.getByLabel('Port of entry').fill('Shanghai Pudong Airport');
    await visitor.getByLabel(/Country left from/).fill('ESP');
    await visitor.getByRole('button', { name: 'Submit the declaration' }).click();
    await visitor.getByRole('button', { name: 'Apply for the code' }).click();
    await visitor.getByTestId('code-frame').waitFor();
    await visitor.getByRole('navigation').getByRole('button', { name: 'Health', exact: true }).click();
    const card = visitor.getByTestId('entry-check');
    await card.getByText('Matches the immigration record').waitFor();
    assert.equal(await card.getAttribute('data-result'), 'matched');
    // In English, no Chinese anywhere she looks (but the button that switches to it), on every tab, in elder mode too.
    const chinese = async (where: string) => {
      const text = await visitor.evaluate(() => document.body.innerText);
      const found = text.replace(/中文/g, '').match(/[\u3400-\u9fff\uf900-\ufaff]+/g);
      assert.equal(found, null, `${where}: ${JSON.stringify(found)}`);
    };
    await chinese('health');
    const shown = {
      Code: visitor.getByTestId('code-frame'),
      Declare: visitor.getByRole('button', { name: 'Modify the declaration' }),
      More: visitor.locator('#linked-title'),
    };
    for (const [tab, ready] of Object.entries(shown)) {
      await visitor.getByRole('navigation').getByRole('button', { name: tab, exact: true }).click();
      await ready.waitFor();
      await chinese(tab);
    }
  });
});
