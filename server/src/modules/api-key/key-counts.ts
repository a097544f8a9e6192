import { In, type DataSource, type EntityManager } from 'typeorm';
import type { InTransactionHandler } from '../../core/transaction';
import { dialectOf } from '../../lib/raw-connection';
import { SpaceKeyCount } from './space-key-count.entity';

/**
 * Maintained key counts (space_key_counts): one row per space, changed by +1 / -1 in the
 * transaction that creates or removes a key. Only these two change which keys are live; deleting
 * a space changes no count, because lists show only spaces that are not deleted.
 */
export async function changeLiveKeys(manager: EntityManager, key: { spaceId: string; organizationId: string }, delta: 1 | -1): Promise<void> {
  const sql =
    dialectOf(manager.connection) === 'sqlite'
      ? 'INSERT INTO space_key_counts (spaceId, organizationId, liveKeys) VALUES (?, ?, ?) ON CONFLICT (spaceId) DO UPDATE SET liveKeys = liveKeys + excluded.liveKeys'
      : 'INSERT INTO space_key_counts (spaceId, organizationId, liveKeys) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE liveKeys = liveKeys + VALUES(liveKeys)';
  await manager.query(sql, [key.spaceId, key.organizationId, delta]);
}

/** Keeps the counts with every `apiKey.created`, `apiKey.removed` and `apiKey.leakRevoked`, inside their transaction. */
export const keyCountHandler: InTransactionHandler = async ({ event }, manager) => {
  if (event.type === 'apiKey.created') await changeLiveKeys(manager, event.key, 1);
  else if (event.type === 'apiKey.removed' || event.type === 'apiKey.leakRevoked') await changeLiveKeys(manager, event.key, -1);
};

/** Live keys in these spaces: a primary-key read of one row per space. */
export async function liveKeysIn(dataSource: DataSource, spaceIds: string[]): Promise<number> {
  if (spaceIds.length === 0) return 0;
  const row = await dataSource
    .getRepository(SpaceKeyCount)
    .createQueryBuilder('c')
    .select('COALESCE(SUM(c.liveKeys), 0)', 'n')
    .where({ spaceId: In(spaceIds) })
    .getRawOne<{ n: number | string }>();
  return Number(row?.n ?? 0);
}

/** Recounts every space from the keys themselves: the migration's backfill, and after bulk loads. */
export const RECOUNT_SQL = [
  'DELETE FROM space_key_counts',
  'INSERT INTO space_key_counts (spaceId, organizationId, liveKeys) SELECT spaceId, organizationId, COUNT(*) FROM api_keys WHERE removedAt IS NULL GROUP BY spaceId, organizationId',
];

export async function recountLiveKeys(manager: EntityManager): Promise<void> {
  for (const sql of RECOUNT_SQL) await manager.query(sql);
}
