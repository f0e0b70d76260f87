/**
 * Builds the ticket workflow and the corrections on it (我要纠错, docs/corrections.md): tickets with the configured
 * deadlines, the holder's attachments (encrypted), what accepting does to each kind of record, and the holders'
 * notifications with their channels. A deployment plugs its SMS or app-push adapter into `channels` here.
 */
import type { AreaRiskService } from '../area-risk/area-risk.service.ts';
import { accessHistoryRepository } from './compose-family.ts';
import type { Config } from '../config/config.ts';
import { AttachmentsRepository } from '../corrections/attachments.ts';
import { CorrectionEffects } from '../corrections/corrections.effects.ts';
import { CorrectionsService } from '../corrections/corrections.service.ts';
import { RecordCorrectionsRepository } from '../corrections/record-corrections.repository.ts';
import type { RecordCorrectionsService } from '../corrections/record-corrections.service.ts';
import type { Db } from '../db/database.ts';
import type { FeedBatchesRepository } from '../feeds/feed-batches.repository.ts';
import {
  HolderNotificationsRepository,
  HolderNotificationsService,
  LogChannel,
} from '../notifications/holder-notifications.ts';
import type { FieldCipher } from '../privacy/field-cipher.ts';
import type { ProvinceRegistry } from '../provinces/province-registry.ts';
import type { StatusEntriesService } from '../status/status-entries.service.ts';
import type { StatusService } from '../status/status.service.ts';
import { TicketsService } from '../tickets/tickets.service.ts';
import type { Repositories } from './parts.ts';

const HOUR_MS = 3_600_000;

export function composeCorrections(p: {
  readonly config: Config;
  readonly db: Db;
  readonly cipher: FieldCipher;
  readonly registry: ProvinceRegistry;
  readonly repositories: Repositories;
  readonly status: StatusService;
  readonly feedBatches: FeedBatchesRepository;
  readonly recordCorrections: RecordCorrectionsService;
  readonly statusEntries: StatusEntriesService;
  readonly areaRisk: AreaRiskService;
}): { tickets: TicketsService; corrections: CorrectionsService; notifications: HolderNotificationsService } {
  const { config, db, repositories: r } = p;
  const outbox = new HolderNotificationsRepository();
  const tickets = new TicketsService(db, r.tickets, p.registry, outbox, {
    answerMs: config.correctionAnswerHours * HOUR_MS,
    decisionMs: config.correctionDecisionHours * HOUR_MS,
    closeAfterMs: config.correctionCloseDays * 24 * HOUR_MS,
  });
  const codes = new RecordCorrectionsRepository();
  const skewMs = config.clockSkewSeconds * 1000;
  const effects = new CorrectionEffects(
    db,
    p.recordCorrections,
    p.statusEntries,
    p.areaRisk,
    r.holders,
    r.persons,
    r.snapshots,
    (trx, personIds, now) => codes.withdrawCodes(trx, personIds, now.getTime() - skewMs, now.getTime()),
  );
  const corrections = new CorrectionsService(
    db,
    tickets,
    new AttachmentsRepository(p.cipher),
    p.status,
    r.evidence,
    r.persons,
    p.feedBatches,
    effects,
    accessHistoryRepository(),
  );
  // The shipped channel writes to the hub's log (docs/corrections.md#notifications); SMS or push go beside it.
  const notifications = new HolderNotificationsService(db, outbox, (log) => [new LogChannel(log)]);
  return { tickets, corrections, notifications };
}
