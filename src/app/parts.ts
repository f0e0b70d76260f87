/**
 * What the composition root (compose.ts) builds: the repositories, the services (one per action) and the running
 * hub or node that holds them. Types only; the HTTP app builder and the commands receive a `Parts`.
 */
import type { AreaRiskService } from '../area-risk/area-risk.service.ts';
import type { AuthService } from '../auth/auth.service.ts';
import type { CodeService } from '../code/code.service.ts';
import type { ConsoleAccountsService } from '../console/console-accounts.service.ts';
import type { Config } from '../config/config.ts';
import type { CorrectionsService } from '../corrections/corrections.service.ts';
import type { RecordCorrectionsService } from '../corrections/record-corrections.service.ts';
import type { Db, Engine, RawDatabase } from '../db/database.ts';
import type { ReadReplica } from '../db/read-replica.ts';
import type { DeclarationService } from '../declaration/declaration.service.ts';
import type { DeclarationsRepository } from '../declaration/declarations.repository.ts';
import type { DemoCredentials } from '../demo/demo.loader.ts';
import type { EvidenceRepository } from '../evidence/evidence.repository.ts';
import type { StatusExchangeService } from '../exchange/status-exchange.service.ts';
import type { NonceMemory } from '../federation/request-signature.ts';
import type { BatchWriterFactory } from '../feeds/batch-writer.ts';
import type { DepartmentsService } from '../feeds/departments.service.ts';
import type { FeedBatchesService } from '../feeds/feed-batches.service.ts';
import type { IngestService } from '../feeds/ingest.service.ts';
import type { HealthInfoService } from '../health-info/health-info.service.ts';
import type { RequestMetrics } from '../http/metrics.ts';
import type { Admission, LoopDelayMonitor } from '../http/admission.ts';
import type { PeerHealth } from '../federation/peer-health.ts';
import type { RateLimits } from '../limits/rate-limits.ts';
import type { HolderNotificationsService } from '../notifications/holder-notifications.ts';
import type { PersonsRepository } from '../identity/persons.repository.ts';
import type { LinkedCodesRepository } from '../linked-codes/linked-codes.repository.ts';
import type { FamilyService } from '../family/family.service.ts';
import type { LookupsService } from '../lookups/lookups.service.ts';
import type { RegistrationsService } from '../registrars/registrations.service.ts';
import type { StaffService } from '../staff/staff.service.ts';
import type { AccessHistoryService } from '../access/access-history.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { LinkedCodesService } from '../linked-codes/linked-codes.service.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { EnrolmentsRepository } from '../province-api/enrolments.repository.ts';
import type { HoldersRepository } from '../province-api/holders.repository.ts';
import type { IssuerKeysRepository } from '../province-api/issuer-keys.repository.ts';
import type { IssuerKeysService } from '../province-api/issuer-keys.service.ts';
import type { HubExchange } from '../province-api/national-exchange.ts';
import type { ProvinceHoldersService } from '../province-api/province-holders.service.ts';
import type { ProvincesService } from '../province-api/provinces.service.ts';
import type { StatusDeltasService } from '../province-api/status-deltas.service.ts';
import type { TrustInputService } from '../province-api/trust-input.service.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { AcceptanceRuleSetsService } from '../recognition/acceptance-rule-sets.service.ts';
import type { RetentionService } from '../retention/retention.service.ts';
import type { StatusRuleSetsService } from '../risk/status-rule-sets.service.ts';
import type { KeyStore } from '../signing/keystore.ts';
import type { KeyringCache, TrustSource } from '../signing/trust-list.service.ts';
import type { StatusEntriesRepository } from '../status/status-entries.repository.ts';
import type { StatusEntriesService } from '../status/status-entries.service.ts';
import type { StatusSnapshotsRepository } from '../status/status-snapshots.repository.ts';
import type { StatusService } from '../status/status.service.ts';
import type { TicketsRepository } from '../tickets/tickets.repository.ts';
import type { TicketsService } from '../tickets/tickets.service.ts';
import type { Clock } from '../time/clock.ts';
import type { ProvinceRole, NodeParts } from './compose-node.ts';

export interface ComposeOptions {
  readonly clock?: Clock;
  /** PostgreSQL schema (tests isolate each run in its own). */
  readonly pgSchema?: string;
  /** Run as this province's node instead of the hub. */
  readonly province?: ProvinceRole;
  /** A worker of `yimatong serve --workers N`: without Redis, limits and nonces are kept by the cluster's primary. */
  readonly clusterWorker?: boolean;
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
  /** 我要纠错: holders' disputes, owners' decisions (docs/corrections.md). */
  readonly corrections: CorrectionsService;
  /** Telling holders what happened to their tickets (an outbox its channels deliver). */
  readonly notifications: HolderNotificationsService;
  readonly linkedCodes: LinkedCodesService;
  readonly family: FamilyService;
  readonly accessHistory: AccessHistoryService;
  /** The hash-chained audit log: recording, checking, anchoring (docs/security.md#audit-log). */
  readonly audit: AuditService;
  /** Registrars and checkpoint staff: their credentials (docs/registrars.md, docs/checkpoint-lookups.md). */
  readonly staff: StaffService;
  /** Registrars recording declarations and printing paper codes. */
  readonly registrations: RegistrationsService;
  /** Checkpoint staff looking a person up by document, and their manual checks. */
  readonly lookups: LookupsService;
  readonly trustInput: TrustInputService;
  /** Correcting feed records when an owner accepts a correction (retract, amend). */
  readonly recordCorrections: RecordCorrectionsService;
  /** The purge of what is past its window (docs/operations.md#retention). */
  readonly retention: RetentionService;
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
  /** The driver under `db` (readiness probes it; bulk paths use it). */
  readonly raw: RawDatabase;
  /** PostgreSQL: idle connections the pool lost (its server went away), and when last. */
  readonly poolErrors: { readonly count: number; readonly lastAt: number | null };
  /** The streaming replica that answers lag-tolerant reads (DATABASE_READ_URL), when there is one. */
  readonly replica: ReadReplica | undefined;
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
  /** Admits or sheds each `/api/` request by its priority class (docs/operations.md#overload). */
  readonly admission: Admission;
  /** How late the event loop runs (admission reads it; /metrics reports it). */
  readonly loop: LoopDelayMonitor;
  /** Circuit breakers of the calls to peers (nodes from the hub, the hub from a node). */
  readonly peers: PeerHealth;
  /** Rate limits on guessable checks and holders' budgets (src/limits). */
  readonly limits: RateLimits;
  readonly metrics: RequestMetrics;
  /** Nonces of signed requests seen (replay protection). */
  readonly nonces: NonceMemory;
  /** Provincial node only: its life beside the HTTP server. */
  readonly node: NodeParts | undefined;
  /** Hub only: the national status it sends the nodes (src/exchange); `yimatong serve` runs its loop. */
  readonly hubExchange: HubExchange | undefined;
  /** The status exchange of this side (hub or node). */
  readonly exchange: StatusExchangeService;
  /** The demo population's credentials, when this start loaded it (printed once by `yimatong serve`). */
  readonly demo: DemoCredentials | undefined;
  close(): Promise<void>;
}
