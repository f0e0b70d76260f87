/**
 * Configuration: read from the environment once at boot, validated, and frozen into a typed object.
 * `.env.example` lists every key; test/config/config.test.ts keeps the two in sync.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_CORPS_CODE, isValidCorpsCode } from '../provinces/province-registry.ts';
import type { RetentionWindows } from '../retention/retention.domain.ts';
import {
  BASE64_16_BYTES,
  BASE64_32_BYTES,
  boolean,
  integer,
  oneOf,
  text,
  type KeySpec,
} from './config-parsers.ts';
import { RETENTION_KEYS } from './retention-keys.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Processes `yimatong serve` runs on the one database (docs/operations.md#workers). */
  readonly workers: number;
  readonly dataDir: string;
  /** postgres://… selects PostgreSQL; undefined means the embedded SQLite file. */
  readonly databaseUrl: string | undefined;
  /** A streaming replica for reads that tolerate `readMaxLagMs` of lag (src/db/read-replica.ts). */
  readonly databaseReadUrl: string | undefined;
  readonly readMaxLagMs: number;
  readonly sqliteFile: string;
  readonly hubIssuerId: string;
  /** The Corps' private provincial code (the 32nd unit; GB/T 2260 gives it none). */
  readonly corpsCode: string;
  readonly clockSkewSeconds: number;
  readonly sessionTtlSeconds: number;
  readonly trustListValidityHours: number;
  readonly keyReloadSeconds: number;
  /** National cryptography (docs/operations.md#national-cryptography): what new signing keys are. */
  readonly signingAlgorithm: 'ES256' | 'SM2';
  /** What encrypts personal data from now on; either still decrypts what the other wrote. */
  readonly fieldCipher: 'AES-256-GCM' | 'SM4-GCM';
  readonly dataEncryptionKey: string | undefined;
  readonly dataEncryptionKeyId: string;
  readonly dataIndexKey: string | undefined;
  readonly dataSm4Key: string | undefined;
  readonly dataSm4KeyId: string;
  readonly demoData: boolean;
  /** The session cookie is Secure (default: yes, unless NODE_ENV=development). */
  readonly cookieSecure: boolean;
  /** Proxies whose X-Forwarded-* headers are believed (addresses or CIDRs); empty: none (docs/operations.md#tls). */
  readonly trustProxy: readonly string[];
  /** Strict-Transport-Security max-age sent on answers to https requests; 0: no HSTS. */
  readonly hstsMaxAgeSeconds: number;
  /** Development only: node URLs may be plain http and loopback (src/federation/node-url.domain.ts). */
  readonly nodeUrlsAllowLocal: boolean;
  readonly bodyLimitBytes: number;
  readonly feedMaxBytes: number;
  /** Holders' `/api/` requests served at once; past it, 503 YMT_ERR_BUSY (src/http/admission.ts). */
  readonly maxInFlight: number;
  readonly maxUploadsInFlight: number;
  readonly loopDelayLimitMs: number;
  readonly maxConnections: number;
  readonly busyRetryAfterSeconds: number;
  readonly statusSnapshotTtlSeconds: number;
  readonly trustListRefreshSeconds: number;
  readonly statusPushSeconds: number;
  readonly peerTimeoutMs: number;
  /** Where text messages go (a JSON POST {phone, text}); undefined: DATA_DIR/sms-outbox.ndjson, never in production. */
  readonly smsGatewayUrl: string | undefined;
  /** Where the shared rate limits live (docs/operations.md#rate-limits); unset: in memory. */
  readonly redisUrl: string | undefined;
  readonly metricsToken: string | undefined;
  /** Corrections' deadlines (docs/corrections.md#deadlines): to the owner's first answer, to the decision, to closing. */
  readonly correctionAnswerHours: number;
  readonly correctionDecisionHours: number;
  readonly correctionCloseDays: number;
  /** Family members by proxy (docs/family.md#limits): live dependants per holder, live proxies per person. */
  readonly maxDependants: number;
  readonly maxGuardians: number;
  /** Paper codes printed by registrars (docs/registrars.md): how long one is valid, in hours. */
  readonly paperCodeHours: number;
  /** How long each kind of personal data is kept (docs/operations.md#retention). */
  readonly retention: RetentionWindows;
  /** How often `yimatong serve` purges what is past its window; 0: never by itself (`yimatong purge` from cron). */
  readonly retentionIntervalMinutes: number;
  /** NODE_ENV=production. */
  readonly production: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every key the hub reads, with its meaning. The order is the order of `.env.example`. */
