import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../../core/transaction';
import { rawConnection, type SqliteDatabase } from '../../lib/raw-connection';

/** Requests of one key on one UTC day, and the latest of them. */
export type UsageRow = [apiKeyId: string, day: string, requests: number, lastUsedAt: Date];

/**
 * Adds a batch of counted uses to the daily rows (upsert), moving each row's `lastUsedAt` forward
 * (never back), in one transaction. The one place where the two databases' upserts differ.
 */
export type UsageWriter = (rows: UsageRow[]) => Promise<void>;

const ROWS_PER_STATEMENT = 500;

export function createUsageWriter(dataSource: DataSource, uow: UnitOfWork): UsageWriter {
  const raw = rawConnection(dataSource);
  return (rows) => {
    // Always the same order, so two nodes flushing at once lock rows in the same order.
    const sorted = [...rows].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    if (raw.dialect === 'sqlite') return uow.exclusive(() => writeSqlite(raw.db, sorted));
    return writeMysql(dataSource, sorted);
  };
}

async function writeMysql(dataSource: DataSource, rows: UsageRow[]): Promise<void> {
  // The daily rows only: the key rows are read (their foreign key), never written, so a flush takes
  // no lock that a removal of the same key waits for in the other order.
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      await manager.query(
        `INSERT INTO api_key_usage_daily (apiKeyId, day, requests, lastUsedAt) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests),
           lastUsedAt = GREATEST(COALESCE(lastUsedAt, VALUES(lastUsedAt)), VALUES(lastUsedAt))`,
        chunk.flat(),
      );
    }
  });
}

/** better-sqlite3 runs the whole transaction synchronously: nothing else can interleave on the connection. */
function writeSqlite(db: SqliteDatabase, rows: UsageRow[]): void {
  // TypeORM stores SQLite datetimes as UTC 'YYYY-MM-DD HH:MM:SS.SSS' text, which sorts as time does.
  const upsert = db.prepare(
    `INSERT INTO api_key_usage_daily (apiKeyId, day, requests, lastUsedAt) VALUES (?, ?, ?, ?)
     ON CONFLICT (apiKeyId, day) DO UPDATE SET requests = requests + excluded.requests,
       lastUsedAt = MAX(COALESCE(lastUsedAt, excluded.lastUsedAt), excluded.lastUsedAt)`,
  );
  db.transaction(() => {
    for (const [keyId, day, requests, at] of rows) upsert.run(keyId, day, requests, at.toISOString().replace('T', ' ').replace('Z', ''));
  })();
}
