/**
 * `yimatong audit` as an operator runs it (a separate process on a hub's DATA_DIR): the chain of a hub's acts
 * verifies, an anchor is written and checked, and after an insider edits an entry in the database file, `verify`
 * exits 1 naming it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { startContext } from '../helpers/context.ts';

interface Report {
  ok: boolean;
  checked: number;
  base: { seq: number; hash: string };
  head: { seq: number; hash: string };
  anchor?: { ok: boolean; seq: number };
}

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

describe('yimatong audit', () => {
  let dir: string;
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'audit', ...args], {
      cwd: dir,
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent', DEMO_DATA: 'false' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ymt-audit-'));
    const hub = await startContext('sqlite', { env: { DATA_DIR: dir } });
    try {
      const { audit } = hub.parts.services;
      for (let i = 1; i <= 5; i++)
        await audit.record(hub.parts.db, {
          at: hub.clock.nowMs + i,
          actorKind: 'operator',
          actorRef: `o_${i}`,
          action: 'operator.create',
          subject: null,
          detail: null,
        });
    } finally {
      await hub.close();
    }
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('bad arguments: exit 2 with the usage', () => {
    for (const args of [
      [],
      ['check'],
      ['verify', '--out', 'x'],
      ['anchor', '--anchor', 'x'],
      ['verify', 'x'],
    ]) {
      const r = run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /usage: yimatong audit verify/);
    }
    const missing = run(['verify', '--anchor', join(dir, 'nowhere.json')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read/);
  });

  test('the chain verifies; an anchor is written once and checked', () => {
    const ok = run(['verify']);
    assert.equal(ok.status, 0, ok.stderr);
    const report = JSON.parse(ok.stdout) as Report;
    assert.equal(report.ok, true);
    assert.equal(report.checked, 5);
    assert.deepEqual(report.base, { seq: 0, hash: '0'.repeat(64) });
    assert.equal(report.head.seq, 5);
    const file = join(dir, 'anchor.json');
    const a = run(['anchor', '--out', file]);
    assert.equal(a.status, 0, a.stderr);
    assert.ok(existsSync(file));
    const anchor = JSON.parse(readFileSync(file, 'utf8')) as { seq: number; kid: string };
    assert.equal(anchor.seq, 5);
    // Anchoring is itself an act the log records, after the anchored head.
    const checked = run(['verify', '--anchor', file]);
    assert.equal(checked.status, 0, checked.stdout);
    const withAnchor = JSON.parse(checked.stdout) as Report;
    assert.deepEqual(withAnchor.anchor, { ok: true, seq: 5 });
    assert.equal(withAnchor.checked, 6);
    const again = run(['anchor', '--out', file]);
    assert.equal(again.status, 1, 'an existing anchor file is never written over');
    assert.match(again.stderr, /never written over/);
  });

  test('an entry edited in the database file: exit 1, the entry named', () => {
    const db = new Database(join(dir, 'yimatong.db'));
    try {
      db.prepare("update audit_log set actor_ref = 'o_9' where seq = 3").run();
    } finally {
      db.close();
    }
    const bad = run(['verify', '--anchor', join(dir, 'anchor.json')]);
    assert.equal(bad.status, 1);
    const report = JSON.parse(bad.stdout) as { ok: boolean; firstBad: { seq: number; problem: string } };
    assert.equal(report.ok, false);
    assert.equal(report.firstBad.seq, 3);
    assert.equal(report.firstBad.problem, 'edited');
  });
});
