import { createHash } from 'node:crypto';
import type { Plan } from '@pulze/shared';
import type Redis from 'ioredis';
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

/** How long a batch waits for Redis before its checks are decided in memory instead. */
export const REDIS_DEADLINE_MS = 500;

/**
 * One round trip for a whole batch: for each key, add its requests to the window's count, start
 * the window (its expiry) if the key is new, and answer the count and the milliseconds left.
 * KEYS: the windows; ARGV[1]: window length in ms; ARGV[i + 1]: requests for KEYS[i].
 */
const WINDOW_SCRIPT = `local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCRBY', key, ARGV[i + 1])
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out`;
const WINDOW_SCRIPT_SHA = createHash('sha1').update(WINDOW_SCRIPT).digest('hex');

interface Window {
  endsAt: number;
  count: number;
}

/**
 * Fixed windows in this node's memory: a window starts with a key's first request and lasts
 * `windowMs`. Expired windows are swept when the map has grown, so memory follows the keys in use.
 */
class MemoryWindows {
  private readonly windows = new Map<string, Window>();
  private sweepAt = 10_000;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Adds one request; returns the window's count including it and when the window ends. */
  add(key: string): Window {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size >= this.sweepAt) this.sweep(now);
      window = { endsAt: now + this.windowMs, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    this.sweepAt = Math.max(10_000, this.windows.size * 2);
  }
}

interface Waiting {
  limit: number;
  resolve: (decision: RateLimitDecision) => void;
  /** Decides in memory when Redis cannot. */
  fallback: () => RateLimitDecision;
}

/**
 * Requests per key per fixed window, with a limit per plan. In memory on one node; in Redis when
 * it is configured, so every node draws from the same budget. If Redis cannot answer (not
 * connected, an error, or no answer within REDIS_DEADLINE_MS), each node decides on its own
 * in-memory windows of the same size (the insurance) until it can.
 *
 * With Redis, the checks that arrive in one turn of the event loop go to Redis together: one
 * script call adds each key's requests to its window and answers the new count. The requests of
 * a key in a batch take consecutive places in its window, in the order they arrived, so each is
 * decided exactly as if it had been sent alone: the shared budget is neither exceeded nor wasted.
 */
export class KeyRateLimiter {
  private readonly memory: MemoryWindows;
  private readonly windowMs: number;
  private batch = new Map<string, Waiting[]>();
  private scheduled = false;
  private lastFailureLog = 0;

  constructor(
    private readonly settings: Config['rateLimit'],
    private readonly logger: Logger,
    private readonly redis?: { client: Redis; prefix: string },
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = settings.windowSeconds * 1000;
    this.memory = new MemoryWindows(this.windowMs, now);
  }

  limitFor(plan: Plan): number {
    return this.settings.perPlan[plan];
  }

  /** Counts one request of a key and says whether it is within the limit of its plan. */
  consume(keyId: string, plan: Plan): Promise<RateLimitDecision> {
    const limit = this.limitFor(plan);
    const key = `${this.redis?.prefix ?? ''}rl:${plan}:${keyId}`;
    const fallback = () => {
      const window = this.memory.add(key);
      return this.decision(limit, window.count, window.endsAt - this.now());
    };
    if (!this.redis || this.redis.client.status !== 'ready') return Promise.resolve(fallback());
    return new Promise((resolve) => {
      const waiting = this.batch.get(key);
      const entry = { limit, resolve, fallback };
      if (waiting) waiting.push(entry);
      else this.batch.set(key, [entry]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  private send(): void {
    const batch = this.batch;
    this.batch = new Map();
    this.scheduled = false;
    const client = (this.redis as { client: Redis }).client;
    const keys = [...batch.keys()];
    const counts = [...batch.values()].map((waiting) => waiting.length);
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (this.now() - this.lastFailureLog > 5000) {
        this.lastFailureLog = this.now();
        this.logger.warn(describeError(error), 'shared rate limit unavailable; limiting in memory');
      }
      for (const waiting of batch.values()) for (const w of waiting) w.resolve(w.fallback());
    };
    const timer = setTimeout(() => fail(new Error(`no answer from Redis within ${REDIS_DEADLINE_MS} ms`)), REDIS_DEADLINE_MS);
    timer.unref();
    const args = [...keys, this.windowMs, ...counts];
    client
      .evalsha(WINDOW_SCRIPT_SHA, keys.length, ...args)
      .catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(WINDOW_SCRIPT, keys.length, ...args);
        throw error;
      })
      .then((reply: unknown) => {
        if (settled) return;
        if (!Array.isArray(reply) || reply.length !== keys.length * 2) throw new Error('unexpected answer from the rate-limit script');
        settled = true;
        clearTimeout(timer);
        keys.forEach((key, i) => {
          const total = Number(reply[i * 2]);
          const msLeft = Number(reply[i * 2 + 1]);
          const waiting = batch.get(key) as Waiting[];
          const first = total - waiting.length;
          waiting.forEach((w, j) => w.resolve(this.decision(w.limit, first + j + 1, msLeft)));
        });
      })
      .catch(fail);
  }

  /** The decision for the request at `position` in its window. */
  private decision(limit: number, position: number, msLeft: number): RateLimitDecision {
    const ms = Math.max(0, msLeft);
    const allowed = position <= limit;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - position),
      resetAt: new Date(this.now() + ms),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(ms / 1000)),
    };
  }
}
