/** Data that expires, put together for compose.ts: the purge and its windows (docs/operations.md#retention). */
import type { Config } from '../config/config.ts';
import type { Db, Engine } from '../db/database.ts';
import { RetentionRepository } from '../retention/retention.repository.ts';
import { RetentionService } from '../retention/retention.service.ts';

export function composeRetention(config: Config, db: Db, engine: Engine): { retention: RetentionService } {
  return { retention: new RetentionService(db, engine, new RetentionRepository(), config.retention) };
}
