/**
 * The composition root: builds the hub (or a provincial node) from the configuration — database, keys, each
 * capability's repositories and services, each from explicit constructor arguments. Only the HTTP app builder
 * (src/http/app.ts), the commands (src/cli) and this folder import it; every other module receives what it uses
 * (a lint rule and test/architecture keep it so).
 */
import { userInfo } from 'node:os';
import { commandLineActor, type Actor } from '../access/actor.ts';
import { AreaRiskRepository } from '../area-risk/area-risk.repository.ts';
import { AreaRiskService } from '../area-risk/area-risk.service.ts';
import { AuthService } from '../auth/auth.service.ts';
import { SessionsRepository } from '../auth/sessions.repository.ts';
import { CodeService } from '../code/code.service.ts';
import { CodesRepository } from '../code/codes.repository.ts';
import { ConsoleAccountsRepository } from '../console/console-accounts.repository.ts';
import { ConsoleAccountsService } from '../console/console-accounts.service.ts';
import type { Config } from '../config/config.ts';
import { migrateToLatest, openDatabase, type Db, type Engine } from '../db/database.ts';
import { DeclarationService } from '../declaration/declaration.service.ts';
import { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import { loadDemoPopulation, type DemoCredentials } from '../demo/demo.loader.ts';
import { EvidenceRepository } from '../evidence/evidence.repository.ts';
import { DEFAULT_EXPOSURE } from '../exposure/exposure.domain.ts';
import { ExposureService } from '../exposure/exposure.service.ts';
import { ExposuresRepository } from '../exposure/exposures.repository.ts';
import { NonceMemory } from '../federation/request-signature.ts';
import type { BatchWriterFactory } from '../feeds/batch-writer.ts';
import { DepartmentsRepository } from '../feeds/departments.repository.ts';
import { DepartmentsService } from '../feeds/departments.service.ts';
import { FeedBatchesRepository } from '../feeds/feed-batches.repository.ts';
import { FeedBatchesService } from '../feeds/feed-batches.service.ts';
import { IngestService } from '../feeds/ingest.service.ts';
import { JourneysRepository } from '../feeds/journeys.repository.ts';
import { PgBatchWriterFactory } from '../feeds/pg-batch-writer.ts';
import { SqliteBatchWriterFactory } from '../feeds/sqlite-batch-writer.ts';
import { HealthInfoService } from '../health-info/health-info.service.ts';
import { RequestMetrics } from '../http/metrics.ts';
import { InFlightLimiter } from '../http/overload.ts';
import { RegistryIdentityProvider, type IdentityProvider } from '../identity/identity-provider.ts';
import { PersonsRepository } from '../identity/persons.repository.ts';
import { LinkedCodesRepository } from '../linked-codes/linked-codes.repository.ts';
import { LinkedCodesService } from '../linked-codes/linked-codes.service.ts';
import { FieldCipher, loadDataKeys } from '../privacy/field-cipher.ts';
import { ConsentsRepository } from '../province-api/consents.repository.ts';
import { EnrolmentsRepository } from '../province-api/enrolments.repository.ts';
import { HoldersRepository } from '../province-api/holders.repository.ts';
import { IssuerKeysRepository } from '../province-api/issuer-keys.repository.ts';
import { IssuerKeysService } from '../province-api/issuer-keys.service.ts';
import { ProvinceHoldersService } from '../province-api/province-holders.service.ts';
import { ProvincesService } from '../province-api/provinces.service.ts';
import { StatusDeltasService } from '../province-api/status-deltas.service.ts';
import { TrustInputService } from '../province-api/trust-input.service.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { SeedDeps } from '../seed/seed.loader.ts';
import { SHIPPED_ACCEPTANCE_RULE_DOCS } from '../recognition/acceptance.registry.ts';
import { AcceptanceRuleSetsRepository } from '../recognition/acceptance-rule-sets.repository.ts';
import { AcceptanceRuleSetsService } from '../recognition/acceptance-rule-sets.service.ts';
import { StatusRuleSetsRepository } from '../risk/status-rule-sets.repository.ts';
import { StatusRuleSetsService } from '../risk/status-rule-sets.service.ts';
import { keyStoreFor, type KeyStore } from '../signing/keystore.ts';
import { TrustListRevisionRepository } from '../signing/trust-list-revision.repository.ts';
import { activeKeySigning } from '../signing/code-signing.ts';
import { hubTrustListOptions, KeyringCache, type TrustSource } from '../signing/trust-list.service.ts';
import { BatchEffectsService } from '../status/batch-effects.service.ts';
import { StatusEntriesRepository } from '../status/status-entries.repository.ts';
import { StatusEntriesService } from '../status/status-entries.service.ts';
import { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import { StatusService } from '../status/status.service.ts';
import { TicketsRepository } from '../tickets/tickets.repository.ts';
import { TicketsService } from '../tickets/tickets.service.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import { composeNode, type ProvinceRole, type NodeParts } from './compose-node.ts';

export type { ProvinceRole } from './compose-node.ts';

export interface ComposeOptions {
  readonly clock?: Clock;
  /** PostgreSQL schema (tests isolate each run in its own). */
  readonly pgSchema?: string;
  /** Run as this province's node instead of the hub. */
  readonly province?: ProvinceRole;
}

/** The repositories: stateless but for the cipher some hold; every method takes the database or a transaction. */
export interface Repositories {
  readonly persons: PersonsRepository;
  readonly declarations: DeclarationsRepository;
  readonly statusEntries: StatusEntriesRepository;
  readonly snapshots: StatusSnapshotsRepository;
  readonly evidence: EvidenceRepository;
  readonly holders: HoldersRepository;
  readonly enrolments: EnrolmentsRepository;
  readonly issuerKeys: IssuerKeysRepository;
  readonly tickets: TicketsRepository;
  readonly linkedCodes: LinkedCodesRepository;
}

/** One service per action, each built from what it uses. */
export interface Services {
  readonly auth: AuthService;
  readonly declarations: DeclarationService;
  readonly status: StatusService;
  readonly statusEntries: StatusEntriesService;
  readonly statusRuleSets: StatusRuleSetsService;
  readonly codes: CodeService;
  readonly healthInfo: HealthInfoService;
  readonly ingest: IngestService;
  readonly feedBatches: FeedBatchesService;
  readonly departments: DepartmentsService;
  readonly consoleAccounts: ConsoleAccountsService;
  readonly areaRisk: AreaRiskService;
  readonly acceptanceRuleSets: AcceptanceRuleSetsService;
  readonly provinces: ProvincesService;
  readonly issuerKeys: IssuerKeysService;
  readonly statusDeltas: StatusDeltasService;
  readonly provinceHolders: ProvinceHoldersService;
  readonly tickets: TicketsService;
  readonly linkedCodes: LinkedCodesService;
  readonly trustInput: TrustInputService;
}

/** The running hub or node. */
export interface Parts {
  readonly config: Config;
  readonly clock: Clock;
  /** The hub, or a provincial node (`yimatong province`). */
  readonly role: 'hub' | 'province';
  /** `iss` of the codes this process signs: HUB_ISSUER_ID on the hub, the province's code on a node. */
  readonly issuer: string;
  readonly engine: Engine;
  readonly db: Db;
  readonly cipher: FieldCipher;
  /** The 32 provincial units (31 provinces and the Corps under CORPS_CODE). */
  readonly registry: ProvinceRegistry;
  readonly keyStore: KeyStore;
  /** This process's keyring and, on the hub, its signed trust list. */
  readonly keys: KeyringCache;
  /** The trust list verifiers here use: the hub's own, or a node's copy of the hub's. */
  readonly trust: TrustSource;
  /** Where batches are written before they are published (a spool file or a COPY transaction). */
  readonly batchWriters: BatchWriterFactory;
  readonly repositories: Repositories;
  readonly services: Services;
  /** `/api/` requests in flight against MAX_IN_FLIGHT, and the last hour of them per minute. */
  readonly limiter: InFlightLimiter;
  readonly metrics: RequestMetrics;
  /** Nonces of signed requests seen (replay protection). */
  readonly nonces: NonceMemory;
  /** Provincial node only: its life beside the HTTP server. */
  readonly node: NodeParts | undefined;
  /** The demo population's credentials, when this start loaded it (printed once by `yimatong serve`). */
  readonly demo: DemoCredentials | undefined;
  close(): Promise<void>;
}

/** What loading a synthetic population uses (`yimatong seed`, tests). */
export function seedDeps(parts: Parts): SeedDeps {
  return {
    db: parts.db,
    persons: parts.repositories.persons,
    ingest: parts.services.ingest,
    clock: parts.clock,
  };
}

/** Who acts when an operator runs a command on the hub's machine. */
export function commandLine(): Actor {
  return commandLineActor(userInfo().username);
}

export async function compose(config: Config, options: ComposeOptions = {}): Promise<Parts> {
  const clock = options.clock ?? systemClock;
  const role = options.province;
  const issuer = role?.code ?? config.hubIssuerId;
  const registry = new ProvinceRegistry(config.corpsCode);
  const cipher = new FieldCipher(loadDataKeys(config));
  const keyStore = keyStoreFor(config);
  const { db, engine, schema, raw } = await openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.sqliteFile,
    ...(options.pgSchema ? { pgSchema: options.pgSchema } : {}),
  });
  await migrateToLatest(db, schema);

  const repositories: Repositories = {
    persons: new PersonsRepository(cipher),
    declarations: new DeclarationsRepository(cipher),
    statusEntries: new StatusEntriesRepository(),
    snapshots: new StatusSnapshotsRepository(),
    evidence: new EvidenceRepository(),
    holders: new HoldersRepository(),
    enrolments: new EnrolmentsRepository(),
    issuerKeys: new IssuerKeysRepository(),
    tickets: new TicketsRepository(cipher),
    linkedCodes: new LinkedCodesRepository(),
  };
  const { persons, snapshots, evidence, holders, enrolments, statusEntries, declarations } = repositories;
  const revision = new TrustListRevisionRepository();
  const acceptanceRepo = new AcceptanceRuleSetsRepository();
  const trustInput = new TrustInputService(db, revision, enrolments, repositories.issuerKeys, acceptanceRepo);

  const node = role ? composeNode({ config, clock, db, keyStore, registry, persons, role }) : undefined;
  if (!node) keyStore.ensure(clock());
  const keys =
    node?.keys ??
    new KeyringCache(
      keyStore,
      {
        ...hubTrustListOptions(config, keyStore, SHIPPED_ACCEPTANCE_RULE_DOCS),
        federation: {
          revision: () => trustInput.revision(),
          input: (nowMs) => trustInput.input(nowMs),
          issuer: (code) => registry.issuer(code),
        },
      },
      config.keyReloadSeconds * 1000,
    );
  const identities: IdentityProvider = node?.identities ?? new RegistryIdentityProvider(db, persons);
  const statusRuleSets = new StatusRuleSetsService(
    db,
    new StatusRuleSetsRepository(),
    config.keyReloadSeconds * 1000,
  );
  const status = new StatusService(
    db,
    persons,
    repositories.declarations,
    repositories.statusEntries,
    evidence,
    snapshots,
    statusRuleSets,
    config.statusSnapshotTtlSeconds,
    // On the hub, a province's pushed yellow or red counts in the national status.
    node ? undefined : holders,
  );
  // The co-travel window is the baseline's: one parameter governs who is flagged and how long it counts.
  const exposureParameters = { ...DEFAULT_EXPOSURE, windowDays: status.windowDays() };
  const exposure = new ExposureService(
    new ExposuresRepository(exposureParameters),
    exposureParameters,
    clock,
  );
  const effects = new BatchEffectsService(exposure, evidence, snapshots);
  const batchWriters =
    raw.engine === 'sqlite'
      ? new SqliteBatchWriterFactory(db, raw.sqlite, raw.file)
      : new PgBatchWriterFactory(raw.pool, raw.poolSize);
  const feedBatchesRepo = new FeedBatchesRepository();
  const feedBatches = new FeedBatchesService(db, feedBatchesRepo, cipher);
  const ingest = new IngestService(
    db,
    cipher,
    clock,
    batchWriters,
    feedBatchesRepo,
    feedBatches,
    new JourneysRepository(),
    (trx, source, batchId) => effects.afterPublish(trx, source, batchId),
  );
  const departments = new DepartmentsService(db, new DepartmentsRepository());
  const signing = node?.signing ?? activeKeySigning(keys);
  const codes = new CodeService(db, new CodesRepository(), persons, status, signing, issuer);
  const provinces = new ProvincesService(
    db,
    registry,
    enrolments,
    repositories.issuerKeys,
    holders,
    revision,
  );
  const services: Services = {
    auth: new AuthService(db, identities, new SessionsRepository(), config.sessionTtlSeconds),
    declarations: new DeclarationService(db, repositories.declarations, persons, snapshots),
    status,
    statusRuleSets,
    codes,
    statusEntries: new StatusEntriesService(db, statusEntries, persons, snapshots),
    healthInfo: new HealthInfoService(db, status, evidence, persons, declarations, statusEntries),
    ingest,
    feedBatches,
    departments,
    consoleAccounts: new ConsoleAccountsService(db, new ConsoleAccountsRepository(), departments),
    areaRisk: new AreaRiskService(db, new AreaRiskRepository(), ingest, snapshots),
    acceptanceRuleSets: new AcceptanceRuleSetsService(db, acceptanceRepo, revision),
    provinces,
    issuerKeys: new IssuerKeysService(db, registry, enrolments, repositories.issuerKeys, revision, (now) => {
      // The hub's own kids (and its anchor's) are taken.
      const ring = keys.current(now.getTime());
      return new Set([...ring.keys.map((k) => k.kid), ring.anchor.kid]);
    }),
    statusDeltas: new StatusDeltasService(db, persons, holders, snapshots),
    provinceHolders: new ProvinceHoldersService(
      db,
      identities,
      persons,
      holders,
      new ConsentsRepository(),
      status,
    ),
    tickets: new TicketsService(db, repositories.tickets, registry),
    linkedCodes: new LinkedCodesService(
      db,
      {
        hubIssuerId: config.hubIssuerId,
        // The hub signs its calls to nodes with its trust anchor (domain-separated by the request label).
        sign: (now) => keys.current(now.getTime()).anchor.sign,
        timeoutMs: config.peerTimeoutMs,
        clockSkewSeconds: config.clockSkewSeconds,
      },
      clock,
      node?.trust ?? keys,
      registry,
      provinces,
      repositories.linkedCodes,
      holders,
      new ConsentsRepository(),
      persons,
      status,
    ),
    trustInput,
  };
  const nodeParts = node?.start({ status, codes });
  const limiter = new InFlightLimiter(config.maxInFlight);
  const demo =
    !role && config.demoData && (await persons.count(db)) === 0
      ? await loadDemoPopulation(
          {
            db,
            dataDir: config.dataDir,
            persons,
            declarations: services.declarations,
            statusEntries: services.statusEntries,
            consoleAccounts: services.consoleAccounts,
            departments,
            ingest,
            clock,
          },
          clock(),
        )
      : undefined;
  return {
    config,
    clock,
    role: role ? 'province' : 'hub',
    issuer,
    engine,
    db,
    cipher,
    registry,
    keyStore,
    keys,
    trust: node?.trust ?? keys,
    batchWriters,
    repositories,
    services,
    limiter,
    metrics: new RequestMetrics(limiter, clock()),
    nonces: new NonceMemory(),
    node: nodeParts,
    demo,
    close: async () => {
      await nodeParts?.life.stop();
      await db.destroy();
    },
  };
}
