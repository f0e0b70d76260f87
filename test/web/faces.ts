/**
 * What the faces' browser tests (faces-*.e2e.test.ts) share: the real hub on loopback with the demo population and
 * a clock the test moves, the people they sign in as, a citizen who has a code, and the checks they run on every
 * main screen. Each test file starts its own hub and browser, so each stands alone.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listenOnLoopback, startApp, TestClock, type TestApp } from '../helpers/context.ts';
import { launch, phone, seriousViolations } from './browser.ts';

/** A demo holder whose phone the telecom test batch places in Wuhan. */
export const CHEN_JING = { documentNumber: '42010619880520582X', name: '陈静', phone: '13800138005' };
/** A demo holder who has declared already. */
export const ZHANG_WEI = { documentNumber: '110105198503121234', name: '张伟' };

export interface Faces {
  readonly browser: Browser;
  readonly hub: TestApp;
  /** The hub's base URL on loopback. */
  readonly base: string;
  close(): Promise<void>;
}

/**
 * A headless Chromium and a hub (SQLite, the demo population) whose clock stands still until the test moves it:
 * at `clock` (default: now), with `env` added to the hub's configuration.
 */
export async function startFaces(
  options: { env?: Record<string, string>; clock?: TestClock } = {},
): Promise<Faces> {
  const browser = await launch();
  const hub = await startApp('sqlite', {
    env: { DEMO_DATA: 'true', ...options.env },
    clock: options.clock ?? new TestClock(Date.now()),
  });
  const base = await listenOnLoopback(hub);
  return {
    browser,
    hub,
    base,
    async close() {
      await browser.close();
      await hub.close();
    },
  };
}

/** axe-core finds nothing serious or critical; on a phone, nothing is wider than the screen. */
export async function noSeriousViolations(page: Page, screen: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], `${screen}: ${JSON.stringify(violations)}`);
  const width = page.viewportSize()?.width ?? 0;
  if (width <= 400) {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `${screen} is ${scrollWidth} px wide on a ${width} px screen`);
  }
}

/** Real-name sign-in in the citizen app. */
export async function signIn(page: Page, who: { documentNumber: string; name: string }): Promise<void> {
  await page.getByLabel('证件号码').fill(who.documentNumber);
  await page.getByLabel('姓名').fill(who.name);
  await page.getByRole('button', { name: '登录' }).click();
}

/** The declaration the citizen app asks for after the first sign-in: living in Wuchang, lately in Wuhan. */
export async function declare(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '填写健康申报' }).waitFor();
  await page.getByLabel(/现居住地区/).fill('420106');
  await page.getByLabel('详细住址').fill('武汉市武昌区中南路1号');
  await page.getByLabel(/今日体温/).fill('36.6');
  await page.getByLabel(/近14天到访城市/).fill('420100');
  await page.getByRole('button', { name: '提交申报' }).click();
}

/** The code the citizen app keeps for the tab (sessionStorage), as the hub issued it. */
export async function lastCode(page: Page): Promise<{ code: string; codeId: string }> {
  return page.evaluate(
    () =>
      (
        JSON.parse(sessionStorage.getItem('ymt.lastCode') ?? '{}') as {
          code: { code: string; codeId: string };
        }
      ).code,
  );
}

/**
 * Chen Jing on a phone whose clock starts at the hub's: signed in, declared, holding a green code. The page is on
 * the code screen.
 */
export async function citizenWithCode(faces: Faces): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phone(faces.browser);
  const page = await context.newPage();
  await page.clock.install({ time: faces.hub.clock.nowMs });
  await page.goto(`${faces.base}/`);
  await signIn(page, CHEN_JING);
  await declare(page);
  await page.getByRole('button', { name: '申领健康码' }).click();
  await page.getByTestId('code-frame').waitFor();
  return { context, page };
}

/** Beijing time as a datetime-local input wants it. */
export function localInput(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
}

/** The seconds a countdown ("mm:ss") shows. */
export function countdownSeconds(text: string): number {
  const m = /(\d{2}):(\d{2})/.exec(text);
  assert.ok(m, text);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Signs the operations console (already open at /console/) in with a credential — an operator's or a province's
 * (ymto_…) or a department's feed credential (ymtd_…) — and waits until the header names the role.
 */
export async function consoleSignIn(page: Page, credential: string, role: string | RegExp): Promise<void> {
  await page.getByLabel(/凭证/).fill(credential);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('role').getByText(role).waitFor();
}
