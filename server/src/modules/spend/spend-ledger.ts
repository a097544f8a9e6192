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

// Random bytes are drawn 4 KB at a time: one call into the system's generator per 256 ids, not one per id.
const ID_BYTES = 16;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** 128 random bits, base64url: a reservation's id, unguessable. */
export function newReservationId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

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

// The reservations asked for in one turn of the event loop, in one call, each decided in turn in
// the order asked (so two of one window see each other). The script names each window's keys
// from the window's name, as the settle script does (so the deployment is one Redis, or one hash
// slot): what goes over the wire per reservation is its window, not its keys.
// ARGV: key prefix, now ms, record ttl s, reservation ttl ms, then 5 per reservation: window name, limit (-1 for
// none), amount, reservation id, window ttl s (0: none).
// Keys of a window: its totals (hash: settled, reserved) and its open reservations (sorted set of
// ids by expiry). A reservation's record (hash: w = window, a = amount, s = settled) holds its
// amount. Answers 3 per reservation: granted (1 or 0), settled, reserved.
// Records written before the amount moved into them kept it in a hash per window
// (<prefix>spend:a:<window>): an amount missing from a record is read there.
const RESERVE_SCRIPT = `
local prefix, now, recordTtl, reservationTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local out = {}
local function amountOf(window, id)
  local amount = redis.call('HGET', prefix .. 'spend:r:' .. id, 'a')
  if not amount then
    amount = redis.call('HGET', prefix .. 'spend:a:' .. window, id)
    if amount then redis.call('HDEL', prefix .. 'spend:a:' .. window, id) end
  end
  return tonumber(amount or '0')
end
for i = 0, ((#ARGV - 4) / 5) - 1 do
  local a = 4 + i * 5
  local window = ARGV[a + 1]
  local totals, open = prefix .. 'spend:w:' .. window, prefix .. 'spend:z:' .. window
  local expired = redis.call('ZRANGEBYSCORE', open, '-inf', now)
  if #expired > 0 then
    local release = 0
    for _, id in ipairs(expired) do release = release + amountOf(window, id) end
    redis.call('ZREMRANGEBYSCORE', open, '-inf', now)
    if release > 0 then redis.call('HINCRBY', totals, 'reserved', -release) end
  end
  local state = redis.call('HMGET', totals, 'settled', 'reserved')
  local settled = tonumber(state[1] or '0')
  local reserved = tonumber(state[2] or '0')
  local limit = tonumber(ARGV[a + 2])
  local amount = tonumber(ARGV[a + 3])
  if limit >= 0 and (settled + reserved >= limit or settled + reserved + amount > limit) then
    out[#out + 1] = 0
    out[#out + 1] = settled
    out[#out + 1] = reserved
  else
    local id = ARGV[a + 4]
    redis.call('ZADD', open, now + reservationTtl, id)
    redis.call('HINCRBY', totals, 'reserved', amount)
    local record = prefix .. 'spend:r:' .. id
    redis.call('HSET', record, 'w', window, 'a', amount, 's', '0')
    redis.call('EXPIRE', record, recordTtl)
    -- Nothing was reserved: the window's keys are new (an emptied sorted set is removed), so their
    -- lifetime (the window's end, the same instant for every call) is set now, and only now.
    local ttl = tonumber(ARGV[a + 5])
    if reserved == 0 and ttl > 0 then
      redis.call('EXPIRE', totals, ttl)
      redis.call('EXPIRE', open, ttl)
    end
    out[#out + 1] = 1
    out[#out + 1] = settled
    out[#out + 1] = reserved + amount
  end
end
return out
`;

/** The most reservations one script call decides; more in one turn go in several calls. */
const RESERVE_BATCH_MAX = 200;

// KEYS: the reservation's record. ARGV: reservation id, cost, key prefix, the key's id ('' for any).
// Answers 0 (unknown), 1 (settled before) or 2 (settled now), and the window's name. The amount is
// released only if the reservation was still open (not released by its expiry).
const SETTLE_SCRIPT = `
local w = redis.call('HGET', KEYS[1], 'w')
if not w then return {0, ''} end
if ARGV[4] ~= '' and string.sub(w, 1, #ARGV[4] + 1) ~= ARGV[4] .. ':' then return {0, ''} end
if redis.call('HGET', KEYS[1], 's') == '1' then return {1, w} end
redis.call('HSET', KEYS[1], 's', '1')
local totals = ARGV[3] .. 'spend:w:' .. w
if redis.call('ZREM', ARGV[3] .. 'spend:z:' .. w, ARGV[1]) == 1 then
  local amount = redis.call('HGET', KEYS[1], 'a')
  if not amount then
    local amounts = ARGV[3] .. 'spend:a:' .. w
    amount = redis.call('HGET', amounts, ARGV[1])
    redis.call('HDEL', amounts, ARGV[1])
  end
  if tonumber(amount or '0') > 0 then redis.call('HINCRBY', totals, 'reserved', -tonumber(amount)) end
end
redis.call('HINCRBY', totals, 'settled', tonumber(ARGV[2]))
return {2, w}
`;

