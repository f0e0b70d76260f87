/**
 * The two statements showing a code reads, on both engines, as the three reads they replaced gave them: the
 * session with the holder's stored snapshot (SessionsRepository.find), then the holder's name and latest code
 * (CodesRepository.showing).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SessionsRepository } from '../../src/auth/sessions.repository.ts';
import { CodesRepository } from '../../src/code/codes.repository.ts';
import type { CodeRow } from '../../src/db/schema.ts';
import { StatusSnapshotsRepository } from '../../src/status/status-snapshots.repository.ts';
import { ENGINES, startContext, type TestHub } from '../helpers/context.ts';
import { ALICE, BOB, register } from '../helpers/people.ts';

const code = (personId: string, cti: string, issuedAt: number): CodeRow => ({
  cti,
  person_id: personId,
  issuer: 'CN',
  kid: 'k-test',
  colour: 'green',
  token: `YMT1:${cti}`,
  issued_at: issuedAt,
  expires_at: issuedAt + 900_000,
  withdrawn_at: null,
});

for (const engine of ENGINES) {
  describe(`reading what showing a code needs (${engine})`, () => {
    let hub: TestHub;
    const codes = new CodesRepository();
    const sessions = new SessionsRepository();
    const snapshots = new StatusSnapshotsRepository();
    before(async () => {
      hub = await startContext(engine);
    });
    after(() => hub.close());

    test('no such person or session: nothing; a person without code or snapshot: the name alone', async () => {
      const { db, repositories } = hub.parts;
      assert.equal(await codes.showing(db, 'nobody'), undefined);
      assert.equal(await sessions.find(db, 'no-such-token'), undefined);
      const bob = await register(hub.parts, BOB);
      const read = await codes.showing(db, bob);
      assert.ok(read);
      assert.equal(repositories.persons.nameOfCiphertext(bob, read.nameEnc), BOB.name);
      assert.equal(read.latest, undefined);
      const t = Date.UTC(2026, 10, 30, 8);
      const session = await sessions.create(db, bob, t, 60);
      assert.deepEqual(await sessions.find(db, session.token), {
        personId: bob,
        expiresAt: session.expiresAt,
        snapshot: undefined,
      });
    });

    test('the latest of several codes, and the snapshot as stored', async () => {
      const { db } = hub.parts;
      const alice = await register(hub.parts, ALICE);
      const t = Date.UTC(2026, 10, 30, 8);
      await codes.insert(db, code(alice, 'aa01', t));
      await codes.insert(db, code(alice, 'aa03', t + 2000));
      await codes.insert(db, code(alice, 'aa02', t + 1000));
      const snapshot = {
        colour: 'yellow' as const,
        reasons: [],
        ruleSet: 'baseline@1',
        declared: true,
        computedAt: t,
        expiresAt: t + 3_600_000,
        external: { known: true, asOf: t - 5000 },
      };
      await snapshots.put(db, alice, snapshot);
      const read = await codes.showing(db, alice);
      assert.deepEqual(read?.latest, code(alice, 'aa03', t + 2000));
      const session = await sessions.create(db, alice, t, 60);
      const withSession = await sessions.find(db, session.token);
      assert.equal(withSession?.personId, alice);
      assert.deepEqual(withSession.snapshot, await snapshots.get(db, alice));
      assert.deepEqual(withSession.snapshot, snapshot);
      // Dropped (new evidence): the session read no longer brings it.
      await snapshots.invalidate(db, alice);
      assert.equal((await sessions.find(db, session.token))?.snapshot, undefined);
    });
  });
}
