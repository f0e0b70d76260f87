/**
 * `yimatong status-entries`, run as a separate process sharing the hub's data folder (SQLite, as on a hub machine):
 * add, list and end with the provenance kept; usage mistakes exit 2; bad input is the console's refusal — the same
 * code at the same field, from the one service — exit 1, with nothing written; and the holder's colour follows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startApp, type TestApp } from '../helpers/context.ts';
import { ALICE, bearer, declaredHolder, idNumber } from '../helpers/people.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

interface Refusal {
  code: string;
  fields: string[];
}
interface ErrorBody {
  error?: { code: string; details?: { field: string }[] };
}
const refusalOf = (body: ErrorBody): Refusal => ({
  code: body.error?.code ?? 'none',
  fields: (body.error?.details ?? []).map((d) => d.field),
});

describe('yimatong status-entries', () => {
  let hub: TestApp;
  let holder: string;
  let operator: string;
  before(async () => {
    hub = await startApp('sqlite');
    // The command runs now; so does the hub here.
    hub.clock.nowMs = Date.now();
    holder = await declaredHolder(hub, ALICE);
    operator = (await hub.parts.services.consoleAccounts.create('国家运营值班', null, hub.clock.now())).token;
  });
  after(() => hub.close());

  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'status-entries', ...args], {
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
  const alice = ['--document-type', 'id_card', '--document-number', ALICE.documentNumber];
  const colour = async () => {
    hub.clock.nowMs = Date.now();
    const res = await hub.app.inject({ method: 'GET', url: '/api/v1/me/health', headers: bearer(holder) });
    return res.json<{ colour: string }>().colour;
  };
  const entries = () => hub.parts.db.selectFrom('status_entries').selectAll().execute();

  test('usage mistakes exit 2', () => {
    for (const args of [
      [],
      ['frobnicate'],
      ['add', ...alice, '--kind', 'CASE_CONFIRMED'],
      ['add', ...alice, '--reason', 'x'],
      ['end', '--reason', 'x'],
      ['end', 'some-id'],
      ['list', '--reason', 'x'],
      ['end', 'some-id', '--reason', 'x', '--kind', 'CASE_CONFIRMED'],
      ['list', '--colour', 'red'],
    ]) {
      const r = run(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout} ${r.stderr}`);
    }
    assert.match(run([]).stderr, /CASE_CONFIRMED \(red, confirmed\)/, 'the usage lists the kinds');
  });

  test('bad input: the console’s refusal, exit 1, nothing written', async () => {
    const consoleRefusal = async (body: object): Promise<Refusal> => {
      const res = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/console/status-entries',
        headers: { authorization: `Bearer ${operator}` },
        payload: body,
      });
      return refusalOf(res.json<ErrorBody>());
    };
    const good = { documentType: 'id_card', documentNumber: ALICE.documentNumber, kind: 'CASE_CONFIRMED' };
    const stranger = idNumber('11010519900101123');
    const cases: [string[], object | undefined, Refusal][] = [
      [
        ['add', ...alice, '--kind', 'CASE_MAYBE', '--reason', '流调'],
        { ...good, kind: 'CASE_MAYBE', reason: '流调' },
        { code: 'YMT_ERR_STATUS_ENTRY_KIND', fields: ['kind'] },
      ],
      [
        ['add', ...alice, '--kind', 'CASE_CONFIRMED', '--reason', '   '],
        { ...good, reason: '   ' },
        { code: 'YMT_ERR_VALIDATION', fields: ['reason'] },
      ],
      [
        ['add', ...alice, '--kind', 'CASE_CONFIRMED', '--until', 'tomorrow', '--reason', '流调'],
        { ...good, until: 'tomorrow', reason: '流调' },
        { code: 'YMT_ERR_STATUS_ENTRY_UNTIL', fields: ['until'] },
      ],
      [
        [
          'add',
          '--document-type',
          'id_card',
          '--document-number',
          stranger,
          '--kind',
          'CASE_CONFIRMED',
          '--reason',
          '流调',
        ],
        { ...good, documentNumber: stranger, reason: '流调' },
        { code: 'YMT_ERR_HOLDER_UNKNOWN', fields: ['documentNumber'] },
      ],
      [
        [
          'add',
          '--document-type',
          'visa',
          '--document-number',
          'X1',
          '--kind',
          'CASE_CONFIRMED',
          '--reason',
          '流调',
        ],
        undefined,
        { code: 'YMT_ERR_VALIDATION', fields: ['documentType'] },
      ],
    ];
    for (const [args, body, expected] of cases) {
      const r = run(args);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout} ${r.stderr}`);
      assert.deepEqual(refusalOf(JSON.parse(r.stderr.trim()) as ErrorBody), expected, args.join(' '));
      // The console refuses the same input alike (a document type outside the form is its schema's refusal).
      if (body !== undefined) assert.deepEqual(await consoleRefusal(body), expected, JSON.stringify(body));
    }
    assert.deepEqual(await entries(), []);
    assert.equal(await colour(), 'green');
  });

  test('add, list, end: the holder turns red and back, with who and why kept', async () => {
    const added = run([...['add', ...alice], '--kind', 'CASE_SUSPECTED', '--reason', '发热门诊报告']);
    assert.equal(added.status, 0, added.stderr);
    const entry = JSON.parse(added.stdout) as {
      entryId: string;
      kind: string;
      createdBy: string;
      holder: { documentNumber: string };
    };
    assert.equal(entry.kind, 'CASE_SUSPECTED');
    assert.match(entry.createdBy, /^command line \(/);
    assert.ok(!added.stdout.includes(ALICE.documentNumber), 'masked');
    assert.equal(await colour(), 'red');

    const listed = run(['list', '--active']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { entryId: string }[]).map((e) => e.entryId),
      [entry.entryId],
    );
    // An entry id that starts with "-" is still an operand; an unknown one is not found.
    const unknown = run(['end', '-not-an-entry', '--reason', '排除']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /YMT_ERR_STATUS_ENTRY_NOT_FOUND/);

    const ended = run(['end', entry.entryId, '--reason', '复核排除']);
    assert.equal(ended.status, 0, ended.stderr);
    const after = JSON.parse(ended.stdout) as { active: boolean; ended: { by: string; reason: string } };
    assert.deepEqual([after.active, after.ended.reason], [false, '复核排除']);
    assert.equal(await colour(), 'green');
    const again = run(['end', entry.entryId, '--reason', '复核排除']);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /YMT_ERR_STATUS_ENTRY_ENDED/);
    assert.deepEqual(JSON.parse(run(['list', '--active']).stdout), []);
    assert.equal((JSON.parse(run(['list']).stdout) as unknown[]).length, 1);
  });
});
