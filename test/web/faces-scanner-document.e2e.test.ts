/**
 * The checkpoint scanner's look-up by document (docs/checkpoint-lookups.md), end to end in headless Chromium
 * against the real hub on loopback (SQLite, demo population): a person with no code is looked up by checkpoint
 * staff — credential entered once, document and name typed from the card — and let through; the person's access
 * history at the hub names the checkpoint. A wrong name shows the coded refusal. axe-core on the screen;
 * screenshots in both languages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, signIn as signInApi } from '../helpers/people.ts';
import { desk, screenshot } from './browser.ts';
import { noSeriousViolations, startFaces, ZHANG_WEI, type Faces } from './faces.ts';

describe('the scanner looks a person up by document', { timeout: 180_000 }, () => {
  let faces: Faces;
  let credential: string;

  before(async () => {
    faces = await startFaces();
    const staff = faces.hub.parts.services.staff;
    credential = (await staff.create('checkpoint', '虹桥站查验点', '310112', faces.hub.clock.now())).token;
  });
  after(async () => {
    await faces.close();
  });

  test('no code: credential, card, look-up, let through; the person sees it', async () => {
    const scan = await (await desk(faces.browser)).newPage();
    await scan.goto(`${faces.base}/scan/`);
    await scan.getByRole('button', { name: '无码人员 · 凭证件核验' }).click();
    const check = scan.getByTestId('document-check');
    await check.getByLabel('工作人员凭证').fill(credential);
    await check.getByRole('button', { name: '使用此凭证' }).click();
    await check.getByLabel('证件号码').fill(ZHANG_WEI.documentNumber);
    await check.getByLabel('证件上的姓名').fill('张三');
    await check.getByRole('button', { name: '查询', exact: true }).click();
    await check.getByText('实名核验未通过').waitFor();
    await check.getByLabel('证件上的姓名').fill(ZHANG_WEI.name);
    await check.getByRole('button', { name: '查询', exact: true }).click();
    const status = check.getByTestId('document-status');
    await status.getByText('张*').waitFor();
    assert.match((await status.textContent()) ?? '', /绿码|黄码|红码/);
    await noSeriousViolations(scan, 'scanner document check');
    await screenshot(scan, 'scanner-document-check-zh');
    await check.getByRole('button', { name: '放行', exact: true }).click();
    await check.getByTestId('document-decided').getByText('已记录：放行').waitFor();
    await scan.getByRole('button', { name: 'English' }).click();
    await check.getByText('Recorded: let through').waitFor();
    await screenshot(scan, 'scanner-document-check-en');

    const token = await signInApi(faces.hub.app, { ...ZHANG_WEI, documentType: 'id_card', phone: '' });
    const history = await faces.hub.app.inject({
      method: 'GET',
      url: '/api/v1/me/access-history',
      headers: bearer(token),
    });
    const entries = history.json<{ entries: { actor: string; purpose: string }[] }>().entries;
    assert.deepEqual(
      entries.slice(0, 2).map((e) => [e.actor, e.purpose]),
      [
        ['虹桥站查验点 · 闵行区', 'check.pass'],
        ['虹桥站查验点 · 闵行区', 'status.lookup'],
      ],
    );
  });
});
