import type { DataSource } from 'typeorm';
import { describeError } from '../../graphql/errors';
import type { Logger } from '../../lib/logger';
import { utcDay } from './usage.loader';

interface Pending {
  /** Requests per UTC day. */
  days: Map<string, number>;
  /** Epoch ms of the latest use. */
  lastUsedAt: number;
}

interface SqliteDatabase {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction<T extends (...args: never[]) => unknown>(fn: T): T;
}

const ROWS_PER_STATEMENT = 500;

/**
 * Counts key uses in memory and writes them in batches: one transaction per flush that adds to
 * the daily rows (upsert) and moves `lastUsedAt` forward (never back). The hot path only touches
 * a Map; no row is locked per request. A failed flush puts its counts back for the next one.
 */
export class UsageRecorder {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** Flushes that failed since start; their counts were kept for the next one. */
  failedFlushes = 0;
  private readonly dialect: 'mysql' | 'sqlite';

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {
    const type = dataSource.options.type;
    this.dialect = type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
  }

  /** Uses counted but not yet written. */
  get pendingRequests(): number {
    let total = 0;
    for (const entry of this.pending.values()) for (const n of entry.days.values()) total += n;
    return total;
  }

  record(apiKeyId: string, at: number = Date.now()): void {
    let entry = this.pending.get(apiKeyId);
    if (!entry) {
      entry = { days: new Map(), lastUsedAt: at };
      this.pending.set(apiKeyId, entry);
    }
    const day = utcDay(new Date(at));
    entry.days.set(day, (entry.days.get(day) ?? 0) + 1);
    if (at > entry.lastUsedAt) entry.lastUsedAt = at;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is pending (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
    const lost = this.pendingRequests;
    if (lost) this.logger.error({ requests: lost }, 'usage counts could not be written before shutdown');
  }

  /** Writes everything pending; one flush at a time (a call during a flush waits and flushes again). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch)
      .catch((error: unknown) => {
        this.restore(batch);
        this.failedFlushes++;
        this.logger.warn({ ...describeError(error), keys: batch.size }, 'usage flush failed; will retry');
        throw error;
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private restore(batch: Map<string, Pending>): void {
    for (const [keyId, old] of batch) {
      const current = this.pending.get(keyId);
      if (!current) {
        this.pending.set(keyId, old);
        continue;
      }
      for (const [day, n] of old.days) current.days.set(day, (current.days.get(day) ?? 0) + n);
      current.lastUsedAt = Math.max(current.lastUsedAt, old.lastUsedAt);
    }
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    const rows: Array<[string, string, number]> = [];
    for (const [keyId, entry] of batch) for (const [day, n] of entry.days) rows.push([keyId, day, n]);
    const lastUsed = [...batch].map(([keyId, entry]) => [keyId, new Date(entry.lastUsedAt)] as const);
    // Always the same order, so two nodes flushing at once lock rows in the same order.
    rows.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    lastUsed.sort((a, b) => (a[0] < b[0] ? -1 : 1));

    if (this.dialect === 'sqlite') {
      this.writeSqlite(rows, lastUsed);
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        await manager.query(
          `INSERT INTO api_key_usage_daily (apiKeyId, day, requests) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}
           ON DUPLICATE KEY UPDATE requests = requests + VALUES(requests)`,
          chunk.flat(),
        );
      }
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
    });
  }

  /** better-sqlite3 runs the whole transaction synchronously: nothing else can interleave on the connection. */
  private writeSqlite(rows: Array<[string, string, number]>, lastUsed: ReadonlyArray<readonly [string, Date]>): void {
    const db = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
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
}
