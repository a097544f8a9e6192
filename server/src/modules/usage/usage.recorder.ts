import { describeError, type Logger } from '../../lib/logger';
import { utcDay } from '../../lib/utc-day';
import type { UsageRow, UsageWriter } from './usage-writer';

interface Pending {
  /** Requests per UTC day. */
  days: Map<string, number>;
  /** Epoch ms of the latest use. */
  lastUsedAt: number;
}

/**
 * How far a key's stored `lastUsedAt` may trail its latest use on a node: a key in steady use has it
 * written once a minute, not on every flush (one row write less per key and flush). A key's first
 * use on a node, and every use at shutdown, is written at once.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Keys whose written `lastUsedAt` a node remembers (the longest unwritten forgotten first). */
export const LAST_USED_MEMORY = 50_000;

/**
 * Counts key uses in memory and writes them in batches: one transaction per flush that adds to
 * the daily rows (upsert) and moves `lastUsedAt` forward (never back), to the minute (see
 * LAST_USED_RESOLUTION_MS). The hot path only touches a Map; no row is locked per request. A failed
 * flush puts its counts back for the next one.
 */
export class UsageRecorder {
  private pending = new Map<string, Pending>();
  /** The `lastUsedAt` this node last wrote per key. */
  private readonly written = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** Flushes that failed since start; their counts were kept for the next one. */
  failedFlushes = 0;

  constructor(
    private readonly writer: UsageWriter,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly lastUsedMemory = LAST_USED_MEMORY,
  ) {}

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
    const day = utcDay(at);
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
    await this.flush(true).catch(() => undefined);
    const lost = this.pendingRequests;
    if (lost) this.logger.error({ requests: lost }, 'usage counts could not be written before shutdown');
  }

  /**
   * Writes everything pending; one flush at a time (a call during a flush waits and flushes again).
   * `exact`: every key's `lastUsedAt`, even within LAST_USED_RESOLUTION_MS of what was written.
   */
  async flush(exact = false): Promise<void> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch, exact)
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

  private async write(batch: Map<string, Pending>, exact: boolean): Promise<void> {
    const rows: UsageRow[] = [];
    for (const [keyId, entry] of batch) for (const [day, n] of entry.days) rows.push([keyId, day, n]);
    const lastUsed: Array<readonly [string, Date]> = [];
    for (const [keyId, entry] of batch) {
      const written = this.written.get(keyId);
      if (exact || written === undefined || entry.lastUsedAt - written >= LAST_USED_RESOLUTION_MS) lastUsed.push([keyId, new Date(entry.lastUsedAt)]);
    }
    await this.writer(rows, lastUsed);
    for (const [keyId, at] of lastUsed) {
      this.written.delete(keyId);
      if (this.written.size >= this.lastUsedMemory) this.written.delete(this.written.keys().next().value as string);
      this.written.set(keyId, at.getTime());
    }
  }
}
