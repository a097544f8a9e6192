import { TEST_DB } from './helpers/database';
import { createKey, orgOf } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The rate limit answers before the budget: a check the rate limit refuses holds nothing of the
 * budget afterwards, also when many arrive at once, and a spent budget answers BUDGET_EXCEEDED only
 * while requests are left.
 */
let t: TestApp;
afterAll(async () => {
  await t?.stop();
});

describe(`a rate-limited check and the budget, on ${TEST_DB}`, () => {
  it('answers RATE_LIMITED, releasing its reservation, also for a key whose budget is spent', async () => {
    t = await startTestApp({ RATE_LIMIT_PULZE_X_SUITE: '3', RATE_LIMIT_WINDOW_SECONDS: '300' });
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    const key = await createKey(t, owner, acme.spaces.Production!);
    const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80 } } }, owner);
    expect(set.errors).toBeUndefined();
    const check = async (estimate: number) => {
      const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key.secret}`, 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': String(estimate) } });
      return { status: res.status, code: ((await res.json()) as { code: string }).code };
    };
    const budget = async () => (await t.gql('query($id: ID!) { apiKey(id: $id) { budget { reservedMicros } } }', { id: key.id }, owner)).data?.apiKey.budget.reservedMicros;
    expect(await check(300)).toEqual({ status: 200, code: 'VALID' });
    expect(await check(700)).toEqual({ status: 200, code: 'VALID' });
    expect(await budget()).toBe(1000);
    // The budget is spent: BUDGET_EXCEEDED while requests are left, RATE_LIMITED once they are not.
    expect(await check(0)).toEqual({ status: 402, code: 'BUDGET_EXCEEDED' });
    expect(await check(0)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(await budget()).toBe(1000);
  });

  it('holds nothing for checks the rate limit refused', async () => {
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    const key = await createKey(t, owner, acme.spaces.Research!);
    const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: 100_000, period: 'DAILY', warnAtPercent: 80 } } }, owner);
    expect(set.errors).toBeUndefined();
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async () => (await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key.secret}`, 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': '100' } })).status),
    );
    expect(statuses.sort()).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    const reserved = (await t.gql('query($id: ID!) { apiKey(id: $id) { budget { reservedMicros } } }', { id: key.id }, owner)).data?.apiKey.budget.reservedMicros;
    expect(reserved).toBe(300);
  });
});
