/**
 * `yimatong operators` as a user runs it (a separate process on a hub's DATA_DIR): usage errors, accounts
 * added with their token shown once, listed without it, disabled; the tokens sign in to the console.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startApp } from '../helpers/context.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

describe('yimatong operators', () => {
  let dir: string;
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'operators', ...args], {
      cwd: dir,
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent', DEMO_DATA: 'false' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** The console's answer to `GET /api/v1/console/me` with a token, from a hub on the same DATA_DIR. */
  const me = async (token: string) => {
    const hub = await startApp('sqlite', { env: { DATA_DIR: dir } });
    try {
      const res = await hub.app.inject({
        method: 'GET',
        url: '/api/v1/console/me',
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
    } finally {
      await hub.close();
    }
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ymt-operators-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('bad arguments: exit 2 with the reason', () => {
    const cases: [string[], RegExp][] = [
      [[], /usage: yimatong operators add/],
      [['add'], /usage/],
      [['add', '--name', '   '], /usage/],
      [['add', '--name', 'x'.repeat(101)], /usage/],
      [['add', '--name', '某市', '--province', '440300'], /32 provincial units/],
      [['add', '--name', '某地', '--province', '999999'], /32 provincial units/],
      [['disable'], /usage/],
      [['remove', 'o_1'], /usage/],
    ];
    for (const [args, reason] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason, args.join(' '));
    }
  });

  test('add prints the token once; list shows the accounts without it; the token signs in', async () => {
    const added = run(['add', '--name', '国家运营值班']);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stderr, /shown only once/);
    const operator = JSON.parse(added.stdout) as Record<string, unknown>;
    assert.equal(operator.role, 'operator');
    assert.equal(operator.province, null);
    assert.match(String(operator.token), /^ymto_[A-Za-z0-9_-]{43}$/);

    // The Corps is one of the 32 units, under its private code.
    const corps = JSON.parse(run(['add', '--name', '兵团卫健委', '--province', '660000']).stdout) as Record<
      string,
      unknown
    >;
    assert.deepEqual([corps.role, corps.province], ['province', '660000']);

    const list = run(['list']);
    assert.equal(list.status, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      rows.map((r) => [r.accountId, r.name, r.role, r.province, r.disabledAt]),
      [
        [operator.accountId, '国家运营值班', 'operator', null, null],
        [corps.accountId, '兵团卫健委', 'province', '660000', null],
      ],
    );
    assert.ok(!list.stdout.includes('ymto_') && !list.stdout.includes('token'), 'no token is listed');

    assert.deepEqual(await me(String(corps.token)), {
      status: 200,
      body: {
        role: 'province',
        name: '兵团卫健委',
        province: '660000',
        may: ['rule-sets', 'provinces', 'reports', 'corrections', 'batches'],
      },
    });
  });

  test('disable: exit 0 once, 1 when there is nothing to disable; a disabled token no longer signs in', async () => {
    const added = JSON.parse(run(['add', '--name', '临时值班']).stdout) as {
      accountId: string;
      token: string;
    };
    assert.equal((await me(added.token)).status, 200);
    const first = run(['disable', added.accountId]);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(JSON.parse(first.stdout), { accountId: added.accountId, disabled: true });
    assert.equal(run(['disable', added.accountId]).status, 1);
    assert.equal(run(['disable', 'o_000000000000']).status, 1);
    const refused = await me(added.token);
    assert.deepEqual(
      [refused.status, (refused.body.error as { code: string }).code],
      [401, 'YMT_ERR_CONSOLE_UNAUTHENTICATED'],
    );
  });
});
