/**
 * Configuration values are outside input too (issue 17: property tests on every parser): any value of any key
 * gives a configuration or a ConfigError naming that key — never another exception.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CONFIG_KEYS, ConfigError, loadConfig } from '../../src/config/config.ts';

test('property: any value of any key: a configuration, or a ConfigError naming the key', () => {
  const keys = Object.keys(CONFIG_KEYS);
  const raw = fc.oneof(
    fc.string({ maxLength: 30, unit: 'binary' }),
    fc.integer().map(String),
    fc.constantFrom(
      'true',
      'false',
      'yes',
      '0',
      '-1',
      '1e3',
      ' 8080',
      '127.0.0.1',
      'postgres://x',
      '10.0.0.0/8',
    ),
  );
  fc.assert(
    fc.property(
      fc.constantFrom(...keys),
      raw,
      fc.constantFrom(undefined, 'production', 'development'),
      (key, value, nodeEnv) => {
        const env = { [key]: value, ...(nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv }) };
        try {
          assert.ok(Object.isFrozen(loadConfig(env)));
        } catch (e) {
          assert.ok(e instanceof ConfigError, String(e));
          assert.ok(
            e.problems.every((p) => p.startsWith(`${key}:`)),
            e.problems.join('; '),
          );
        }
      },
    ),
    { numRuns: 3000 },
  );
});
