import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../src/lib/logger';
import { KeyRateLimiter, REDIS_DEADLINE_MS, type RateLimitDecision } from '../src/lib/rate-limit';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';

/**
 * The shared rate limit on a real Redis (127.0.0.1:6379): checks that arrive together go to Redis
 * in one script call, and must be decided exactly as one request at a time would be.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger('silent');
const settings = (limit: number, windowSeconds = 60) => ({ windowSeconds, perPlan: { FREE: limit, PULZE_ONE: limit, PULZE_X_SUITE: limit } });

const clients: Redis[] = [];
let prefix: string;

async function client(url = REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  clients.push(redis);
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

beforeEach(() => {
  prefix = `pulze-rl-test-${randomBytes(4).toString('hex')}:`;
});
afterAll(async () => {
  const redis = await client();
  const keys = await redis.keys('pulze-rl-test-*');
  if (keys.length) await redis.del(...keys);
  await Promise.all(clients.map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())));
});

const allowed = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed);

describe('the shared rate limit on Redis', () => {
  it('lets exactly the limit through when two nodes are hit by the same key at once', async () => {
    const a = new KeyRateLimiter(settings(50), logger, { client: await client(), prefix });
    const b = new KeyRateLimiter(settings(50), logger, { client: await client(), prefix });
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).consume('hot-key', 'PULZE_X_SUITE')));
    const through = allowed(decisions);
    expect(through).toHaveLength(50);
    // Each request let through had its own place in the window: remaining 49, 48, ..., 0 once each.
    expect(through.map((d) => d.remaining).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (const refused of decisions.filter((d) => !d.allowed)) {
      expect(refused).toMatchObject({ remaining: 0, limit: 50 });
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    // What Redis holds is every request counted, refused ones included (a fixed window).
    expect(Number(await (await client()).get(`${prefix}rl:PULZE_X_SUITE:hot-key`))).toBe(200);
  });

  it('keeps the keys of one batch apart, and the order of a key in its batch', async () => {
    const limiter = new KeyRateLimiter(settings(3), logger, { client: await client(), prefix });
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    const first = await Promise.all(keys.flatMap((key) => [0, 1, 2, 3].map(() => limiter.consume(key, 'FREE'))));
    for (let k = 0; k < keys.length; k++) {
      expect(first.slice(k * 4, k * 4 + 4).map((d) => [d.allowed, d.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
    }
  });

  it('starts a new window when the old one ends', async () => {
    const limiter = new KeyRateLimiter(settings(2, 1), logger, { client: await client(), prefix });
    const first = await Promise.all([1, 2, 3].map(() => limiter.consume('k', 'FREE')));
    expect(first.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(first[2]?.resetAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await limiter.consume('k', 'FREE')).allowed).toBe(true);
  });

  describe('when Redis cannot answer', () => {
    let proxy: TcpProxy;
    beforeEach(async () => {
      const url = new URL(REDIS_URL);
      proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    });
    afterEach(async () => {
      await proxy.close();
    });

    it('limits in memory at once while the connection is down', async () => {
      const redis = await client(`redis://127.0.0.1:${proxy.port}`);
      const limiter = new KeyRateLimiter(settings(3), logger, { client: redis, prefix });
      proxy.cut();
      await new Promise((r) => setTimeout(r, 50));
      expect(redis.status).not.toBe('ready');
      const started = Date.now();
      const decisions = await Promise.all([1, 2, 3, 4].map(() => limiter.consume('k', 'FREE')));
      expect(Date.now() - started).toBeLessThan(100);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      redis.disconnect();
    });

    it(`decides in memory when Redis takes longer than ${REDIS_DEADLINE_MS} ms`, async () => {
      const redis = await client(`redis://127.0.0.1:${proxy.port}`);
      const limiter = new KeyRateLimiter(settings(3), logger, { client: redis, prefix });
      proxy.setLatency(REDIS_DEADLINE_MS * 2);
      const started = Date.now();
      const decisions = await Promise.all([1, 2, 3, 4].map(() => limiter.consume('slow', 'FREE')));
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(REDIS_DEADLINE_MS - 20);
      expect(took).toBeLessThan(REDIS_DEADLINE_MS * 2);
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      // The late answer arrives and changes nothing that was decided.
      await new Promise((r) => setTimeout(r, REDIS_DEADLINE_MS * 3));
      expect(Number(await (await client()).get(`${prefix}rl:FREE:slow`))).toBe(4);
      proxy.setLatency(0);
      redis.disconnect();
    });
  });
});
