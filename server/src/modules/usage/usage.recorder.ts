import { describeError, type Logger } from '../../lib/logger';
import { utcDay } from '../../lib/utc-day';
import type { UsageRow, UsageWriter } from './usage-writer';

/** Requests of one key on one UTC day, and the latest of them (epoch ms). */
interface DayCount {
  requests: number;
  lastUsedAt: number;
}

/**
 * Counts key uses in memory and writes them in batches: one transaction per flush that adds to
 * the daily rows (upsert), each row carrying the latest use of its day (moved forward, never back).
 * A key's `lastUsedAt` is read from its newest daily row, so a use costs no write to the key's own
 * row. The hot path only touches a Map; no row is locked per request. A failed flush puts its
 * counts back for the next one.
 */
export class UsageRecorder {
  /** Per key, per UTC day. */
  private pending = new Map<string, Map<string, DayCount>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** Flushes that failed since start; their counts were kept for the next one. */
  failedFlushes = 0;

  constructor(
    private readonly writer: UsageWriter,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  /** Uses counted but not yet written. */
  get pendingRequests(): number {
    let total = 0;
    for (const days of this.pending.values()) for (const count of days.values()) total += count.requests;
    return total;
  }

  record(apiKeyId: string, at: number = Date.now()): void {
    let days = this.pending.get(apiKeyId);
    if (!days) {
      days = new Map();
      this.pending.set(apiKeyId, days);
    }
    const day = utcDay(at);
    const count = days.get(day);
    if (!count) days.set(day, { requests: 1, lastUsedAt: at });
    else {
      count.requests += 1;
      if (at > count.lastUsedAt) count.lastUsedAt = at;
    }
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

  private restore(batch: Map<string, Map<string, DayCount>>): void {
    for (const [keyId, oldDays] of batch) {
      const days = this.pending.get(keyId);
      if (!days) {
        this.pending.set(keyId, oldDays);
        continue;
      }
      for (const [day, old] of oldDays) {
        const count = days.get(day);
        if (!count) days.set(day, old);
        else {
          count.requests += old.requests;
          count.lastUsedAt = Math.max(count.lastUsedAt, old.lastUsedAt);
        }
      }
    }
  }

  private async write(batch: Map<string, Map<string, DayCount>>): Promise<void> {
    const rows: UsageRow[] = [];
    for (const [keyId, days] of batch) for (const [day, count] of days) rows.push([keyId, day, count.requests, new Date(count.lastUsedAt)]);
    await this.writer(rows);
  }
}
