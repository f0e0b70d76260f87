/**
 * `yimatong purge [--dry-run]`, run as a separate process sharing the hub's data folder (SQLite, as on a hub
 * machine): the dry run counts and keeps, the purge removes and says what, per kind.
 */
import assert from 'node:assert/strict';
import { RETENTION_DEFAULT_DAYS } from '../../src/retention/retention.domain.ts';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sendFeed } from '../helpers/feeds.ts';
import { startContext, type TestHub } from '../helpers/context.ts';
import { ALICE, BOB } from '../helpers/people.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));
const DAY_MS = 86_400_000;

describe('yimatong purge', () => {
  let hub: TestHub;
  before(async () => {
    // The command runs now: the evidence is forty days old, the hub received it then.
    hub = await startContext('sqlite');
    hub.clock.nowMs = Date.now() - 40 * DAY_MS;
    const day = (back: number) => new Date(Date.now() - back * DAY_MS).toISOString().slice(0, 10);
    await sendFeed(hub, 'railway', 'rail-old', [
      {
        documentType: 'id_card',
        documentNumber: ALICE.documentNumber,
        trainNo: 'G1',
        date: day(41),
        carriage: 1,
        seat: '01A',
      },
      {
        documentType: 'id_card',
        documentNumber: BOB.documentNumber,
        trainNo: 'G1',
        date: day(41),
        carriage: 1,
        seat: '02A',
      },
    ]);
  });
  after(() => hub.close());

  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'purge', ...args], {
      env: {
        ...process.env,
        DATA_DIR: hub.dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'silent',
        DEMO_DATA: 'false',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const manifests = async () => (await hub.parts.db.selectFrom('manifests').select('seq').execute()).length;

  test('--dry-run counts what would go and keeps it', async () => {
    const r = run(['--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { dryRun: boolean; removed: Record<string, number>; windows: object };
    assert.equal(out.dryRun, true);
    assert.equal(out.removed.railway, 2);
    assert.equal(out.removed.health, 0);
    assert.deepEqual(Object.keys(out.windows).sort(), Object.keys(RETENTION_DEFAULT_DAYS).sort());
    assert.equal(await manifests(), 2);
  });

  test('the purge removes it and prints what it removed per kind', async () => {
    const r = run([]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { dryRun: boolean; removed: Record<string, number> };
    assert.equal(out.dryRun, false);
    assert.equal(out.removed.railway, 2);
    assert.equal(await manifests(), 0);
    const again = JSON.parse(run([]).stdout) as { removed: Record<string, number> };
    assert.ok(Object.values(again.removed).every((n) => n === 0));
  });

  test('a stray operand or an unknown option is a usage error', () => {
    assert.equal(run(['now']).status, 2);
    assert.equal(run(['--force']).status, 2);
  });
});
