import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SignInSettings } from '../../config';
import { rateLimited } from '../../core/errors';

/** Which budgets one attempt draws from. */
export type AttemptKeys = { device: string } | { account: string; address: string };

/** Budgets an attempt took a point from; given back when it succeeds or was never tried. */
export interface Attempt {
  taken: Array<{ limiter: RateLimiterAbstract; key: string }>;
}

const PAUSED = 'Too many failed sign-in attempts. Try again later.';

/**
 * Failed sign-ins per account (clients without its device cookie, from any address), per client
 * address (any account), and per device cookie. An attempt takes its point *before* its password
 * is checked, in one atomic step per budget (a synchronous update in memory, one Redis command
 * with Redis), so parallel requests cannot exceed a budget; a successful attempt gives it back.
 * Keys are fixed-size (a keyed hash of the email, an address or /64, a device nonce), so what is
 * kept is bounded by the attempts that pass the per-address budget in one window.
 * With Redis every node draws from the same budgets; while Redis cannot answer, each node
 * falls back to its own budgets of the same size.
 */
export class SignInLimiter {
  private readonly account: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;
  private readonly device: RateLimiterAbstract;

  constructor(settings: SignInSettings, redis?: { client: Redis; prefix: string }) {
    const make = (name: string, points: number): RateLimiterAbstract => {
      const base = { points, duration: settings.windowSeconds, keyPrefix: `${redis?.prefix ?? ''}signin:${name}` };
      const memory = new RateLimiterMemory(base);
      return redis
        ? new RateLimiterRedis({ ...base, storeClient: redis.client, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory;
    };
    this.account = make('account', settings.failuresPerAccount);
    this.address = make('address', settings.failuresPerAddress);
    this.device = make('device', settings.failuresPerDevice);
  }

  /** Takes one point from each budget of the attempt, or refuses RATE_LIMITED having taken none. */
  async begin(keys: AttemptKeys): Promise<Attempt> {
    const wanted =
      'device' in keys
        ? [{ limiter: this.device, key: keys.device }]
        : [
            { limiter: this.account, key: keys.account },
            { limiter: this.address, key: keys.address },
          ];
    const attempt: Attempt = { taken: [] };
    for (const budget of wanted) {
      try {
        await budget.limiter.consume(budget.key);
        attempt.taken.push(budget);
      } catch (outcome) {
        await this.giveBack(attempt);
        if (outcome instanceof RateLimiterRes) throw rateLimited(PAUSED, Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)));
        throw outcome;
      }
    }
    return attempt;
  }

  /** The attempt succeeded, or its password was never checked: its points are given back. */
  async giveBack(attempt: Attempt): Promise<void> {
    const taken = attempt.taken.splice(0);
    await Promise.all(taken.map(({ limiter, key }) => limiter.reward(key, 1).catch(() => undefined)));
  }
}
