/**
 * A provincial node in this process, beside a test hub listening on loopback (real HTTP between them): its own
 * data folder (and PostgreSQL schema), enrolled at the hub, started as `yimatong province` starts it. And a holder
 * signing in at it as a person would, with the code the hub texts them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { compose, type Parts } from '../../src/app/compose.ts';
import { loadConfig } from '../../src/config/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { LOCAL_NODE_URLS, TEST_PG_URL, TESTS_LOOP_DELAY, type EngineName, type TestApp } from './context.ts';
import type { ALICE } from './people.ts';
import { lastCode } from './sms.ts';

export interface TestNode {
  readonly parts: Parts;
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a node at `hub`, which must allow local node URLs (LOCAL_NODE_URLS in its env). */
export async function startNode(
  engine: EngineName,
  hub: TestApp,
  hubUrl: string,
  code = '440000',
  env: Record<string, string> = {},
): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), 'ymt-node-'));
  const parts = await compose(
    loadConfig({
      DATA_DIR: dir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      ...TESTS_LOOP_DELAY,
      ...LOCAL_NODE_URLS,
      ...(engine === 'postgres' ? { DATABASE_URL: TEST_PG_URL } : {}),
      ...env,
    }),
    {
      clock: hub.clock.now,
      province: { code, hubUrl },
      ...(engine === 'postgres' ? { pgSchema: `t_${randomBytes(6).toString('hex')}` } : {}),
    },
  );
  assert.ok(parts.node, 'a provincial node');
  await hub.parts.services.provinces.enrol(parts.node.life.keys.enrolment(), hub.clock.now());
  const app = await buildApp(parts);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  assert.ok(address !== null && typeof address === 'object');
  const url = `http://127.0.0.1:${String(address.port)}`;
  await parts.node.life.start(url);
  return {
    parts,
    app,
    url,
    async close() {
      await app.close();
      await parts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs a holder in at the node: the real-name check, then the code the hub texted them. Their bearer token. */
export async function signInAtNode(node: TestNode, hub: TestApp, person: typeof ALICE): Promise<string> {
  const started = await node.app.inject({
    method: 'POST',
    url: '/api/v1/auth/real-name',
    payload: { documentType: person.documentType, documentNumber: person.documentNumber, name: person.name },
  });
  assert.equal(started.statusCode, 202, started.body);
  const confirmed = await node.app.inject({
    method: 'POST',
    url: '/api/v1/auth/real-name/confirm',
    payload: {
      challengeId: started.json<{ challengeId: string }>().challengeId,
      code: lastCode(hub.dataDir, person.phone),
    },
  });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  return confirmed.json<{ token: string }>().token;
}
