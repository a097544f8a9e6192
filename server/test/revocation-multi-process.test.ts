import { createConnection } from 'mysql2/promise';
import { createKey, endpoint, login, orgOf, removeKey, sleep, verifyHttp, type Endpoint } from './helpers/keys';
import type { ServerProcess } from './helpers/server-process';
import { describeOnMysql, startTwoNodes, type TwoNodes } from './helpers/two-nodes';

const LIMIT = 30;

/**
 * Two real server processes (A and B) on one MariaDB/MySQL database and one Redis. MySQL only:
 * the embedded SQLite default is a single-node setup.
 */
describeOnMysql('two server processes on one database with Redis', () => {
  jest.setTimeout(120_000);
  let nodes: TwoNodes;
  let a: Endpoint;
  let b: Endpoint;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };

  /** Polls a process until the key gets the code; returns the milliseconds it took. */
  async function timeUntil(target: Endpoint, key: string, code: string, since: number): Promise<number> {
    for (;;) {
      const res = await verifyHttp(target, key);
      if (res.body.code === code) return Date.now() - since;
      expect(res.body.code).toBe('VALID');
      if (Date.now() - since > 5000) throw new Error(`still ${res.body.code} after 5 s`);
      await sleep(10);
    }
  }

  beforeAll(async () => {
    nodes = await startTwoNodes({
      // Long enough that only the invalidation channel, not expiry, can explain a refusal on B.
      VERIFY_CACHE_TTL_MS: '600000',
      RATE_LIMIT_PULZE_X_SUITE: String(LIMIT),
      RATE_LIMIT_WINDOW_SECONDS: '600',
      USAGE_FLUSH_INTERVAL_MS: '1000',
    });
    ({ a, b } = nodes);
    owner = await login(a, 'owner@acme.test');
    acme = await orgOf(a, owner, 'Acme AI');
  });

  afterAll(async () => {
    await nodes?.close();
  });

  it('a key removed through A is refused by A at once and by B within 1 s', async () => {
    const key = await createKey(a, owner, acme.spaces.Production!);
    // Both processes have the key's facts cached.
    for (const target of [a, b, a, b]) expect((await verifyHttp(target, key.secret)).status).toBe(200);
    await removeKey(a, owner, key.id);
    const removedAt = Date.now();
    const onA = await verifyHttp(a, key.secret);
    expect([onA.status, onA.body.code]).toEqual([401, 'REVOKED']);
    const elapsed = await timeUntil(b, key.secret, 'REVOKED', removedAt);
    console.log(`revocation: B refused the key removed through A after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
  });

  it('a space deleted through A stops its keys on B within 1 s', async () => {
    const created = await a.gql('mutation($input: CreateSpaceInput!) { createSpace(input: $input) { id } }', { input: { organizationId: acme.id, name: 'Temporary' } }, owner);
    const spaceId = created.data!.createSpace.id as string;
    const key = await createKey(a, owner, spaceId);
    for (const target of [a, b, b]) expect((await verifyHttp(target, key.secret)).status).toBe(200);
    const deleted = await a.gql('mutation($id: ID!) { deleteSpace(id: $id) }', { id: spaceId }, owner);
    expect(deleted.data?.deleteSpace).toBe(true);
    const since = Date.now();
    const elapsed = await timeUntil(b, key.secret, 'SPACE_NOT_FOUND', since);
    console.log(`space deletion: B refused the key after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
  });

  it('a key disabled through A is refused by A at once and by B within 1 s; enabled, it works on both again', async () => {
    const key = await createKey(a, owner, acme.spaces.Production!);
    for (const target of [a, b, a, b]) expect((await verifyHttp(target, key.secret)).status).toBe(200);
    const disabled = await a.gql('mutation($id: ID!) { disableApiKey(id: $id) { status } }', { id: key.id }, owner);
    expect(disabled.data?.disableApiKey.status).toBe('DISABLED');
    const since = Date.now();
    const onA = await verifyHttp(a, key.secret);
    expect([onA.status, onA.body.code]).toEqual([401, 'DISABLED']);
    const elapsed = await timeUntil(b, key.secret, 'DISABLED', since);
    console.log(`disable: B refused the key disabled through A after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
    expect((await a.gql('mutation($id: ID!) { enableApiKey(id: $id) { status } }', { id: key.id }, owner)).data?.enableApiKey.status).toBe('ACTIVE');
    const deadline = Date.now() + 1000;
    while ((await verifyHttp(b, key.secret)).status !== 200) {
      if (Date.now() > deadline) throw new Error('B still refuses the enabled key after 1 s');
      await sleep(10);
    }
    expect((await verifyHttp(a, key.secret)).status).toBe(200);
  });

  it('a key rolled through A with no grace period: its old secret is refused by A at once and by B within 1 s', async () => {
    const key = await createKey(a, owner, acme.spaces.Production!);
    for (const target of [a, b, a, b]) expect((await verifyHttp(target, key.secret)).status).toBe(200);
    const rolled = await a.gql(
      'mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { id } } }',
      { input: { id: key.id, gracePeriodSeconds: 0 } },
      owner,
    );
    const secret = rolled.data!.rollApiKey.secret as string;
    const since = Date.now();
    const onA = await verifyHttp(a, key.secret);
    expect([onA.status, onA.body.code]).toEqual([401, 'REVOKED']);
    const elapsed = await timeUntil(b, key.secret, 'REVOKED', since);
    console.log(`roll without grace: B refused the old secret after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
    for (const target of [a, b]) expect((await verifyHttp(target, secret)).body).toMatchObject({ code: 'VALID', keyId: key.id });
  });

  it('A and B share one rate limit: together they allow no more than the limit', async () => {
    const key = await createKey(a, owner, acme.spaces.Research!);
    const statuses = { A: [] as number[], B: [] as number[] };
    for (let i = 0; i < LIMIT + 20; i++) {
      const [name, target] = i % 2 ? (['B', b] as const) : (['A', a] as const);
      statuses[name].push((await verifyHttp(target, key.secret)).status);
    }
    const allowed = [...statuses.A, ...statuses.B].filter((s) => s === 200).length;
    const limited = [...statuses.A, ...statuses.B].filter((s) => s === 429).length;
    console.log(`shared rate limit ${LIMIT}: A allowed ${statuses.A.filter((s) => s === 200).length}, B allowed ${statuses.B.filter((s) => s === 200).length}`);
    expect(allowed).toBeLessThanOrEqual(LIMIT);
    expect(allowed).toBe(LIMIT);
    expect(limited).toBe(20);
    // Each process alone would have allowed LIMIT: both had refusals before reaching it.
    expect(statuses.A.filter((s) => s === 200).length).toBeLessThan(LIMIT);
    expect(statuses.B.filter((s) => s === 200).length).toBeLessThan(LIMIT);
  });

  it('usage after N verifications is N, and still N after a graceful restart', async () => {
    const key = await createKey(a, owner, acme.spaces.Staging!);
    const N = 20;
    for (let i = 0; i < N; i++) expect((await verifyHttp(i % 2 ? b : a, key.secret)).status).toBe(200);

    const totalOn = async (target: Endpoint, token: string) => {
      const res = await target.gql('query($id: ID!) { apiKey(id: $id) { lastUsedAt usage { totalRequests } } }', { id: key.id }, token);
      return res.data!.apiKey as { lastUsedAt: string | null; usage: { totalRequests: number } };
    };
    const deadline = Date.now() + 5000;
    while ((await totalOn(a, owner)).usage.totalRequests < N && Date.now() < deadline) await sleep(100);
    expect((await totalOn(a, owner)).usage.totalRequests).toBe(N);
    await sleep(1500);
    const flushed = await totalOn(b, owner);
    expect(flushed.usage.totalRequests).toBe(N);
    expect(flushed.lastUsedAt).not.toBeNull();

    // Restart A with a flush interval it will never reach: only the shutdown flush can write these.
    const [pa, pb] = nodes.processes as [ServerProcess, ServerProcess];
    expect(await nodes.stop(pa)).toBe(0);
    const slow = await nodes.start('A (no timed flush)', { SEED_DEMO: 'false', USAGE_FLUSH_INTERVAL_MS: '600000' });
    const M = 6;
    for (let i = 0; i < M; i++) expect((await verifyHttp(slow, key.secret)).status).toBe(200);
    expect(await nodes.stop(slow)).toBe(0);
    expect(await nodes.stop(pb)).toBe(0);

    // Nothing is running now: the database holds the truth.
    const conn = await createConnection(nodes.env.DATABASE_URL!);
    const [rows] = await conn.query('SELECT SUM(requests) AS total FROM api_key_usage_daily WHERE apiKeyId = ?', [key.id]);
    await conn.end();
    expect(Number((rows as Array<{ total: string }>)[0]!.total)).toBe(N + M);

    const again = await nodes.start('A again', { SEED_DEMO: 'false' });
    const target = endpoint(again.url);
    const token = await login(target, 'owner@acme.test');
    expect((await totalOn(target, token)).usage.totalRequests).toBe(N + M);
  });
});
