/**
 * Finding 4, as a new user met it: `yimatong federation --provinces 110000,440000,310000` on a fresh data folder,
 * a code issued at one node as soon as the nodes are ready, shown at another node that has never seen its key.
 * Before the fix that node refused it (YMT_ERR_CODE_KID_UNKNOWN) in most runs: it had fetched the hub's list a
 * moment before and would not look again within the second, although the hub already listed the key.
 *
 * Then, in the last round's federation, Guangdong's key is rotated by hand (`yimatong keys rotate` in its
 * folder): the node keeps signing with the previous key until the hub lists the new one, and every code it hands
 * out meanwhile, and its first code with the new key, verifies at first sight at the others. (Before the fix the
 * node signed with the new key as soon as it noticed the file, up to a minute before uploading it.)
 *
 * Separate processes, real HTTP on loopback, the default TRUST_LIST_REFRESH_SECONDS (60: no periodic refresh
 * helps within a round), while child processes burn every core; several rounds, each on a fresh data folder. No
 * wall-clock assertion: every code must verify at first sight, however slow the machine.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { codeKid } from '../../src/codec/verify.ts';
import { ALICE, BOB, HEALTHY_DECLARATION } from '../helpers/people.ts';
import { BIN, call, eventually, signIn, startFederation, type Federation } from './federation-harness.ts';

const ROUNDS = 3;
const PROVINCES = ['110000', '440000', '310000'];

/** The node's code for a signed-in holder. */
async function currentCode(fed: Federation, province: string, token: string): Promise<string> {
  const code = await call(fed.at(province), 'GET', '/api/v1/me/code', undefined, token);
  assert.equal(code.status, 200, JSON.stringify(code.json));
  assert.equal(code.json.issuer, province);
  return String(code.json.code);
}

/** A holder signed in at a node, declared, with the node's code. */
async function codeAt(
  fed: Federation,
  province: string,
  person: typeof ALICE,
): Promise<{ token: string; code: string }> {
  const token = await signIn(fed.at(province), person, fed.hubDataDir);
  const decl = await call(
    fed.at(province),
    'POST',
    '/api/v1/me/declaration',
    { ...HEALTHY_DECLARATION, phone: person.phone },
    token,
  );
  assert.equal(decl.status, 201, JSON.stringify(decl.json));
  return { token, code: await currentCode(fed, province, token) };
}

/** Verifies `code` (issued by `issuer`) at each place at once; every answer must say valid. */
async function verifiedEverywhere(
  issuer: string,
  code: string,
  places: readonly (readonly [string, string])[],
) {
  const answers = await Promise.all(
    places.map(async ([where, url]) => ({
      where,
      json: (await call(url, 'POST', '/api/v1/verify', { code })).json,
    })),
  );
  for (const a of answers) {
    assert.equal(a.json.valid, true, `${issuer}'s code at ${a.where}: ${JSON.stringify(a.json)}`);
    assert.equal(a.json.issuer, issuer, a.where);
  }
}

/** `yimatong verify --hub URL CODE`: the command line takes the hub's current list. */
function verifyByCli(fed: Federation, code: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, 'verify', '--hub', fed.hub, code], {
      env: fed.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.once('error', reject);
    p.once('exit', (status) => {
      resolve({ status, out });
    });
  });
}

describe(
  'finding 4: a code issued at one node as soon as the nodes are ready verifies at the others at first sight, on a loaded machine',
  {
    timeout: 900_000,
  },
  () => {
    let burners: ChildProcess[] = [];

    before(() => {
      // Busy: one process spinning per core for the whole test.
      burners = Array.from({ length: availableParallelism() }, () =>
        spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
      );
    });
    after(async () => {
      await Promise.all(
        burners.map(
          (b) =>
            new Promise<void>((resolve) => {
              if (b.exitCode !== null || b.signalCode !== null) {
                resolve();
                return;
              }
              b.once('exit', () => {
                resolve();
              });
              b.kill('SIGKILL');
            }),
        ),
      );
    });

    /** The last round's federation, kept for the rotation, and Alice's session at Guangdong's node there. */
    let last: { fed: Federation; aliceToken: string; guangdong: string } | undefined;
    after(() => last?.fed.stop());

    for (let round = 1; round <= ROUNDS; round++) {
      test(`round ${round} of ${ROUNDS}: a fresh federation, codes shown at the other nodes at once`, async () => {
        const fed = await startFederation(PROVINCES, { env: { TRUST_LIST_REFRESH_SECONDS: '60' } });
        let keep = false;
        try {
          // At once: Guangdong's code for Alice, Beijing's for Bob.
          const [alice, bob] = await Promise.all([codeAt(fed, '440000', ALICE), codeAt(fed, '110000', BOB)]);
          // Each shown at the two other nodes (the first time either sees its key) and at the hub, all at once.
          await Promise.all([
            verifiedEverywhere('440000', alice.code, [
              ['110000', fed.at('110000')],
              ['310000', fed.at('310000')],
              ['the hub', fed.hub],
            ]),
            verifiedEverywhere('110000', bob.code, [
              ['440000', fed.at('440000')],
              ['310000', fed.at('310000')],
              ['the hub', fed.hub],
            ]),
          ]);
          const cli = await verifyByCli(fed, alice.code);
          assert.equal(cli.status, 0, cli.out);
          assert.equal((JSON.parse(cli.out) as { valid: boolean; issuer: string }).issuer, '440000');
          if (round === ROUNDS) {
            last = { fed, aliceToken: alice.token, guangdong: alice.code };
            keep = true;
          }
        } finally {
          if (!keep) await fed.stop();
        }
      });
    }

    test("Guangdong's key rotated by hand: the previous key signs until the hub lists the new one, then the new one; every code verifies at first sight", async () => {
      assert.ok(last, 'the last round kept its federation');
      const { fed, aliceToken } = last;
      const before = codeKid(last.guangdong);
      assert.ok(before);
      const rotate = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
        const p = spawn(process.execPath, [BIN, 'keys', 'rotate'], {
          env: { ...fed.env(), DATA_DIR: join(String(fed.env().DATA_DIR), 'provinces', '440000') },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.stderr.on('data', (d: Buffer) => (out += d.toString()));
        p.once('error', reject);
        p.once('exit', (status) => {
          resolve({ status, out });
        });
      });
      assert.equal(rotate.status, 0, rotate.out);
      const rotated = (JSON.parse(rotate.out) as { activeKid: string }).activeKid;
      assert.notEqual(rotated, before);
      const places = [
        ['110000', fed.at('110000')],
        ['310000', fed.at('310000')],
        ['the hub', fed.hub],
      ] as const;
      // The node notices the new key file within KEY_RELOAD_SECONDS and uploads the key at its next key sync (up to
      // TRUST_LIST_REFRESH_SECONDS later). Whatever code it hands out meanwhile verifies everywhere.
      const switched = await eventually(
        'a code signed with the rotated key',
        async () => {
          const code = await currentCode(fed, '440000', aliceToken);
          const kid = codeKid(code);
          assert.ok(kid === before || kid === rotated, `a code signed with ${String(kid)}`);
          await verifiedEverywhere('440000', code, places);
          return kid === rotated ? code : undefined;
        },
        240_000,
      );
      assert.equal(codeKid(switched), rotated);
    });
  },
);
