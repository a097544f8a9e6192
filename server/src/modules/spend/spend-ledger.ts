import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * Reservations and settled spend per budget window, on Redis (every node shares them) or in the
 * node's memory. A reservation holds an estimate against a window until the gateway reports what
 * the call cost (settle) or until it expires and its amount is released. Amounts are micro-USD.
 */
export interface ReserveRequest {
  /** The key and its window, e.g. `<keyId>:<window start ms>`: every node computes the same one. */
  window: string;
  /** The budget of the window; null for a key without a budget (a reservation is still made). */
  limitMicros: number | null;
  amountMicros: number;
  /** When the window ends (ms); null for a TOTAL budget, which never ends. */
  windowEndsAt: number | null;
}

export interface WindowState {
  settledMicros: number;
  reservedMicros: number;
}

export type ReserveResult = ({ ok: true; reservationId: string } | { ok: false }) & WindowState;

/** SETTLED: counted now; DUPLICATE: counted before (the report was sent again); UNKNOWN: no such reservation (or too old). */
export type SettleOutcome = 'SETTLED' | 'DUPLICATE' | 'UNKNOWN';

/** A window's settled spend as the database's daily spend rows tell it, for a ledger that lost it. */
export interface RestoredWindow {
  window: string;
  settledMicros: number;
  /** When the window ends (ms); null for a TOTAL budget. */
  windowEndsAt: number | null;
}

