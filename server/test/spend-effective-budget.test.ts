import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { budgetWindow } from '../src/modules/spend/budget.model';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, newKey, newOrganization, newSpace, newUser, type KeyRef, type OrganizationRef, type SpaceRef } from './helpers/factories';
import { traceQueries, type TimedQuery } from './helpers/query-chain';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/**
 * ApiKey.effectiveBudget: the budget verification holds a key to under its organization's
 * maxBudgetMicros, shown with the spend of the window verification reserves in. A key without a
 * budget under a maximum is held to it per MONTHLY window; one above it is lowered to it; one below
 * it keeps its own; without a maximum it is the key's own budget. The spend shown after settled
 * reports is the spend at which verification answers BUDGET_EXCEEDED: with the ledger in memory and
 * on Redis.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `pulze-effective-budget-test-${randomBytes(4).toString('hex')}:`;
const TOKEN = 'usage-report-token-for-tests-0123456789abcdef';
const DAY_MS = 86_400_000;
let t: TestApp;
let token: string;
let capped: { org: OrganizationRef; space: SpaceRef };
let uncapped: { org: OrganizationRef; space: SpaceRef };
let ownerId: string;

const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> => t.gql<T>(query, variables, token);
const setBudget = async (id: string, budget: Record<string, unknown> | null) => {
  const res = await gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id, budget } });
  expect(codeOf(res)).toBe('OK');
};
const setMax = async (organizationId: string, maxBudgetMicros: number | null) => {
  const res = await gql('mutation($input: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $input) { id } }', {
    input: { organizationId, maxBudgetMicros, allowedModels: [] },
  });
  expect(codeOf(res)).toBe('OK');
};
const FIELDS = 'limitMicros period warnAtPercent spentMicros reservedMicros remainingMicros windowStartsAt windowEndsAt';
const read = async (id: string) => {
  const res = await gql(`query($id: ID!) { apiKey(id: $id) { createdAt budget { ${FIELDS} } effectiveBudget { ${FIELDS} } } }`, { id });
  expect(res.errors).toBeUndefined();
  return res.data.apiKey as { createdAt: string; budget: Record<string, any> | null; effectiveBudget: Record<string, any> | null };
};
const check = async (secret: string, estimate: number) => {
  const res = await fetch(`${t.url}/v1/keys/verify`, {
    headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': String(estimate) },
  });
  const body = (await res.json()) as { code: string; reservationId?: string };
  return { status: res.status, code: body.code, reservationId: body.reservationId };
};
const report = async (key: KeyRef, reservationId: string, costMicros: number) => {
  const res = await fetch(`${t.url}/v1/keys/usage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ reports: [{ reservationId, keyId: key.id, model: 'openai/gpt-4o', inputTokens: 10, outputTokens: 10, costMicros, status: 200, latencyMs: 50 }] }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ settled: 1 });
};
/** A call of the key reserving `estimate` and reported at `cost`. */
const spend = async (key: KeyRef, estimate: number, cost: number) => {
  const checked = await check(key.secret, estimate);
  expect(checked).toMatchObject({ status: 200, code: 'VALID' });
  await report(key, checked.reservationId!, cost);
};

async function start(redis: boolean): Promise<void> {
  t = await startTestApp({
    SEED_DEMO: 'false',
    ...(redis ? { REDIS_URL, REDIS_PREFIX: PREFIX } : {}),
    USAGE_REPORT_TOKEN: TOKEN,
    USAGE_FLUSH_INTERVAL_MS: '600000',
    VERIFY_CACHE_TTL_MS: '600000',
    RATE_LIMIT_PULZE_X_SUITE: '100000',
  });
  const owner = await newUser(t.dataSource);
  ownerId = owner.id;
  for (const which of ['capped', 'uncapped'] as const) {
    const org = await newOrganization(t.dataSource);
    const space = await newSpace(t.dataSource, org);
    await addOrganizationMember(t.dataSource, org, owner, 'OWNER');
    if (which === 'capped') capped = { org, space };
    else uncapped = { org, space };
  }
  token = await t.login(owner.email, owner.password);
}

afterAll(async () => {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
});

