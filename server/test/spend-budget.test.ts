import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB } from './helpers/database';
import type { SpaceRef, UserRef } from './helpers/factories';
import { newSpaceMember, ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/**
 * Key budgets through the server: setApiKeyBudget (validated, audited, who may), reservations at
 * verification (header and body), BUDGET_EXCEEDED (402), settlement freeing what a call did not
 * use, and a limit lowered or raised mid-window applying at once to a cached key.
 */
let t: TestApp;
let space: SpaceRef;
let viewer: UserRef;
let token: string;

const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, as = token): Promise<GraphQLResponse<T>> => t.gql<T>(query, variables, as);
const setBudget = (id: string, budget: Record<string, unknown> | null, as = token) =>
  gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id budget { limitMicros period warnAtPercent } } }', { input: { id, budget } }, as);
const check = async (secret: string, estimate?: number, model = 'openai/gpt-4o') => {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}`, 'x-pulze-model': model };
  if (estimate !== undefined) headers['x-pulze-cost-estimate'] = String(estimate);
  const res = await fetch(`${t.url}/v1/keys/verify`, { headers });
  const body = (await res.json()) as { code: string; reservationId?: string };
  return { status: res.status, code: body.code, reservationId: body.reservationId, header: res.headers.get('x-pulze-reservation-id') };
};

async function created(): Promise<{ id: string; secret: string }> {
  const res = await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id budget { limitMicros } } } }', { input: { spaceId: space.id, name: 'Budget key' } });
  expect(res.data?.createApiKey.apiKey.budget).toBeNull();
  return { id: res.data!.createApiKey.apiKey.id, secret: res.data!.createApiKey.secret };
}

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false', VERIFY_CACHE_TTL_MS: '600000', RATE_LIMIT_PULZE_X_SUITE: '1000' });
  const owned = await ownedSpace(t);
  ({ space, token } = owned);
  viewer = await newSpaceMember(t, owned, 'VIEWER');
});
afterAll(async () => {
  await t?.stop();
});

describe(`key budgets on ${TEST_DB}`, () => {
  it('are validated, audited, and set only by whoever may remove the key', async () => {
    const key = await created();
    for (const bad of [{ limitMicros: -1 }, { limitMicros: 1.5 }, { limitMicros: 1e16 }, { warnAtPercent: 0 }, { warnAtPercent: 101 }]) {
      expect(codeOf(await setBudget(key.id, { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80, ...bad }))).toBe('BAD_USER_INPUT');
    }
    const viewerToken = await t.login(viewer.email, viewer.password);
    expect(codeOf(await setBudget(key.id, { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80 }, viewerToken))).toBe('FORBIDDEN');
    const ok = await setBudget(key.id, { limitMicros: 5_000_000_000, period: 'MONTHLY', warnAtPercent: 90 });
    expect(ok.data?.setApiKeyBudget.budget).toEqual({ limitMicros: 5_000_000_000, period: 'MONTHLY', warnAtPercent: 90 });
    expect((await setBudget(key.id, null)).data?.setApiKeyBudget.budget).toBeNull();
    const orgId = (await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id })).organizationId;
    const audit = await gql('query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k) { items { action changes { field before after } } } }', { o: orgId, k: key.id });
    const changes = audit.data?.auditEvents.items.filter((e: any) => e.action === 'BUDGET_CHANGED').map((e: any) => e.changes);
    expect(changes).toHaveLength(2);
    expect(changes[1]).toEqual(expect.arrayContaining([{ field: 'budgetLimitMicros', before: null, after: '5000000000' }, { field: 'budgetPeriod', before: null, after: 'MONTHLY' }]));
  });

  it('reserves at verification, refuses past the budget with 402, and settlement frees what was not used', async () => {
    const key = await created();
    // Before a budget: no estimate, no reservation.
    expect(await check(key.secret)).toMatchObject({ status: 200, code: 'VALID', reservationId: undefined, header: null });
    expect(codeOf(await setBudget(key.id, { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80 }))).toBe('OK');
    const first = await check(key.secret, 600);
    expect(first).toMatchObject({ status: 200, code: 'VALID' });
    expect(first.header).toBe(first.reservationId);
    expect(await check(key.secret, 500)).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED', reservationId: undefined });
    expect((await t.app.services.spend.settle(first.reservationId!, 100, key.id)).outcome).toBe('SETTLED');
    expect((await t.app.services.spend.settle(first.reservationId!, 100, key.id)).outcome).toBe('DUPLICATE');
    // 100 settled: 900 left.
    expect(await check(key.secret, 900)).toMatchObject({ status: 200, code: 'VALID' });
    expect(await check(key.secret, 1)).toMatchObject({ status: 402 });
    // GraphQL reserves the same way.
    const gqlCheck = await gql('query($k: String!) { verifyApiKey(key: $k, model: "openai/gpt-4o", costEstimateMicros: 1) { code reservationId } }', { k: key.secret });
    expect(gqlCheck.data?.verifyApiKey).toEqual({ code: 'BUDGET_EXCEEDED', reservationId: null });
    // A key used on this API itself reserves nothing and is not refused by its budget.
    expect((await gql('{ currentApiKey { id } }', {}, key.secret)).data?.currentApiKey.id).toBe(key.id);
  });

  it('applies a limit raised or lowered mid-window at once, keeping what was spent', async () => {
    const key = await created();
    expect(codeOf(await setBudget(key.id, { limitMicros: 1000, period: 'WEEKLY', warnAtPercent: 80 }))).toBe('OK');
    const spent = await check(key.secret, 700);
    await t.app.services.spend.settle(spent.reservationId!, 700, key.id);
    expect(await check(key.secret, 400)).toMatchObject({ status: 402 });
    expect(codeOf(await setBudget(key.id, { limitMicros: 2000, period: 'WEEKLY', warnAtPercent: 80 }))).toBe('OK');
    expect(await check(key.secret, 400)).toMatchObject({ status: 200 });
    // Lowered below what is spent and reserved: even a call without an estimate is refused.
    expect(codeOf(await setBudget(key.id, { limitMicros: 500, period: 'WEEKLY', warnAtPercent: 80 }))).toBe('OK');
    expect(await check(key.secret)).toMatchObject({ status: 402 });
    // Removed: no limit.
    expect(codeOf(await setBudget(key.id, null))).toBe('OK');
    expect(await check(key.secret, 10_000)).toMatchObject({ status: 200, code: 'VALID' });
  });
});
