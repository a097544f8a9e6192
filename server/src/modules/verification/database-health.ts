import { isDatabaseUnavailable } from '../../lib/database-errors';
import { describeError, type Logger } from '../../lib/logger';
import type { KeyLookup } from './key-lookup';

/** A key hash no key has: what the probe looks up. */
const PROBE_HASH = '0'.repeat(64);

/**
 * Whether the database answers the hot path, as seen by its look-ups and by a probe (one
 * look-up of a hash no key has, every `probeIntervalMs`) that notices an outage even when every
 * check is served from the cache. The first failure marks the database failing; the first
 * answer after that marks it back and runs `onRecovered` (the cache is then cleared, since a
 * change may have committed without its invalidation reaching this node).
 */
export class DatabaseHealth {
  private failingSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  /** Outages seen since start, and the longest one in milliseconds. */
  outages = 0;
  longestOutageMs = 0;

  constructor(
    private readonly logger: Logger,
    private readonly onRecovered: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** The same look-up, reporting each outcome here. Errors other than "unavailable" say nothing. */
  watch(lookup: KeyLookup): KeyLookup {
    return (keyHash) => {
      const startedAt = this.now();
      return lookup(keyHash).then(
        (facts) => {
          this.up(startedAt);
          return facts;
        },
        (error: unknown) => {
          if (isDatabaseUnavailable(error)) this.down(error);
          throw error;
        },
      );
    };
  }

  /** Probes with `lookup` (a watched one) every `intervalMs`, one probe at a time. */
  start(lookup: KeyLookup, intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.probing) return;
      this.probing = true;
      lookup(PROBE_HASH)
        .catch(() => undefined)
        .finally(() => {
          this.probing = false;
        });
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private down(error: unknown): void {
    if (this.failingSince !== undefined) return;
    this.failingSince = this.now();
    this.outages++;
    this.logger.error(describeError(error), 'the database does not answer key look-ups');
  }

  /** An answer to a look-up sent before the failure was seen proves nothing about now. */
  private up(startedAt: number): void {
    if (this.failingSince === undefined || startedAt < this.failingSince) return;
    const lasted = this.now() - this.failingSince;
    this.failingSince = undefined;
    this.longestOutageMs = Math.max(this.longestOutageMs, lasted);
    this.logger.warn({ outageMs: lasted }, 'the database answers key look-ups again; the verification cache was cleared');
    this.onRecovered();
  }
}