describe.each([
  ['in memory', false],
  ['on Redis', true],
])(`ApiKey.effectiveBudget on ${TEST_DB}, the ledger %s`, (_ledger, redis) => {
  beforeAll(() => start(redis));
  afterAll(async () => {
    await t?.stop();
  });

  it("is the organization's maximum per MONTHLY window for a key without a budget, its spend the spend verification enforces", async () => {
    // Created 45 days ago: its current MONTHLY window is its second, from one calendar month after its creation to two.
    const createdAt = new Date(Date.now() - 45 * DAY_MS);
    const key = await newKey(t.dataSource, capped.space, { id: ownerId }, { createdAt });
    await setMax(capped.org.id, 1000);

    const fresh = await read(key.id);
    expect(fresh.budget).toBeNull();
    expect(fresh.effectiveBudget).toMatchObject({ limitMicros: 1000, period: 'MONTHLY', warnAtPercent: 80, spentMicros: 0, reservedMicros: 0, remainingMicros: 1000 });
    const startsAt = Date.parse(fresh.effectiveBudget!.windowStartsAt);
    const endsAt = Date.parse(fresh.effectiveBudget!.windowEndsAt);
    expect({ startsAt, endsAt }).toEqual(budgetWindow(Date.parse(fresh.createdAt), 'MONTHLY', Date.now()));
    expect(startsAt - Date.parse(fresh.createdAt)).toBeGreaterThanOrEqual(28 * DAY_MS);
    expect(startsAt - Date.parse(fresh.createdAt)).toBeLessThanOrEqual(31 * DAY_MS);
    expect(endsAt - startsAt).toBeGreaterThanOrEqual(28 * DAY_MS);
    expect(endsAt - startsAt).toBeLessThanOrEqual(31 * DAY_MS);

    await spend(key, 600, 600);
    expect((await read(key.id)).effectiveBudget).toMatchObject({ spentMicros: 600, reservedMicros: 0, remainingMicros: 400 });
    // What is shown as left is what verification lets through: one micro-USD more is refused.
    expect(await check(key.secret, 401)).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    const last = await check(key.secret, 400);
    expect(last).toMatchObject({ status: 200, code: 'VALID' });
    expect((await read(key.id)).effectiveBudget).toMatchObject({ spentMicros: 600, reservedMicros: 400, remainingMicros: 0 });
    await report(key, last.reservationId!, 400);
    const spent = await read(key.id);
    expect(spent.budget).toBeNull();
    expect(spent.effectiveBudget).toMatchObject({ limitMicros: 1000, spentMicros: 1000, reservedMicros: 0, remainingMicros: 0 });
    expect(await check(key.secret, 1)).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    await setMax(capped.org.id, null);
  });

  it('is the maximum for a key whose own limit is above it, in its own window; its own below it otherwise', async () => {
    const above = await newKey(t.dataSource, capped.space, { id: ownerId });
    const below = await newKey(t.dataSource, capped.space, { id: ownerId });
    await setBudget(above.id, { limitMicros: 5000, period: 'DAILY', warnAtPercent: 50 });
    await setBudget(below.id, { limitMicros: 300, period: 'WEEKLY', warnAtPercent: 90 });
    // Set after the keys' budgets: they keep them, and verification lowers the one above.
    await setMax(capped.org.id, 1000);

    await spend(above, 700, 700);
    const a = await read(above.id);
    expect(a.budget).toMatchObject({ limitMicros: 5000, period: 'DAILY', warnAtPercent: 50, spentMicros: 700, remainingMicros: 4300 });
    expect(a.effectiveBudget).toMatchObject({ limitMicros: 1000, period: 'DAILY', warnAtPercent: 50, spentMicros: 700, reservedMicros: 0, remainingMicros: 300 });
    expect(a.effectiveBudget!.windowStartsAt).toBe(a.budget!.windowStartsAt);
    expect(a.effectiveBudget!.windowEndsAt).toBe(a.budget!.windowEndsAt);
    expect(await check(above.secret, 301)).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    expect(await check(above.secret, 300)).toMatchObject({ status: 200, code: 'VALID' });

    await spend(below, 100, 100);
    const b = await read(below.id);
    expect(b.effectiveBudget).toEqual(b.budget);
    expect(b.effectiveBudget).toMatchObject({ limitMicros: 300, period: 'WEEKLY', warnAtPercent: 90, spentMicros: 100, remainingMicros: 200 });
    expect(await check(below.secret, 201)).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    await setMax(capped.org.id, null);
  });

  it("is the key's own budget, or none, without a maximum", async () => {
    const own = await newKey(t.dataSource, uncapped.space, { id: ownerId });
    const none = await newKey(t.dataSource, uncapped.space, { id: ownerId });
    await setBudget(own.id, { limitMicros: 2500, period: 'TOTAL', warnAtPercent: 75 });
    await spend(own, 100, 40);
    const o = await read(own.id);
    expect(o.effectiveBudget).toEqual(o.budget);
    expect(o.effectiveBudget).toMatchObject({ limitMicros: 2500, period: 'TOTAL', spentMicros: 40, remainingMicros: 2460, windowEndsAt: null });
    expect(await read(none.id)).toMatchObject({ budget: null, effectiveBudget: null });
  });

  it('reads the organization of a page of keys once', async () => {
    await setMax(capped.org.id, 2000);
    for (let i = 0; i < 3; i += 1) await newKey(t.dataSource, capped.space, { id: ownerId });
    const readsOrganizations = (queries: TimedQuery[]) => queries.filter((q) => /\bFROM [`"]?organizations[`"]?/i.test(q.sql)).length;
    const PAGE = (fields: string) => `query($o: ID!) { apiKeys(organizationId: $o, pageSize: 50) { items { id ${fields} } } }`;
    try {
      const plain = await traceQueries(t.dataSource, () => gql(PAGE(''), { o: capped.org.id }));
      expect(plain.result.errors).toBeUndefined();
      const traced = await traceQueries(t.dataSource, () => gql(PAGE('effectiveBudget { limitMicros remainingMicros }'), { o: capped.org.id }));
      const page = traced.result;
      expect(page.errors).toBeUndefined();
      const items = page.data.apiKeys.items as Array<{ effectiveBudget: { limitMicros: number } | null }>;
      expect(items.length).toBeGreaterThanOrEqual(6);
      expect(items.every((k) => k.effectiveBudget !== null && k.effectiveBudget.limitMicros <= 2000)).toBe(true);
      // One read of the organization for the whole page, the one the list makes anyway.
      expect(readsOrganizations(plain.queries)).toBe(1);
      expect(readsOrganizations(traced.queries)).toBe(1);
    } finally {
      await setMax(capped.org.id, null);
    }
  });
});
