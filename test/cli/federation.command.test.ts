/**
 * The federation's commands as a user runs them: bad arguments are usage errors (exit 2) with the reason, and a
 * node stopped while it still waits for an absent hub tries no more and exits without announcing itself ready.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProvinceKeys } from '../../src/province-node/province-keys.ts';
import { KeyStore } from '../../src/signing/keystore.ts';
import { LOCAL_NODE_URLS } from '../helpers/context.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

/** Polls `condition` every 20 ms; fails after `ms` (a guard against a hang, not a measure) with `what()`. */
async function until(condition: () => boolean, what: () => string, ms = 60_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited >= ms) assert.fail(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('yimatong province, federation, provinces', () => {
  let dir: string;
  const env = () => ({
    ...process.env,
    DATA_DIR: dir,
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    ...LOCAL_NODE_URLS,
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

  test('a node stopped while the hub is away tries no more, exits 0 and never says it is ready', async () => {
    // A hub that is away, under the test's control: it refuses the node's first request (503) and holds every
    // later one unanswered, so that the test knows which attempt is in flight when the node is stopped.
    const requests: string[] = [];
    const held: ServerResponse[] = [];
    const hub = createServer((req, res) => {
      requests.push(`${String(req.method)} ${String(req.url)}`);
      if (requests.length === 1) res.writeHead(503).end();
      else held.push(res);
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const nodeDir = join(dir, 'node-440000');
    const proc = spawn(
      process.execPath,
      [
        BIN,
        'province',
        '--code',
        '440000',
        '--hub',
        `http://127.0.0.1:${String((hub.address() as AddressInfo).port)}`,
      ],
      // The held request must stay in flight until the test answers it, not end on the node's own timeout.
      {
        env: { ...env(), DATA_DIR: nodeDir, PEER_TIMEOUT_MS: '60000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let exitCode: number | null | undefined;
    proc.once('close', (code) => (exitCode = code));
    try {
      // The first attempt was refused, the second is in flight: the node cannot start a third before it ends.
      await until(
        () => /waiting for the hub/.test(err) && requests.length === 2,
        () => `a second attempt\n${err}`,
      );
      // The node's database was opened (and written: migrations) before it began to wait for the hub.
      const wal = join(nodeDir, 'provinces', '440000', 'yimatong.db-wal');
      assert.ok(existsSync(wal), `${wal} is there while the node runs`);
      proc.kill('SIGTERM');
      // The node stops its hub loop (ProvinceNode.stop()) and only then closes its database, which removes the
      // write-ahead log: from then on the loop knows it is stopped. The attempt in flight is answered now, so it
      // ends after the stop, and the loop must not try again.
      await until(
        () => !existsSync(wal),
        () => `the node to close its database\n${err}`,
      );
      for (const res of held.splice(0)) res.writeHead(503).end();
      // Either it exits, or it tries again (and that request is held: it could not exit then).
      await until(
        () => exitCode !== undefined || requests.length > 2,
        () => `the node to exit\n${err}`,
      );
    } finally {
      proc.kill('SIGKILL');
      hub.closeAllConnections();
      await new Promise((resolve) => hub.close(resolve));
    }
    assert.equal(out, '', 'never announced as ready');
    assert.deepEqual(
      requests,
      ['GET /.well-known/yimatong/trust-anchor', 'GET /.well-known/yimatong/trust-anchor'],
      'no attempt after the stop',
    );
    assert.equal(exitCode, 0, err);
    // One line per attempt: the refused one, and the one in flight when the node was stopped.
    assert.equal(err.match(/waiting for the hub/g)?.length, 2, err);
  });
});
