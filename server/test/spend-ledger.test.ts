import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { budgetWindow } from '../src/modules/spend/budget.model';
import { MemorySpendLedger, RECORD_KEEP_MS, RedisSpendLedger, type SpendLedger } from '../src/modules/spend/spend-ledger';

/**
 * The reserve, settle and expire cycle of the spend ledger, in memory and on a real Redis
 * (127.0.0.1:6379), with the same expectations for both; and the window arithmetic.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL_MS = 5_000;
/** The reservation ids' secret, shared by the nodes. */
const SECRET = 'a secret every node of the test shares';
const clients: Redis[] = [];
let clock = 1_800_000_000_000;
const now = () => clock;

async function client(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clients.push(redis);
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

const prefix = `pulze-spend-test-${randomBytes(4).toString('hex')}:`;
afterAll(async () => {
  const redis = await client();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await Promise.all(clients.map((c) => c.quit()));
});

const forms: Array<[string, () => Promise<SpendLedger[]>]> = [
  ['memory', async () => [new MemorySpendLedger(TTL_MS, now)]],
  // Two ledgers on two connections: two nodes sharing one Redis.
  ['redis', async () => [new RedisSpendLedger(await client(), prefix, TTL_MS, SECRET, now), new RedisSpendLedger(await client(), prefix, TTL_MS, SECRET, now)]],
];

describe.each(forms)('spend ledger (%s)', (_name, make) => {
  let a: SpendLedger;
  let b: SpendLedger;
  let key: string;
  let window: string;
  beforeEach(async () => {
    const ledgers = await make();
    a = ledgers[0]!;
    b = ledgers[1] ?? a;
    key = `key-${randomBytes(4).toString('hex')}`;
    window = `${key}:DAILY:0`;
  });
  const reserve = (ledger: SpendLedger, amountMicros: number, limitMicros: number | null = 1000) =>
    ledger.reserve({ window, limitMicros, amountMicros, windowEndsAt: clock + 86_400_000 });

  it('reserves within the limit, refuses past it, and settles at the real cost', async () => {
    const first = await reserve(a, 600);
    expect(first).toMatchObject({ ok: true, settledMicros: 0, reservedMicros: 600 });
    expect(await reserve(b, 500)).toMatchObject({ ok: false, settledMicros: 0, reservedMicros: 600 });
    const second = await reserve(b, 400);
    expect(second).toMatchObject({ ok: true, reservedMicros: 1000 });
    if (!first.ok || !second.ok) throw new Error('reserved above');
    expect(await b.settle(first.reservationId, 250, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await a.state(window)).toEqual({ settledMicros: 250, reservedMicros: 400 });
    // The 350 the first call did not use is free again.
    expect(await reserve(a, 350)).toMatchObject({ ok: true, settledMicros: 250, reservedMicros: 750 });
  });

  it('counts a report sent twice once, and knows no made-up reservation', async () => {
    const r = await reserve(a, 100);
    if (!r.ok) throw new Error('refused');
    expect((await a.settle(r.reservationId, 80, key)).outcome).toBe('SETTLED');
    expect((await b.settle(r.reservationId, 80, key)).outcome).toBe('DUPLICATE');
    expect((await a.settle(r.reservationId, 999, key)).outcome).toBe('DUPLICATE');
    expect(await a.state(window)).toEqual({ settledMicros: 80, reservedMicros: 0 });
    expect((await a.settle('made-up', 10, key)).outcome).toBe('UNKNOWN');
  });

  it("knows no reservation of another key, and counts nothing for it", async () => {
    const r = await reserve(a, 100);
    if (!r.ok) throw new Error('refused');
    expect(await b.settle(r.reservationId, 50, `${key}-other`)).toEqual({ outcome: 'UNKNOWN' });
    expect(await a.state(window)).toEqual({ settledMicros: 0, reservedMicros: 100 });
    expect((await a.settle(r.reservationId, 50, key)).outcome).toBe('SETTLED');
  });

  it('releases a reservation never settled after its time, and still counts a late report once', async () => {
    const r = await reserve(a, 1000);
    if (!r.ok) throw new Error('refused');
    expect((await reserve(b, 1)).ok).toBe(false);
    clock += TTL_MS - 1;
    expect((await reserve(b, 1)).ok).toBe(false);
    clock += 1;
    const after = await reserve(b, 1000);
    expect(after).toMatchObject({ ok: true, settledMicros: 0, reservedMicros: 1000 });
    // The expired call did run: its report counts, once.
    expect((await a.settle(r.reservationId, 300, key)).outcome).toBe('SETTLED');
    expect((await a.settle(r.reservationId, 300, key)).outcome).toBe('DUPLICATE');
    expect((await a.state(window)).settledMicros).toBe(300);
    clock += TTL_MS;
  });

  it('stops counting a reservation as reserved once it has expired, before the next reservation', async () => {
    const r = await reserve(a, 700);
    if (!r.ok) throw new Error('refused');
    clock += 1;
    expect((await reserve(b, 100)).ok).toBe(true);
    expect(await b.state(window)).toEqual({ settledMicros: 0, reservedMicros: 800 });
    clock += TTL_MS - 1;
    expect(await a.states([window])).toEqual([{ settledMicros: 0, reservedMicros: 100 }]);
    clock += 1;
    expect(await b.state(window)).toEqual({ settledMicros: 0, reservedMicros: 0 });
    // Reading released nothing twice: the window takes the whole limit again.
    expect(await reserve(a, 1000)).toMatchObject({ ok: true, reservedMicros: 1000 });
    expect((await a.settle(r.reservationId, 10, key)).outcome).toBe('SETTLED');
    expect(await a.state(window)).toEqual({ settledMicros: 10, reservedMicros: 1000 });
    clock += TTL_MS;
  });

  it('takes a zero estimate until the window is spent, and reads a lowered or raised limit at once', async () => {
    const r = await reserve(a, 0, 100);
    if (!r.ok) throw new Error('refused');
    await a.settle(r.reservationId, 100, key);
    expect((await reserve(a, 0, 100)).ok).toBe(false);
    expect((await reserve(a, 0, 150)).ok).toBe(true);
    expect((await reserve(a, 60, 150)).ok).toBe(false);
    expect((await reserve(a, 60, 50)).ok).toBe(false);
    expect((await reserve(a, 5_000, null)).ok).toBe(true);
  });

  it('never reserves past the limit under parallel reservations from both nodes', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => reserve(i % 2 ? a : b, 7, 1000)));
    const granted = results.filter((r) => r.ok).length;
    expect(granted).toBe(Math.floor(1000 / 7));
    expect((await a.state(window)).reservedMicros).toBe(granted * 7);
  });
});

