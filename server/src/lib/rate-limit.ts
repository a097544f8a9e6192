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
const WINDOW_LUA = `local out = {}
local before = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCRBY', key, ARGV[i + 1])
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  before[i] = count - tonumber(ARGV[i + 1])
  out[#out + 1] = count
  out[#out + 1] = ttl
end
`;
const WINDOW_SCRIPT = `${WINDOW_LUA}return out`;

/**
 * Work that goes to Redis in the rate limit's script call and is done there only for the checks
 * the rate limit lets through (the spend ledger's reservations): a check that needs both waits for
 * one round trip, the rate limit decides first, and a check it refuses leaves no trace of the work.
 */
export interface RateLimitRider {
  /**
   * Lua run before the windows are counted, with the local `h`: the batch's arguments (`head`) are
   * ARGV[h + 1] onwards. It defines `local function ride(a)`, which does one check's work, its
   * `arity` arguments being ARGV[a + 1] onwards, and returns its answer, a table of `width` values.
   */
  readonly lua: string;
  readonly arity: number;
  readonly width: number;
  /** The arguments every check of a batch shares (a key prefix, the clock), sent once per call. */
  head(): Array<string | number>;
}

/** One check's work for a rider; exactly one of the three is called. */
export interface RiddenWork {
  /** Whose work it is: a limiter with another rider (or none) hands it back (`alone`). */
  readonly rider: RateLimitRider;
  readonly args: ReadonlyArray<string | number>;
  /** Redis answered: the work's answer, or undefined when the rate limit refused the check (nothing was done). */
  done(answer: unknown[] | undefined): void;
  /** Redis could not answer: the work may have been done or not. */
  failed(error: unknown): void;
  /** Not sent (the rate limit decided without Redis): the work is the rider's to do on its own. */
  alone(): void;
}

/**
 * The rate limit's script with a rider. ARGV after the windows' counts: how many arguments the
 * batch's head has, the head, then per ridden check its window (an index into KEYS), its place among
 * that window's requests of the batch (from 1), its limit, and the rider's arguments. The answer is
 * the windows' (two values each), then `width` values per ridden check (zeros for a refused one).
 */
function riddenScript(rider: RateLimitRider): string {
  return `local h = #KEYS + 2
${rider.lua}
${WINDOW_LUA}
local a = h + tonumber(ARGV[h])
while a < #ARGV do
  if before[tonumber(ARGV[a + 1])] + tonumber(ARGV[a + 2]) <= tonumber(ARGV[a + 3]) then
    for _, value in ipairs(ride(a + 3)) do out[#out + 1] = value end
  else
    for _ = 1, ${rider.width} do out[#out + 1] = 0 end
  end
  a = a + 3 + ${rider.arity}
end
return out`;
}

/** The most checks with a rider's work one script call carries; more in one turn go in several calls. */
export const RIDDEN_BATCH_MAX = 200;

const script = (text: string) => ({ text, sha: createHash('sha1').update(text).digest('hex') });

interface Window {
  endsAt: number;
  count: number;
}

/**
 * Fixed windows in this node's memory: a window starts with a key's first request and lasts
 * `windowMs`. Kept by plan, then by key id (the id string of the key's facts, not a new string per
 * window). Expired windows are swept when the map has grown, so memory follows the keys in use.
 */
class MemoryWindows {
  private readonly byPlan = new Map<Plan, Map<string, Window>>();
  private size = 0;
  private sweepAt = 10_000;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Adds one request; returns the window's count including it and when the window ends. */
  add(plan: Plan, keyId: string): Window {
    const now = this.now();
    let windows = this.byPlan.get(plan);
    if (!windows) {
      windows = new Map();
      this.byPlan.set(plan, windows);
    }
    let window = windows.get(keyId);
    if (!window || window.endsAt <= now) {
      if (!window) {
        if (this.size >= this.sweepAt) this.sweep(now);
        this.size++;
      }
      window = { endsAt: now + this.windowMs, count: 0 };
      windows.set(keyId, window);
    }
    window.count++;
    return window;
  }

  private sweep(now: number): void {
    for (const windows of this.byPlan.values()) {
      for (const [keyId, window] of windows) {
        if (window.endsAt > now) continue;
        windows.delete(keyId);
        this.size--;
      }
    }
    this.sweepAt = Math.max(10_000, this.size * 2);
  }
}

interface Waiting {
  limit: number;
  resolve: (decision: RateLimitDecision) => void;
  /** Decides in memory when Redis cannot. */
  fallback: () => RateLimitDecision;
  work?: RiddenWork;
}

/** The checks of one script call, by window, in the order they arrived. */
interface Batch {
  windows: Map<string, Waiting[]>;
  ridden: number;
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
 * A check that carries a rider's work (a reservation) has it done in the same call, after its
 * window is counted and only if the check is within the limit. Such a check waits for that answer
 * rather than for the deadline: its work needs Redis anyway, and its decision is then the shared one.
 */
export class KeyRateLimiter {
  private readonly memory: MemoryWindows;
  private readonly windowMs: number;
  private readonly script: { text: string; sha: string };
  private pending: Batch[] = [];
  private lastFailureLog = 0;

