/**
 * A paper code as a person meets it (Q9, docs/registrars.md): a registrar made by `yimatong registrars add`
 * records a person without a phone, prints the A6 PDF; the page is rendered to PNG (`pdftoppm`, as a printer
 * would), its QR read by a reader that is not ours (`zbarimg`), and the picture verified offline by
 * `yimatong verify page.png` with the hub's trust list: valid, shown as paper. Needs Debian's poppler-utils and
 * zbar-tools (.ci/run installs both); skipped, saying so, where they are missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startApp, type TestApp } from '../helpers/context.ts';
import { bearer, HEALTHY_DECLARATION } from '../helpers/people.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = ['pdftoppm', 'zbarimg'].filter((t) => !has(t));
const skip = missing.length > 0 ? `needs ${missing.join(' and ')} (poppler-utils, zbar-tools)` : undefined;

describe('a paper code printed, scanned and verified offline', { skip }, () => {
  let hub: TestApp;
  before(async () => {
    hub = await startApp('sqlite');
  });
  after(() => hub.close());

  const cli = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], {
      cwd: hub.dataDir,
      env: { ...process.env, DATA_DIR: hub.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
    });

  test('registrars add → record → PDF → PNG → zbarimg → yimatong verify: valid, paper', async () => {
    const bad = cli(['registrars', 'add', '--name', '社区', '--region', '999999']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--region must be a GB\/T 2260 code/);
    const added = cli(['registrars', 'add', '--name', '南京东路街道社区服务中心', '--region', '310101']);
    assert.equal(added.status, 0, added.stderr);
    const { token } = JSON.parse(added.stdout) as { token: string };
    assert.match(token, /^ymtr_/);
    const listed = cli(['registrars', 'list']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok(!listed.stdout.includes(token), 'the list never shows a token');

    const res = await hub.app.inject({
      method: 'POST',
      url: '/api/v1/registrar/declarations',
      headers: bearer(token),
      payload: { name: '刘桂兰', contact: { name: '王社工', phone: '13600000000' }, ...HEALTHY_DECLARATION },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { id, code } = res.json<{ id: string; code: string }>();
    const pdf = await hub.app.inject({
      method: 'GET',
      url: `/api/v1/registrar/declarations/${id}/paper-code.pdf`,
      headers: bearer(token),
    });
    assert.equal(pdf.statusCode, 200);
    const file = join(hub.dataDir, 'paper-code.pdf');
    writeFileSync(file, pdf.rawPayload);

    const rendered = spawnSync('pdftoppm', ['-r', '150', '-png', file, join(hub.dataDir, 'page')], {
      encoding: 'utf8',
    });
    assert.equal(rendered.status, 0, rendered.stderr);
    const pages = readdirSync(hub.dataDir).filter((f) => /^page.*\.png$/.test(f));
    assert.equal(pages.length, 1, 'one A6 page');
    const page = join(hub.dataDir, pages[0] ?? '');
    const scanned = spawnSync('zbarimg', ['--quiet', '--raw', page], { encoding: 'utf8' });
    assert.equal(scanned.status, 0, scanned.stderr);
    assert.equal(scanned.stdout.trim(), code);
    // `npm run screenshots` keeps the page for docs/registrars.md.
    const shots = process.env.SCREENSHOT_DIR;
    if (shots !== undefined) copyFileSync(page, join(shots, 'registrar-paper-code.png'));

    const get = async (url: string) => (await hub.app.inject({ method: 'GET', url })).body;
    writeFileSync(join(hub.dataDir, 'trust-list.json'), await get('/.well-known/yimatong/trust-list'));
    writeFileSync(join(hub.dataDir, 'anchor.json'), await get('/.well-known/yimatong/trust-anchor'));
    // A day later, offline, from the picture: still valid (a code on screen would have expired long before).
    const at = new Date(hub.clock.nowMs + 86_400_000).toISOString();
    const verified = cli([
      'verify',
      page,
      '--trust-list',
      'trust-list.json',
      '--anchor',
      'anchor.json',
      '--at',
      at,
    ]);
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const verdict = JSON.parse(verified.stdout) as { valid: boolean; form: string; maskedName: string };
    assert.deepEqual([verdict.valid, verdict.form, verdict.maskedName], [true, 'paper', '刘*兰']);
  });
});
