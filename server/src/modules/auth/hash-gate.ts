import { rateLimited } from '../../core/errors';

/**
 * At most `concurrent` password hashes at once; up to `queueLimit` more wait their turn, and
 * anything beyond that is refused RATE_LIMITED at once, so a flood of sign-ins cannot take the
 * CPU (and with it every other request) for itself.
 *
 * Browsers that signed in to the account before (a valid device cookie) wait in a lane of their
 * own, as long, and are served first: a flood of strangers cannot crowd out the people who use
 * the account. A device cookie cannot be made up (it is signed), so the lane is theirs alone.
 */
export class HashGate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly known: Array<() => void> = [];

  constructor(
    private readonly concurrent: number,
    private readonly queueLimit: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length + this.known.length;
  }

  /** Refuses RATE_LIMITED when `run` would be refused right now. */
  assertRoom(knownDevice = false): void {
    const queue = knownDevice ? this.known : this.waiting;
    if (this.active >= this.concurrent && queue.length >= this.queueLimit) {
      throw rateLimited('Too many sign-ins are being checked right now. Try again in a moment.', 1);
    }
  }

  async run<T>(work: () => Promise<T>, knownDevice = false): Promise<T> {
    if (this.active >= this.concurrent) {
      this.assertRoom(knownDevice);
      await new Promise<void>((resolve) => (knownDevice ? this.known : this.waiting).push(resolve));
    } else {
      this.active++;
    }
    try {
      return await work();
    } finally {
      const next = this.known.shift() ?? this.waiting.shift();
      // The slot passes to the next in line; it is freed only when nobody waits.
      if (next) next();
      else this.active--;
    }
  }
}
