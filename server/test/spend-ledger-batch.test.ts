import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../src/lib/logger';
import { KeyRateLimiter, RIDDEN_BATCH_MAX } from '../src/lib/rate-limit';
import { RedisSpendLedger } from '../src/modules/spend/spend-ledger';

/**
 * The reservations of one turn of the event loop go to Redis in one script call, each decided as if
 * alone and in the order asked: a batch over the limit grants exactly what fits, the first ones.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `pulze-spend-batch-${randomBytes(4).toString('hex')}:`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

/** The reservation ids' secret. */
const SECRET = 'the secret the test nodes share';

describe('RedisSpendLedger batches the reservations of one turn', () => {
  it('sends one script call for 50 reservations of two windows, granting what fits in order', async () => {
    const ledger = new RedisSpendLedger(redis, prefix, 60_000, SECRET);
    const calls = jest.spyOn(redis, 'evalsha');
    const windowEndsAt = Date.now() + 86_400_000;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ledger.reserve({ window: i % 2 ? 'b:DAILY:0' : 'a:DAILY:0', limitMicros: i % 2 ? 1000 : null, amountMicros: 100, windowEndsAt })),
    );
    expect(calls).toHaveBeenCalledTimes(1);
    calls.mockRestore();
    // Window a has no limit: all 25 granted. Window b: the first 10 of its 25 fit 1000, in order.
    const a = results.filter((_, i) => i % 2 === 0);
    const b = results.filter((_, i) => i % 2 === 1);
    expect(a.every((r) => r.ok)).toBe(true);
    expect(b.map((r) => r.ok)).toEqual([...Array(10).fill(true), ...Array(15).fill(false)]);
    expect(b.map((r) => r.reservedMicros).slice(0, 11)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1000]);
    expect(new Set(results.flatMap((r) => (r.ok ? [r.reservationId] : []))).size).toBe(35);
    expect(await ledger.state('b:DAILY:0')).toEqual({ settledMicros: 0, reservedMicros: 1000 });
    // A reservation of the batch settles like any other.
    const first = b[0]!;
    if (!first.ok) throw new Error('first reservation refused');
    expect((await ledger.settle(first.reservationId, 40, 'b')).outcome).toBe('SETTLED');
    expect(await ledger.state('b:DAILY:0')).toEqual({ settledMicros: 40, reservedMicros: 900 });
  });

  it('refuses every reservation of a batch that Redis cannot take', async () => {
    const broken = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const ledger = new RedisSpendLedger(broken, prefix, 60_000, SECRET);
    const results = await Promise.allSettled([1, 2, 3].map(() => ledger.reserve({ window: 'c:DAILY:0', limitMicros: 1000, amountMicros: 1, windowEndsAt: null })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    broken.disconnect();
  });
});

describe('reservations in the script call of the rate limit', () => {
  const settings = (limit: number) => ({ windowSeconds: 60, perPlan: { FREE: limit, PULZE_ONE: limit, PULZE_X_SUITE: limit } });
  const logger = createLogger('silent');

  it('decide the rate limit first, in order across calls of one turn, and reserve only what it lets through', async () => {
    const ledger = new RedisSpendLedger(redis, prefix, 60_000, SECRET);
    const limiter = new KeyRateLimiter(settings(230), logger, { client: redis, prefix }, Date.now, ledger.rider);
    const calls = jest.spyOn(redis, 'evalsha');
    const windowEndsAt = Date.now() + 86_400_000;
    // One key, 250 checks: more than one call carries, so two calls, the second continuing the first's places.
    const checks = Array.from({ length: 250 }, () => {
      const { work, reservation } = ledger.reserveWithRateLimit({ window: 'd:DAILY:0', limitMicros: 10_000, amountMicros: 10, windowEndsAt });
      return { rate: limiter.consume('d', 'FREE', work), reservation };
    });
    const rates = await Promise.all(checks.map((c) => c.rate));
    const reservations = await Promise.all(checks.map((c) => c.reservation));
    expect(calls).toHaveBeenCalledTimes(Math.ceil(250 / RIDDEN_BATCH_MAX));
    calls.mockRestore();
    expect(rates.map((r) => r.allowed)).toEqual([...Array(230).fill(true), ...Array(20).fill(false)]);
    expect(rates.map((r) => r.remaining).slice(228, 231)).toEqual([1, 0, 0]);
    expect(reservations.map((r) => (r === null ? 'none' : r.ok))).toEqual([...Array(230).fill(true), ...Array(20).fill('none')]);
    expect(reservations[229]).toMatchObject({ settledMicros: 0, reservedMicros: 2300 });
    expect(await ledger.state('d:DAILY:0')).toEqual({ settledMicros: 0, reservedMicros: 2300 });
    expect(await redis.zcard(`${prefix}spend:z:d:DAILY:0`)).toBe(230);
  });

  it('leaves a reservation to the ledger when the rate limit is not on Redis, and fails it when Redis cannot answer', async () => {
    const ledger = new RedisSpendLedger(redis, prefix, 60_000, SECRET);
    const alone = ledger.reserveWithRateLimit({ window: 'e:DAILY:0', limitMicros: 100, amountMicros: 60, windowEndsAt: null });
    const inMemory = new KeyRateLimiter(settings(5), logger, undefined, Date.now, ledger.rider);
    expect((await inMemory.consume('e', 'FREE', alone.work)).allowed).toBe(true);
    expect(await alone.reservation).toMatchObject({ ok: true, reservedMicros: 60 });

    const broken = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    (broken as { status: string }).status = 'ready';
    const failing = new KeyRateLimiter(settings(5), logger, { client: broken, prefix }, Date.now, ledger.rider);
    const failed = ledger.reserveWithRateLimit({ window: 'e:DAILY:0', limitMicros: 100, amountMicros: 10, windowEndsAt: null });
    const rate = await failing.consume('e', 'FREE', failed.work);
    expect(rate).toMatchObject({ allowed: true, remaining: 4 });
    await expect(failed.reservation).rejects.toThrow();
    broken.disconnect();
  });
});
