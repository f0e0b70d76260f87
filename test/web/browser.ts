/**
 * Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by playwright-core; never a downloaded
 * browser. The flags keep it from reaching for the closed network (PITFALLS.md).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import axe from 'axe-core';
import { PNG } from 'pngjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** A phone: 360 CSS pixels wide, touch, Chinese. */
export function phone(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** A desk: 1280 × 800, Chinese. */
export function desk(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
}

/** Where screenshots go: test-results/screenshots, or SCREENSHOT_DIR (`npm run screenshots` → docs/screenshots). */
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join('test-results', 'screenshots');

/**
 * A screenshot: a phone's screen as the person sees it (the tab bar stays at the bottom); a desk's whole page,
 * unless `fullPage: false` (a modal dialog over what is in view).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const fullPage = options.fullPage ?? (page.viewportSize()?.width ?? 0) > 600;
  if (!fullPage)
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: number;
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol: the pages' CSP (script-src 'self') would refuse an inline script tag.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run(
          context: Document,
          options: object,
        ): Promise<{
          violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[];
        }>;
      };
    };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }));
  });
}

/**
 * A browser whose camera films a still picture: `png` turned into a one-frame Y4M video (grey levels, 4:2:0) that
 * Chromium's fake capture device plays in a loop, with camera permission granted.
 */
export async function launchWithCamera(png: Buffer, file: string): Promise<Browser> {
  const image = PNG.sync.read(png);
  // Y4M wants even sides; a white margin around the picture also gives the QR its quiet zone.
  const side = Math.ceil((Math.max(image.width, image.height) + 80) / 2) * 2;
  const y = Buffer.alloc(side * side, 255);
  const ox = Math.floor((side - image.width) / 2);
  const oy = Math.floor((side - image.height) / 2);
  for (let row = 0; row < image.height; row++)
    for (let col = 0; col < image.width; col++) {
      const i = (row * image.width + col) * 4;
      const [r = 0, g = 0, b = 0] = [image.data[i], image.data[i + 1], image.data[i + 2]];
      y[(row + oy) * side + col + ox] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F5:1 Ip A1:1 C420jpeg\nFRAME\n`), y, chroma]),
  );
  return launch([
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
  ]);
}
