/**
 * Department feed records (MISSION.md Q1.2): what each source sends, validated field by field. Pure; the
 * reader (feed-reader.ts) turns NDJSON lines or CSV rows into raw objects, this turns them into typed records.
 * Field names are the contract of docs/feeds.md; CSV headers use the same names.
 */
import type { ErrorCode } from '../errors/registry.ts';
import {
  DOCUMENT_TYPES,
  normaliseName,
  normalisePhone,
  parseDocument,
  type DocumentRef,
  type DocumentType,
} from '../identity/document.domain.ts';
import { isCityOrCounty, isKnownRegion } from '../regions/regions.ts';
import { FIELD_NAME_RULE, printableFieldName, textError } from '../text/text.domain.ts';
import { isIsoDate, zonedInstant } from '../time/calendar.ts';
import { dayInWindow, instantInWindow, type DateWindowName } from '../time/date-windows.domain.ts';
import { shanghaiDate } from '../time/shanghai.ts';

export const FEED_SOURCES = ['health', 'immigration', 'aviation', 'railway', 'telecom', 'area-risk'] as const;
export type FeedSource = (typeof FEED_SOURCES)[number];

export function isFeedSource(s: string): s is FeedSource {
  return (FEED_SOURCES as readonly string[]).includes(s);
}

export const CASE_STATUSES = ['confirmed', 'suspected', 'asymptomatic', 'close_contact', 'cleared'] as const;
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;

export type FeedRecord =
  | {
      readonly source: 'health';
      readonly doc: DocumentRef;
      readonly status: (typeof CASE_STATUSES)[number];
      readonly at: number;
    }
  | {
      readonly source: 'immigration';
      readonly doc: DocumentRef;
      readonly flightNo: string;
      readonly date: string;
      readonly port: string;
      /** The traveller's name as on the passport (optional): a foreign passport holder signs in with it. */
      readonly name?: string;
    }
  | {
      readonly source: 'aviation';
      readonly doc: DocumentRef;
      readonly flightNo: string;
      readonly date: string;
      readonly row: number;
      readonly seat: string;
    }
  | {
      readonly source: 'railway';
      readonly doc: DocumentRef;
      readonly trainNo: string;
      readonly date: string;
      readonly carriage: number;
      readonly seat: string;
    }
  | {
      readonly source: 'telecom';
      readonly phone: string;
      readonly cityCode: string;
      readonly firstSeen: number;
      readonly lastSeen: number;
    }
  | {
      readonly source: 'area-risk';
      readonly areaCode: string;
      readonly level: (typeof RISK_LEVELS)[number];
      readonly from: number;
      readonly to: number;
      readonly authority: string;
    };

/** Required and optional fields of each source. */
export const FEED_FIELDS: Record<FeedSource, { required: readonly string[]; optional: readonly string[] }> = {
  health: { required: ['documentType', 'documentNumber', 'status', 'at'], optional: ['nationality'] },
  immigration: {
    required: ['documentType', 'documentNumber', 'flightNo', 'date', 'port'],
    optional: ['nationality', 'name'],
  },
  aviation: {
    required: ['documentType', 'documentNumber', 'flightNo', 'date', 'seat'],
    optional: ['nationality'],
  },
  railway: {
    required: ['documentType', 'documentNumber', 'trainNo', 'date', 'carriage', 'seat'],
    optional: ['nationality'],
  },
  telecom: { required: ['phone', 'cityCode', 'firstSeen', 'lastSeen'], optional: [] },
  'area-risk': { required: ['areaCode', 'level', 'from', 'to'], optional: ['authority'] },
};

const KNOWN_FIELDS: ReadonlyMap<FeedSource, ReadonlySet<string>> = new Map(
  FEED_SOURCES.map((s) => [s, new Set([...FEED_FIELDS[s].required, ...FEED_FIELDS[s].optional])]),
);

export type RecordResult = { ok: true; record: FeedRecord } | { ok: false; code: ErrorCode; field: string };

/** A field at fault; thrown inside this module and turned into a result by parseFeedRecord. */
class Reject extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field: string,
  ) {
    super(`${code}: ${field}`);
  }
}

