import { createHash, createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Redis from 'ioredis';
import type { RateLimitRider, RiddenWork } from '../../lib/rate-limit';
import { BUDGET_PERIODS, type BudgetPeriod } from './budget.model';

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
  settle(reservationId: string, costMicros: number, keyId: string): Promise<{ outcome: SettleOutcome; window?: string }>;
  state(window: string): Promise<WindowState>;
  /** The state of several windows in one round trip (a page of keys), in the order asked. */
  states(windows: readonly string[]): Promise<WindowState[]>;
  /**
   * Sets the settled spend of windows that have none yet (a ledger started empty: a node without
   * Redis after a restart, or a Redis that lost its data), in one round trip; a window that has
   * settled spend keeps it, so nodes starting at once restore a window once. Returns how many were set.
   */
  restore(windows: readonly RestoredWindow[]): Promise<number>;
  /**
   * A reservation made in the rate limit's Redis call (see `RedisSpendLedger`), given to
   * `KeyRateLimiter.consume` with the check; null when the rate limit refused the check. Only a
   * ledger on Redis has it.
   */
  reserveWithRateLimit?(request: ReserveRequest): { work: RiddenWork; reservation: Promise<ReserveResult | null> };
}

/** How long a reservation's record is kept after it expires, so that a late report still counts once. */
export const RECORD_KEEP_MS = 86_400_000;

// Random bytes are drawn 4 KB at a time: one call into the system's generator per 256 ids, not one per id.
const ID_BYTES = 16;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** `length` random bytes from the pool, copied into `into` at `at`. */
function randomInto(into: Buffer, at: number, length: number): void {
  if (idOffset + length > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  idPool.copy(into, at, idOffset, idOffset + length);
  idOffset += length;
}

/** 128 random bits, base64url: a reservation's id (in memory) or a settling's attempt, unguessable. */
export function newReservationId(): string {
  const id = Buffer.allocUnsafe(ID_BYTES);
  randomInto(id, 0, ID_BYTES);
  return id.toString('base64url');
}

/**
 * A reservation on Redis names everything its report needs, so that nothing is written for it but
 * its entry in the window's sorted set. 48 characters: 27 bytes, base64url (36 characters), then
 * their tag (12 characters):
 *
 * | bytes | what |
 * |---|---|
 * | 0–6 | random (56 bits): with the amount, the entry's name in the window |
 * | 7–13 | the amount reserved (micro-USD; 56 bits, so any estimate a check takes) |
 * | 14–19 | when it expires (ms) |
 * | 20 | the window's period (its index in BUDGET_PERIODS) |
 * | 21–26 | when the window starts (ms) |
 *
 * The tag is the first 72 bits of SHA-256 over a secret every node shares, the key's id and the 36
 * characters, base64url. A prefix-keyed hash is open to length extension only where the whole
 * digest is known and a longer input is accepted; here the digest is cut to 72 bits and only this
 * exact layout is read. One hash call costs a fraction of an HMAC's, on every reservation.
 * The key's id comes with the report: an id not made by a node for that key (a forged amount or
 * window, another key's reservation, another deployment's) fails its tag and is UNKNOWN, as is one
 * past its record's keeping.
 */
export class ReservationIds {
  static readonly LENGTH = 48;
  private static readonly BYTES = 27;
  private static readonly BODY = 36;
  private readonly secret: string;

  constructor(secret: string | Buffer) {
    // Its own key, derived: the shared secret is never used as is for a second purpose.
    this.secret = createHmac('sha256', secret).update('pulze reservation ids').digest('base64url');
  }

  private tag(keyId: string, body: string): string {
    return hash('sha256', `${this.secret}\n${keyId}\n${body}`, 'base64url').slice(0, ReservationIds.LENGTH - ReservationIds.BODY);
  }

  /** A new id for `amount` in `window` (`<keyId>:<period>:<start ms>`, see windowName), and its entry's name in the window. */
  issue(window: string, amount: number, expiresAt: number): { id: string; entry: string } {
    const { keyId, period, startsAt } = parseWindow(window);
    const bytes = Buffer.allocUnsafe(ReservationIds.BYTES);
    randomInto(bytes, 0, 7);
    // Seven bytes: Buffer writes at most six at once.
    bytes.writeUInt8(Math.floor(amount / 2 ** 48), 7);
    bytes.writeUIntBE(amount % 2 ** 48, 8, 6);
    bytes.writeUIntBE(expiresAt, 14, 6);
    bytes.writeUInt8(BUDGET_PERIODS.indexOf(period), 20);
    bytes.writeUIntBE(startsAt, 21, 6);
    const body = bytes.toString('base64url');
    return { id: body + this.tag(keyId, body), entry: entryName(body, amount) };
  }

  /** What an id names, if a node made it for `keyId`; null otherwise. */
  read(id: string, keyId: string): { window: string; entry: string; amount: number; expiresAt: number } | null {
    if (id.length !== ReservationIds.LENGTH) return null;
    const body = id.slice(0, ReservationIds.BODY);
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length !== ReservationIds.BYTES || bytes.toString('base64url') !== body) return null;
    const expected = Buffer.from(this.tag(keyId, body));
    const given = Buffer.from(id.slice(ReservationIds.BODY));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const period = BUDGET_PERIODS[bytes.readUInt8(20)];
    if (!period) return null;
    const amount = bytes.readUInt8(7) * 2 ** 48 + bytes.readUIntBE(8, 6);
    return { window: `${keyId}:${period}:${bytes.readUIntBE(21, 6)}`, entry: entryName(body, amount), amount, expiresAt: bytes.readUIntBE(14, 6) };
  }
}

