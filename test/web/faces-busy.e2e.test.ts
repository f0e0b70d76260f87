/**
 * The citizen app's busy notice under a real overload, in headless Chromium: a hub that takes one request at a
 * time (MAX_IN_FLIGHT=1) with one declaration's body held open; the app says "系统繁忙…", keeps the last valid code and
 * recovers by itself once that request is gone. axe-core on the busy screen; a screenshot of it.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { TestClock } from '../helpers/context.ts';
import { phone, screenshot } from './browser.ts';
import { noSeriousViolations, signIn, startFaces, ZHANG_WEI, type Faces } from './faces.ts';

const BUSY_TEXT = '系统繁忙，当前查询人数过多，请稍后再试';

describe('the busy notice under a real overload', { timeout: 120_000 }, () => {
  let faces: Faces;

  before(async () => {
    faces = await startFaces({ env: { MAX_IN_FLIGHT: '1' }, clock: new TestClock() });
  });

  after(async () => {
    await faces.close();
  });

  test('shows "系统繁忙…", keeps the last valid code and recovers by itself', async () => {
    const { hub, base } = faces;
    const context = await phone(faces.browser);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await signIn(page, ZHANG_WEI);
    await page.getByRole('button', { name: '申领健康码' }).click();
    await page.getByTestId('code-frame').waitFor();
    // The linked codes beside the code have been asked for too: nothing of the app's is in flight any more.
    await page.getByRole('button', { name: '关联省级健康码' }).waitFor();

    // A declaration whose body is not finished holds the only slot (MAX_IN_FLIGHT=1).
    const held: ClientRequest = httpRequest(`${base}/api/v1/me/declaration`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    held.on('error', () => undefined);
    held.write('{');
    for (let i = 0; i < 100 && hub.parts.admission.inFlight === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(hub.parts.admission.inFlight, 1);

    await page.getByRole('button', { name: '刷新' }).click();
    const busy = page.getByTestId('busy');
    await busy.getByText(BUSY_TEXT).waitFor();
    await busy.getByText(/秒后自动重试/).waitFor();
    // The last code stays while it is valid.
    await page.getByTestId('code-frame').waitFor();
    await page.getByText('仍显示您上一次获取、尚在有效期内的健康码。').waitFor();
    await noSeriousViolations(page, 'busy');
    await screenshot(page, 'citizen-busy-zh');

    held.destroy();
    await busy.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('countdown').waitFor();
    await context.close();
  });
});
