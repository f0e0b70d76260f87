/**
 * What a published feed batch sets off (the ingestion runs it in the transaction that marks the batch
 * processed): the exposures it brings (src/exposure), then the status snapshots of everyone it concerns dropped,
 * so the next read computes their colour from the new evidence. Idempotent, as the ingestion requires.
 */
import type { Db } from '../db/database.ts';
import type { EvidenceRepository } from '../evidence/evidence.repository.ts';
import type { ExposureService } from '../exposure/exposure.service.ts';
import type { FeedSource } from '../feeds/feed-records.domain.ts';
import type { StatusSnapshotsRepository } from './status-snapshots.repository.ts';

export class BatchEffectsService {
  constructor(
    private readonly exposure: ExposureService,
    private readonly evidence: EvidenceRepository,
    private readonly snapshots: StatusSnapshotsRepository,
  ) {}

  async afterPublish(trx: Db, source: FeedSource, batchId: string): Promise<void> {
    const { exposed } = await this.exposure.afterBatch(trx, source, batchId);
    switch (source) {
      // An area's risk level may concern anyone.
      case 'area-risk':
        return this.snapshots.invalidateAll(trx);
      case 'telecom':
        return this.snapshots.invalidateByHashes(
          trx,
          [],
          await this.evidence.telecomBatchPhones(trx, batchId),
        );
      // The holders of the events, and everyone the batch's cases exposed.
      case 'health':
        await this.snapshots.invalidateByHashes(trx, await this.evidence.healthBatchHolders(trx, batchId));
        return this.snapshots.invalidateExposedBy(trx, batchId);
      // A trip changes its traveller's status only through an exposure.
      default:
        return this.snapshots.invalidateByHashes(trx, exposed);
    }
  }
}
