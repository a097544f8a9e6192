import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../../core/transaction';
import { rawConnection } from '../../lib/raw-connection';

/** Rows deleted per statement, and statements per table per sweep: a sweep is bounded work. */
export const SWEEP_BATCH = 1000;
export const SWEEP_MAX_BATCHES = 20;

/** The daily analytics tables the retention period applies to. */
const TABLES = ['api_key_spend_daily', 'api_key_verification_daily'] as const;

/**
 * Deletes daily spend and verification rows of UTC days before `retentionDays` ago, oldest first,
 * in batches of SWEEP_BATCH (by the day index), at most SWEEP_MAX_BATCHES per table; the next sweep
 * goes on where this one stopped. 0 days keeps everything. Returns the rows deleted.
 */
export async function sweepSpendRows(dataSource: DataSource, uow: UnitOfWork, retentionDays: number, now = new Date()): Promise<number> {
  if (retentionDays <= 0) return 0;
  // The oldest day kept: today counts as one of the retentionDays.
  const oldestKept = new Date(now.getTime() - (retentionDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const raw = rawConnection(dataSource);
  let deleted = 0;
  for (const table of TABLES) {
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      let n: number;
      if (raw.dialect === 'sqlite') {
        const db = raw.db;
        n = await uow.exclusive(async () => {
          const result = db
            .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE day < ? ORDER BY day LIMIT ${SWEEP_BATCH})`)
            .run(oldestKept) as { changes: number };
          return result.changes;
        });
      } else {
        const result = (await dataSource.query(`DELETE FROM ${table} WHERE day < ? ORDER BY day LIMIT ${SWEEP_BATCH}`, [oldestKept])) as { affectedRows: number };
        n = result.affectedRows;
      }
      deleted += n;
      if (n < SWEEP_BATCH) break;
    }
  }
  return deleted;
}
