/**
 * The federation's commands as a user runs them: bad arguments are usage errors (exit 2) with the reason, and a
 * node stopped while it still waits for an absent hub exits promptly without announcing itself ready.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

describe('yimatong province, federation, provinces', () => {
  let dir: string;
  const env = () => ({
    ...process.env,
    DATA_DIR: dir,
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
  });
  const run = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env: env(), encoding: 'utf8', timeout: 60_000 });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ymt-cmd-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('bad arguments: exit 2 with the reason', () => {
    const cases: [string[], RegExp][] = [
      [['province', '--code', '440300', '--hub', 'http://127.0.0.1:1'], /32 provincial units/],
      [['province', '--code', '440000'], /--hub URL is required/],
      [['federation', '--provinces', '110000,999999'], /not provincial units: 999999/],
      [['federation', '--parallel', '0'], /--parallel/],
      [['provinces', 'revoke-key', 'AAAAAAAAAAA'], /usage/],
    ];
    for (const [args, reason] of cases) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason);
    }
    const file = join(dir, 'enrolment.json');
    writeFileSync(file, JSON.stringify({ format: 'yimatong-enrolment/1', code: '440000' }));
    const bad = run(['provinces', 'enrol', file]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /P-256/);
  });

  test('provinces enrol and list: a province enrolled from its file is listed, with its root and keys', () => {
    const store = new KeyStore(join(dir, 'gd-keys'), 960);
    const file = new ProvinceKeys(store, '440000');
    file.ensure(new Date());
    const enrolled = run(['provinces', 'enrol', file.enrolmentFile]);
    assert.equal(enrolled.status, 0, enrolled.stderr);
    const listed = run(['provinces', 'list']);
    assert.equal(listed.status, 0, listed.stderr);
    const rows = JSON.parse(listed.stdout) as {
      code: string;
      name: string;
      rootKid: string;
      nodeUrl: unknown;
      keys: unknown[];
    }[];
    assert.deepEqual(
      rows.map((r) => [r.code, r.name, r.rootKid, r.nodeUrl, r.keys]),
      [['440000', '广东省', store.read().anchor.kid, null, []]],
    );
  });

  test('a node stopped while the hub is away exits at once, and never says it is ready', async () => {
    const proc = spawn(
      process.execPath,
      [BIN, 'province', '--code', '440000', '--hub', 'http://127.0.0.1:1'],
      {
        env: env(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Wait until it is trying to reach the hub.
    const until = Date.now() + 30_000;
    while (!err.includes('waiting for the hub') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    assert.match(err, /waiting for the hub/);
    const t0 = Date.now();
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(Date.now() - t0 < 5000, `took ${String(Date.now() - t0)} ms`);
    assert.equal(out, '');
  });
});