/** A reservation's entry in its window's sorted set: the characters of its random part and its amount, which the scripts read back. */
const entryName = (body: string, amount: number): string => `${body.slice(0, 10)}:${amount}`;

/** A window's name, taken apart (see windowName). */
function parseWindow(window: string): { keyId: string; period: BudgetPeriod; startsAt: number } {
  const second = window.lastIndexOf(':');
  const first = window.lastIndexOf(':', second - 1);
  const period = window.slice(first + 1, second) as BudgetPeriod;
  const startsAt = Number(window.slice(second + 1));
  if (first <= 0 || !BUDGET_PERIODS.includes(period) || !Number.isSafeInteger(startsAt) || startsAt < 0) throw new Error(`not a budget window's name: ${window}`);
  return { keyId: window.slice(0, first), period, startsAt };
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

  async settle(reservationId: string, costMicros: number, keyId: string): Promise<{ outcome: SettleOutcome; window?: string }> {
    const record = this.records.get(reservationId);
    if (!record || record.keepUntil <= this.now()) return { outcome: 'UNKNOWN' };
    if (!record.window.startsWith(`${keyId}:`)) return { outcome: 'UNKNOWN' };
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

// The reservation's work on Redis, shared by the ledger's own script and the rate limit's (see
// RateLimitRider): run with the local `h`, the batch's arguments being ARGV[h + 1] onwards (key
// prefix, now ms, reservation ttl ms), it defines `ride(a)`, which decides one reservation from its
// 5 arguments after ARGV[a] (window name, limit or -1 for none, amount, the reservation's entry, the
// instant (ms) the window's keys expire or 0 for never) and answers granted (1 or 0), settled,
// reserved. The keys are named from the window's name (so the deployment is one Redis, or one hash
// slot): what goes over the wire per reservation is its window, not its keys.
// Keys of a window: its totals (hash: settled, reserved, and `next`, no later than the earliest
// expiry of its open reservations, absent when it may have none) and its open reservations (sorted
// set of entries by expiry). An entry is `<random>:<amount>` (see ReservationIds): releasing an
// expired one reads its amount from its name, so a reservation costs three Redis calls: HMGET and
// HSET of the totals, and ZADD. Nothing else is written for it until it is settled.
// Entries of earlier versions are bare ids, their amount in the reservation's record (hash
// <prefix>spend:r:<id>, a = amount) or, before that, in a hash per window (<prefix>spend:a:<window>).
const RESERVE_LUA = `
local prefix, now, reservationTtl = ARGV[h + 1], tonumber(ARGV[h + 2]), tonumber(ARGV[h + 3])
local function amountOf(window, id)
  local named = string.match(id, ':(%d+)$')
  if named then return tonumber(named) end
  local amount = redis.call('HGET', prefix .. 'spend:r:' .. id, 'a')
  if not amount then
    amount = redis.call('HGET', prefix .. 'spend:a:' .. window, id)
    if amount then redis.call('HDEL', prefix .. 'spend:a:' .. window, id) end
  end
  return tonumber(amount or '0')
end
-- A window's totals, after releasing its expired reservations: settled, reserved, next (its due time).
local function current(totals, open, window)
  local state = redis.call('HMGET', totals, 'settled', 'reserved', 'next')
  local settled, reserved, due = tonumber(state[1] or '0'), tonumber(state[2] or '0'), tonumber(state[3])
  if due ~= nil and due > now then return settled, reserved, due end
  local expired = redis.call('ZRANGEBYSCORE', open, '-inf', now)
  local release = 0
  if #expired > 0 then
    for _, id in ipairs(expired) do release = release + amountOf(window, id) end
    redis.call('ZREMRANGEBYSCORE', open, '-inf', now)
  end
  local first = redis.call('ZRANGE', open, 0, 0, 'WITHSCORES')
  local known = due
  due = tonumber(first[2])
  reserved = reserved - release
  if due ~= nil then
    if release > 0 or due ~= known then redis.call('HSET', totals, 'reserved', reserved, 'next', due) end
  else
    if release > 0 then redis.call('HSET', totals, 'reserved', reserved) end
    if known ~= nil then redis.call('HDEL', totals, 'next') end
  end
  return settled, reserved, due
end
local function ride(a)
  local window = ARGV[a + 1]
  local totals, open = prefix .. 'spend:w:' .. window, prefix .. 'spend:z:' .. window
  local settled, reserved, due = current(totals, open, window)
  local limit, amount = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  if limit >= 0 and (settled + reserved >= limit or settled + reserved + amount > limit) then
    return {0, settled, reserved}
  end
  local expires = now + reservationTtl
  redis.call('ZADD', open, expires, ARGV[a + 4])
  if due == nil or expires < due then
    redis.call('HSET', totals, 'reserved', reserved + amount, 'next', expires)
  else
    redis.call('HSET', totals, 'reserved', reserved + amount)
  end
  -- Nothing was reserved: the window's keys may be new (an emptied sorted set is removed), so their
  -- end (the same instant for every call) is set now, and only then.
  local endsAt = tonumber(ARGV[a + 5])
  if reserved == 0 and endsAt > 0 then
    redis.call('PEXPIREAT', totals, endsAt)
    redis.call('PEXPIREAT', open, endsAt)
  end
  return {1, settled, reserved + amount}
end
`;

// The reservations asked for in one turn of the event loop, in one call, each decided in turn in
// the order asked (so two of one window see each other). ARGV: the batch's 3, then 5 per reservation.
const RESERVE_SCRIPT = `local h = 0
${RESERVE_LUA}
local out = {}
for a = 3, #ARGV - 1, 5 do
  for _, value in ipairs(ride(a)) do out[#out + 1] = value end
end
return out
`;

// The totals of windows (after releasing their expired reservations), two values each. ARGV: the
// batch's 3, then the windows' names.
const STATES_SCRIPT = `local h = 0
${RESERVE_LUA}
local out = {}
for i = 4, #ARGV do
  local settled, reserved = current(prefix .. 'spend:w:' .. ARGV[i], prefix .. 'spend:z:' .. ARGV[i], ARGV[i])
  out[#out + 1] = settled
  out[#out + 1] = reserved
end
return out
`;

/** A reservation's answer from RESERVE_LUA (granted, settled, reserved), at `at` in `reply`. */
function decided(reply: unknown[], at: number, reservationId: string): ReserveResult {
  const state = { settledMicros: Number(reply[at + 1]), reservedMicros: Number(reply[at + 2]) };
  return Number(reply[at]) === 1 ? { ok: true, reservationId, ...state } : { ok: false, ...state };
}

/** Settlings without an answer remembered per node (the oldest forgotten first). */
const UNANSWERED_SETTLINGS_MAX = 10_000;

/** The most reservations one script call decides; more in one turn go in several calls. */
const RESERVE_BATCH_MAX = 200;

// ARGV: the settled record's name, the reservation's entry, the window's totals, the window's open
// reservations, the cost, the attempt (a random id of this settling: the same one when it is sent
// again), how long the record is kept (ms). Answers 1 (settled before) or 2 (settled now). The
// record, written when a reservation is first settled, keeps the attempt that settled it: the same
// attempt again answers 2 without counting anything twice, so a settling whose answer was lost
// (Redis slow past the client's deadline, or the command sent again after a reconnection) is still
// known as settled by it. The amount is released only if the reservation was still open (not
// released by its expiry); a report after that still counts its cost, once.
const SETTLE_SCRIPT = `
local before = redis.call('GET', ARGV[1])
if before then
  if before == ARGV[6] then return 2 end
  return 1
end
redis.call('SET', ARGV[1], ARGV[6], 'PX', ARGV[7])
if redis.call('ZREM', ARGV[4], ARGV[2]) == 1 then
  local amount = tonumber(string.match(ARGV[2], ':(%d+)$') or '0')
  if amount > 0 then redis.call('HINCRBY', ARGV[3], 'reserved', -amount) end
end
redis.call('HINCRBY', ARGV[3], 'settled', tonumber(ARGV[5]))
return 2
`;

// The settling of a reservation made before reservations were signed ids (its record made with it).
// KEYS: the reservation's record. ARGV: reservation id, cost, key prefix, the key's id, the attempt.
// Answers 0 (unknown), 1 (settled before) or 2 (settled now), and the window's name.
const LEGACY_SETTLE_SCRIPT = `
local w = redis.call('HGET', KEYS[1], 'w')
if not w then return {0, ''} end
if string.sub(w, 1, #ARGV[4] + 1) ~= ARGV[4] .. ':' then return {0, ''} end
if redis.call('HGET', KEYS[1], 's') == '1' then
  if redis.call('HGET', KEYS[1], 'b') == ARGV[5] then return {2, w} end
  return {1, w}
end
redis.call('HSET', KEYS[1], 's', '1', 'b', ARGV[5])
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
const SCRIPTS = {
  reserve: { text: RESERVE_SCRIPT, sha: sha(RESERVE_SCRIPT) },
  settle: { text: SETTLE_SCRIPT, sha: sha(SETTLE_SCRIPT) },
  legacySettle: { text: LEGACY_SETTLE_SCRIPT, sha: sha(LEGACY_SETTLE_SCRIPT) },
  states: { text: STATES_SCRIPT, sha: sha(STATES_SCRIPT) },
};

interface WaitingReservation {
  request: ReserveRequest;
  reservation: { id: string; entry: string };
  resolve: (result: ReserveResult) => void;
  reject: (error: unknown) => void;
}

/** A reservation's 5 arguments to RESERVE_LUA's `ride`. */
function rideArgs(request: ReserveRequest, entry: string, ttlMs: number): Array<string | number> {
  // Window keys live until the window ends and the last reservation's record is gone.
  const expiresAt = request.windowEndsAt === null ? 0 : request.windowEndsAt + ttlMs + RECORD_KEEP_MS;
  return [request.window, request.limitMicros ?? -1, request.amountMicros, entry, expiresAt];
}

/**
 * The shared form: one Lua script reserves (releasing expired reservations of the window first) and
 * one settles, each atomic on Redis, so every node draws from the same window. The reservations of
 * one turn of the event loop go in one script call, each decided as if alone, in the order asked. A
 * check that is also rate limited on Redis reserves in the rate limit's call instead (`rider`,
 * `reserveWithRateLimit`): one round trip for both, and nothing reserved for a check the rate limit
 * refuses. The scripts name the window's keys from its name (the settle script from the
 * window the reservation's id names), so the deployment must be one Redis (or one hash slot), as for
 * the rate limit. Reservation ids are signed with `idSecret`, which every node must share (see
 * ReservationIds). Errors are the caller's: a check that cannot reserve is refused (503), never let through
 * without a reservation.
 */
export class RedisSpendLedger implements SpendLedger {
  /** The reservation's work in the rate limit's script call. */
  readonly rider: RateLimitRider;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
    idSecret: string | Buffer,
    private readonly now: () => number = Date.now,
  ) {
    this.rider = { lua: RESERVE_LUA, arity: 5, width: 3, head: () => this.head() };
    this.ids = new ReservationIds(idSecret);
  }

  private readonly ids: ReservationIds;

  /** The arguments RESERVE_LUA reads once per call. */
  private head(): Array<string | number> {
    return [this.prefix, this.now(), this.ttlMs];
  }

  private issue(request: ReserveRequest): { id: string; entry: string } {
    return this.ids.issue(request.window, request.amountMicros, this.now() + this.ttlMs);
  }

  private async run(script: { text: string; sha: string }, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.client.eval(script.text, keys.length, ...keys, ...args);
      throw error;
    }
  }

  /** A window's totals (settled, reserved, next). */
  private totalsOf(window: string): string {
    return `${this.prefix}spend:w:${window}`;
  }

  private waiting: WaitingReservation[] = [];

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, reservation: this.issue(request), resolve, reject });
      if (this.waiting.length === 1) setImmediate(() => this.sendWaiting());
    });
  }

  /**
   * A reservation for the rate limiter to make in its own script call, given to `consume` with the
   * check: it resolves null when the rate limit refused the check (nothing was reserved), and is
   * made alone (as `reserve`) when the rate limit decided without Redis.
   */
  reserveWithRateLimit(request: ReserveRequest): { work: RiddenWork; reservation: Promise<ReserveResult | null> } {
    const issued = this.issue(request);
    let work: RiddenWork | undefined;
    const reservation = new Promise<ReserveResult | null>((resolve, reject) => {
      work = {
        rider: this.rider,
        args: rideArgs(request, issued.entry, this.ttlMs),
        done: (answer) => resolve(answer === undefined ? null : decided(answer, 0, issued.id)),
        failed: reject,
        alone: () => {
          this.reserve(request).then(resolve, reject);
        },
      };
    });
    return { work: work as RiddenWork, reservation };
  }

  private sendWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i += RESERVE_BATCH_MAX) void this.sendBatch(waiting.slice(i, i + RESERVE_BATCH_MAX));
  }

  private async sendBatch(batch: WaitingReservation[]): Promise<void> {
    const args = this.head();
    for (const { request, reservation } of batch) args.push(...rideArgs(request, reservation.entry, this.ttlMs));
    let reply: unknown[];
    try {
      reply = (await this.run(SCRIPTS.reserve, [], args)) as unknown[];
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    for (const [i, w] of batch.entries()) w.resolve(decided(reply, i * 3, w.reservation.id));
  }

  /**
   * A settling that failed (no answer) may still have counted on Redis. Its attempt is kept, and the
   * report sent again to this node settles with it: SETTLED if the lost one counted (so the caller
   * records the report once), as if new otherwise. Taken out while in use, so two reports of one
   * reservation at once never share an attempt.
   */
  private readonly unanswered = new Map<string, string>();

  async settle(reservationId: string, costMicros: number, keyId: string): Promise<{ outcome: SettleOutcome; window?: string }> {
    const signed = reservationId.length === ReservationIds.LENGTH ? this.ids.read(reservationId, keyId) : null;
    if (reservationId.length === ReservationIds.LENGTH && (!signed || signed.expiresAt + RECORD_KEEP_MS <= this.now())) return { outcome: 'UNKNOWN' };
    const attempt = this.unanswered.get(reservationId) ?? newReservationId();
    this.unanswered.delete(reservationId);
    let reply: [number, string];
    try {
      if (signed) {
        const keepMs = Math.max(1, signed.expiresAt + RECORD_KEEP_MS - this.now());
        const args = [`${this.prefix}spend:s:${reservationId}`, signed.entry, this.totalsOf(signed.window), `${this.prefix}spend:z:${signed.window}`, costMicros, attempt, keepMs];
        reply = [Number(await this.run(SCRIPTS.settle, [], args)), signed.window];
      } else {
        reply = (await this.run(SCRIPTS.legacySettle, [`${this.prefix}spend:r:${reservationId}`], [reservationId, costMicros, this.prefix, keyId, attempt])) as [number, string];
      }
    } catch (error) {
      if (this.unanswered.size >= UNANSWERED_SETTLINGS_MAX) this.unanswered.delete(this.unanswered.keys().next().value as string);
      this.unanswered.set(reservationId, attempt);
      throw error;
    }
    const outcome: SettleOutcome = Number(reply[0]) === 2 ? 'SETTLED' : Number(reply[0]) === 1 ? 'DUPLICATE' : 'UNKNOWN';
    return outcome === 'UNKNOWN' ? { outcome } : { outcome, window: String(reply[1]) };
  }

  async state(window: string): Promise<WindowState> {
    const [state] = await this.states([window]);
    return state as WindowState;
  }

  /**
   * One script call for the windows (sent together, up to RESERVE_BATCH_MAX windows each), which
   * releases their reservations past their expiry first: what is reserved is what is still held.
   */
  async states(windows: readonly string[]): Promise<WindowState[]> {
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < windows.length; i += RESERVE_BATCH_MAX) calls.push(this.run(SCRIPTS.states, [], [...this.head(), ...windows.slice(i, i + RESERVE_BATCH_MAX)]));
    const reply = (await Promise.all(calls)).flatMap((part) => part as unknown[]);
    return windows.map((_, i) => ({ settledMicros: Number(reply[i * 2] ?? 0), reservedMicros: Number(reply[i * 2 + 1] ?? 0) }));
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
