/**
 * `yimatong province` holds its own node URL to the rule the hub applies (src/federation/node-url.domain.ts)
 * before it starts: the attack run's metadata address is refused with the coded error and exit 2, on either engine,
 * in development too; outside development the default http://127.0.0.1 URL needs --public-url https://….
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENGINES, LOCAL_NODE_URLS, TEST_PG_URL } from '../helpers/context.ts';

const BIN = fileURLToPath(new URL('../../bin/yimatong.js', import.meta.url));

for (const engine of ENGINES) {
  describe(`yimatong province --public-url (${engine})`, () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ymt-node-url-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(
        process.execPath,
        [BIN, 'province', '--code', '440000', '--hub', 'http://127.0.0.1:1', ...args],
        {
          env: {
            ...process.env,
            DATA_DIR: dir,
            DATABASE_URL: engine === 'postgres' ? TEST_PG_URL : '',
            LOG_LEVEL: 'silent',
            DEMO_DATA: 'false',
            ...env,
          },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );

    test('the metadata address is refused with the coded error, in development too', () => {
      for (const env of [{}, LOCAL_NODE_URLS]) {
        const r = run(['--public-url', 'http://169.254.169.254/latest/meta-data/'], env);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /YMT_ERR_NODE_URL_REFUSED/);
        assert.doesNotMatch(r.stdout, /"role":"province"/);
      }
    });

    test('outside development, the node needs an https --public-url', () => {
      const r = run([]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /YMT_ERR_NODE_URL_REFUSED: --public-url https:\/\/… is required/);
      const http = run(['--public-url', 'http://node.gd.example/']);
      assert.equal(http.status, 2);
      assert.match(http.stderr, /YMT_ERR_NODE_URL_REFUSED: .*must be https/);
    });
  });
}
