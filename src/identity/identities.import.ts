/**
 * `yimatong identities import FILE`: NDJSON, one person a line:
 *   {"documentType":"id_card"|"passport","documentNumber":"…","name":"…","phone":"…","nationality"?:"CHN"}
 * Every line is validated first; bad lines come back with their line number and reason, and all good lines
 * are written in one transaction, so a failure part-way leaves nothing half-written. The import's entry in the
 * audit log (who, how many) is chained in that transaction.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename } from 'node:path';
import type { AuditActor } from '../audit/audit-chain.ts';
import { appendFacts } from '../audit/audited.ts';
import { inTransaction, type Db } from '../db/database.ts';
import type { ErrorCode } from '../errors/registry.ts';
import { shanghaiDate } from '../time/shanghai.ts';
import { FIELD_NAME_RULE, printableFieldName, textError, type TextRule } from '../text/text.domain.ts';
import {
  DOCUMENT_TYPES,
  normaliseName,
  normalisePhone,
  parseDocument,
  type DocumentType,
} from './document.domain.ts';
import type { PersonInput, PersonsRepository } from './persons.repository.ts';

export interface RejectedLine {
  readonly line: number;
  readonly code: ErrorCode;
  readonly field: string;
}

export interface ImportReport {
  readonly accepted: number;
  readonly created: number;
  readonly updated: number;
  readonly rejected: readonly RejectedLine[];
}

/** An identity line's strings: one line, as long as a name may be. */
const IDENTITY_TEXT: TextRule = { kind: 'line', maxLength: 100 };

const ALLOWED = new Set(['documentType', 'documentNumber', 'name', 'phone', 'nationality']);

/** Validates one NDJSON line. */
export function parseIdentityLine(text: string, line: number, today: string): PersonInput | RejectedLine {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return { line, code: 'YMT_ERR_VALIDATION', field: 'json' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { line, code: 'YMT_ERR_VALIDATION', field: 'json' };
  }
  const r = record as Record<string, unknown>;
  // The text rule (src/text/text.domain.ts) on every field name and string, before anything else is read.
  for (const [key, value] of Object.entries(r)) {
    const keyError = textError(key, FIELD_NAME_RULE);
    if (keyError !== undefined) return { line, code: keyError, field: printableFieldName(key) };
    const valueError = typeof value === 'string' ? textError(value, IDENTITY_TEXT) : undefined;
    if (valueError !== undefined) return { line, code: valueError, field: key };
  }
  const unknownField = Object.keys(r).find((k) => !ALLOWED.has(k));
  if (unknownField) return { line, code: 'YMT_ERR_VALIDATION', field: unknownField };
  if (!DOCUMENT_TYPES.includes(r.documentType as DocumentType)) {
    return { line, code: 'YMT_ERR_VALIDATION', field: 'documentType' };
  }
  if (typeof r.documentNumber !== 'string')
    return { line, code: 'YMT_ERR_VALIDATION', field: 'documentNumber' };
  if (r.nationality !== undefined && typeof r.nationality !== 'string') {
    return { line, code: 'YMT_ERR_NATIONALITY', field: 'nationality' };
  }
  const doc = parseDocument(r.documentType as DocumentType, r.documentNumber, r.nationality, today);
  if (!doc.ok) return { line, code: doc.code, field: doc.field };
  const name = normaliseName(typeof r.name === 'string' ? r.name : '');
  if (!name.ok) return { line, code: name.code, field: 'name' };
  let phone: string | undefined;
  if (r.phone !== undefined) {
    const p = normalisePhone(typeof r.phone === 'string' ? r.phone : '');
    if (!p.ok) return { line, code: p.code, field: 'phone' };
    phone = p.value;
  }
  return { doc: doc.value, name: name.value, phone };
}

export async function importIdentities(
  db: Db,
  persons: PersonsRepository,
  file: string,
  now: Date,
  by: AuditActor,
  onProgress?: (lines: number) => void,
): Promise<ImportReport> {
  const today = shanghaiDate(now);
  const good: PersonInput[] = [];
  const rejected: RejectedLine[] = [];
  let line = 0;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    const parsed = parseIdentityLine(text, line, today);
    if ('doc' in parsed) good.push(parsed);
    else rejected.push(parsed);
    if (line % 1000 === 0) onProgress?.(line);
  }
  onProgress?.(line);
  let created = 0;
  await inTransaction(db, async (trx) => {
    for (const p of good) if ((await persons.upsert(trx, p, now.getTime())).created) created++;
    await appendFacts(trx, {
      at: now.getTime(),
      ...by,
      action: 'identities.import',
      subject: basename(file),
      detail: JSON.stringify({ created, updated: good.length - created, rejected: rejected.length }),
    });
  });
  return { accepted: good.length, created, updated: good.length - created, rejected };
}
