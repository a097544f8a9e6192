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
 * otherwise the estimate is counted at once and, for a call with a reservation, recorded under it
 * (the window and the estimate) so that its report replaces the estimate. Answers [allowed, used after].
 * KEYS[1]: the window; KEYS[2]: the estimate's record ('' for none). ARGV: limit, estimate, expiry ms.
 */
const CHECK_SCRIPT = `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
local estimate = tonumber(ARGV[2])
if used >= limit or used + estimate > limit then return {0, used} end
if estimate > 0 then
  used = redis.call('INCRBY', KEYS[1], estimate)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  if KEYS[2] ~= '' then redis.call('SET', KEYS[2], KEYS[1] .. '|' .. ARGV[2], 'PX', ARGV[3]) end
end
return {1, used}`;

/**
 * Adds reported calls' tokens: for each call, KEYS[2i-1] its key's current window and KEYS[2i] the
 * record of its estimate (if any). An estimate counted in the same window is replaced by the call's
 * tokens (the difference is added); one counted in an earlier window stays there.
 * ARGV[i]: the call's tokens; ARGV[#ARGV]: the windows' expiry ms.
 */
const ADD_SCRIPT = `local ttl = ARGV[#ARGV]
for i = 1, #KEYS / 2 do
  local window = KEYS[2 * i - 1]
  local add = tonumber(ARGV[i])
  local record = redis.call('GET', KEYS[2 * i])
  if record then
    redis.call('DEL', KEYS[2 * i])
    local sep = string.find(record, '|', 1, true)
    if sep and string.sub(record, 1, sep - 1) == window then add = add - tonumber(string.sub(record, sep + 1)) end
  end
  if add ~= 0 then
    redis.call('INCRBY', window, add)
    redis.call('PEXPIRE', window, ttl)
  end
end
return 1`;
const sha = (script: string) => createHash('sha1').update(script).digest('hex');
const CHECK_SCRIPT_SHA = sha(CHECK_SCRIPT);
const ADD_SCRIPT_SHA = sha(ADD_SCRIPT);

/** A reported call: its key, its input and output tokens, and the reservation it was checked under. */
export interface ReportedTokens {
  keyId: string;
  tokens: number;
  reservationId?: string;
}

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
  /** Estimates counted in the current memory window, by reservation id. */
  private readonly memoryEstimates = new Map<string, { name: string; estimate: number }>();
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
      this.memoryEstimates.clear();
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

  private recordName(reservationId: string): string {
    return `${this.redis?.prefix ?? ''}tpm:e:${reservationId}`;
  }

  private run(client: Redis, script: string, scriptSha: string, keys: number, args: Array<string | number>): Promise<unknown> {
    return withDeadline(
      client.evalsha(scriptSha, keys, ...args).catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(script, keys, ...args);
        throw error;
      }),
    );
  }

  /**
   * At verification: whether the key's window takes `estimate` (0 for none) more tokens, counting
   * them if so. With the call's `reservationId`, the estimate is recorded under it, and the call's
   * report replaces it with the tokens the call used.
   */
  async check(keyId: string, limit: number, estimate: number, reservationId?: string | null): Promise<TokenDecision> {
    const { name, start, resetSeconds } = this.window(keyId);
    const inMemory = () => {
      const used = this.memoryCount(name, start, 0);
      const allowed = used < limit && used + estimate <= limit;
      if (allowed && estimate > 0 && reservationId) this.memoryEstimates.set(reservationId, { name, estimate });
      return this.decide(limit, allowed ? this.memoryCount(name, start, estimate) : used, allowed, resetSeconds);
    };
    if (!this.redis || this.redis.client.status !== 'ready') return inMemory();
    try {
      const args = [name, reservationId ? this.recordName(reservationId) : '', limit, estimate, this.windowMs * 2];
      const reply = (await this.run(this.redis.client, CHECK_SCRIPT, CHECK_SCRIPT_SHA, 2, args)) as [number, number];
      return this.decide(limit, Number(reply[1]), Number(reply[0]) === 1, resetSeconds);
    } catch (error) {
      this.failed(error);
      return inMemory();
    }
  }

  /**
   * Adds the tokens of reported calls to their keys' current windows, in place of the estimates
   * their checks counted in the same window (one round trip for a whole batch).
   */
  async add(calls: readonly ReportedTokens[]): Promise<void> {
    if (!calls.length) return;
    const windows = calls.map((call) => ({ ...this.window(call.keyId), tokens: call.tokens, reservationId: call.reservationId }));
    const inMemory = () => {
      for (const w of windows) {
        const recorded = w.reservationId ? this.memoryEstimates.get(w.reservationId) : undefined;
        if (recorded) this.memoryEstimates.delete(w.reservationId as string);
        this.memoryCount(w.name, w.start, w.tokens - (recorded?.name === w.name ? recorded.estimate : 0));
      }
    };
    if (!this.redis || this.redis.client.status !== 'ready') return inMemory();
    try {
      const keys = windows.flatMap((w) => [w.name, this.recordName(w.reservationId ?? '-')]);
      await this.run(this.redis.client, ADD_SCRIPT, ADD_SCRIPT_SHA, keys.length, [...keys, ...windows.map((w) => w.tokens), this.windowMs * 2]);
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
