import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../src/lib/logger';
import { TokenLimiter } from '../src/lib/token-limit';
import { TEST_DB } from './helpers/database';
import type { SpaceRef } from './helpers/factories';
import { ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

/**
 * Token limits per key (tokensPerMinute) and the spend left of a budget, through the server on
 * Redis: settled usage reports and the gateway's estimates count against the key's window, past it
 * verification answers 429 RATE_LIMITED with Retry-After and X-RateLimit-*-Tokens, and a new window
 * lets calls through again. The limiter itself is checked with a clock of its own, in memory and
 * shared by two nodes on Redis.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `pulze-tpm-test-${randomBytes(4).toString('hex')}:`;
const logger = createLogger('silent');
const clients: Redis[] = [];

async function redisClient(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clients.push(redis);
  if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

afterAll(async () => {
  const redis = await redisClient();
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await Promise.all(clients.map((c) => c.quit()));
});

describe('the token limiter', () => {
  for (const shared of [false, true]) {
    it(`${shared ? 'on Redis, shared by two nodes' : 'in memory'}: counts reports and estimates, refuses a used-up window, starts again in the next`, async () => {
      let now = 60_000 * 16_666_667 + 5_000; // 5 s into a window
      const clock = () => now;
      const redis = shared ? { client: await redisClient(), prefix: `${PREFIX}${randomBytes(3).toString('hex')}:` } : undefined;
      const a = new TokenLimiter(60_000, logger, redis, clock);
      const b = shared ? new TokenLimiter(60_000, logger, { client: await redisClient(), prefix: redis!.prefix }, clock) : a;
      // Reported on A: 700 of 1000.
      await a.add([{ keyId: 'k1', tokens: 700 }]);
      expect(await b.check('k1', 1000, 0)).toEqual({ allowed: true, limit: 1000, remaining: 300, resetSeconds: 55 });
      // An estimate that would pass the limit is refused and not counted; one that fits is counted at once.
      expect(await b.check('k1', 1000, 301)).toEqual({ allowed: false, limit: 1000, remaining: 0, resetSeconds: 55 });
      expect(await a.check('k1', 1000, 300)).toMatchObject({ allowed: true, remaining: 0 });
      // Used up: even a call without an estimate is refused, on either node.
      expect((await b.check('k1', 1000, 0)).allowed).toBe(false);
      expect((await a.check('k1', 1000, 0)).allowed).toBe(false);
      // Another key has its own window.
      expect((await b.check('k2', 1000, 0)).allowed).toBe(true);
      // The next window starts from nothing.
      now += 55_000;
      expect(await b.check('k1', 1000, 0)).toEqual({ allowed: true, limit: 1000, remaining: 1000, resetSeconds: 60 });
      // A call's report replaces the estimate its check counted under its reservation, once.
      expect(await a.check('k1', 1000, 400, 'r1')).toMatchObject({ allowed: true, remaining: 600 });
      expect(await b.check('k1', 1000, 100, 'r2')).toMatchObject({ allowed: true, remaining: 500 });
      await b.add([{ keyId: 'k1', tokens: 150, reservationId: 'r1' }]);
      expect(await a.check('k1', 1000, 0)).toMatchObject({ remaining: 750 });
      await a.add([{ keyId: 'k1', tokens: 300, reservationId: 'r2' }, { keyId: 'k1', tokens: 20 }]);
      expect(await b.check('k1', 1000, 0)).toMatchObject({ remaining: 530 });
      // An estimate counted in an earlier window stays there; the report counts whole in the current one.
      expect(await a.check('k1', 1000, 200, 'r3')).toMatchObject({ remaining: 330 });
      now += 60_000;
      await b.add([{ keyId: 'k1', tokens: 50, reservationId: 'r3' }]);
      expect(await a.check('k1', 1000, 0)).toMatchObject({ remaining: 950 });
    });
  }
});

describe(`token limits and spend left through the server on ${TEST_DB} with Redis`, () => {
  let t: TestApp;
  let space: SpaceRef;
  let token: string;

  beforeAll(async () => {
    // 1-second windows, so that a test sees the next one begin without a long wait.
    t = await startTestApp({
      SEED_DEMO: 'false',
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      USAGE_REPORT_TOKEN,
      USAGE_FLUSH_INTERVAL_MS: '600000',
      TOKEN_LIMIT_WINDOW_SECONDS: '1',
      VERIFY_CACHE_TTL_MS: '600000',
      RATE_LIMIT_PULZE_X_SUITE: '100000',
    });
    ({ space, token } = await ownedSpace(t));
  });
  afterAll(async () => {
    await t?.stop();
  });

  const gql = (query: string, variables: Record<string, unknown> = {}) => t.gql<any>(query, variables, token);
  const check = async (secret: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': 'openai/gpt-4o', ...headers } });
    const body = (await res.json()) as { code: string; reservationId?: string };
    const h = (name: string) => res.headers.get(name);
    return {
      status: res.status,
      code: body.code,
      reservationId: body.reservationId,
      limit: h('x-ratelimit-limit-tokens'),
      remaining: h('x-ratelimit-remaining-tokens'),
      reset: h('x-ratelimit-reset-tokens'),
      retryAfter: h('retry-after'),
    };
  };
  const report = async (reservationId: string, keyId: string, inputTokens: number, outputTokens: number, costMicros = 0) => {
    const res = await sendUsage(t.url, { reports: [{ reservationId, keyId, model: 'openai/gpt-4o', inputTokens, outputTokens, costMicros, status: 200, latencyMs: 100 }] });
    expect(res.status).toBe(200);
    return res.json();
  };
  const created = async (name: string) => {
    const res = await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id tokensPerMinute } } }', { input: { spaceId: space.id, name } });
    expect(res.data.createApiKey.apiKey.tokensPerMinute).toBeNull();
    return { id: res.data.createApiKey.apiKey.id as string, secret: res.data.createApiKey.secret as string };
  };
  const setTpm = (id: string, tokensPerMinute: number | null) =>
    gql('mutation($input: SetApiKeyTokensPerMinuteInput!) { setApiKeyTokensPerMinute(input: $input) { id tokensPerMinute } }', { input: { id, tokensPerMinute } });
  /** Waits for the start of the next 1-second window, leaving the whole window for what follows. */
  const nextWindow = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));

  it('validates tokensPerMinute and sends no token headers for a key without one', async () => {
    const key = await created('Unlimited tokens');
    for (const bad of [0, -1, 100_000_001]) {
      const res = await setTpm(key.id, bad);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('tokensPerMinute');
    }
    expect(await check(key.secret, { 'x-pulze-token-estimate': '1000000' })).toMatchObject({ status: 200, code: 'VALID', limit: null, remaining: null, reset: null });
    const bounded = await gql('query($k: String!) { verifyApiKey(key: $k, model: "openai/gpt-4o", tokenEstimate: -1) { code } }', { k: key.secret });
    expect(codeOf(bounded)).toBe('BAD_USER_INPUT');
    expect(bounded.errors?.[0]?.extensions?.field).toBe('tokenEstimate');
  });

  it('counts settled reports against the window, refuses with 429 and the three headers, and lets calls through in the next window', async () => {
    const key = await created('Token limited');
    expect((await setTpm(key.id, 1000)).data.setApiKeyTokensPerMinute.tokensPerMinute).toBe(1000);
    await nextWindow();
    const first = await check(key.secret, { 'x-pulze-cost-estimate': '0' });
    expect(first).toMatchObject({ status: 200, code: 'VALID', limit: '1000', remaining: '1000', reset: '1' });
    // 600 + 400 tokens settled: the window is used up. The same report again counts nothing more.
    expect(await report(first.reservationId!, key.id, 600, 400)).toMatchObject({ settled: 1 });
    expect(await report(first.reservationId!, key.id, 600, 400)).toMatchObject({ settled: 0, duplicates: 1 });
    const refused = await check(key.secret);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', limit: '1000', remaining: '0', reset: '1', retryAfter: '1' });
    // GraphQL answers the same.
    const viaGraphql = await gql('query($k: String!) { verifyApiKey(key: $k, model: "openai/gpt-4o") { code valid keyId } }', { k: key.secret });
    expect(viaGraphql.data.verifyApiKey).toEqual({ code: 'RATE_LIMITED', valid: false, keyId: null });
    await nextWindow();
    expect(await check(key.secret)).toMatchObject({ status: 200, code: 'VALID', remaining: '1000' });
  });

  it('counts an estimate at once, refusing one that would pass the limit', async () => {
    const key = await created('Estimated tokens');
    expect(codeOf(await setTpm(key.id, 1000))).toBe('OK');
    await nextWindow();
    expect(await check(key.secret, { 'x-pulze-token-estimate': '600' })).toMatchObject({ status: 200, remaining: '400' });
    expect(await check(key.secret, { 'x-pulze-token-estimate': '600' })).toMatchObject({ status: 429, code: 'RATE_LIMITED', remaining: '0' });
    const viaGraphql = await gql('query($k: String!) { verifyApiKey(key: $k, model: "openai/gpt-4o", tokenEstimate: 400) { code } }', { k: key.secret });
    expect(viaGraphql.data.verifyApiKey.code).toBe('VALID');
    expect(await check(key.secret)).toMatchObject({ status: 429, remaining: '0' });
    // A reported call's tokens replace the estimate its check counted.
    await nextWindow();
    const estimated = await check(key.secret, { 'x-pulze-token-estimate': '700', 'x-pulze-cost-estimate': '0' });
    expect(estimated).toMatchObject({ status: 200, remaining: '300' });
    await report(estimated.reservationId!, key.id, 100, 50);
    expect(await check(key.secret)).toMatchObject({ status: 200, remaining: '850' });
    // A check refused for its tokens releases the reservation it made.
    const refused = await check(key.secret, { 'x-pulze-token-estimate': '900', 'x-pulze-cost-estimate': '5' });
    expect(refused).toMatchObject({ status: 429, reservationId: undefined });
    // An estimate that is not a bounded whole number is no estimate.
    await nextWindow();
    expect(await check(key.secret, { 'x-pulze-token-estimate': '1e9' })).toMatchObject({ status: 200, remaining: '1000' });
    // Removing the limit applies at once to the cached key.
    expect(codeOf(await setTpm(key.id, null))).toBe('OK');
    expect(await check(key.secret, { 'x-pulze-token-estimate': '5000' })).toMatchObject({ status: 200, limit: null });
  });

  it('audits a change of tokensPerMinute with before and after', async () => {
    const key = await created('Audited tokens');
    expect(codeOf(await setTpm(key.id, 500))).toBe('OK');
    expect(codeOf(await setTpm(key.id, 800))).toBe('OK');
    const audit = await gql('query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k, action: TOKENS_PER_MINUTE_CHANGED) { items { action changes { field before after } } } }', {
      o: space.organizationId,
      k: key.id,
    });
    const changes = audit.data.auditEvents.items.map((e: any) => e.changes);
    expect(changes).toHaveLength(2);
    expect(changes).toEqual(
      expect.arrayContaining([[{ field: 'tokensPerMinute', before: '500', after: '800' }], [{ field: 'tokensPerMinute', before: null, after: '500' }]]),
    );
  });

  it('shows the spend left of a budget after a reservation and a settlement, a page of keys read in one batch', async () => {
    const key = await created('Spend left');
    const set = await gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80 } } });
    expect(set.errors).toBeUndefined();
    const BUDGET = 'query($id: ID!) { apiKey(id: $id) { createdAt budget { limitMicros spentMicros reservedMicros remainingMicros windowStartsAt windowEndsAt } } }';
    const fresh = (await gql(BUDGET, { id: key.id })).data.apiKey;
    expect(fresh.budget).toMatchObject({ spentMicros: 0, reservedMicros: 0, remainingMicros: 1000 });
    expect(Date.parse(fresh.budget.windowStartsAt)).toBe(Date.parse(fresh.createdAt));
    expect(Date.parse(fresh.budget.windowEndsAt) - Date.parse(fresh.budget.windowStartsAt)).toBe(86_400_000);

    const reserved = await check(key.secret, { 'x-pulze-cost-estimate': '600' });
    expect(reserved.status).toBe(200);
    expect((await gql(BUDGET, { id: key.id })).data.apiKey.budget).toMatchObject({ spentMicros: 0, reservedMicros: 600, remainingMicros: 400 });
    await report(reserved.reservationId!, key.id, 10, 10, 250);
    expect((await gql(BUDGET, { id: key.id })).data.apiKey.budget).toMatchObject({ spentMicros: 250, reservedMicros: 0, remainingMicros: 750 });
    // Overspent: remaining stays at 0.
    const more = await check(key.secret, { 'x-pulze-cost-estimate': '750' });
    await report(more.reservationId!, key.id, 10, 10, 2000);
    expect((await gql(BUDGET, { id: key.id })).data.apiKey.budget).toMatchObject({ spentMicros: 2250, remainingMicros: 0 });

    // A page of keys with budgets: their windows come from the ledger in one call.
    const others = await Promise.all([1, 2, 3].map((i) => created(`Page ${i}`)));
    for (const other of others) {
      await gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: other.id, budget: { limitMicros: 5000, period: 'TOTAL', warnAtPercent: 80 } } });
    }
    const states = jest.spyOn(t.app.services.spend, 'states');
    try {
      const page = await gql('query($o: ID!) { apiKeys(organizationId: $o, pageSize: 50) { items { id budget { remainingMicros spentMicros windowEndsAt } } } }', { o: space.organizationId });
      const budgets = page.data.apiKeys.items.filter((k: any) => k.budget);
      expect(budgets.length).toBeGreaterThanOrEqual(4);
      expect(budgets.find((k: any) => k.id === others[0]!.id).budget).toEqual({ remainingMicros: 5000, spentMicros: 0, windowEndsAt: null });
      expect(states).toHaveBeenCalledTimes(1);
      expect(states.mock.calls[0]![0]).toHaveLength(budgets.length);
    } finally {
      states.mockRestore();
    }
  });
});
