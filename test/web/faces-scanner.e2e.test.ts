/**
 * The checkpoint scanner end to end in headless Chromium, against the real hub on loopback (SQLite, demo
 * population): a citizen's phone shows a green code; the scanner reads a screenshot of it from the image and
 * accepts it, then with a camera filming it, at a Beijing checkpoint, offline (the service worker and the device's
 * trust list), refuses a tampered code and, eight days later, will not decide on an expired list. axe-core on the
 * verdict; screenshots of it in both languages. A picture declaring more pixels than a QR photo needs (issue 17's
 * bomb.png) is refused before it is decoded, with the reason.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { zeroPng } from '../helpers/png-bomb.ts';
import { desk, launchWithCamera, screenshot } from './browser.ts';
import { citizenWithCode, lastCode, noSeriousViolations, startFaces, type Faces } from './faces.ts';

describe('the checkpoint scanner in Chromium', { timeout: 180_000 }, () => {
  let faces: Faces;
  let codePng: Buffer;
  let codeText: string;

  before(async () => {
    faces = await startFaces();
    const { page } = await citizenWithCode(faces);
    codePng = await page.getByTestId('qr').screenshot();
    codeText = (await lastCode(page)).code;
  });

  after(async () => {
    await faces.close();
  });

  test('the scanner reads the code from a picture and accepts it, then does the same offline', async () => {
    const { hub, base, browser } = faces;
    const scanner = await desk(browser);
    const scan = await scanner.newPage();
    // The checkpoint's clock agrees with the hub's.
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

    // At a Beijing checkpoint too (Beijing publishes no rules of its own here: the national ones decide).
    await scan.getByRole('button', { name: '继续扫码' }).click();
    await scan.getByLabel('本查验点所在省份').selectOption('110000');
    await scan.getByLabel(/粘贴健康码文字/).fill(codeText);
    await scan.getByRole('button', { name: '查验', exact: true }).click();
    assert.equal(await scan.getByTestId('verdict').getAttribute('data-decision'), 'accept');
    await scan
      .getByTestId('verdict')
      .getByText(/national-acceptance@/)
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

  test('a picture declaring 20 000 × 20 000 pixels is refused before it is decoded; one without a code says so', async () => {
    const scanner = await desk(faces.browser);
    const scan = await scanner.newPage();
    await scan.goto(`${faces.base}/scan/`);
    await scan
      .getByTestId('trust')
      .getByText(/信任列表第 \d+ 版/)
      .waitFor();
    const upload = scan.getByLabel('从图片识别');
    await upload.setInputFiles({
      name: 'bomb.png',
      mimeType: 'image/png',
      buffer: await zeroPng(20_000, 20_000),
    });
    await scan
      .getByRole('alert')
      .getByText(/图片过大，不予识别/)
      .waitFor();
    await upload.setInputFiles({ name: 'grey.png', mimeType: 'image/png', buffer: await zeroPng(64, 64) });
    await scan.getByRole('alert').getByText('图片中未找到二维码').waitFor();
    assert.equal(await scan.getByTestId('verdict').count(), 0);
    await scanner.close();
  });
});