  constructor(
    private readonly settings: Config['rateLimit'],
    private readonly logger: Logger,
    private readonly redis?: { client: Redis; prefix: string },
    private readonly now: () => number = Date.now,
    private readonly rider?: RateLimitRider,
  ) {
    this.windowMs = settings.windowSeconds * 1000;
    this.memory = new MemoryWindows(this.windowMs, now);
    this.script = script(rider ? riddenScript(rider) : WINDOW_SCRIPT);
  }

  limitFor(plan: Plan): number {
    return this.settings.perPlan[plan];
  }

  /**
   * Counts one request of a key and says whether it is within the limit of its plan. `work` is done
   * in the same Redis call if the request is within it; without Redis (or with another rider) it is
   * handed back at once (`alone`).
   */
  consume(keyId: string, plan: Plan, work?: RiddenWork): Promise<RateLimitDecision> {
    const limit = this.limitFor(plan);
    const fallback = () => {
      const window = this.memory.add(plan, keyId);
      return this.decision(limit, window.count, window.endsAt - this.now());
    };
    const ridden = work && work.rider === this.rider ? work : undefined;
    if (!this.redis || this.redis.client.status !== 'ready') {
      work?.alone();
      return Promise.resolve(fallback());
    }
    if (work && !ridden) work.alone();
    const key = `${this.redis.prefix}rl:${plan}:${keyId}`;
    return new Promise((resolve) => {
      let batch = this.pending.at(-1);
      if (!batch || (ridden && batch.ridden >= RIDDEN_BATCH_MAX)) {
        if (!this.pending.length) setImmediate(() => this.send());
        batch = { windows: new Map(), ridden: 0 };
        this.pending.push(batch);
      }
      const entry: Waiting = { limit, resolve, fallback, ...(ridden ? { work: ridden } : {}) };
      if (ridden) batch.ridden++;
      const waiting = batch.windows.get(key);
      if (waiting) waiting.push(entry);
      else batch.windows.set(key, [entry]);
    });
  }

  private send(): void {
    const batches = this.pending;
    this.pending = [];
    for (const batch of batches) this.sendBatch(batch);
  }

  private sendBatch(batch: Batch): void {
    const client = (this.redis as { client: Redis }).client;
    const keys = [...batch.windows.keys()];
    const lists = [...batch.windows.values()];
    const args: Array<string | number> = [...keys, this.windowMs, ...lists.map((waiting) => waiting.length)];
    const ridden: Waiting[] = [];
    if (this.rider) {
      const head = this.rider.head();
      args.push(head.length, ...head);
      lists.forEach((waiting, k) =>
        waiting.forEach((w, j) => {
          if (!w.work) return;
          ridden.push(w);
          args.push(k + 1, j + 1, w.limit, ...w.work.args);
        }),
      );
    }
    const width = this.rider?.width ?? 0;
    // Checks without work are decided once: by Redis, or in memory after an error or the deadline.
    let decided = false;
    const decideInMemory = (error: unknown) => {
      if (decided) return;
      decided = true;
      clearTimeout(timer);
      if (this.now() - this.lastFailureLog > 5000) {
        this.lastFailureLog = this.now();
        this.logger.warn(describeError(error), 'shared rate limit unavailable; limiting in memory');
      }
      for (const waiting of lists) for (const w of waiting) if (!w.work) w.resolve(w.fallback());
    };
    const fail = (error: unknown) => {
      decideInMemory(error);
      for (const w of ridden) {
        w.resolve(w.fallback());
        w.work?.failed(error);
      }
    };
    const timer = setTimeout(() => decideInMemory(new Error(`no answer from Redis within ${REDIS_DEADLINE_MS} ms`)), REDIS_DEADLINE_MS);
    timer.unref();
    client
      .evalsha(this.script.sha, keys.length, ...args)
      .catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return client.eval(this.script.text, keys.length, ...args);
        throw error;
      })
      .then((reply: unknown) => {
        if (!Array.isArray(reply) || reply.length !== keys.length * 2 + ridden.length * width) throw new Error('unexpected answer from the rate-limit script');
        clearTimeout(timer);
        const late = decided;
        decided = true;
        let answer = keys.length * 2;
        keys.forEach((_, i) => {
          const total = Number(reply[i * 2]);
          const msLeft = Number(reply[i * 2 + 1]);
          const waiting = lists[i] as Waiting[];
          const first = total - waiting.length;
          waiting.forEach((w, j) => {
            const decision = this.decision(w.limit, first + j + 1, msLeft);
            if (!w.work) {
              if (!late) w.resolve(decision);
              return;
            }
            w.resolve(decision);
            w.work.done(decision.allowed ? reply.slice(answer, answer + width) : undefined);
            answer += width;
          });
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