export const CONFIG_KEYS = {
  PORT: { doc: 'HTTP port', parse: integer(0, 65535, 8080) },
  HOST: { doc: 'Address to listen on (0.0.0.0 to accept remote clients)', parse: text('127.0.0.1') },
  WORKERS: {
    doc: 'Processes `yimatong serve` runs on the one database, sharing the port (default: the number of cores)',
    parse: integer(1, 64, availableParallelism()),
  },
  DATA_DIR: { doc: 'Folder for the SQLite file and the generated keys', parse: text('./data') },
  DATABASE_URL: {
    doc: 'postgres://… selects PostgreSQL; unset means the embedded SQLite file',
    parse: text(undefined, /^postgres(ql)?:\/\//),
  },
  DATABASE_READ_URL: {
    doc: 'postgres://… of a streaming replica of DATABASE_URL: reads that tolerate READ_MAX_LAG_MS go there while it keeps up',
    parse: text(undefined, /^postgres(ql)?:\/\//),
  },
  READ_MAX_LAG_MS: {
    doc: 'How far behind the primary the replica may be and still answer reads (measured; otherwise the primary answers)',
    parse: integer(100, 600000, 2000),
  },
  SQLITE_FILE: { doc: 'SQLite file (default DATA_DIR/yimatong.db)', parse: text(undefined) },
  HUB_ISSUER_ID: {
    doc: 'The national hub issuer id (iss claim of its codes)',
    parse: text('CN', /^[A-Z0-9]{2,16}$/),
  },
  CORPS_CODE: {
    doc: 'Private provincial code of the Xinjiang Production and Construction Corps (not a GB/T 2260 province code)',
    parse: (raw: string | undefined) => {
      const v = raw === undefined || raw === '' ? DEFAULT_CORPS_CODE : raw;
      if (!isValidCorpsCode(v)) throw new Error('must be six digits ending in 0000 that no province uses');
      return v;
    },
  },
  CLOCK_SKEW_SECONDS: { doc: 'Tolerated clock difference when verifying codes', parse: integer(0, 600, 60) },
  SESSION_TTL_SECONDS: { doc: 'Lifetime of a sign-in session', parse: integer(60, 86400, 1800) },
  TRUST_LIST_VALIDITY_HOURS: {
    doc: 'How long a published trust list stays valid offline',
    parse: integer(1, 720, 168),
  },
  KEY_RELOAD_SECONDS: {
    doc: 'How often a running hub looks for rotated signing keys',
    parse: integer(1, 3600, 10),
  },
  SIGNING_ALGORITHM: {
    doc: 'ES256 or SM2 (SM2 with SM3, national cryptography): the algorithm of new code-signing keys, from the next `yimatong keys rotate`, and of the trust anchor when it is first made (a provincial node keeps an ES256 root)',
    parse: oneOf(['ES256', 'SM2'], 'ES256'),
  },
  FIELD_CIPHER: {
    doc: 'AES-256-GCM or SM4-GCM (national cryptography): what encrypts personal data written from now on; data written under the other stays readable',
    parse: oneOf(['AES-256-GCM', 'SM4-GCM'], 'AES-256-GCM'),
  },
  DATA_ENCRYPTION_KEY: {
    doc: 'AES-256-GCM key for personal data, base64 of 32 bytes (default: generated into DATA_DIR/keys)',
    parse: text(undefined, BASE64_32_BYTES),
  },
  DATA_ENCRYPTION_KEY_ID: {
    doc: 'Id stored beside each ciphertext of DATA_ENCRYPTION_KEY',
    parse: text('k1', /^[A-Za-z0-9_-]{1,16}$/),
  },
  DATA_INDEX_KEY: {
    doc: 'HMAC-SHA-256 key of the lookup hashes, base64 of 32 bytes (default: generated into DATA_DIR/keys)',
    parse: text(undefined, BASE64_32_BYTES),
  },
  DATA_SM4_KEY: {
    doc: 'SM4 key for personal data when FIELD_CIPHER=SM4-GCM, base64 of 16 bytes (default: generated into DATA_DIR/keys)',
    parse: text(undefined, BASE64_16_BYTES),
  },
  DATA_SM4_KEY_ID: {
    doc: 'Id stored beside each SM4-GCM ciphertext of DATA_SM4_KEY (distinct from DATA_ENCRYPTION_KEY_ID)',
    parse: text('s1', /^[A-Za-z0-9_-]{1,16}$/),
  },
  DEMO_DATA: {
    doc: 'Load the demo population into an empty database at start (default true; false, and refused, when NODE_ENV=production)',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : boolean(true)(raw)),
  },
  COOKIE_SECURE: {
    doc: 'Mark the session cookie Secure (default true; false when NODE_ENV=development). Browsers keep Secure cookies from https and from http://localhost or 127.0.0.1 only: set false to sign in over plain http from another machine',
    parse: (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : boolean(true)(raw)),
  },
  TRUST_PROXY: {
    doc: 'Reverse proxies (comma-separated addresses or CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed; unset: none, the client is the socket and https is never assumed',
    parse: (raw: string | undefined): string[] => {
      if (raw === undefined || raw.trim() === '') return [];
      const entries = raw.split(',').map((s) => s.trim());
      for (const e of entries) {
        const [address, bits, extra] = e.split('/');
        const family = isIP(address ?? '');
        const maxBits = family === 4 ? 32 : 128;
        const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
        if (family === 0 || !bitsOk || extra !== undefined)
          throw new Error(`${e} is not an IP address or CIDR (and trusting every proxy is not allowed)`);
      }
      return entries;
    },
  },
  HSTS_MAX_AGE_SECONDS: {
    doc: 'Strict-Transport-Security max-age sent (with includeSubDomains) on answers to requests that came over https; 0: no HSTS',
    parse: integer(0, 63_072_000, 31_536_000),
  },
  NODE_URLS_ALLOW_LOCAL: {
    doc: 'Development only: provincial node URLs may be plain http and loopback (127.0.0.1, ::1, localhost); refused when NODE_ENV=production. Link-local and metadata addresses are refused always',
    parse: boolean(false),
  },
  BODY_LIMIT_BYTES: { doc: 'Largest accepted request body', parse: integer(1024, 10_485_760, 65536) },
  FEED_MAX_BYTES: {
    doc: 'Largest feed batch accepted over HTTP (streamed, never held whole)',
    parse: integer(1024, 68_719_476_736, 1_073_741_824),
  },
  MAX_IN_FLIGHT: {
    doc: "Most holders' /api/ requests served at once (codes may fill it, declarations 3/4, details 1/2); past it, 503 YMT_ERR_BUSY",
    parse: integer(1, 100_000, 16),
  },
  MAX_UPLOADS_IN_FLIGHT: {
    doc: "Department uploads (and attachments) served at once: their own budget, apart from the holders'",
    parse: integer(1, 10_000, 4),
  },
  LOOP_DELAY_LIMIT_MS: {
    doc: 'How late the event loop may run before codes are shed (declarations shed at 3/4 of it, details and uploads at 1/2); 0: never shed on it',
    parse: integer(0, 10_000, 10),
  },
  MAX_CONNECTIONS: {
    doc: 'Most open client connections per process; one more is closed at once',
    parse: integer(1, 1_000_000, 20_000),
  },
  BUSY_RETRY_AFTER_SECONDS: {
    doc: 'Retry-After of a request refused as busy',
    parse: integer(1, 3600, 2),
  },
  STATUS_SNAPSHOT_TTL_SECONDS: {
    doc: 'Longest a status snapshot is shown before it is recomputed (new evidence recomputes it at once)',
    parse: integer(0, 86400, 3600),
  },
  TRUST_LIST_REFRESH_SECONDS: {
    doc: "Provincial node: how often it fetches the hub's trust list (an unchanged list costs a 304)",
    parse: integer(1, 86400, 60),
  },
  STATUS_PUSH_SECONDS: {
    doc: "How often the hub and each node sweep and send their holders' status changes (the status exchange)",
    parse: integer(1, 3600, 5),
  },
  PEER_TIMEOUT_MS: {
    doc: 'Longest the hub waits for a provincial node (and a node for the hub) on one request',
    parse: integer(100, 60_000, 2000),
  },
  SMS_GATEWAY_URL: {
    doc: 'Text messages (sign-in confirmation codes) go to this gateway as a JSON POST {phone, text}; unset: DATA_DIR/sms-outbox.ndjson, and none in production',
    parse: text(undefined, /^https?:\/\//),
  },
  REDIS_URL: {
    doc: 'Redis holding the rate limits shared by every hub instance (redis://host:6379); unset: each process limits in its own memory',
    parse: text(undefined, /^rediss?:\/\//),
  },
  METRICS_TOKEN: {
    doc: 'Bearer token a Prometheus scraper sends to /metrics (16+ characters); unset: /metrics answers loopback clients only',
    parse: text(undefined, /^[\x21-\x7e]{16,256}$/),
  },
  CORRECTION_ANSWER_HOURS: {
    doc: "Corrections: hours from routing to the owner's first answer before the ticket is escalated to the national operators",
    parse: integer(1, 720, 24),
  },
  CORRECTION_DECISION_HOURS: {
    doc: 'Corrections: hours from review to the decision before the ticket is escalated',
    parse: integer(1, 2160, 72),
  },
  CORRECTION_CLOSE_DAYS: {
    doc: 'Corrections: days after a decision when the ticket closes by itself',
    parse: integer(1, 365, 14),
  },
  MAX_DEPENDANTS: {
    doc: 'Family members by proxy: most family members one holder may act for at once',
    parse: integer(1, 50, 5),
  },
  MAX_GUARDIANS: {
    doc: 'Family members by proxy: most holders who may act for one person at once',
    parse: integer(1, 20, 4),
  },
  PAPER_CODE_HOURS: {
    doc: 'Paper codes printed by registrars for people without a phone: hours each is valid (1 to 168)',
    parse: integer(1, 168, 24),
  },
  ...RETENTION_KEYS,
  LOG_LEVEL: {
    doc: 'fatal, error, warn, info, debug, trace or silent',
    parse: (raw: string | undefined) => {
      const v = raw === undefined || raw === '' ? 'info' : raw;
      if (!LOG_LEVELS.includes(v)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')}`);
      return v;
    },
  },
} as const satisfies Record<string, KeySpec>;

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, KeySpec][]) {
    try {
      values[key] = spec.parse(env[key]);
    } catch (e) {
      problems.push(`${key}: ${(e as Error).message}`);
    }
  }
  // Secure by default: a production deployment never loads the demo population (nor its credentials).
  const production = env.NODE_ENV === 'production';
  if (production && values.DEMO_DATA === true)
    problems.push('DEMO_DATA: the demo population is refused when NODE_ENV=production');
  if (production && values.NODE_URLS_ALLOW_LOCAL === true)
    problems.push('NODE_URLS_ALLOW_LOCAL: local node URLs are refused when NODE_ENV=production');
  if (values.DATABASE_READ_URL !== undefined && values.DATABASE_URL === undefined)
    problems.push('DATABASE_READ_URL: a read replica needs its primary in DATABASE_URL (PostgreSQL)');
  if (values.DATA_SM4_KEY_ID !== undefined && values.DATA_SM4_KEY_ID === values.DATA_ENCRYPTION_KEY_ID)
    problems.push('DATA_SM4_KEY_ID: must differ from DATA_ENCRYPTION_KEY_ID (one key id, one algorithm)');
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = resolve(values.DATA_DIR as string);
  return Object.freeze({
    port: values.PORT as number,
    workers: values.WORKERS as number,
    host: values.HOST as string,
    dataDir,
    databaseUrl: values.DATABASE_URL as string | undefined,
    databaseReadUrl: values.DATABASE_READ_URL as string | undefined,
    readMaxLagMs: values.READ_MAX_LAG_MS as number,
    sqliteFile: resolve((values.SQLITE_FILE as string | undefined) ?? `${dataDir}/yimatong.db`),
    hubIssuerId: values.HUB_ISSUER_ID as string,
    corpsCode: values.CORPS_CODE as string,
    clockSkewSeconds: values.CLOCK_SKEW_SECONDS as number,
    sessionTtlSeconds: values.SESSION_TTL_SECONDS as number,
    trustListValidityHours: values.TRUST_LIST_VALIDITY_HOURS as number,
    keyReloadSeconds: values.KEY_RELOAD_SECONDS as number,
    signingAlgorithm: values.SIGNING_ALGORITHM as Config['signingAlgorithm'],
    fieldCipher: values.FIELD_CIPHER as Config['fieldCipher'],
    dataEncryptionKey: values.DATA_ENCRYPTION_KEY as string | undefined,
    dataEncryptionKeyId: values.DATA_ENCRYPTION_KEY_ID as string,
    dataIndexKey: values.DATA_INDEX_KEY as string | undefined,
    dataSm4Key: values.DATA_SM4_KEY as string | undefined,
    dataSm4KeyId: values.DATA_SM4_KEY_ID as string,
    demoData: (values.DEMO_DATA as boolean | undefined) ?? !production,
    cookieSecure: (values.COOKIE_SECURE as boolean | undefined) ?? env.NODE_ENV !== 'development',
    trustProxy: values.TRUST_PROXY as string[],
    hstsMaxAgeSeconds: values.HSTS_MAX_AGE_SECONDS as number,
    nodeUrlsAllowLocal: values.NODE_URLS_ALLOW_LOCAL as boolean,
    bodyLimitBytes: values.BODY_LIMIT_BYTES as number,
    feedMaxBytes: values.FEED_MAX_BYTES as number,
    maxInFlight: values.MAX_IN_FLIGHT as number,
    maxUploadsInFlight: values.MAX_UPLOADS_IN_FLIGHT as number,
    loopDelayLimitMs: values.LOOP_DELAY_LIMIT_MS as number,
    maxConnections: values.MAX_CONNECTIONS as number,
    busyRetryAfterSeconds: values.BUSY_RETRY_AFTER_SECONDS as number,
    statusSnapshotTtlSeconds: values.STATUS_SNAPSHOT_TTL_SECONDS as number,
    trustListRefreshSeconds: values.TRUST_LIST_REFRESH_SECONDS as number,
    statusPushSeconds: values.STATUS_PUSH_SECONDS as number,
    peerTimeoutMs: values.PEER_TIMEOUT_MS as number,
    smsGatewayUrl: values.SMS_GATEWAY_URL as string | undefined,
    redisUrl: values.REDIS_URL as string | undefined,
    metricsToken: values.METRICS_TOKEN as string | undefined,
    correctionAnswerHours: values.CORRECTION_ANSWER_HOURS as number,
    correctionDecisionHours: values.CORRECTION_DECISION_HOURS as number,
    correctionCloseDays: values.CORRECTION_CLOSE_DAYS as number,
    maxDependants: values.MAX_DEPENDANTS as number,
    maxGuardians: values.MAX_GUARDIANS as number,
    paperCodeHours: values.PAPER_CODE_HOURS as number,
    retention: Object.freeze({
      healthDays: values.RETENTION_HEALTH_DAYS as number,
      travelDays: values.RETENTION_TRAVEL_DAYS as number,
      immigrationDays: values.RETENTION_IMMIGRATION_DAYS as number,
      telecomDays: values.RETENTION_TELECOM_DAYS as number,
      codesDays: values.RETENTION_CODES_DAYS as number,
      declarationVersionsDays: values.RETENTION_DECLARATION_VERSIONS_DAYS as number,
      ticketsDays: values.RETENTION_TICKETS_DAYS as number,
      accessHistoryDays: values.RETENTION_ACCESS_HISTORY_DAYS as number,
      auditDays: values.RETENTION_AUDIT_DAYS as number,
    }),
    retentionIntervalMinutes: values.RETENTION_INTERVAL_MINUTES as number,
    production,
    logLevel: values.LOG_LEVEL as Config['logLevel'],
  });
}
