/** Black-box tests of the `yimatong` command, run as a separate process exactly as a user runs it. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderPng } from '../../src/code/qr.ts';
import { base45Decode, base45Encode } from '../../src/codec/base45.ts';
import { startContext, TESTS_LOOP_DELAY, type TestHub } from '../helpers/context.ts';
import { ALICE, HEALTHY_DECLARATION, register } from '../helpers/people.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

function run(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; json: Record<string, unknown>; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dataDir,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    // not JSON: the caller looks at stdout/stderr
  }
  return { status: r.status, json, stdout: r.stdout, stderr: r.stderr };
}

describe('yimatong CLI', () => {
  let dir: string;
  let hub: TestHub;
  let code: string;
  let personId: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ymt-cli-'));
    // The hub process and the CLI share DATA_DIR, as on a hub machine.
    hub = await startContext('sqlite', { env: { DATA_DIR: dir } });
    personId = await register(hub.parts, ALICE);
    await hub.parts.services.declarations.create(personId, HEALTHY_DECLARATION, new Date());
    hub.clock.nowMs = Date.now();
    code = (await hub.parts.services.codes.apply(personId, undefined, new Date())).code;
  });
  after(async () => {
    await hub.parts.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('usage errors exit 2', () => {
    assert.equal(run(dir, []).status, 2);
    assert.equal(run(dir, ['frobnicate']).status, 2);
    assert.equal(run(dir, ['keys', 'melt']).status, 2);
    assert.equal(run(dir, ['verify']).status, 2);
    assert.equal(run(dir, ['identities', 'import', join(dir, 'missing.ndjson')]).status, 2);
    // An unknown option or a stray operand is a usage error, not a crash.
    const unknown = run(dir, ['seed', '--people', '5', '--colour', 'red']);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /colour/);
    assert.equal(run(dir, ['provinces', 'list', 'extra']).status, 2);
    const help = run(dir, ['help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /yimatong verify/);
  });

  test('a key id or ticket id that starts with "-" is an operand, not an option', () => {
    // base64url kids may start with "-": one in 64 did, and `revoke-key` took it for an option.
    const key = run(dir, ['provinces', 'revoke-key', '-AAAAAAAAAA', '--reason', 'leaked']);
    assert.equal(key.status, 1, key.stderr);
    assert.match(key.stderr, /YMT_ERR_NOT_FOUND/);
    const ticket = run(dir, ['tickets', 'answer', '-not-a-ticket', '--answer', '已核实']);
    assert.equal(ticket.status, 1, ticket.stderr);
    assert.match(ticket.stderr, /YMT_ERR_TICKET_NOT_FOUND/);
  });

  test('verify <text> prints the result; a mutated code exits 1 with its code', () => {
    const ok = run(dir, ['verify', code]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.json.valid, true);
    assert.equal(ok.json.colour, 'green');
    assert.equal(ok.json.maskedName, '张*三');
    assert.equal(ok.json.issuer, 'CN');
    assert.deepEqual([ok.json.decision, ok.json.ruleSet], ['accept', 'national-acceptance@1.0.0']);
    // At a checkpoint in Beijing, which publishes no rules of its own, the national ones decide; a code of no
    // unit is a usage error.
    const beijing = run(dir, ['verify', code, '--region', '110105']);
    assert.deepEqual([beijing.json.decision, beijing.json.ruleSet], ['accept', 'national-acceptance@1.0.0']);
    assert.equal(run(dir, ['verify', code, '--region', '999999']).status, 2);
    // One byte appended after the COSE structure.
    const bytes = base45Decode(code.slice(5));
    assert.ok(bytes);
    const bad = run(dir, ['verify', `YMT1:${base45Encode(Uint8Array.from([...bytes, 0]))}`]);
    assert.equal(bad.status, 1);
    assert.equal((bad.json.error as { code: string }).code, 'YMT_ERR_CODE_CBOR');
    assert.equal(bad.json.decision, 'refuse');
    const late = run(dir, ['verify', code, '--at', new Date(Date.now() + 3600_000).toISOString()]);
    assert.equal((late.json.error as { code: string }).code, 'YMT_ERR_CODE_EXPIRED');
  });

  test('verify <file.png> decodes the QR image first', async () => {
    const png = join(dir, 'code.png');
    writeFileSync(png, await renderPng(code));
    const r = run(dir, ['verify', png]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.valid, true);
    const notPng = join(dir, 'not.png');
    writeFileSync(notPng, 'hello');
    const bad = run(dir, ['verify', notPng]);
    assert.equal(bad.status, 1);
    assert.equal((bad.json.error as { code: string }).code, 'YMT_ERR_QR_UNREADABLE');
  });

  test('verify offline from a saved trust list and a pinned anchor; keys list and rotate', async () => {
    const { doc } = await hub.parts.keys.trustList(new Date());
    const listFile = join(dir, 'trust-list.json');
    writeFileSync(listFile, JSON.stringify(doc));
    writeFileSync(join(dir, 'anchor.json'), JSON.stringify(run(dir, ['keys', 'anchor']).json));
    const offline = run(dir, [
      'verify',
      code,
      '--trust-list',
      listFile,
      '--anchor',
      join(dir, 'anchor.json'),
    ]);
    assert.equal(offline.status, 0, offline.stdout + offline.stderr);
    const wrongAnchor = join(dir, 'wrong-anchor.json');
    writeFileSync(wrongAnchor, JSON.stringify({ ...doc.keys[0], kid: doc.signature.kid }));
    assert.equal(
      (
        run(dir, ['verify', code, '--trust-list', listFile, '--anchor', wrongAnchor]).json.error as {
          code: string;
        }
      ).code,
      'YMT_ERR_TRUST_LIST_SIGNATURE',
    );

    const before = run(dir, ['keys', 'list']).json as { generation: number; activeKid: string };
    const rotated = run(dir, ['keys', 'rotate']).json as { activeKid: string; retiredKid: string };
    assert.equal(rotated.retiredKid, before.activeKid);
    const afterRotation = run(dir, ['keys', 'list']).json as {
      generation: number;
      activeKid: string;
      keys: unknown[];
    };
    assert.equal(afterRotation.generation, before.generation + 1);
    assert.equal(afterRotation.activeKid, rotated.activeKid);
    assert.equal(afterRotation.keys.length, 2);
    // A code signed before the rotation still verifies against the new trust list.
    assert.equal(run(dir, ['verify', code]).json.valid, true);
    // The rotation is chained in the audit log, with the system user who ran it.
    const entry = await hub.parts.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'actor_ref', 'detail'])
      .where('action', '=', 'signing-key.rotate')
      .where('subject', '=', rotated.activeKid)
      .executeTakeFirst();
    assert.deepEqual(entry, {
      actor_kind: 'operator',
      actor_ref: `command line (${userInfo().username})`,
      detail: JSON.stringify({ retired: before.activeKid, removed: [] }),
    });
  });

  test('national cryptography: SIGNING_ALGORITHM=SM2 then keys rotate; verify accepts SM2 codes and older ones', async () => {
    const rotated = run(dir, ['keys', 'rotate'], { SIGNING_ALGORITHM: 'SM2' });
    assert.equal(rotated.status, 0, rotated.stderr);
    const list = run(dir, ['keys', 'list']).json as {
      activeKid: string;
      anchorAlg: string;
      keys: { kid: string; alg: string }[];
    };
    assert.equal(list.keys.find((k) => k.kid === list.activeKid)?.alg, 'SM2');
    assert.equal(list.anchorAlg, 'ES256');
    hub.parts.keys.reload();
    const smCode = (await hub.parts.services.codes.apply(personId, undefined, new Date())).code;
    assert.notEqual(smCode, code);
    for (const c of [smCode, code]) {
      const r = run(dir, ['verify', c]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(r.json.valid, true);
    }
    const { doc } = await hub.parts.keys.trustList(new Date());
    const listFile = join(dir, 'trust-list-sm2.json');
    writeFileSync(listFile, JSON.stringify(doc));
    const offline = run(dir, [
      'verify',
      smCode,
      '--trust-list',
      listFile,
      '--anchor',
      join(dir, 'anchor.json'),
    ]);
    assert.equal(offline.json.valid, true, offline.stdout + offline.stderr);
  });

  test('identities import: exit 0 when all lines are good, 1 with the report otherwise', () => {
    const good = join(dir, 'good.ndjson');
    writeFileSync(
      good,
      `${JSON.stringify({ documentType: 'id_card', documentNumber: '11010519491231002X', name: '王芳', phone: '13800000000' })}\n`,
    );
    const ok = run(dir, ['identities', 'import', good]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.json.accepted, 1);
    const mixed = join(dir, 'mixed.ndjson');
    writeFileSync(
      mixed,
      `${JSON.stringify({ documentType: 'id_card', documentNumber: '440524188001010014', name: '李明' })}\n{"documentType":"id_card","documentNumber":"440524188001010015","name":"x"}\n`,
    );
    const r = run(dir, ['identities', 'import', mixed]);
    assert.equal(r.status, 1);
    assert.equal(r.json.accepted, 1);
    assert.deepEqual(r.json.rejected, [
      {
        line: 2,
        code: 'YMT_ERR_ID_NUMBER_CHECKSUM',
        field: 'documentNumber',
        message: '身份证号码校验位不正确',
        messageEn: 'The check character of the ID number is wrong',
      },
    ]);
  });
  test('ingest: exit 0 when every record is accepted, 1 with the report otherwise; the same file twice changes nothing', () => {
    const file = join(dir, 'risk.csv');
    writeFileSync(
      file,
      'areaCode,level,from,to\n420100,high,2026-11-20T00:00:00+08:00,2026-11-27T00:00:00+08:00\n',
    );
    const ok = run(dir, ['ingest', 'area-risk', file, '--province', '420000']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual([ok.json.accepted, ok.json.duplicate, ok.json.province], [1, false, '420000']);
    assert.match(String(ok.json.batchId), /^[0-9a-f]{32}$/);
    const again = run(dir, ['ingest', 'area-risk', file, '--province', '420000']);
    assert.equal(again.json.duplicate, true);
    const mixed = join(dir, 'health.ndjson');
    writeFileSync(
      mixed,
      '{"documentType":"id_card","documentNumber":"11010519491231002X","status":"confirmed","at":"2026-11-20T08:00:00Z"}\n{"status":"sick"}\n',
    );
    const r = run(dir, ['ingest', 'health', mixed, '--batch-id', 'h-1']);
    assert.equal(r.status, 1);
    assert.deepEqual(r.json.rejected, [
      {
        line: 2,
        code: 'YMT_ERR_FEED_MISSING_FIELD',
        field: 'documentType',
        message: '记录缺少必填字段',
        messageEn: 'A required field is missing',
      },
    ]);
    assert.equal(run(dir, ['ingest', 'weather', mixed]).status, 2);
    assert.equal(run(dir, ['ingest', 'health', mixed, '--province', '123456']).status, 2);
  });
});

test('yimatong serve: first start creates, migrates and loads the demo population; SIGTERM stops it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: dir,
    // Shedding on the event loop's delay off, as for every test hub (test/helpers/context.ts): a worker that has
    // just started, on a machine busy with other suites, may run late without any queue of its own.
    env: {
      ...process.env,
      ...TESTS_LOOP_DELAY,
      DATA_DIR: dir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: '',
    },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (c) => {
        reject(new Error(`exited ${c}`));
      });
    });
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), {
      status: 'ok',
      engine: 'sqlite',
      role: 'hub',
      issuer: 'CN',
    });
    const signIn = await fetch(`${url}/api/v1/auth/real-name`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ documentType: 'id_card', documentNumber: '110105198503121234', name: '张伟' }),
    });
    assert.equal(signIn.status, 200);
    const { token } = (await signIn.json()) as { token: string };
    const codeRes = await fetch(`${url}/api/v1/me/code`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(((await codeRes.json()) as { colour: string }).colour, 'green');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
