/**
 * The checkpoint scanner meets a code whose key its trust list does not know (headless Chromium, the real hub on
 * loopback): online, it fetches the list once and accepts the code of a key published since its last update;
 * a kid nobody published is refused after that one fetch, and a second scan of it fetches nothing; offline, it
 * refuses as before and says the list may be out of date.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CODE_LIFETIME_SECONDS, signCode, type CodeSigner } from '../../src/codec/token.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { desk } from './browser.ts';
import { startFaces, type Faces } from './faces.ts';

describe('the scanner on a key its list does not know', { timeout: 180_000 }, () => {
  let faces: Faces;
  const strangerDir = mkdtempSync(join(tmpdir(), 'ymt-stranger-'));

  before(async () => {
    faces = await startFaces();
  });
  after(async () => {
    await faces.close();
    rmSync(strangerDir, { recursive: true, force: true });
  });

  /** A green code of the hub's issuer, signed now (the hub's clock) with `signer`. */
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

  /** The hub rotates its signing key: its list carries the new key at once; the scanner's copy does not. */
  const rotateHubKey = () => {
    faces.hub.parts.keyStore.rotate(faces.hub.clock.now());
    return faces.hub.parts.keys.reload().signer;
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

  test('online: one fetch, then accepted (or refused for a kid nobody published); offline: refused, the list may be out of date', async () => {
    const { base, browser, hub } = faces;
    const context = await desk(browser);
    const page = await context.newPage();
    await page.clock.install({ time: hub.clock.nowMs });
    // The page's requests for the list (its service worker passes them on or answers from its copy).
    let listFetches = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/.well-known/yimatong/trust-list') listFetches++;
    });
    await page.goto(`${base}/scan/`);
    const trust = page.getByTestId('trust');
    const version = async () => Number(/信任列表第 (\d+) 版/.exec(await trust.innerText())?.[1]);
    await trust.getByText(/信任列表第 \d+ 版/).waitFor();
    const held = await version();

    // A key published after the scanner took its list: online, the scanner looks again and accepts.
    const fresh = codeBy(rotateHubKey());
    const before = listFetches;
    const accepted = await scan(page, fresh);
    assert.equal(await accepted.getAttribute('data-decision'), 'accept');
    assert.equal(listFetches - before, 1, 'one fetch of the list');
    await trust.getByText(`信任列表第 ${held + 1} 版`).waitFor();

    // A kid nobody published: refused after one fetch; the same code again costs no fetch.
    const stranger = new KeyStore(join(strangerDir, 'keys'));
    stranger.ensure(hub.clock.now());
    const unknown = codeBy(stranger.read().signer);
    const beforeUnknown = listFetches;
    const refused = await scan(page, unknown);
    assert.equal(await refused.getAttribute('data-decision'), 'refuse');
    await refused.getByText('签发机构密钥未知，无法验证').waitFor();
    assert.equal(await page.getByTestId('list-may-be-stale').count(), 0, 'the list is current: no such hint');
    assert.equal(listFetches - beforeUnknown, 1);
    await scan(page, unknown);
    assert.equal(listFetches - beforeUnknown, 1, 'the same kid within the bound: no fetch');

    // Offline, a key published since: refused as before, saying the list may be out of date.
    await page.evaluate(async () => navigator.serviceWorker.ready);
    const newer = codeBy(rotateHubKey());
    await context.setOffline(true);
    const offline = await scan(page, newer);
    assert.equal(await offline.getAttribute('data-decision'), 'refuse');
    await offline
      .getByTestId('list-may-be-stale')
      .getByText(/可能不是最新的/)
      .waitFor();
    await context.setOffline(false);
    await context.close();
  });
});