/**
 * The longest a feed's string may be, per field (code points; FEED_TEXT_MAX for the others). Every string of a
 * record is held to the text rule (src/text/text.domain.ts) with its limit before anything else is read.
 */
export const FEED_TEXT_MAX = 64;
const FIELD_TEXT_MAX: Readonly<Record<string, number>> = { name: 100, port: 64, authority: 100 };

function text(raw: Record<string, unknown>, field: string): string {
  const v = raw[field];
  if (typeof v !== 'string' || v.trim() === '') throw new Reject('YMT_ERR_FEED_FIELD', field);
  return v.trim();
}

/** An optional `name`, normalised as a sign-in's; absent or empty: none. */
function optionalName(raw: Record<string, unknown>): { name?: string } {
  const v = raw.name;
  if (v === undefined || v === null || v === '') return {};
  if (typeof v !== 'string') throw new Reject('YMT_ERR_FEED_FIELD', 'name');
  const n = normaliseName(v);
  if (!n.ok) throw new Reject(n.code, 'name');
  return { name: n.value };
}

function matching(raw: Record<string, unknown>, field: string, pattern: RegExp): string {
  const v = text(raw, field).toUpperCase();
  if (!pattern.test(v)) throw new Reject('YMT_ERR_FEED_FIELD', field);
  return v;
}

function oneOf<T extends string>(raw: Record<string, unknown>, field: string, values: readonly T[]): T {
  const v = text(raw, field);
  if (!(values as readonly string[]).includes(v)) throw new Reject('YMT_ERR_FEED_FIELD', field);
  return v as T;
}

/** What a record is checked against: the present, and its day in Asia/Shanghai. */
interface Now {
  readonly ms: number;
  readonly today: string;
}

/** YYYY-MM-DD, a real calendar date, in its field's plausible window (src/time/date-windows.domain.ts). */
function date(raw: Record<string, unknown>, field: string, window: DateWindowName, now: Now): string {
  const v = text(raw, field);
  if (!isIsoDate(v)) throw new Reject('YMT_ERR_FEED_DATE', field);
  if (!dayInWindow(v, window, now.today)) throw new Reject('YMT_ERR_DATE_IMPLAUSIBLE', field);
  return v;
}

/** ISO 8601 date-time with an explicit zone, in its field's plausible window; milliseconds since the epoch. */
function time(raw: Record<string, unknown>, field: string, window: DateWindowName, now: Now): number {
  const ms = zonedInstant(text(raw, field));
  if (ms === undefined) throw new Reject('YMT_ERR_FEED_DATE', field);
  if (!instantInWindow(ms, window, now.ms)) throw new Reject('YMT_ERR_DATE_IMPLAUSIBLE', field);
  return ms;
}

function person(raw: Record<string, unknown>, today: string): DocumentRef {
  const type = oneOf<DocumentType>(raw, 'documentType', DOCUMENT_TYPES);
  const nationality = raw.nationality;
  if (nationality !== undefined && typeof nationality !== 'string')
    throw new Reject('YMT_ERR_NATIONALITY', 'nationality');
  const doc = parseDocument(
    type,
    text(raw, 'documentNumber'),
    nationality === '' ? undefined : nationality,
    today,
  );
  if (!doc.ok) throw new Reject(doc.code, doc.field);
  return doc.value;
}

/** A flight and a train number, as the feeds (and an inbound traveller's declared entry) give them. */
export const FLIGHT_NO = /^[A-Z0-9]{2}[0-9]{1,4}[A-Z]?$/;
export const TRAIN_NO = /^[GDCZTKYSL]?[0-9]{1,4}$/;
const AIRCRAFT_SEAT = /^([0-9]{1,3})([A-HJ-L])$/;
const TRAIN_SEAT = /^[0-9A-Z]{1,8}$/;

