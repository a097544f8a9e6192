import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { describeError, type Logger } from './logger';

/** A key's token window as of one check. */
export interface TokenDecision {
  allowed: boolean;
  limit: number;
  /** Tokens left in the window (0 when refused). */
  remaining: number;
  /** Seconds until the window ends: Retry-After and X-RateLimit-Reset-Tokens. At least 1. */
  resetSeconds: number;
}

/**
 * Checks a window: refused when it is used up (used >= limit) or the estimate would pass it;
 * otherwise the estimate is counted at once. Answers [allowed, used after].
 * KEYS[1]: the window. ARGV: limit, estimate, expiry ms.
 */
const CHECK_SCRIPT = `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
local estimate = tonumber(ARGV[2])
if used >= limit or used + estimate > limit then return {0, used} end
if estimate > 0 then
  used = redis.call('INCRBY', KEYS[1], estimate)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return {1, used}`;
const CHECK_SCRIPT_SHA = createHash('sha1').update(CHECK_SCRIPT).digest('hex');

/** How long a batch waits for Redis before it is counted in memory instead. */
const REDIS_DEADLINE_MS = 500;

/**
 * Tokens per key per fixed window (`windowMs`, 60 s), aligned to the clock so that every node
 * names the same window (`<keyId>:<window start>`) without asking anyone. Tokens reported for a
 * call (POST /v1/keys/usage) are added to the key's current window; an estimate sent at
 * verification is added at once when it fits. On Redis when configured (one script per check,
 * INCRBY + PEXPIRE per reported key), so every node draws from the same window; in this node's
 * memory otherwise, and while Redis cannot answer (logged at most every 5 s).
 */
export class TokenLimiter {
  private readonly memory = new Map<string, number>();
  private memoryWindow = 0;
  private lastFailureLog = 0;

  constructor(
    private readonly windowMs: number,
    private readonly logger: Logger,
    private readonly redis?: { client: Redis; prefix: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** The window `now` falls in: its name for a key, and the seconds until it ends. */
  private window(keyId: string): { name: string; start: number; resetSeconds: number } {
    const now = this.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    return { name: `${this.redis?.prefix ?? ''}tpm:${keyId}:${start}`, start, resetSeconds: Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)) };
  }

  /** Memory windows of the current window only: an older window is dropped whole when a new one starts. */
  private memoryCount(name: string, start: number, add: number): number {
    if (start !== this.memoryWindow) {
      this.memory.clear();
      this.memoryWindow = start;
    }
    const used = (this.memory.get(name) ?? 0) + add;
    if (add) this.memory.set(name, used);
    return used;
  }

  private decide(limit: number, used: number, allowed: boolean, resetSeconds: number): TokenDecision {
    return { allowed, limit, remaining: allowed ? Math.max(0, limit - used) : 0, resetSeconds };
  }

  private failed(error: unknown): void {
    if (this.now() - this.lastFailureLog < 5000) return;
    this.lastFailureLog = this.now();
    this.logger.warn(describeError(error), 'shared token limit unavailable; counting tokens in memory');
  }

  /** At verification: whether the key's window takes `estimate` (0 for none) more tokens, counting them if so. */
  async check(keyId: string, limit: number, estimate: number): Promise<TokenDecision> {
    const { name, start, resetSeconds } = this.window(keyId);
    const inMemory = () => {
      const used = this.memoryCount(name, start, 0);
      const allowed = used < limit && used + estimate <= limit;
      return this.decide(limit, allowed ? this.memoryCount(name, start, estimate) : used, allowed, resetSeconds);
    };
    if (!this.redis || this.redis.client.status !== 'ready') return inMemory();
    const { client } = this.redis;
    const args = [name, limit, estimate, this.windowMs * 2] as const;
    try {
      const reply = (await withDeadline(
        client.evalsha(CHECK_SCRIPT_SHA, 1, ...args).catch((error: unknown) => {
          if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(CHECK_SCRIPT, 1, ...args);
          throw error;
        }),
      )) as [number, number];
      return this.decide(limit, Number(reply[1]), Number(reply[0]) === 1, resetSeconds);
    } catch (error) {
      this.failed(error);
      return inMemory();
    }
  }

  /** Adds the tokens of reported calls to each key's current window (one round trip for a whole batch). */
  async add(tokensByKey: ReadonlyMap<string, number>): Promise<void> {
    const windows = [...tokensByKey].filter(([, tokens]) => tokens > 0).map(([keyId, tokens]) => ({ ...this.window(keyId), tokens }));
    if (!windows.length) return;
    const inMemory = () => {
      for (const w of windows) this.memoryCount(w.name, w.start, w.tokens);
    };
    if (!this.redis || this.redis.client.status !== 'ready') return inMemory();
    const pipeline = this.redis.client.pipeline();
    for (const w of windows) pipeline.incrby(w.name, w.tokens).pexpire(w.name, this.windowMs * 2);
    try {
      const replies = await withDeadline(pipeline.exec());
      const failure = replies?.find(([error]) => error)?.[0];
      if (failure) throw failure;
    } catch (error) {
      this.failed(error);
      inMemory();
    }
  }
}

function withDeadline<T>(promise: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from Redis within ${REDIS_DEADLINE_MS} ms`)), REDIS_DEADLINE_MS);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
