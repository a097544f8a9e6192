import { createConnection } from 'mysql2/promise';
import { createKey, login, orgOf, type Endpoint } from './helpers/keys';
import { describeOnMysql, startTwoNodes, type TwoNodes } from './helpers/two-nodes';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

const LIMIT_MICROS = 10_000;

/**
 * The hard cap across nodes: two real server processes on one database and one Redis, driven by
 * real parallel requests. Reservations are granted only within the budget, so settled spend passes
 * it by at most what calls cost above their estimates (docs/verification.md, "The bound").
 * MySQL only, like the other multi-process test.
 */
describeOnMysql('a key budget across two server processes sharing Redis', () => {
  jest.setTimeout(120_000);
  let nodes: TwoNodes;
  let a: Endpoint;
  let b: Endpoint;

  beforeAll(async () => {
    nodes = await startTwoNodes({ RATE_LIMIT_PULZE_X_SUITE: '100000', USAGE_FLUSH_INTERVAL_MS: '200', USAGE_REPORT_TOKEN });
    ({ a, b } = nodes);
  });
  afterAll(async () => {
    await nodes?.close();
  });

  it('settled spend never passes the budget by more than the calls that cost more than their estimates', async () => {
    const owner = await login(a, 'owner@acme.test');
    const acme = await orgOf(a, owner, 'Acme AI');
    const key = await createKey(a, owner, acme.spaces.Production!, 'Capped key');
    const set = await a.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: LIMIT_MICROS, period: 'TOTAL', warnAtPercent: 80 } } }, owner);
    expect(set.errors).toBeUndefined();

    // 300 checks at once, alternating nodes, estimates 50..149: about three times the budget.
    const estimates = Array.from({ length: 300 }, (_, i) => 50 + ((i * 37) % 100));
    const answers = await Promise.all(
      estimates.map(async (estimate, i) => {
        const target = i % 2 ? a : b;
        const res = await fetch(`${target.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key.secret}`, 'x-pulze-model': 'openai/gpt-4o', 'x-pulze-cost-estimate': String(estimate) } });
        const body = (await res.json()) as { code: string; reservationId?: string };
        return { status: res.status, estimate, reservationId: body.reservationId };
      }),
    );
    const granted = answers.filter((x) => x.status === 200);
    expect(answers.every((x) => x.status === 200 || x.status === 402)).toBe(true);
    const reservedTotal = granted.reduce((sum, x) => sum + x.estimate, 0);
    expect(reservedTotal).toBeLessThanOrEqual(LIMIT_MICROS);
    // The budget is not wasted either: nothing is settled meanwhile, so a refused estimate would not fit even now.
    const refused = answers.filter((x) => x.status === 402).map((x) => x.estimate);
    expect(refused.length).toBeGreaterThan(0);
    expect(reservedTotal + Math.min(...refused)).toBeGreaterThan(LIMIT_MICROS);

    // Every third call cost 20 more than its estimate, the others 10 less; reports go to both nodes, twice.
    const reports = granted.map((x, i) => ({ reservationId: x.reservationId!, keyId: key.id, model: 'openai/gpt-4o', inputTokens: 10, outputTokens: 5, costMicros: x.estimate + (i % 3 === 0 ? 20 : -10), status: 200, latencyMs: 100 }));
    const overage = reports.reduce((sum, r, i) => sum + (i % 3 === 0 ? 20 : 0), 0);
    const settledTotal = reports.reduce((sum, r) => sum + r.costMicros, 0);
    const send = (target: Endpoint, batch: typeof reports) =>
      sendUsage(target.url, { reports: batch }).then((res) => res.json() as Promise<{ settled: number; duplicates: number; unknown: number }>);
    const half = Math.ceil(reports.length / 2);
    const [first, second] = await Promise.all([send(a, reports.slice(0, half)), send(b, reports.slice(half))]);
    expect(first.settled + second.settled).toBe(reports.length);
    const again = await send(b, reports);
    expect(again).toEqual({ settled: 0, duplicates: reports.length, unknown: 0 });
    console.log(`budget ${LIMIT_MICROS}: ${granted.length} of 300 reserved ${reservedTotal}, settled ${settledTotal} (bound ${LIMIT_MICROS + overage})`);
    expect(settledTotal).toBeLessThanOrEqual(LIMIT_MICROS + overage);

    // The daily rows, written by both nodes, add up to what was settled, once.
    const mysql = await createConnection(nodes.env.DATABASE_URL!);
    try {
      for (let tries = 0; ; tries++) {
        const [rows] = await mysql.query('SELECT SUM(requests) AS requests, SUM(costMicros) AS cost FROM api_key_spend_daily WHERE apiKeyId = ?', [key.id]);
        const row = (rows as Array<{ requests: string | null; cost: string | null }>)[0]!;
        if (Number(row.requests) === reports.length || tries > 50) {
          expect([Number(row.requests), Number(row.cost)]).toEqual([reports.length, settledTotal]);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await mysql.end();
    }
  });
});
