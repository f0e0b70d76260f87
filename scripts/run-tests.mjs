// Runs every test/**/*.test.ts with Node's own test runner, TypeScript through tsx's loader.
// Usage: node scripts/run-tests.mjs [substring …]   (only files whose path contains one of the substrings)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Test files each work in a PostgreSQL schema of their own (t_ + 12 hex digits) and leave it behind, since
// dropping a schema while another file's migrator introspects the database breaks that introspection.
// Nothing runs yet, so this is the moment to drop those of earlier runs.
const client = new pg.Client({
  connectionString: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
});
await client.connect();
const { rows } = await client.query("SELECT nspname FROM pg_namespace WHERE nspname ~ '^t_[0-9a-f]{12}$'");
for (const { nspname } of rows) await client.query(`DROP SCHEMA ${nspname} CASCADE`);
await client.end();

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
