export interface FailureLimitSettings {
  /** Failures an address may have in one window; at this many it is refused until the window ends. */
  limit: number;
  windowSeconds: number;
  /** Addresses remembered at once; beyond this the oldest window is forgotten. */
  maxAddresses: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Failures per client address in fixed windows, in this node's memory: two Map operations per
 * check, bounded size, no timers. A limit for guessers, not for accounting: each node counts on
 * its own, so a client spread over N nodes gets N budgets.
 */
export class FailureLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;

  constructor(
    private readonly settings: FailureLimitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = settings.windowSeconds * 1000;
  }

  get size(): number {
    return this.windows.size;
  }

  /** Seconds until `address` may be answered again (at least 1), or 0 while it is under its limit. */
  blockedFor(address: string): number {
    const window = this.windows.get(address);
    if (!window || window.failures < this.settings.limit) return 0;
    const left = window.startedAt + this.windowMs - this.now();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return Math.max(1, Math.ceil(left / 1000));
  }

  /** Counts one failure of `address`. */
  fail(address: string): void {
    const now = this.now();
    const window = this.windows.get(address);
    if (window && now - window.startedAt < this.windowMs) {
      window.failures++;
      return;
    }
    // A new window goes to the end of the Map's order, so the first entry is the oldest.
    if (window) this.windows.delete(address);
    else if (this.windows.size >= this.settings.maxAddresses) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
    this.windows.set(address, { startedAt: now, failures: 1 });
  }
}