export interface SpendLedger {
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Settles only a reservation of `keyId` (another key's reservation is UNKNOWN). */
  settle(reservationId: string, costMicros: number, keyId?: string): Promise<{ outcome: SettleOutcome; window?: string }>;
  state(window: string): Promise<WindowState>;
  /** The state of several windows in one round trip (a page of keys), in the order asked. */
  states(windows: readonly string[]): Promise<WindowState[]>;
  /**
   * Sets the settled spend of windows that have none yet (a ledger started empty: a node without
   * Redis after a restart, or a Redis that lost its data), in one round trip; a window that has
   * settled spend keeps it, so nodes starting at once restore a window once. Returns how many were set.
   */
  restore(windows: readonly RestoredWindow[]): Promise<number>;
}

/** How long a reservation's record is kept after it expires, so that a late report still counts once. */
export const RECORD_KEEP_MS = 86_400_000;

export const newReservationId = (): string => randomBytes(16).toString('base64url');

/**
 * Whether a window can take `amount` more: everything settled and still reserved, plus this, within
 * the limit; once the window is spent, even a zero estimate is refused.
 */
function fits(state: WindowState, limit: number | null, amount: number): boolean {
  if (limit === null) return true;
  const used = state.settledMicros + state.reservedMicros;
  return used < limit && used + amount <= limit;
}

interface MemoryWindow extends WindowState {
  /** Reservation id -> amount and expiry. */
  open: Map<string, { amount: number; expiresAt: number }>;
  endsAt: number | null;
}

/** The single-node form: the same rules as the script, in one process's memory. */
export class MemorySpendLedger implements SpendLedger {
  private readonly windows = new Map<string, MemoryWindow>();
  private readonly records = new Map<string, { window: string; settled: boolean; keepUntil: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private window(name: string, endsAt: number | null): MemoryWindow {
    let window = this.windows.get(name);
    if (!window) {
      window = { settledMicros: 0, reservedMicros: 0, open: new Map(), endsAt };
      this.windows.set(name, window);
    }
    const now = this.now();
    for (const [id, open] of window.open) {
      if (open.expiresAt > now) continue;
      window.open.delete(id);
      window.reservedMicros -= open.amount;
    }
    return window;
  }

  private sweep(now: number): void {
    if (this.records.size % 1024 !== 0) return;
    for (const [id, record] of this.records) if (record.keepUntil <= now) this.records.delete(id);
    for (const [name, window] of this.windows) if (window.endsAt !== null && window.endsAt + RECORD_KEEP_MS <= now) this.windows.delete(name);
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const window = this.window(request.window, request.windowEndsAt);
    const state = { settledMicros: window.settledMicros, reservedMicros: window.reservedMicros };
    if (!fits(state, request.limitMicros, request.amountMicros)) return { ok: false, ...state };
    const now = this.now();
    const reservationId = newReservationId();
    window.open.set(reservationId, { amount: request.amountMicros, expiresAt: now + this.ttlMs });
    window.reservedMicros += request.amountMicros;
    this.records.set(reservationId, { window: request.window, settled: false, keepUntil: now + this.ttlMs + RECORD_KEEP_MS });
    this.sweep(now);
    return { ok: true, reservationId, settledMicros: window.settledMicros, reservedMicros: window.reservedMicros };
  }

  async settle(reservationId: string, costMicros: number, keyId?: string): Promise<{ outcome: SettleOutcome; window?: string }> {
    const record = this.records.get(reservationId);
    if (!record || record.keepUntil <= this.now()) return { outcome: 'UNKNOWN' };
    if (keyId !== undefined && !record.window.startsWith(`${keyId}:`)) return { outcome: 'UNKNOWN' };
    if (record.settled) return { outcome: 'DUPLICATE', window: record.window };
    record.settled = true;
    const window = this.window(record.window, null);
    const open = window.open.get(reservationId);
    if (open) {
      window.open.delete(reservationId);
      window.reservedMicros -= open.amount;
    }
    window.settledMicros += costMicros;
    return { outcome: 'SETTLED', window: record.window };
  }

  async state(name: string): Promise<WindowState> {
    const window = this.window(name, null);
    return { settledMicros: window.settledMicros, reservedMicros: window.reservedMicros };
  }

  async states(names: readonly string[]): Promise<WindowState[]> {
    return Promise.all(names.map((name) => this.state(name)));
  }

  async restore(windows: readonly RestoredWindow[]): Promise<number> {
    let set = 0;
    for (const restored of windows) {
      const known = this.windows.get(restored.window);
      if (known && known.settledMicros !== 0) continue;
      const window = this.window(restored.window, restored.windowEndsAt);
      window.settledMicros = restored.settledMicros;
      set += 1;
    }
    return set;
  }
}

// KEYS: the window's totals (hash: settled, reserved), its open reservations (sorted set by expiry),
// their amounts (hash), and the reservation's record (hash: w = window, s = settled).
// ARGV: now ms, limit (-1 for none), amount, reservation id, expiry ms, window ttl s (0: none),
// record ttl s, window name.
const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
if #expired > 0 then
  local release = 0
  for _, id in ipairs(expired) do
    release = release + tonumber(redis.call('HGET', KEYS[3], id) or '0')
    redis.call('HDEL', KEYS[3], id)
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if release > 0 then redis.call('HINCRBY', KEYS[1], 'reserved', -release) end
end
local settled = tonumber(redis.call('HGET', KEYS[1], 'settled') or '0')
local reserved = tonumber(redis.call('HGET', KEYS[1], 'reserved') or '0')
local limit = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
if limit >= 0 and (settled + reserved >= limit or settled + reserved + amount > limit) then
  return {0, settled, reserved}
end
redis.call('ZADD', KEYS[2], tonumber(ARGV[5]), ARGV[4])
redis.call('HSET', KEYS[3], ARGV[4], amount)
redis.call('HINCRBY', KEYS[1], 'reserved', amount)
redis.call('HSET', KEYS[4], 'w', ARGV[8], 's', '0')
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[7]))
local ttl = tonumber(ARGV[6])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
end
return {1, settled, reserved + amount}
`;

// KEYS: the reservation's record. ARGV: reservation id, cost, key prefix, the key's id ('' for any).
// Answers 0 (unknown), 1 (settled before) or 2 (settled now), and the window's name.
const SETTLE_SCRIPT = `
local w = redis.call('HGET', KEYS[1], 'w')
if not w then return {0, ''} end
if ARGV[4] ~= '' and string.sub(w, 1, #ARGV[4] + 1) ~= ARGV[4] .. ':' then return {0, ''} end
if redis.call('HGET', KEYS[1], 's') == '1' then return {1, w} end
redis.call('HSET', KEYS[1], 's', '1')
local totals = ARGV[3] .. 'spend:w:' .. w
local open = ARGV[3] .. 'spend:z:' .. w
local amounts = ARGV[3] .. 'spend:a:' .. w
local amount = redis.call('HGET', amounts, ARGV[1])
if amount then
  redis.call('HDEL', amounts, ARGV[1])
  redis.call('ZREM', open, ARGV[1])
  if tonumber(amount) > 0 then redis.call('HINCRBY', totals, 'reserved', -tonumber(amount)) end
end
redis.call('HINCRBY', totals, 'settled', tonumber(ARGV[2]))
return {2, w}
`;

const sha = (script: string) => createHash('sha1').update(script).digest('hex');
const SCRIPTS = { reserve: { text: RESERVE_SCRIPT, sha: sha(RESERVE_SCRIPT) }, settle: { text: SETTLE_SCRIPT, sha: sha(SETTLE_SCRIPT) } };

/**
 * The shared form: one Lua script reserves (releasing expired reservations of the window first) and
 * one settles, each atomic on Redis, so every node draws from the same window. The settle script
 * names the window's keys from the reservation's record, so the deployment must be one Redis (or
 * one hash slot), as for the rate limit. Errors are the caller's: a check that cannot reserve is
 * refused (503), never let through without a reservation.
 */
export class RedisSpendLedger implements SpendLedger {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private async run(script: { text: string; sha: string }, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.client.eval(script.text, keys.length, ...keys, ...args);
      throw error;
    }
  }

  private keysOf(window: string): [string, string, string] {
    return [`${this.prefix}spend:w:${window}`, `${this.prefix}spend:z:${window}`, `${this.prefix}spend:a:${window}`];
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const now = this.now();
    const reservationId = newReservationId();
    // Window keys live until the window ends and the last reservation's record is gone.
    const windowTtl = request.windowEndsAt === null ? 0 : Math.ceil((request.windowEndsAt - now + this.ttlMs + RECORD_KEEP_MS) / 1000);
    const reply = (await this.run(SCRIPTS.reserve, [...this.keysOf(request.window), `${this.prefix}spend:r:${reservationId}`], [
      now,
      request.limitMicros ?? -1,
      request.amountMicros,
      reservationId,
      now + this.ttlMs,
      Math.max(0, windowTtl),
      Math.ceil((this.ttlMs + RECORD_KEEP_MS) / 1000),
      request.window,
    ])) as [number, number, number];
    const state = { settledMicros: Number(reply[1]), reservedMicros: Number(reply[2]) };
    return Number(reply[0]) === 1 ? { ok: true, reservationId, ...state } : { ok: false, ...state };
  }

  async settle(reservationId: string, costMicros: number, keyId?: string): Promise<{ outcome: SettleOutcome; window?: string }> {
    const reply = (await this.run(SCRIPTS.settle, [`${this.prefix}spend:r:${reservationId}`], [reservationId, costMicros, this.prefix, keyId ?? ''])) as [number, string];
    const outcome: SettleOutcome = Number(reply[0]) === 2 ? 'SETTLED' : Number(reply[0]) === 1 ? 'DUPLICATE' : 'UNKNOWN';
    return outcome === 'UNKNOWN' ? { outcome } : { outcome, window: String(reply[1]) };
  }

  async state(window: string): Promise<WindowState> {
    const [totals] = this.keysOf(window);
    const [settled, reserved] = await this.client.hmget(totals, 'settled', 'reserved');
    return { settledMicros: Number(settled ?? 0), reservedMicros: Number(reserved ?? 0) };
  }

  /**
   * One pipeline for all the windows. Reservations past their expiry are released by the next
   * reserve of their window; until then they still count as reserved here.
   */
  async states(windows: readonly string[]): Promise<WindowState[]> {
    if (!windows.length) return [];
    const pipeline = this.client.pipeline();
    for (const window of windows) pipeline.hmget(this.keysOf(window)[0], 'settled', 'reserved');
    const replies = (await pipeline.exec()) ?? [];
    return windows.map((_, i) => {
      const [error, values] = replies[i] ?? [new Error('no answer'), null];
      if (error) throw error;
      const [settled, reserved] = (values as Array<string | null>) ?? [];
      return { settledMicros: Number(settled ?? 0), reservedMicros: Number(reserved ?? 0) };
    });
  }

  /** HSETNX per window (a window with settled spend keeps it), with the window's lifetime. */
  async restore(windows: readonly RestoredWindow[]): Promise<number> {
    if (!windows.length) return 0;
    const now = this.now();
    const pipeline = this.client.pipeline();
    const setters: number[] = [];
    for (const restored of windows) {
      const [totals] = this.keysOf(restored.window);
      setters.push(pipeline.length);
      pipeline.hsetnx(totals, 'settled', restored.settledMicros);
      if (restored.windowEndsAt !== null) pipeline.expire(totals, Math.max(1, Math.ceil((restored.windowEndsAt - now + this.ttlMs + RECORD_KEEP_MS) / 1000)));
    }
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    return setters.filter((i) => replies[i]?.[1] === 1).length;
  }
}
