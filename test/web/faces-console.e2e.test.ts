/**
 * The operations console end to end in headless Chromium, against the real hub on loopback (SQLite, demo
 * population) with a citizen's phone beside it: a telecom batch places the holder in Wuhan; an operator marks
 * Wuhan high risk and the holder's health screen turns yellow; every other section opens; the operator withdraws
 * the entry through the reason dialog (Escape and "取消" cancel, an empty reason is refused at the field) and the
 * holder is green again; a department sees only its own batches and the quarantined record, masked. The tests
 * share the operator's and the citizen's pages and run in order. axe-core on the console (also with the dialog
 * open) and the health screen; screenshots of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { desk, screenshot } from './browser.ts';
import {
  CHEN_JING,
  citizenWithCode,
  localInput,
  noSeriousViolations,
  startFaces,
  type Faces,
} from './faces.ts';

const DAY = 24 * 3600_000;

describe('the operations console in Chromium', { timeout: 180_000 }, () => {
  let faces: Faces;
  /** The citizen's phone, and its health status. */
  let page: Page;
  let status: Locator;
  let desktop: BrowserContext;
  let operator: Page;
  /** The telecom department's feed credential. */
  let telecom: string;

  before(async () => {
    faces = await startFaces();
    ({ page } = await citizenWithCode(faces));
    status = page.getByTestId('health-status');
    desktop = await desk(faces.browser);
    operator = await desktop.newPage();
  });

  after(async () => {
    await faces.close();
  });

  test('the console raises an area to high risk and the holder who stayed there turns yellow', async () => {
    const { hub, base } = faces;
    // The telecom department reports that the citizen's phone stayed in Wuhan (420100) yesterday.
    const department = await hub.parts.services.departments.create(
      '中国移动（测试）',
      'telecom',
      null,
      new Date(hub.clock.nowMs),
    );
    telecom = department.token;
    const stay = {
      phone: CHEN_JING.phone,
      cityCode: '420100',
      firstSeen: new Date(hub.clock.nowMs - 2 * DAY).toISOString(),
      lastSeen: new Date(hub.clock.nowMs - DAY).toISOString(),
    };
    const upload = await fetch(`${base}/api/v1/feeds/telecom/batches?batchId=stay-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${telecom}`, 'content-type': 'application/x-ndjson' },
      // The second record names no real city: it is quarantined, and the console shows it masked.
      body: `${JSON.stringify(stay)}\n${JSON.stringify({ ...stay, cityCode: '999999' })}\n`,
    });
    assert.equal(upload.status, 201, await upload.text());

    await page.getByRole('button', { name: '健康信息' }).click();
    await status.getByText('绿码').waitFor();

    await operator.goto(`${base}/console/`);
    const demo = hub.parts.demo;
    assert.ok(demo, 'the demo population was loaded with its credentials');
    await operator.getByLabel(/凭证/).fill(demo.operator.token);
    await operator.getByRole('button', { name: '登录' }).click();
    await operator.getByTestId('role').getByText('国家平台运营').waitFor();
    await operator.getByLabel('地区代码', { exact: true }).fill('420100');
    await operator.getByLabel('风险等级', { exact: true }).selectOption('high');
    await operator.getByLabel('生效时间').fill(localInput(hub.clock.nowMs - 3 * DAY));
    await operator.getByLabel('失效时间').fill(localInput(hub.clock.nowMs + 7 * DAY));
    await operator.getByLabel('发布机关').fill('武汉市疫情防控指挥部');
    await operator.getByRole('button', { name: '保存' }).click();
    await operator.getByText(/已保存/).waitFor();
    await operator
      .getByRole('cell', { name: /420100/ })
      .first()
      .waitFor();
    await noSeriousViolations(operator, 'console');
    await screenshot(operator, 'console-area-risk-zh');
    // Every other section of the operator's opens without an error.
    for (const [section, shows] of [
      ['状态条目', /王\*/],
      ['规则集', /national-baseline@1\.0\.0/],
      ['省份与密钥', /北京市 \(110000\)/],
      ['信任列表', /信任锚/],
      ['不互认反馈', /暂无|工单/],
      ['数据批次', /stay-1/],
      ['容量', /当前并发 \d+ \/ 上限 16/],
    ] as const) {
      await operator.getByRole('button', { name: section, exact: true }).click();
      await operator.locator('main').getByText(shows).first().waitFor();
      assert.equal(await operator.getByRole('alert').count(), 0, section);
    }
    await operator.getByRole('button', { name: '容量', exact: true }).click();
    // The signals as charts, each one image named with its figures; the dependencies' state beside them.
    const signals = operator.getByTestId('signals');
    for (const name of [
      /^按优先级的当前并发：出示与查验健康码 \d+ \/ 16/,
      /^按优先级的繁忙拒绝（累计）：/,
      /^事件循环延迟：p99 [\d.]+ 毫秒/,
      /^限流拒绝（累计）：反复输错 \d+/,
    ])
      await signals.getByRole('img', { name }).waitFor();
    assert.equal(await signals.locator('svg[data-chart="in-flight"] rect.bar').count(), 4);
    await signals.locator('tr[data-dependency="database"]').getByText('正常').waitFor();
    await screenshot(operator, 'console-capacity-zh');
    await operator.getByRole('button', { name: 'English' }).click();
    await operator.getByText(/In flight \d+ \/ limit 16/).waitFor();
    await signals
      .getByRole('img', { name: /^In flight by priority: Showing and verifying codes \d+ \/ 16/ })
      .waitFor();
    await noSeriousViolations(operator, 'console (en)');
    await screenshot(operator, 'console-capacity-en');
    await operator.getByRole('button', { name: '中文' }).click();

    await page.getByRole('button', { name: '健康码' }).click();
    await page.getByRole('button', { name: '健康信息' }).click();
    await status.getByText('黄码').waitFor();
    await status.getByText(/到访中高风险地区 420100/).waitFor();
    await noSeriousViolations(page, 'health');
    await screenshot(page, 'citizen-health-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await status.getByText('Yellow').waitFor();
    await screenshot(page, 'citizen-health-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  test('a mistaken entry is withdrawn through the reason dialog and the holder is green again', async () => {
    // Every change the console asks the hub for from here: cancelled dialogs ask for none.
    const changes: { url: string; body: unknown }[] = [];
    operator.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/console/'))
        changes.push({ url: r.url(), body: r.postDataJSON() });
    });

    await operator.getByRole('button', { name: '地区风险等级', exact: true }).click();
    const wuhan = operator.getByRole('row', { name: /武汉市 \(420100\)/ });
    const withdraw = async () => {
      await wuhan.getByRole('button', { name: '撤销' }).click();
      await dialog.waitFor();
    };
    const dialog = operator.getByRole('dialog', { name: '撤销 武汉市 (420100) 的风险等级' });
    const reason = dialog.getByLabel('请说明原因（将记录在案）');
    await withdraw();
    // Named by its heading, modal, the focus in the reason field.
    assert.equal(await reason.evaluate((field) => field === document.activeElement), true);
    assert.equal(await dialog.evaluate((d) => d.matches(':modal')), true);
    await noSeriousViolations(operator, 'console reason dialog');
    await screenshot(operator, 'console-withdraw-dialog-zh', { fullPage: false });
    // Escape cancels.
    await operator.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // An empty reason is refused at the field, and the dialog stays.
    await withdraw();
    await reason.fill('  ');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await dialog.locator('#end-dialog-reason-error').getByText('请填写原因').waitFor();
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    assert.equal(await reason.getAttribute('aria-describedby'), 'end-dialog-reason-error');
    assert.equal(await reason.evaluate((field) => field === document.activeElement), true);
    await noSeriousViolations(operator, 'console reason dialog (empty reason)');
    // "取消" cancels too.
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // With a reason the entry is withdrawn (kept on record, with the reason): the holder is green again.
    await withdraw();
    assert.equal(await reason.inputValue(), '', 'a cancelled reason is not kept');
    await reason.fill('误发布，撤销');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await wuhan.waitFor({ state: 'detached' });
    assert.equal(changes.length, 1, JSON.stringify(changes));
    assert.match(changes[0]?.url ?? '', /\/api\/v1\/console\/area-risk\/[^/]+\/1\/end$/);
    assert.equal((changes[0]?.body as { reason?: string }).reason, '误发布，撤销');
    await page.getByRole('button', { name: '健康码', exact: true }).click();
    await page.getByRole('button', { name: '健康信息', exact: true }).click();
    await status.getByText('绿码').waitFor();
  });

  test('a department sees only its own batches and the quarantined record, masked', async () => {
    // The operator's sections are not offered to it.
    await operator.getByRole('button', { name: '退出' }).click();
    await operator.getByLabel(/凭证/).fill(telecom);
    await operator.getByRole('button', { name: '登录' }).click();
    await operator
      .getByTestId('role')
      .getByText(/数据部门/)
      .waitFor();
    assert.equal(await operator.getByRole('button', { name: '地区风险等级' }).count(), 0);
    // A department opens on its corrections queue; its batches are one section over.
    await operator.getByRole('button', { name: '数据批次', exact: true }).click();
    await operator.getByRole('cell', { name: 'stay-1' }).waitFor();
    await operator.getByRole('button', { name: '查看隔离记录' }).click();
    const quarantine = operator.getByTestId('quarantine');
    await quarantine.getByText('YMT_ERR_REGION_UNKNOWN').waitFor();
    const shown = (await quarantine.textContent()) ?? '';
    assert.ok(!shown.includes(CHEN_JING.phone), `the phone number is masked: ${shown}`);
    await screenshot(operator, 'console-department-quarantine-zh');
    await desktop.close();
  });
});
