import { rateLimited } from '../../core/errors';

/**
 * At most `concurrent` password hashes at once; up to `queueLimit` more wait their turn, and
 * anything beyond that is refused RATE_LIMITED at once, so a flood of sign-ins cannot take the
 * CPU (and with it every other request) for itself.
 */
export class HashGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrent: number,
    private readonly queueLimit: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Refuses RATE_LIMITED when `run` would be refused right now. */
  assertRoom(): void {
    if (this.active >= this.concurrent && this.waiting.length >= this.queueLimit) {
      throw rateLimited('Too many sign-ins are being checked right now. Try again in a moment.', 1);
    }
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrent) {
      this.assertRoom();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes to the next in line; it is freed only when nobody waits.
      if (next) next();
      else this.active--;
    }
  }
}
