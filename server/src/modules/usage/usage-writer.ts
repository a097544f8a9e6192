import type { DataSource } from 'typeorm';
import type { UnitOfWork } from '../../core/transaction';
import { rawConnection, type SqliteDatabase } from '../../lib/raw-connection';

/** Requests of one key on one UTC day. */
export type UsageRow = [apiKeyId: string, day: string, requests: number];
/** The latest use of one key. */
export type LastUse = readonly [apiKeyId: string, at: Date];

/**
 * Adds a batch of counted uses to the daily rows (upsert) and moves `lastUsedAt` forward (never
 * back), in one transaction. The one place where the two databases' upserts differ.
 */
export type UsageWriter = (rows: UsageRow[], lastUsed: LastUse[]) => Promise<void>;

const ROWS_PER_STATEMENT = 500;

export function createUsageWriter(dataSource: DataSource, uow: UnitOfWork): UsageWriter {
  const raw = rawConnection(dataSource);
  return (rows, lastUsed) => {
    // Always the same order, so two nodes flushing at once lock rows in the same order.
    const sortedRows = [...rows].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    const sortedUses = [...lastUsed].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    if (raw.dialect === 'sqlite') return uow.exclusive(() => writeSqlite(raw.db, sortedRows, sortedUses));
    return writeMysql(dataSource, sortedRows, sortedUses);
  };
}

async function writeMysql(dataSource: DataSource, rows: UsageRow[], lastUsed: LastUse[]): Promise<void> {
  await dataSource.transaction(async (manager) => {
    // The key rows first, with exclusive locks in id order. Inserting the daily rows first would take
    // shared locks on the same key rows (their foreign key) and then need to upgrade them, which
    // deadlocks with a removal that waits for an exclusive lock on one of those keys.
    // One statement per chunk of keys, joined to a derived table of (id, time) pairs.
    for (let i = 0; i < lastUsed.length; i += ROWS_PER_STATEMENT) {
      const chunk = lastUsed.slice(i, i + ROWS_PER_STATEMENT);
      const pairs = chunk.map((_, j) => (j === 0 ? 'SELECT ? AS id, ? AS at' : 'SELECT ?, ?')).join(' UNION ALL ');
      await manager.query(
        `UPDATE api_keys k JOIN (${pairs}) used ON used.id = k.id
            SET k.lastUsedAt = GREATEST(COALESCE(k.lastUsedAt, used.at), used.at)`,
        chunk.flatMap(([keyId, at]) => [keyId, at]),
      );
    }
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      await manager.query(
        `INSERT INTO api_key_usage_daily (apiKeyId, day, requests) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests)`,
        chunk.flat(),
      );
    }
  });
}

/** better-sqlite3 runs the whole transaction synchronously: nothing else can interleave on the connection. */
function writeSqlite(db: SqliteDatabase, rows: UsageRow[], lastUsed: LastUse[]): void {
  const upsert = db.prepare(
    `INSERT INTO api_key_usage_daily (apiKeyId, day, requests) VALUES (?, ?, ?)
     ON CONFLICT (apiKeyId, day) DO UPDATE SET requests = requests + excluded.requests`,
  );
  // TypeORM stores SQLite datetimes as UTC 'YYYY-MM-DD HH:MM:SS.SSS' text, which sorts as time does.
  const touch = db.prepare('UPDATE api_keys SET lastUsedAt = MAX(COALESCE(lastUsedAt, ?), ?) WHERE id = ?');
  db.transaction(() => {
    for (const row of rows) upsert.run(...row);
    for (const [keyId, at] of lastUsed) {
      const text = at.toISOString().replace('T', ' ').replace('Z', '');
      touch.run(text, text, keyId);
    }
  })();
}
