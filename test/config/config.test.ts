import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config/config.ts';

test('.env.example lists every configuration key, and nothing else', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const keys = text
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => l.split('=')[0]);
  assert.deepEqual(keys, Object.keys(CONFIG_KEYS));
});

test('the defaults need no environment: SQLite in ./data on port 8080', () => {
  const c = loadConfig({});
  assert.equal(c.port, 8080);
  assert.equal(c.databaseUrl, undefined);
  assert.match(c.sqliteFile, /data\/yimatong\.db$/);
  assert.equal(c.demoData, true);
  assert.equal(c.clockSkewSeconds, 60);
  assert.ok(Object.isFrozen(c));
});

test('the values of .env.example parse', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const env: Record<string, string> = Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l): [string, string] => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.doesNotThrow(() => loadConfig(env));
});

test('bad values are all reported at once', () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        CORPS_CODE: '650000',
        DEMO_DATA: 'maybe',
        DATA_ENCRYPTION_KEY: 'short',
        LOG_LEVEL: 'loud',
      }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(
        e.problems.map((p) => p.split(':')[0]),
        ['PORT', 'DATABASE_URL', 'CORPS_CODE', 'DATA_ENCRYPTION_KEY', 'DEMO_DATA', 'LOG_LEVEL'],
      );
      return true;
    },
  );
});

test('NODE_ENV=production: no demo population by default, and asking for one is refused', () => {
  assert.equal(loadConfig({ NODE_ENV: 'production' }).demoData, false);
  assert.equal(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'false' }).demoData, false);
  assert.throws(
    () => loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems, ['DEMO_DATA: the demo population is refused when NODE_ENV=production']);
      return true;
    },
  );
  // Elsewhere the demo stays the default, so `npm start` gives a newcomer a working hub in one step.
  assert.equal(loadConfig({ NODE_ENV: 'development' }).demoData, true);
});

test('a read replica needs its primary, on PostgreSQL, and a lag bound in range', () => {
  const replica = 'postgres://replica.example/yimatong';
  assert.throws(
    () => loadConfig({ DATABASE_READ_URL: replica }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.problems, [
        'DATABASE_READ_URL: a read replica needs its primary in DATABASE_URL (PostgreSQL)',
      ]);
      return true;
    },
  );
  const c = loadConfig({ DATABASE_URL: 'postgres://primary.example/yimatong', DATABASE_READ_URL: replica });
  assert.equal(c.databaseReadUrl, replica);
  assert.equal(c.readMaxLagMs, 2000);
  assert.throws(
    () => loadConfig({ DATABASE_READ_URL: 'mysql://x', DATABASE_URL: 'postgres://p/y' }),
    ConfigError,
  );
  assert.throws(() => loadConfig({ READ_MAX_LAG_MS: '10' }), ConfigError);
});
