import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { freshDatabase, TEST_DB, type TestDatabase } from './helpers/database';
import { endpoint, login } from './helpers/graphql';
import { createKey, orgOf, removeKey, sleep, verifyHttp } from './helpers/keys';
import { hasRedisServer, startRedisProcess, type RedisProcess } from './helpers/redis-process';
import { buildServer, freePort, startServerProcess, type ServerProcess } from './helpers/server-process';
import { loop, verifySample, type Sample } from './helpers/traffic';

/**
 * A private redis-server, killed (SIGKILL) and started again on the same port while two real
 * server processes verify keys through it. MySQL/MariaDB only: two nodes need a shared database
 * (the SQLite pass runs redis-outage.test.ts, with Redis unreachable from the start).
 */
(TEST_DB === 'mysql' ? describe : describe.skip)('Redis killed and started again under traffic, two nodes (MySQL/MariaDB pass only)', () => {
  jest.setTimeout(90_000);
  let db: TestDatabase;
  let redis: RedisProcess;
  const running: ServerProcess[] = [];

  beforeAll(async () => {
    if (!hasRedisServer()) throw new Error('redis-server is not on PATH (Debian: apt-get install redis-server)');
    buildServer();
    db = await freshDatabase();
    redis = await startRedisProcess();
  });
  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await redis?.stop();
    await db?.drop();
  });

  /** Cache hits of a node so far, from its Prometheus endpoint. */
  async function cacheHits(metricsPort: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    return Number(/pulze_api_keys_verification_cache_lookups\{result="hit"\} (\d+)/.exec(text)?.[1] ?? NaN);
  }

  it('keeps verifying and revoking while Redis is away, and each node clears its cache when Redis is back', async () => {
    const env = {
      DATABASE_URL: (db.database as { url: string }).url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATA_DIR: db.dataDir,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `pulze-redis-${process.pid}-${randomBytes(4).toString('hex')}:`,
      VERIFY_CACHE_TTL_MS: '600000',
      RATE_LIMIT_PULZE_X_SUITE: '100000',
    };
    const a = await startServerProcess('A', { ...env, SEED_DEMO: 'true' });
    running.push(a);
    const metricsB = String(await freePort());
    const b = await startServerProcess('B', { ...env, SEED_DEMO: 'false', METRICS_PORT: metricsB });
    running.push(b);
    const [apiA, apiB] = [endpoint(a.url), endpoint(b.url)];
    const token = await login(apiA, 'owner@acme.test');
    const org = await orgOf(apiA, token, 'Acme AI');
    const space = org.spaces.Production!;
    const keep = await createKey(apiA, token, space, 'redis-keep');
    const removedDuring = await createKey(apiA, token, space, 'redis-removed-during');
    const missed = await createKey(apiA, token, space, 'redis-missed-message');
    const removedAfter = await createKey(apiA, token, space, 'redis-removed-after');
    for (const api of [apiA, apiB]) for (const key of [keep, removedDuring, missed, removedAfter]) expect((await verifyHttp(api, key.secret)).status).toBe(200);

    const samples: Sample[] = [];
    let stopAt = Infinity;
    const until = () => Date.now() >= stopAt;
    const workers = [apiA, apiB].map((api, i) => loop(until, async () => void samples.push(await verifySample(api, `node-${'AB'[i]}`, keep.secret)), 5));
    await sleep(500);

    const killAt = Date.now();
    await redis.kill();
    await sleep(500);
    // Revocation through A while Redis is away: A refuses at once, and B, which does not trust its cache now, too.
    await removeKey(apiA, token, removedDuring.id);
    const duringA = await verifyHttp(apiA, removedDuring.secret);
    const duringB = await verifyHttp(apiB, removedDuring.secret);
    // A change whose invalidation B will never receive (as when a publish is lost): made in SQL.
    const conn = await createConnection(env.DATABASE_URL);
    await conn.query('UPDATE api_keys SET removedAt = NOW(3) WHERE id = ?', [missed.id]);
    await conn.end();
    await sleep(2000);

    const restartAt = Date.now();
    await redis.start();
    // B trusts its cache again once it has resubscribed: its cache hits move again.
    const hitsBefore = await cacheHits(metricsB);
    let trustedAfter = -1;
    while (Date.now() - restartAt < 10_000) {
      await verifyHttp(apiB, keep.secret);
      if ((await cacheHits(metricsB)) > hitsBefore + 1) {
        trustedAfter = Date.now() - restartAt;
        break;
      }
      await sleep(50);
    }
    // Its entry for `missed` was cached before the outage with a 10-minute TTL: only the clear on resync drops it.
    const missedOnB = await verifyHttp(apiB, missed.secret);
    // Pub/sub works again: a removal through A reaches B's trusted cache within 1 s.
    await removeKey(apiA, token, removedAfter.id);
    const removedAt = Date.now();
    let afterB = await verifyHttp(apiB, removedAfter.secret);
    while (afterB.status === 200 && Date.now() - removedAt < 1000) {
      await sleep(10);
      afterB = await verifyHttp(apiB, removedAfter.secret);
    }
    const bRefusedAfter = Date.now() - removedAt;
    stopAt = Date.now() + 500;
    await Promise.all(workers);

    const outage = samples.filter((s) => s.start >= killAt && s.end <= restartAt);
    console.log(
      `redis killed for ${restartAt - killAt} ms: ${outage.length} checks of a valid key on A and B meanwhile (${outage.filter((s) => s.status === 200).length} valid); ` +
        `removal through A refused by A ${duringA.status} and B ${duringB.status} at once; B trusted its cache again ${trustedAfter} ms after Redis restarted; ` +
        `the key whose invalidation was lost: ${missedOnB.status} ${missedOnB.body.code} on B; a later removal reached B in ${bRefusedAfter} ms`,
    );
    expect(outage.length).toBeGreaterThan(50);
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    expect([duringA.status, duringA.body.code]).toEqual([401, 'REVOKED']);
    expect([duringB.status, duringB.body.code]).toEqual([401, 'REVOKED']);
    expect(trustedAfter).toBeGreaterThanOrEqual(0);
    expect([missedOnB.status, missedOnB.body.code]).toEqual([401, 'REVOKED']);
    expect([afterB.status, afterB.body.code]).toEqual([401, 'REVOKED']);
    expect(bRefusedAfter).toBeLessThan(1000);
  });
});
