/**
 * Wires the hub together from the configuration: database, keys, repositories and services. The HTTP app
 * and the CLI both start here; nothing else reads the configuration.
 */
import { AuthService } from '../auth/auth.service.ts';
import { SessionsRepository } from '../auth/sessions.repository.ts';
import { CodeService } from '../code/code.service.ts';
import { CodesRepository } from '../code/codes.repository.ts';
import type { Config } from '../config/config.ts';
import { migrateToLatest, openDatabase, type Db, type Engine } from '../db/database.ts';
import { EvidenceRepository } from '../evidence/evidence.repository.ts';
import { ExposureService } from '../exposure/exposure.service.ts';
import { DEFAULT_EXPOSURE } from '../exposure/exposure.domain.ts';
import { DepartmentsRepository } from '../feeds/departments.repository.ts';
import { HealthInfoService } from '../health-info/health-info.service.ts';
import type { BatchWriterFactory } from '../feeds/batch-writer.ts';
import { IngestService } from '../feeds/ingest.service.ts';
import { PgBatchWriterFactory } from '../feeds/pg-batch-writer.ts';
import { SqliteBatchWriterFactory } from '../feeds/sqlite-batch-writer.ts';
import { DeclarationService } from '../declaration/declaration.service.ts';
import { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import { loadDemoPopulation } from '../demo/demo.loader.ts';
import { RegistryIdentityProvider, type IdentityProvider } from '../identity/identity-provider.ts';
import { PersonsRepository } from '../identity/persons.repository.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import { FieldCipher, loadDataKeys } from '../privacy/field-cipher.ts';
import { keyStoreFor, type KeyStore } from '../signing/keystore.ts';
import { hubTrustListOptions, KeyringCache } from '../signing/trust-list.service.ts';
import { StatusEntriesRepository } from '../status/status-entries.repository.ts';
import { StatusService } from '../status/status.service.ts';
import { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import { StatusRuleSets } from '../risk/status-rule-sets.service.ts';
import type { FeedSource } from '../feeds/feed-records.domain.ts';
import { FederationRepository } from '../province-api/federation.repository.ts';
import { HoldersRepository } from '../province-api/holders.repository.ts';
import { HubIdentityProvider } from '../province-node/hub-identity-provider.ts';
import { HubTrustList } from '../province-node/hub-trust-list.ts';
import { ProvinceKeys } from '../province-node/province-keys.ts';
import { ProvinceNode } from '../province-node/province-node.ts';
import { NonceMemory } from '../federation/request-signature.ts';
import { SignedClient } from '../federation/signed-client.ts';
import { StatusOutbox } from '../province-node/status-outbox.service.ts';
import { TicketsRepository } from '../tickets/tickets.repository.ts';
import { CODE_LIFETIME_SECONDS } from '../codec/token.ts';
import type { TrustSource } from '../signing/trust-list.service.ts';
import { RequestMetrics } from '../http/metrics.ts';
import { InFlightLimiter } from '../http/overload.ts';

export type Clock = () => Date;

export interface AppContext {
  readonly config: Config;
  readonly clock: Clock;
  readonly db: Db;
  readonly engine: Engine;
  readonly cipher: FieldCipher;
  readonly persons: PersonsRepository;
  readonly declarationsRepo: DeclarationsRepository;
  readonly statusEntries: StatusEntriesRepository;
  readonly keyStore: KeyStore;
  readonly keys: KeyringCache;
  readonly identities: IdentityProvider;
  readonly auth: AuthService;
  readonly declarations: DeclarationService;
  readonly status: StatusService;
  /** Holders' status snapshots: dropped when evidence, or how it is read, changes. */
  readonly snapshots: StatusSnapshotsRepository;
  /** The status rule set in force: the baseline or a version an operator scheduled. */
  readonly statusRules: StatusRuleSets;
  readonly codes: CodeService;
  readonly feeds: IngestService;
  /** Where batches are written before they are published (a spool file or a COPY transaction). */
  readonly batchWriters: BatchWriterFactory;
  readonly departments: DepartmentsRepository;
  readonly healthInfo: HealthInfoService;
  /** The 32 provincial units (31 provinces and the Corps under CORPS_CODE). */
  readonly provinces: ProvinceRegistry;
  /** The hub, or a provincial node (`yimatong province`). */
  readonly role: 'hub' | 'province';
  /** `iss` of the codes this process signs: HUB_ISSUER_ID on the hub, the province's code on a node. */
  readonly issuer: string;
  /** The trust list verifiers here use: the hub's own, or a node's copy of the hub's. */
  readonly trust: TrustSource;
  /** Hub: enrolled provinces, their keys and rules. */
  readonly federation: FederationRepository;
  /** Hub: residents of each province, pushed status, linked codes, consents. */
  readonly holders: HoldersRepository;
  readonly tickets: TicketsRepository;
  /** Nonces of signed requests seen (replay protection). */
  readonly nonces: NonceMemory;
  /** Provincial node only: its life beside the HTTP server. */
  readonly node: ProvinceNode | undefined;
  /** `/api/` requests in flight against MAX_IN_FLIGHT (src/http/overload.ts). */
  readonly limiter: InFlightLimiter;
  /** The last hour of `/api/` requests, per minute, for the operations console. */
  readonly metrics: RequestMetrics;
  close(): Promise<void>;
}

/** Running as a provincial node. */
export interface ProvinceRole {
  readonly code: string;
  readonly hubUrl: string;
  /** Acceptance rule set files the province publishes at start. */
  readonly rulesFiles?: readonly string[];
  readonly log?: (message: string) => void;
}

export interface ContextOptions {
  readonly clock?: Clock;
  /** PostgreSQL schema (tests isolate each run in its own). */
  readonly pgSchema?: string;
  /** Run as this province's node instead of the hub. */
  readonly province?: ProvinceRole;
}

export async function createContext(config: Config, options: ContextOptions = {}): Promise<AppContext> {
  const clock = options.clock ?? (() => new Date());
  const role = options.province;
  const issuer = role?.code ?? config.hubIssuerId;
  const keyStore = keyStoreFor(config);
  const provinceKeys = role && new ProvinceKeys(keyStore, role.code);
  if (provinceKeys) provinceKeys.ensure(clock());
  else keyStore.ensure(clock());
  const provinces = new ProvinceRegistry(config.corpsCode);
  const cipher = new FieldCipher(loadDataKeys(config));
  const { db, engine, schema, raw } = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  await migrateToLatest(db, schema);

  const persons = new PersonsRepository(db, cipher);
  const declarationsRepo = new DeclarationsRepository(db, cipher);
  const statusEntries = new StatusEntriesRepository(db);
  const federation = new FederationRepository(db);
  const holders = new HoldersRepository(db);
  const hubOptions = hubTrustListOptions(config, keyStore);
  const keys = new KeyringCache(
    keyStore,
    role
      ? { ...hubOptions, issuer: provinces.issuer(role.code) }
      : {
          ...hubOptions,
          federation: {
            revision: () => federation.revision(),
            input: (nowMs) => federation.trustInput(nowMs, CODE_LIFETIME_SECONDS * 1000),
            issuer: (code) => provinces.issuer(code),
          },
        },
    config.keyReloadSeconds * 1000,
  );
  const hubClient =
    role &&
    provinceKeys &&
    new SignedClient({
      baseUrl: role.hubUrl,
      caller: role.code,
      sign: provinceKeys.accessSigner(),
      timeoutMs: config.peerTimeoutMs,
      clock,
    });
  const identities: IdentityProvider = hubClient
    ? new HubIdentityProvider(hubClient, persons, clock)
    : new RegistryIdentityProvider(persons);
  const evidence = new EvidenceRepository(db);
  const snapshots = new StatusSnapshotsRepository(db);
  const statusRules = new StatusRuleSets(db, config.keyReloadSeconds * 1000);
  const status = new StatusService(
    persons,
    declarationsRepo,
    statusEntries,
    evidence,
    snapshots,
    statusRules,
    config.statusSnapshotTtlSeconds,
    // On the hub, a province's pushed yellow or red counts in the national status.
    role ? undefined : holders,
  );
  // The co-travel window is the baseline's: one parameter governs who is flagged and how long it counts.
  const exposure = new ExposureService(db, { ...DEFAULT_EXPOSURE, windowDays: status.windowDays() }, clock);
  /** After a batch is published: find its exposures, then drop the snapshots of everyone it concerns. */
  const processBatch = async (source: FeedSource, batchId: string): Promise<void> => {
    const { exposed } = await exposure.afterBatch(source, batchId);
    if (source === 'area-risk') return snapshots.invalidateAll();
    if (source === 'telecom') {
      const rows = await db
        .selectFrom('telecom_stays')
        .select('phone_hash')
        .where('batch_id', '=', batchId)
        .execute();
      return snapshots.invalidateByHashes([], [...new Set(rows.map((r) => r.phone_hash))]);
    }
    if (source === 'health') {
      // The holders of the events, and everyone the batch's cases exposed.
      const own = await db
        .selectFrom('health_events')
        .select('doc_hash')
        .where('batch_id', '=', batchId)
        .execute();
      await snapshots.invalidateByHashes([...new Set(own.map((r) => r.doc_hash))]);
      return snapshots.invalidateExposedBy(batchId);
    }
    // A trip changes its traveller's status only through an exposure.
    return snapshots.invalidateByHashes(exposed);
  };
  const batchWriters =
    raw.engine === 'sqlite'
      ? new SqliteBatchWriterFactory(db, raw.sqlite, raw.file)
      : new PgBatchWriterFactory(raw.pool, raw.poolSize);
  const node =
    role && provinceKeys && hubClient
      ? new ProvinceNode(
          hubClient,
          new HubTrustList(role.hubUrl, config.dataDir, config.peerTimeoutMs),
          provinceKeys,
          keyStore,
          keys,
          new StatusOutbox(db, persons, status),
          {
            code: role.code,
            trustRefreshMs: config.trustListRefreshSeconds * 1000,
            statusPushMs: config.statusPushSeconds * 1000,
            rulesFiles: role.rulesFiles ?? [],
            clock,
            log: role.log ?? (() => undefined),
          },
        )
      : undefined;
  const limiter = new InFlightLimiter(config.maxInFlight);
  const ctx: AppContext = {
    config,
    clock,
    db,
    engine,
    cipher,
    persons,
    declarationsRepo,
    statusEntries,
    keyStore,
    keys,
    identities,
    auth: new AuthService(identities, new SessionsRepository(db), config.sessionTtlSeconds),
    declarations: new DeclarationService(declarationsRepo, persons),
    status,
    codes: new CodeService(new CodesRepository(db), persons, status, keys, issuer),
    snapshots,
    statusRules,
    feeds: new IngestService(db, cipher, clock, batchWriters, processBatch),
    batchWriters,
    departments: new DepartmentsRepository(db),
    healthInfo: new HealthInfoService(status, evidence, persons, declarationsRepo),
    provinces,
    role: role ? 'province' : 'hub',
    issuer,
    trust: node?.trust ?? keys,
    federation,
    holders,
    tickets: new TicketsRepository(db, cipher),
    nonces: new NonceMemory(),
    node,
    limiter,
    metrics: new RequestMetrics(limiter, clock()),
    close: async () => {
      await node?.stop();
      await db.destroy();
    },
  };
  if (!role && config.demoData && (await persons.count()) === 0) await loadDemoPopulation(ctx, clock());
  return ctx;
}
