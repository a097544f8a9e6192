import { In, LessThan, type DataSource } from 'typeorm';
import type { UnitOfWork } from '../../core/transaction';
import { RetiredKeySecret } from './retired-key-secret.entity';

/** Rows deleted per statement. */
export const RETIRED_SWEEP_BATCH = 1000;
/** Delete statements per rule per sweep: a sweep is bounded work; the next one goes on. */
export const RETIRED_SWEEP_MAX_BATCHES = 20;
/** Retired secrets kept per key, newest first, however recent the others are. */
export const RETIRED_SECRETS_PER_KEY = 20;

export interface RetiredSecretSweepOptions {
  /** Keep retired secrets this many days after they were retired; 0 keeps them regardless of age. */
  retentionDays: number;
  perKey?: number;
  batchSize?: number;
  maxBatches?: number;
  now?: Date;
}

/**
 * Deletes retired secrets (api_key_retired_secrets) past their retention: those retired more than
 * `retentionDays` ago, oldest first, and those beyond the newest `perKey` of each key. Each delete
 * removes at most `batchSize` rows, and each rule runs at most `maxBatches` of them per sweep.
 * A deleted secret answers NOT_FOUND, like a key that never existed. Returns the rows deleted.
 */
export async function sweepRetiredSecrets(dataSource: DataSource, uow: UnitOfWork, options: RetiredSecretSweepOptions): Promise<number> {
  const limits = {
    perKey: options.perKey ?? RETIRED_SECRETS_PER_KEY,
    batchSize: options.batchSize ?? RETIRED_SWEEP_BATCH,
    maxBatches: options.maxBatches ?? RETIRED_SWEEP_MAX_BATCHES,
  };
  const now = options.now ?? new Date();
  let deleted = 0;
  if (options.retentionDays > 0) {
    const cutoff = new Date(now.getTime() - options.retentionDays * 86_400_000);
    deleted += await deleteAged(dataSource, uow, cutoff, limits);
  }
  deleted += await deleteBeyondCap(dataSource, uow, limits);
  return deleted;
}

interface Limits {
  perKey: number;
  batchSize: number;
  maxBatches: number;
}

/** Rows retired before `cutoff`, oldest first (by IDX_api_key_retired_secrets_retired). */
async function deleteAged(dataSource: DataSource, uow: UnitOfWork, cutoff: Date, limits: Limits): Promise<number> {
  const repo = dataSource.getRepository(RetiredKeySecret);
  let deleted = 0;
  for (let batch = 0; batch < limits.maxBatches; batch++) {
    const n = await deleteBatch(dataSource, uow, () =>
      repo.find({ select: { keyHash: true }, where: { retiredAt: LessThan(cutoff) }, order: { retiredAt: 'ASC' }, take: limits.batchSize }),
    );
    deleted += n;
    if (n < limits.batchSize) break;
  }
  return deleted;
}

/**
 * Rows of keys that have more than `perKey`, all but each key's newest `perKey`. Finding those keys
 * reads the (apiKeyId, retiredAt) index once per sweep; after the age rule it is a bounded table.
 */
async function deleteBeyondCap(dataSource: DataSource, uow: UnitOfWork, limits: Limits): Promise<number> {
  const repo = dataSource.getRepository(RetiredKeySecret);
  const crowded = await repo
    .createQueryBuilder('r')
    .select('r.apiKeyId', 'apiKeyId')
    .groupBy('r.apiKeyId')
    .having('COUNT(*) > :perKey', { perKey: limits.perKey })
    .limit(limits.maxBatches)
    .getRawMany<{ apiKeyId: string }>();
  let deleted = 0;
  let batches = 0;
  for (const { apiKeyId } of crowded) {
    while (batches < limits.maxBatches) {
      batches++;
      // Ties on retiredAt are broken by the hash, so which rows stay does not depend on the plan.
      const n = await deleteBatch(dataSource, uow, () =>
        repo.find({
          select: { keyHash: true },
          where: { apiKeyId },
          order: { retiredAt: 'DESC', keyHash: 'DESC' },
          skip: limits.perKey,
          take: limits.batchSize,
        }),
      );
      deleted += n;
      if (n < limits.batchSize) break;
    }
  }
  return deleted;
}

/** Deletes the rows `pick` chooses, in one statement; on SQLite in turn with the other writers. */
function deleteBatch(dataSource: DataSource, uow: UnitOfWork, pick: () => Promise<Array<Pick<RetiredKeySecret, 'keyHash'>>>): Promise<number> {
  return uow.exclusive(async () => {
    const rows = await pick();
    if (rows.length === 0) return 0;
    await dataSource.getRepository(RetiredKeySecret).delete({ keyHash: In(rows.map((r) => r.keyHash)) });
    return rows.length;
  });
}
