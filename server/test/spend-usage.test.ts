import { ApiKeySpendDaily } from '../src/modules/spend/api-key-spend.entity';
import { TEST_DB } from './helpers/database';
import type { SpaceRef } from './helpers/factories';
import { ownedSpace } from './helpers/owned-space';
import { startTestApp, type TestApp } from './helpers/test-app';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

/**
 * POST /v1/keys/usage: the service credential, batches, settlement of reservations (a report sent
 * twice counts once), the daily spend rows in the database, and the budget freed by a settlement.
 */
let t: TestApp;
let space: SpaceRef;
let token: string;

const report = (body: unknown, auth: string | null = USAGE_REPORT_TOKEN) => sendUsage(t.url, body, { token: auth });
const reserve = async (secret: string, estimate: number) => {
  const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': String(estimate) } });
  return { status: res.status, reservationId: ((await res.json()) as { reservationId?: string }).reservationId };
};
const entry = (reservationId: string, keyId: string, costMicros: number, model = 'openai/gpt-4o') => ({
  reservationId,
  keyId,
  model,
  inputTokens: 100,
  outputTokens: 20,
  costMicros,
  status: 200,
  latencyMs: 350,
});

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false', USAGE_REPORT_TOKEN, USAGE_FLUSH_INTERVAL_MS: '600000' });
  ({ space, token } = await ownedSpace(t));
});
afterAll(async () => {
  await t?.stop();
});

async function budgetKey(limitMicros: number): Promise<{ id: string; secret: string }> {
  const created = await t.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }', { input: { spaceId: space.id, name: 'Spending key' } }, token);
  const id = created.data!.createApiKey.apiKey.id as string;
  const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id, budget: { limitMicros, period: 'DAILY', warnAtPercent: 80 } } }, token);
  expect(set.errors).toBeUndefined();
  return { id, secret: created.data!.createApiKey.secret as string };
}

describe(`POST /v1/keys/usage on ${TEST_DB}`, () => {
  it('refuses without the service credential, and refuses bad batches naming the field', async () => {
    expect((await report({ reports: [] }, null)).status).toBe(401);
    expect((await report({ reports: [] }, 'wrong-token')).status).toBe(401);
    expect((await report({ reports: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => entry(`r${i}`, 'k', 1));
    expect((await report({ reports: tooMany })).status).toBe(400);
    const bad = await report({ reports: [entry('r', 'k', 1), { ...entry('r', 'k', 1), costMicros: -5 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('reports[1].costMicros');
  });

  it('settles each reservation once, writes daily rows by model, and frees the unused estimate', async () => {
    const key = await budgetKey(1000);
    const a = await reserve(key.secret, 600);
    const b = await reserve(key.secret, 400);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await reserve(key.secret, 1)).status).toBe(402);
    const batch = { reports: [entry(a.reservationId!, key.id, 150), entry(b.reservationId!, key.id, 50, 'anthropic/claude-3-haiku')] };
    const first = await report(batch);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ settled: 2, duplicates: 0, unknown: 0 });
    // Sent again: nothing more counts.
    expect(await (await report(batch)).json()).toEqual({ settled: 0, duplicates: 2, unknown: 0 });
    // Another key's id, or a made-up reservation: unknown.
    const c = await reserve(key.secret, 10);
    expect(await (await report({ reports: [entry(c.reservationId!, '00000000-0000-4000-8000-000000000000', 10), entry('made-up', key.id, 10)] })).json()).toEqual({ settled: 0, duplicates: 0, unknown: 2 });
    await t.app.services.spendRecorder.flush();
    // The right key settles it; a second flush adds to the same row.
    expect(await (await report({ reports: [entry(c.reservationId!, key.id, 10)] })).json()).toEqual({ settled: 1, duplicates: 0, unknown: 0 });
    await t.app.services.spendRecorder.flush();
    const rows = await t.dataSource.getRepository(ApiKeySpendDaily).find({ where: { apiKeyId: key.id }, order: { model: 'ASC' } });
    expect(rows.map((r) => [r.model, Number(r.requests), Number(r.inputTokens), Number(r.outputTokens), Number(r.costMicros)])).toEqual([
      ['anthropic/claude-3-haiku', 1, 100, 20, 50],
      ['openai/gpt-4o', 2, 200, 40, 160],
    ]);
    // 210 settled, nothing reserved: 790 left.
    expect((await reserve(key.secret, 790)).status).toBe(200);
    expect((await reserve(key.secret, 1)).status).toBe(402);
  });
});