describe('budget windows', () => {
  const created = Date.UTC(2026, 0, 31, 13, 30);
  const day = 86_400_000;
  it('count from the creation of the key, the end of one being the start of the next', () => {
    expect(budgetWindow(created, 'DAILY', created)).toEqual({ startsAt: created, endsAt: created + day });
    expect(budgetWindow(created, 'DAILY', created + day - 1)).toEqual({ startsAt: created, endsAt: created + day });
    expect(budgetWindow(created, 'DAILY', created + day)).toEqual({ startsAt: created + day, endsAt: created + 2 * day });
    expect(budgetWindow(created, 'WEEKLY', created + 7 * day + 5)).toEqual({ startsAt: created + 7 * day, endsAt: created + 14 * day });
    // Created on 31 January: February's window starts on its last day, March's on the 31st again.
    expect(budgetWindow(created, 'MONTHLY', created + 30 * day - 1)).toEqual({ startsAt: Date.UTC(2026, 1, 28, 13, 30), endsAt: Date.UTC(2026, 2, 31, 13, 30) });
    expect(budgetWindow(created, 'TOTAL', created + 999 * day)).toEqual({ startsAt: created, endsAt: null });
  });
});

describe('spend ledger on Redis: reservations of the earlier layout', () => {
  // Before a reservation's record held its amount, the amount was kept in a hash per window
  // (<prefix>spend:a:<window>). Reservations open across an upgrade are released from there, once.
  const legacy = async (redis: Redis, window: string, id: string, amount: number, expiresAt: number) => {
    await redis.hincrby(`${prefix}spend:w:${window}`, 'reserved', amount);
    await redis.zadd(`${prefix}spend:z:${window}`, expiresAt, id);
    await redis.hset(`${prefix}spend:a:${window}`, id, amount);
    await redis.hset(`${prefix}spend:r:${id}`, 'w', window, 's', '0');
  };

  it('settles one by its amount in the window hash, and releases an expired one', async () => {
    const redis = await client();
    const ledger = new RedisSpendLedger(redis, prefix, TTL_MS, SECRET, now);
    const key = `legacy-${randomBytes(4).toString('hex')}`;
    const window = `${key}:TOTAL:0`;
    await legacy(redis, window, 'old-settled', 300, clock + TTL_MS);
    await legacy(redis, window, 'old-expired', 200, clock + 1);
    expect(await ledger.state(window)).toEqual({ settledMicros: 0, reservedMicros: 500 });

    expect(await ledger.settle('old-settled', 250, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await ledger.state(window)).toEqual({ settledMicros: 250, reservedMicros: 200 });

    clock += 10;
    const next = await ledger.reserve({ window, limitMicros: 1_000, amountMicros: 100, windowEndsAt: null });
    expect(next).toMatchObject({ ok: true, settledMicros: 250, reservedMicros: 100 });
    expect(await redis.hlen(`${prefix}spend:a:${window}`)).toBe(0);
    // A report for the expired one still counts its cost once, and releases nothing twice.
    expect(await ledger.settle('old-expired', 50, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await ledger.state(window)).toEqual({ settledMicros: 300, reservedMicros: 100 });
  });
});

describe('reservation ids on Redis', () => {
  const keysOf = async (redis: Redis, pattern: string) => (await redis.keys(`${prefix}${pattern}`)).sort();

  it('writes nothing for a reservation but its window, and keeps the record of a settling until the id is too old', async () => {
    const redis = await client();
    const ledger = new RedisSpendLedger(redis, prefix, TTL_MS, SECRET, now);
    const key = `ids-${randomBytes(4).toString('hex')}`;
    const window = `${key}:MONTHLY:${clock}`;
    const r = await ledger.reserve({ window, limitMicros: null, amountMicros: 250, windowEndsAt: null });
    if (!r.ok) throw new Error('refused');
    expect(r.reservationId).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(await keysOf(redis, `*${key}*`)).toEqual([`${prefix}spend:w:${window}`, `${prefix}spend:z:${window}`]);
    expect(await keysOf(redis, `spend:[rs]:${r.reservationId}`)).toEqual([]);

    expect(await ledger.settle(r.reservationId, 90, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await ledger.state(window)).toEqual({ settledMicros: 90, reservedMicros: 0 });
    const record = `${prefix}spend:s:${r.reservationId}`;
    // Kept until the reservation's expiry plus RECORD_KEEP_MS, the time its id is accepted.
    const ttl = await redis.pttl(record);
    expect(ttl).toBeGreaterThan(TTL_MS + RECORD_KEEP_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(TTL_MS + RECORD_KEEP_MS);

    clock += TTL_MS + RECORD_KEEP_MS;
    await redis.del(record);
    expect(await ledger.settle(r.reservationId, 90, key)).toEqual({ outcome: 'UNKNOWN' });
    expect(await ledger.state(window)).toEqual({ settledMicros: 90, reservedMicros: 0 });
  });

  it('reserves and settles any estimate a check takes, up to the largest safe integer', async () => {
    const redis = await client();
    const ledger = new RedisSpendLedger(redis, prefix, TTL_MS, SECRET, now);
    const key = `large-${randomBytes(4).toString('hex')}`;
    const window = `${key}:TOTAL:0`;
    const amount = Number.MAX_SAFE_INTEGER;
    const r = await ledger.reserve({ window, limitMicros: null, amountMicros: amount, windowEndsAt: null });
    if (!r.ok) throw new Error('refused');
    expect(r.reservedMicros).toBe(amount);
    expect(await ledger.settle(r.reservationId, 5, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await ledger.state(window)).toEqual({ settledMicros: 5, reservedMicros: 0 });
  });

  it('knows no id that was altered or made with another secret, and changes nothing for it', async () => {
    const redis = await client();
    const ledger = new RedisSpendLedger(redis, prefix, TTL_MS, SECRET, now);
    const stranger = new RedisSpendLedger(redis, prefix, TTL_MS, 'another secret, another deployment', now);
    const key = `forged-${randomBytes(4).toString('hex')}`;
    const window = `${key}:DAILY:${clock}`;
    const r = await ledger.reserve({ window, limitMicros: 1_000, amountMicros: 600, windowEndsAt: clock + 86_400_000 });
    if (!r.ok) throw new Error('refused');
    const bytes = Buffer.from(r.reservationId, 'base64url');
    // The amount (bytes 7-13) raised, so that settling would release more than was reserved.
    const raised = Buffer.from(bytes);
    raised.writeUIntBE(999_999, 8, 6);
    // The window's start (bytes 21-26) moved to another window of the key.
    const moved = Buffer.from(bytes);
    moved.writeUIntBE(clock + 86_400_000, 21, 6);
    for (const id of [raised.toString('base64url'), moved.toString('base64url'), `${r.reservationId.slice(0, 47)}A`]) {
      expect(await ledger.settle(id, 10, key)).toEqual({ outcome: 'UNKNOWN' });
    }
    expect(await stranger.settle(r.reservationId, 10, key)).toEqual({ outcome: 'UNKNOWN' });
    expect(await ledger.state(window)).toEqual({ settledMicros: 0, reservedMicros: 600 });
    expect(await ledger.settle(r.reservationId, 10, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await ledger.state(window)).toEqual({ settledMicros: 10, reservedMicros: 0 });
  });

  // Between the per-window hash and signed ids, a reservation's record held its amount (a), and its
  // entry in the window was its bare id: those settle and expire from their record.
  it('settles and releases reservations whose record holds the amount', async () => {
    const redis = await client();
    const ledger = new RedisSpendLedger(redis, prefix, TTL_MS, SECRET, now);
    const key = `recorded-${randomBytes(4).toString('hex')}`;
    const window = `${key}:TOTAL:0`;
    for (const [id, amount, expiresAt] of [['rec-settled', 300, clock + TTL_MS], ['rec-expired', 200, clock + 1]] as const) {
      await redis.hincrby(`${prefix}spend:w:${window}`, 'reserved', amount);
      await redis.zadd(`${prefix}spend:z:${window}`, expiresAt, id);
      await redis.hset(`${prefix}spend:r:${id}`, 'w', window, 'a', amount, 's', '0');
    }
    expect(await ledger.settle('rec-settled', 120, key)).toEqual({ outcome: 'SETTLED', window });
    expect(await ledger.settle('rec-settled', 120, key)).toEqual({ outcome: 'DUPLICATE', window });
    expect(await ledger.state(window)).toEqual({ settledMicros: 120, reservedMicros: 200 });
    clock += 10;
    expect(await ledger.state(window)).toEqual({ settledMicros: 120, reservedMicros: 0 });
  });
});
