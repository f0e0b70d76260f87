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
import { RecordCorrectionsRepository } from '../corrections/record-corrections.repository.ts';
import { RecordCorrectionsService } from '../corrections/record-corrections.service.ts';
import { DeclarationService } from '../declaration/declaration.service.ts';
import { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import { loadDemoPopulation } from '../demo/demo.loader.ts';
import { EvidenceRepository } from '../evidence/evidence.repository.ts';
import { DEFAULT_EXPOSURE } from '../exposure/exposure.domain.ts';
import { ExposureService } from '../exposure/exposure.service.ts';
import { ExposuresRepository } from '../exposure/exposures.repository.ts';
import { StatusExchangeRepository } from '../exchange/status-exchange.repository.ts';
import { StatusExchangeService } from '../exchange/status-exchange.service.ts';
import { NonceMemory } from '../federation/request-signature.ts';
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
import { startAdmission } from '../http/admission.ts';
import { RegistryIdentityProvider, type IdentityProvider } from '../identity/identity-provider.ts';
import { PersonsRepository } from '../identity/persons.repository.ts';
import { accessHistoryRepository, composeFamily } from './compose-family.ts';
import { LinkedCodesRepository } from '../linked-codes/linked-codes.repository.ts';
import { LinkedCodesService } from '../linked-codes/linked-codes.service.ts';
import { FieldCipher, loadDataKeys } from '../privacy/field-cipher.ts';
import { ConsentsRepository } from '../province-api/consents.repository.ts';
import { EnrolmentsRepository } from '../province-api/enrolments.repository.ts';
import { HoldersRepository } from '../province-api/holders.repository.ts';
import { IssuerKeysRepository } from '../province-api/issuer-keys.repository.ts';
import { IssuerKeysService } from '../province-api/issuer-keys.service.ts';
import { HubExchange, hubExchangeSide } from '../province-api/national-exchange.ts';
import { ProvinceHoldersService } from '../province-api/province-holders.service.ts';
import { SignInChallengesRepository } from '../province-api/sign-in-challenges.repository.ts';
import { ProvincesService } from '../province-api/provinces.service.ts';
import { StatusDeltasService } from '../province-api/status-deltas.service.ts';
import { TrustInputService } from '../province-api/trust-input.service.ts';
import { NationalStatusRepository } from '../province-node/national-status.repository.ts';
import { NationalStatusService } from '../province-node/national-status.service.ts';
import { nodeExchangeSide } from '../province-node/node-exchange.ts';
import { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { SeedDeps } from '../seed/seed.loader.ts';
import { smsGatewayFor } from '../sms/sms-gateway.ts';
import { SHIPPED_ACCEPTANCE_RULE_DOCS } from '../recognition/acceptance.registry.ts';
import { AcceptanceRuleSetsRepository } from '../recognition/acceptance-rule-sets.repository.ts';
import { AcceptanceRuleSetsService } from '../recognition/acceptance-rule-sets.service.ts';
import { StatusRuleSetsRepository } from '../risk/status-rule-sets.repository.ts';
import { StatusRuleSetsService } from '../risk/status-rule-sets.service.ts';
import { ClusterOnce, MemoryOnce, RedisOnce } from '../limits/once.ts';
import { RateLimits, redisClient } from '../limits/rate-limits.ts';
import { keyStoreFor } from '../signing/keystore.ts';
import { TrustListRevisionRepository } from '../signing/trust-list-revision.repository.ts';
import { activeKeySigning } from '../signing/code-signing.ts';
import { hubTrustListOptions, KeyringCache } from '../signing/trust-list.service.ts';
import { BatchEffectsService } from '../status/batch-effects.service.ts';
import { CaseStatusService } from '../status/case-status.service.ts';
import { StatusEntriesRepository } from '../status/status-entries.repository.ts';
import { StatusEntriesService } from '../status/status-entries.service.ts';
import { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import { StatusService } from '../status/status.service.ts';
import { TicketsRepository } from '../tickets/tickets.repository.ts';
import { systemClock } from '../time/clock.ts';
import { composeCorrections } from './compose-corrections.ts';
import { composeRetention } from './compose-retention.ts';
import { openDatabases } from './compose-database.ts';
import type { Db } from '../db/database.ts';
import { composeNode, hubCallerOf } from './compose-node.ts';
import { PeerHealth } from '../federation/peer-health.ts';

export type { ProvinceRole } from './compose-node.ts';
import type { ComposeOptions, Parts, Repositories, Services } from './parts.ts';
export type { ComposeOptions, Parts, Repositories, Services } from './parts.ts';

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
  const keyStore = keyStoreFor(config, role ? 'province' : 'hub');
  const { db, engine, raw, poolErrors, reads, replica } = await openDatabases(config, options.pgSchema);

  // Hub and nodes exchange their holders' status (src/exchange): a node every holder, the hub those a province holds.
  const exchangeRepo = new StatusExchangeRepository(role ? 'all' : 'province-holders');
  const repositories: Repositories = {
    persons: new PersonsRepository(cipher),
    declarations: new DeclarationsRepository(cipher),
    statusEntries: new StatusEntriesRepository(),
    snapshots: new StatusSnapshotsRepository(exchangeRepo),
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

  const peers = new PeerHealth(); // Circuit breakers, one per peer (src/federation/peer-health.ts).
  const history = accessHistoryRepository();
  const node = role
    ? composeNode({ config, clock, db, keyStore, registry, persons, role, peers })
    : undefined;
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
  const nationalRepo = new NationalStatusRepository();
  const national = new NationalStatusService(db, persons, nationalRepo, snapshots);
  const identities: IdentityProvider =
    node?.identities(national) ??
    new RegistryIdentityProvider(db, persons, clock, (d, n, since, until) =>
      repositories.evidence.arrivedWithName(db, d, n, since, until),
    );
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
    // The hub counts a province's pushed yellow or red in the national status; a node, the hub's national status.
    node ? nationalRepo : holders,
    reads,
  );
  // Case status from the findings' records; on a node, also the hub's answer sent with the national status.
  const casesOn = (on: Db) =>
    new CaseStatusService(
      on,
      persons,
      evidence,
      statusEntries,
      node ? (id) => nationalRepo.caseStatus(on, id) : undefined,
    );
  const cases = casesOn(db);
  const reviewAfterMs = config.statusSnapshotTtlSeconds * 1000;
  const exchange = new StatusExchangeService(
    db,
    exchangeRepo,
    node
      ? nodeExchangeSide(status, reviewAfterMs)
      : hubExchangeSide(db, persons, holders, status, cases, reviewAfterMs),
  );
  // The co-travel window is the baseline's: one parameter governs who is flagged and how long it counts.
  const exposureParameters = { ...DEFAULT_EXPOSURE, windowDays: status.windowDays() };
  const exposuresRepo = new ExposuresRepository(exposureParameters);
  const exposure = new ExposureService(exposuresRepo, exposureParameters, clock);
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
  const hubCaller = hubCallerOf(config, keys, peers);
  const provinces = new ProvincesService(
    db,
    registry,
    enrolments,
    repositories.issuerKeys,
    holders,
    revision,
    hubCaller.nodeUrls,
  );
  const statusEntriesService = new StatusEntriesService(db, statusEntries, persons, snapshots);
  const areaRisk = new AreaRiskService(db, new AreaRiskRepository(), ingest, snapshots);
  const recordCorrections = new RecordCorrectionsService(
    db,
    new RecordCorrectionsRepository(),
    exposuresRepo,
    snapshots,
    ingest,
    cipher,
    config.clockSkewSeconds,
  );
  const workflow = composeCorrections({
    config,
    db,
    cipher,
    registry,
    repositories,
    status,
    feedBatches: feedBatchesRepo,
    recordCorrections,
    statusEntries: statusEntriesService,
    areaRisk,
  });
  // The declaration forms: the holder's own, a proxy's and a registrar's.
  const forms = new DeclarationService(db, repositories.declarations, persons, snapshots);
  const throughOthers = { identities, persons, snapshots, cipher, codes, status, keys, issuer, history };
  const services: Services = {
    auth: new AuthService(db, identities, new SessionsRepository(), config.sessionTtlSeconds),
    declarations: forms,
    status,
    statusRuleSets,
    codes,
    statusEntries: statusEntriesService,
    // What the holder's health pages read may lag by READ_MAX_LAG_MS (a replica's), the status snapshot included.
    healthInfo: new HealthInfoService(
      reads,
      status,
      evidence,
      persons,
      declarations,
      reads === db ? cases : casesOn(reads),
    ),
    ingest,
    feedBatches,
    departments,
    consoleAccounts: new ConsoleAccountsService(db, new ConsoleAccountsRepository(), departments),
    areaRisk,
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
      new SignInChallengesRepository(),
      smsGatewayFor(config),
      cipher,
      registry,
      exchange,
      history,
    ),
    ...workflow,
    linkedCodes: new LinkedCodesService(
      db,
      { ...hubCaller, clockSkewSeconds: config.clockSkewSeconds },
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
    recordCorrections,
    ...composeFamily(config, db, { ...throughOthers, declarations: forms }),
    ...composeRetention(config, db, engine),
  };
  const nodeParts = node?.start({
    status,
    codes,
    exchange,
    national,
  });
  const hubExchange = node
    ? undefined
    : new HubExchange(db, exchange, persons, provinces, hubCaller, clock, config.statusPushSeconds * 1000);
  // Admission control with priorities: in-flight budgets and the event loop's lateness (src/http/admission.ts).
  const { admission, loop } = startAdmission(config);
  // Rate limits and nonces shared through Redis when configured (docs/operations.md#rate-limits), else through the
  // primary of `serve --workers`, else in this process's memory.
  const redis =
    config.redisUrl === undefined ? undefined : await redisClient(config.redisUrl, () => undefined);
  const clusterWorker = options.clusterWorker === true;
  const limits = new RateLimits((s) => cipher.index('rate-limit', s), redis, clusterWorker);
  const once = redis ? new RedisOnce(redis) : clusterWorker ? new ClusterOnce() : new MemoryOnce();
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
    raw,
    poolErrors,
    replica,
    cipher,
    registry,
    keyStore,
    keys,
    trust: node?.trust ?? keys,
    batchWriters,
    repositories,
    services,
    admission,
    loop,
    peers,
    limits,
    metrics: new RequestMetrics(admission, clock()),
    nonces: new NonceMemory(once),
    node: nodeParts,
    hubExchange,
    exchange,
    demo,
    close: async () => {
      await nodeParts?.life.stop();
      await hubExchange?.stop();
      await limits.close();
      loop.stop();
      await replica?.close();
      await hubCaller.connections.close();
      await db.destroy();
    },
  };
}
