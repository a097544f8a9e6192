import { randomBytes } from 'node:crypto';
import { ApiKeySpendDaily } from '../src/modules/spend/api-key-spend.entity';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf } from './helpers/keys';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';
import { startTestApp, type TestApp } from './helpers/test-app';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Redis keeps the connection open but stops answering (a stopped process, a stalled network):
 * nothing that needs it may wait for it without end. Checks that reserve and usage reports answer
 * 503, as when Redis is unreachable; checks that need only the rate limit (a key without a budget
 * and no estimate) go on from memory.
 */
describe(`a Redis that stops answering, on ${TEST_DB}`, () => {
  jest.setTimeout(30_000);
  let t: TestApp;
  let proxy: TcpProxy;
  let owner: string;
  let space: string;

  beforeAll(async () => {
    const url = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 6379) });
    t = await startTestApp({
      USAGE_REPORT_TOKEN,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_PREFIX: `pulze-unanswering-${process.pid}-${randomBytes(4).toString('hex')}:`,
    });
    owner = await t.login('owner@acme.test');
    space = (await orgOf(t, owner, 'Acme AI')).spaces.Production!;
  });
  afterAll(async () => {
    await t?.stop();
    await proxy?.close();
  });

  const check = (secret: string, model?: string) =>
    fetch(`${t.url}/v1/keys/verify`, {
      headers: { authorization: `Bearer ${secret}`, ...(model ? { 'x-pulze-model': model, 'x-pulze-cost-estimate': '500' } : {}) },
    });
  const reportUsage = (reservationId: string, keyId: string) =>
    sendUsage(t.url, {
      reports: [{ reservationId, keyId, model: 'openai/gpt-4o', inputTokens: 10, outputTokens: 5, costMicros: 300, status: 200, latencyMs: 90 }],
    });

  it('answers 503 to a check that reserves and to a usage report, lets checks that need only the rate limit through from memory, and recovers', async () => {
    const key = await createKey(t, owner, space, 'unanswering-redis');
    const unlimited = await createKey(t, owner, space, 'unanswering-redis-no-budget');
    const budget = await t.gql(
      'mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }',
      { input: { id: key.id, budget: { limitMicros: 1_000_000, period: 'TOTAL', warnAtPercent: 80 } } },
      owner,
    );
    expect(budget.errors).toBeUndefined();
    const before = await check(key.secret, 'openai/gpt-4o');
    expect(before.status).toBe(200);
    const reservationId = ((await before.json()) as { reservationId: string }).reservationId;
    expect(reservationId).toEqual(expect.any(String));

    // Every byte to and from Redis is held back longer than the test runs: no answer comes.
    proxy.setLatency(60_000);
    const reserving = await check(key.secret, 'openai/gpt-4o');
    expect(reserving.status).toBe(503);
    expect(await reserving.json()).toEqual({ error: 'verification_unavailable' });
    const report = await reportUsage(reservationId, key.id);
    expect(report.status).toBe(503);
    expect(await report.json()).toEqual({ error: 'usage_unavailable' });
    const plain = await check(unlimited.secret);
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { valid: boolean }).valid).toBe(true);

    // The held connection is reset and the client connects again. The settling that got no answer
    // may have counted meanwhile (unanswered commands are sent again after a reconnection): sent
    // again to this node, the report is settled by the same attempt, so it counts once, in the
    // budget and in the daily rows alike.
    proxy.cut();
    proxy.setLatency(0);
    proxy.restore();
    let answer: unknown;
    for (let i = 0; i < 50 && answer === undefined; i++) {
      const again = await reportUsage(reservationId, key.id);
      if (again.status === 200) answer = await again.json();
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answer).toEqual({ settled: 1, duplicates: 0, unknown: 0 });
    expect(await (await reportUsage(reservationId, key.id)).json()).toEqual({ settled: 0, duplicates: 1, unknown: 0 });
    await t.app.services.spendRecorder.flush();
    const rows = await t.dataSource.getRepository(ApiKeySpendDaily).find({ where: { apiKeyId: key.id } });
    expect(rows.map((r) => [r.model, Number(r.requests), Number(r.costMicros)])).toEqual([['openai/gpt-4o', 1, 300]]);
    const after = await check(key.secret, 'openai/gpt-4o');
    expect(after.status).toBe(200);
    const read = await t.gql<{ apiKey: { effectiveBudget: { spentMicros: number } } }>(
      'query($id: ID!) { apiKey(id: $id) { effectiveBudget { spentMicros } } }',
      { id: key.id },
      owner,
    );
    expect(read.data?.apiKey.effectiveBudget.spentMicros).toBe(300);
  });
});
