/**
 * What the record-correction tests share: a hub (SQLite or PostgreSQL), declared holders, feeds sent through the
 * real ingestion, their status, codes applied for and verified over HTTP.
 */
import assert from 'node:assert/strict';
import { AppError } from '../../src/errors/app-error.ts';
import type { FeedSource } from '../../src/feeds/feed-records.domain.ts';
import type { TestApp } from '../helpers/context.ts';
import { sendFeed } from '../helpers/feeds.ts';
import { bearer, declaredHolder, idNumber } from '../helpers/people.ts';

/** Now: 2026-11-27 10:00 in Shanghai (TestClock's default). Trips two days before, a case reported the day before. */
export const TRIP_DATE = '2026-11-25';
export const CASE_AT = '2026-11-26T08:00:00+08:00';
export const CLEARED_AT = '2026-11-27T09:00:00+08:00';

export interface Holder {
  readonly documentType: 'id_card';
  readonly documentNumber: string;
  readonly name: string;
  readonly phone: string;
  personId: string;
  token: string;
}

const GIVEN = '一二三四五六七八九十';

/** Test person `n` (1–999): a valid ID number, a name and a phone of their own. */
export function person(n: number): Omit<Holder, 'personId' | 'token'> {
  const padded = String(n).padStart(3, '0');
  return {
    documentType: 'id_card',
    documentNumber: idNumber(`32010219850101${padded}`),
    name: `周${GIVEN[n % 10] ?? '一'}${GIVEN[Math.floor(n / 10) % 10] ?? '一'}`,
    phone: `1381234${padded.padStart(4, '0')}`,
  };
}

export const doc = (h: { documentNumber: string }) => ({
  documentType: 'id_card',
  documentNumber: h.documentNumber,
});

export const confirmed = (h: { documentNumber: string }, at = CASE_AT) => ({
  ...doc(h),
  status: 'confirmed',
  at,
});

export const train = (h: { documentNumber: string }, trainNo: string, carriage: number, seat = '01A') => ({
  ...doc(h),
  trainNo,
  date: TRIP_DATE,
  carriage,
  seat,
});

/** A registered, signed-in, declared holder. */
export async function holder(hub: TestApp, n: number): Promise<Holder> {
  const p = person(n);
  const token = await declaredHolder(hub, p);
  const found = await hub.parts.repositories.persons.findByDocument(hub.parts.db, {
    type: 'id_card',
    number: p.documentNumber,
    nationality: 'CHN',
  });
  assert.ok(found, 'the holder is registered');
  return { ...p, personId: found.personId, token };
}

export function send(hub: TestApp, source: FeedSource, batchId: string, records: readonly object[]) {
  return sendFeed(hub, source, batchId, records);
}

export interface StatusView {
  colour: string;
  reasons: string[];
}

/** The holder's status now, as showing a code reads it. */
export async function statusOf(hub: TestApp, h: Holder): Promise<StatusView> {
  const s = await hub.parts.services.status.current(h.personId, hub.clock.now());
  return { colour: s.colour, reasons: s.reasons.map((r) => r.code) };
}

export interface CodeView {
  code: string;
  codeId: string;
  colour: string;
}

/** Applies for the holder's code (`POST /api/v1/me/code`). */
export async function applyForCode(hub: TestApp, h: Holder): Promise<CodeView> {
  const res = await hub.app.inject({ method: 'POST', url: '/api/v1/me/code', headers: bearer(h.token) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<CodeView>();
}

export interface Verdict {
  valid: boolean;
  decision: string;
  colour?: string;
  error?: { code: string };
  reasons: { code: string }[];
}

/** `POST /api/v1/verify` at the hub. */
export async function verify(hub: TestApp, code: string): Promise<Verdict> {
  const res = await hub.app.inject({ method: 'POST', url: '/api/v1/verify', payload: { code } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Verdict>();
}

/** The holders (by document number) with an exposure recorded, on any trip. */
export async function exposedDocs(hub: TestApp, holders: readonly Holder[]): Promise<string[]> {
  const rows = await hub.parts.db.selectFrom('exposures').select('doc_hash').distinct().execute();
  const hashes = new Set(rows.map((r) => r.doc_hash));
  return holders
    .filter((h) =>
      hashes.has(
        hub.parts.repositories.persons.documentHash({
          type: 'id_card',
          number: h.documentNumber,
          nationality: 'CHN',
        }),
      ),
    )
    .map((h) => h.name);
}

/** Asserts that `work` fails with the coded error. */
export async function rejectsWith(work: Promise<unknown>, code: string): Promise<AppError> {
  let caught: unknown;
  await work.then(
    () => undefined,
    (e: unknown) => {
      caught = e;
    },
  );
  assert.ok(caught instanceof AppError, `expected ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  return caught;
}

export const BY = {
  ticketId: 't_test',
  actor: 'department:railway',
  reason: '乘客当日未乘坐该车次',
  who: { actorKind: 'department', actorRef: 'railway' },
};
