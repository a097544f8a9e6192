import type { Plan } from '@pulze/shared';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { describeError } from './logger';
import type { Logger } from './logger';

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** Seconds until the window resets (for Retry-After); at least 1 when refused. */
  retryAfterSeconds: number;
}

/**
 * Requests per key per fixed window, with a limit per plan. In memory on one node; in Redis when
 * it is configured, so every node draws from the same budget. If Redis cannot answer, each node
 * falls back to its own in-memory budget of the same size (the insurance limiter) until it can.
 */
export class KeyRateLimiter {
  private readonly limiters = new Map<Plan, RateLimiterAbstract>();
  private lastFailureLog = 0;

  constructor(
    private readonly settings: Config['rateLimit'],
    private readonly logger: Logger,
    redis?: { client: Redis; prefix: string },
    private readonly now: () => number = Date.now,
  ) {
    for (const [plan, points] of Object.entries(settings.perPlan) as Array<[Plan, number]>) {
      const base = { points, duration: settings.windowSeconds, keyPrefix: `${redis?.prefix ?? ''}rl:${plan}` };
      const memory = new RateLimiterMemory(base);
      this.limiters.set(
        plan,
        redis
          ? new RateLimiterRedis({ ...base, storeClient: redis.client, rejectIfRedisNotReady: true, insuranceLimiter: memory })
          : memory,
      );
    }
  }

  limitFor(plan: Plan): number {
    return this.settings.perPlan[plan];
  }

  /** Counts one request of a key and says whether it is within the limit of its plan. */
  async consume(keyId: string, plan: Plan): Promise<RateLimitDecision> {
    const limit = this.limitFor(plan);
    const limiter = this.limiters.get(plan) as RateLimiterAbstract;
    try {
      return this.decision(true, limit, await limiter.consume(keyId));
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return this.decision(false, limit, outcome);
      // Neither store answered (should not happen with the memory insurance): let the request
      // through rather than take the whole gateway down with the limiter.
      if (this.now() - this.lastFailureLog > 5000) {
        this.lastFailureLog = this.now();
        this.logger.error(describeError(outcome), 'rate limiter unavailable; requests are not limited');
      }
      return { allowed: true, limit, remaining: limit, resetAt: new Date(this.now() + this.settings.windowSeconds * 1000), retryAfterSeconds: 0 };
    }
  }

  private decision(allowed: boolean, limit: number, res: RateLimiterRes): RateLimitDecision {
    const ms = Math.max(0, res.msBeforeNext);
    return {
      allowed,
      limit,
      remaining: Math.max(0, Math.min(limit, res.remainingPoints)),
      resetAt: new Date(this.now() + ms),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ms / 1000)),
    };
  }
}
