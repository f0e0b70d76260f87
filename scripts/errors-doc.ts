// Rewrites the table of docs/errors.md from the registry (src/errors/registry.ts), keeping the text above it:
//   node --import tsx scripts/errors-doc.ts
// test/errors/registry.test.ts fails whenever the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { ERRORS } from '../src/errors/registry.ts';

const file = new URL('../docs/errors.md', import.meta.url);
const text = readFileSync(file, 'utf8');
const head = text.slice(0, text.indexOf('| Code'));
const rows = Object.entries(ERRORS).map(
  ([code, d]) => `| \`${code}\` | ${d.status} | ${d.message} | ${d.messageEn} |`,
);
writeFileSync(
  file,
  `${head}| Code | HTTP | 中文 | English |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`,
);
