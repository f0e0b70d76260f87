/**
 * National cryptography in the browser (headless Chromium, the real hub on loopback): the hub switches to SM2
 * (a rotation under SIGNING_ALGORITHM=SM2), and the checkpoint scanner — whose bundled codec verifies SM2 itself,
 * WebCrypto having none — accepts the hub's SM2 codes, online and then offline from its copy of the list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { base45Decode } from '../../src/codec/base45.ts';
import { ALGORITHMS, coseAlgorithm, decodeCoseSign1 } from '../../src/codec/cose.ts';
import { CODE_LIFETIME_SECONDS, signCode, type CodeSigner } from '../../src/codec/token.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { desk } from './browser.ts';
import { startFaces, type Faces } from './faces.ts';

describe('the scanner and SM2 codes', { timeout: 180_000 }, () => {
  let faces: Faces;
  before(async () => {
    faces = await startFaces();
  });
  after(() => faces.close());

  const codeBy = (signer: CodeSigner) => {
    const iat = Math.floor(faces.hub.clock.nowMs / 1000);
    return signCode(
      {
        iss: faces.hub.parts.issuer,
        iat,
        exp: iat + CODE_LIFETIME_SECONDS,
        cti: crypto.getRandomValues(new Uint8Array(16)),
        colour: 'green',
        maskedName: '张*三',
      },
      signer,
    );
  };

  const scan = async (page: Page, code: string) => {
    if (await page.getByRole('button', { name: '继续扫码' }).isVisible())
      await page.getByRole('button', { name: '继续扫码' }).click();
    await page.getByLabel(/粘贴健康码文字/).fill(code);
    await page.getByRole('button', { name: '查验', exact: true }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    return verdict;
  };

  test('after the hub switches to SM2, its codes are accepted online and offline', async () => {
    const { base, browser, hub } = faces;
    const context = await desk(browser);
    const page = await context.newPage();
    await page.clock.install({ time: hub.clock.nowMs });
    await page.goto(`${base}/scan/`);
    await page
      .getByTestId('trust')
      .getByText(/信任列表第 \d+ 版/)
      .waitFor();

    // What `SIGNING_ALGORITHM=SM2` then `yimatong keys rotate` does to the hub's key store.
    const store = hub.parts.keyStore;
    new KeyStore(store.dir, store.retentionSeconds, { codes: 'SM2', anchor: 'ES256' }).rotate(
      hub.clock.now(),
    );
    const signer = hub.parts.keys.reload().signer;
    const first = codeBy(signer);
    const bytes = base45Decode(first.slice(5));
    assert.ok(bytes);
    assert.equal(coseAlgorithm(decodeCoseSign1(bytes)), ALGORITHMS.SM2.id);

    const online = await scan(page, first);
    assert.equal(await online.getAttribute('data-decision'), 'accept');

    // Offline: the page verifies the SM2 signature itself, from the list it holds.
    await page.evaluate(async () => navigator.serviceWorker.ready);
    await context.setOffline(true);
    const offline = await scan(page, codeBy(signer));
    assert.equal(await offline.getAttribute('data-decision'), 'accept');
    // A damaged one is refused there too.
    const damaged = codeBy(signer);
    const bent = damaged.slice(0, -3) + (damaged.at(-3) === 'A' ? 'B' : 'A') + damaged.slice(-2);
    const refused = await scan(page, bent);
    assert.equal(await refused.getAttribute('data-decision'), 'refuse');
    await context.setOffline(false);
    await context.close();
  });
});