const sha = (script: string) => createHash('sha1').update(script).digest('hex');
const SCRIPTS = { reserve: { text: RESERVE_SCRIPT, sha: sha(RESERVE_SCRIPT) }, settle: { text: SETTLE_SCRIPT, sha: sha(SETTLE_SCRIPT) } };

interface WaitingReservation {
  request: ReserveRequest;
  reservationId: string;
  resolve: (result: ReserveResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The shared form: one Lua script reserves (releasing expired reservations of the window first) and
 * one settles, each atomic on Redis, so every node draws from the same window. The reservations of
 * one turn of the event loop go in one script call (one round trip for all the checks of a turn,
 * as for the rate limit), each decided as if alone, in the order asked. Both scripts name the
 * window's keys from its name (the settle script from the reservation's record), so the deployment
 * must be one Redis (or one hash slot), as for the rate limit. Errors are the caller's: a check that cannot reserve is
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

  /** A window's totals (settled, reserved). */
  private totalsOf(window: string): string {
    return `${this.prefix}spend:w:${window}`;
  }

  private waiting: WaitingReservation[] = [];

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, reservationId: newReservationId(), resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.sendWaiting());
    });
  }

  private sendWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i += RESERVE_BATCH_MAX) void this.sendBatch(waiting.slice(i, i + RESERVE_BATCH_MAX));
  }

  private async sendBatch(batch: WaitingReservation[]): Promise<void> {
    const now = this.now();
    const args: Array<string | number> = [this.prefix, now, Math.ceil((this.ttlMs + RECORD_KEEP_MS) / 1000), this.ttlMs];
    for (const { request, reservationId } of batch) {
      // Window keys live until the window ends and the last reservation's record is gone.
      const windowTtl = request.windowEndsAt === null ? 0 : Math.ceil((request.windowEndsAt - now + this.ttlMs + RECORD_KEEP_MS) / 1000);
      args.push(request.window, request.limitMicros ?? -1, request.amountMicros, reservationId, Math.max(0, windowTtl));
    }
    let reply: unknown[];
    try {
      reply = (await this.run(SCRIPTS.reserve, [], args)) as unknown[];
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    for (const [i, w] of batch.entries()) {
      const state = { settledMicros: Number(reply[i * 3 + 1]), reservedMicros: Number(reply[i * 3 + 2]) };
      w.resolve(Number(reply[i * 3]) === 1 ? { ok: true, reservationId: w.reservationId, ...state } : { ok: false, ...state });
    }
  }

  async settle(reservationId: string, costMicros: number, keyId?: string): Promise<{ outcome: SettleOutcome; window?: string }> {
    const reply = (await this.run(SCRIPTS.settle, [`${this.prefix}spend:r:${reservationId}`], [reservationId, costMicros, this.prefix, keyId ?? ''])) as [number, string];
    const outcome: SettleOutcome = Number(reply[0]) === 2 ? 'SETTLED' : Number(reply[0]) === 1 ? 'DUPLICATE' : 'UNKNOWN';
    return outcome === 'UNKNOWN' ? { outcome } : { outcome, window: String(reply[1]) };
  }

  async state(window: string): Promise<WindowState> {
    const [settled, reserved] = await this.client.hmget(this.totalsOf(window), 'settled', 'reserved');
    return { settledMicros: Number(settled ?? 0), reservedMicros: Number(reserved ?? 0) };
  }

  /**
   * One pipeline for all the windows. Reservations past their expiry are released by the next
   * reserve of their window; until then they still count as reserved here.
   */
  async states(windows: readonly string[]): Promise<WindowState[]> {
    if (!windows.length) return [];
    const pipeline = this.client.pipeline();
    for (const window of windows) pipeline.hmget(this.totalsOf(window), 'settled', 'reserved');
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
      const totals = this.totalsOf(restored.window);
      setters.push(pipeline.length);
      pipeline.hsetnx(totals, 'settled', restored.settledMicros);
      if (restored.windowEndsAt !== null) pipeline.expire(totals, Math.max(1, Math.ceil((restored.windowEndsAt - now + this.ttlMs + RECORD_KEEP_MS) / 1000)));
    }
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    return setters.filter((i) => replies[i]?.[1] === 1).length;
  }
}