function parse(source: FeedSource, raw: Record<string, unknown>, now: Now): FeedRecord {
  const { today } = now;
  switch (source) {
    case 'health':
      return {
        source,
        doc: person(raw, today),
        status: oneOf(raw, 'status', CASE_STATUSES),
        at: time(raw, 'at', 'healthEvent', now),
      };
    case 'immigration':
      return {
        source,
        doc: person(raw, today),
        flightNo: matching(raw, 'flightNo', FLIGHT_NO),
        date: date(raw, 'date', 'tripDate', now),
        port: text(raw, 'port'),
        ...optionalName(raw),
      };
    case 'aviation': {
      const seat = matching(raw, 'seat', AIRCRAFT_SEAT);
      return {
        source,
        doc: person(raw, today),
        flightNo: matching(raw, 'flightNo', FLIGHT_NO),
        date: date(raw, 'date', 'tripDate', now),
        row: Number(AIRCRAFT_SEAT.exec(seat)?.[1]),
        seat,
      };
    }
    case 'railway': {
      const c = raw.carriage;
      const carriage =
        typeof c === 'number' ? c : typeof c === 'string' && /^\d{1,2}$/.test(c.trim()) ? Number(c) : NaN;
      if (!Number.isInteger(carriage) || carriage < 1 || carriage > 40)
        throw new Reject('YMT_ERR_FEED_FIELD', 'carriage');
      return {
        source,
        doc: person(raw, today),
        trainNo: matching(raw, 'trainNo', TRAIN_NO),
        date: date(raw, 'date', 'tripDate', now),
        carriage,
        seat: matching(raw, 'seat', TRAIN_SEAT),
      };
    }
    case 'telecom': {
      const phone = normalisePhone(text(raw, 'phone'));
      if (!phone.ok) throw new Reject('YMT_ERR_PHONE_FORMAT', 'phone');
      const cityCode = text(raw, 'cityCode');
      if (!isCityOrCounty(cityCode)) throw new Reject('YMT_ERR_REGION_UNKNOWN', 'cityCode');
      const firstSeen = time(raw, 'firstSeen', 'telecomStay', now);
      const lastSeen = time(raw, 'lastSeen', 'telecomStay', now);
      if (lastSeen < firstSeen) throw new Reject('YMT_ERR_FEED_TIME_ORDER', 'lastSeen');
      return { source, phone: phone.value, cityCode, firstSeen, lastSeen };
    }
    case 'area-risk': {
      const areaCode = text(raw, 'areaCode');
      if (!isKnownRegion(areaCode)) throw new Reject('YMT_ERR_REGION_UNKNOWN', 'areaCode');
      const from = time(raw, 'from', 'areaRiskFrom', now);
      const to = time(raw, 'to', 'areaRiskTo', now);
      if (to <= from) throw new Reject('YMT_ERR_FEED_TIME_ORDER', 'to');
      const authority = raw.authority === undefined ? '' : text(raw, 'authority');
      return { source, areaCode, level: oneOf(raw, 'level', RISK_LEVELS), from, to, authority };
    }
  }
}

/**
 * Validates one raw record. `now` bounds every date by its field's plausible window, and birth dates in ID numbers
 * by its day in Asia/Shanghai. Field names and string values are held to the text rule first (a refused field
 * name is reported escaped: printableFieldName). Unknown fields are refused, so a misspelt column never passes
 * silently. Never throws for any input.
 */
export function parseFeedRecord(source: FeedSource, raw: Record<string, unknown>, now: Date): RecordResult {
  const spec = FEED_FIELDS[source];
  const known = KNOWN_FIELDS.get(source) ?? new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    const keyError = textError(key, FIELD_NAME_RULE);
    if (keyError !== undefined) return { ok: false, code: keyError, field: printableFieldName(key) };
    if (typeof value === 'string') {
      const rule = { kind: 'line', maxLength: FIELD_TEXT_MAX[key] ?? FEED_TEXT_MAX } as const;
      const valueError = textError(value, rule);
      if (valueError !== undefined) return { ok: false, code: valueError, field: key };
    }
  }
  const unknown = Object.keys(raw).find((k) => !known.has(k));
  if (unknown !== undefined) return { ok: false, code: 'YMT_ERR_FEED_UNKNOWN_FIELD', field: unknown };
  const missing = spec.required.find((k) => raw[k] === undefined || raw[k] === null || raw[k] === '');
  if (missing !== undefined) return { ok: false, code: 'YMT_ERR_FEED_MISSING_FIELD', field: missing };
  try {
    return { ok: true, record: parse(source, raw, { ms: now.getTime(), today: shanghaiDate(now) }) };
  } catch (e) {
    if (e instanceof Reject) return { ok: false, code: e.code, field: e.field };
    throw e;
  }
}
