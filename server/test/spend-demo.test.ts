import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/bootstrap';
import { seedDemo } from '../src/db/seed';
import { createLogger } from '../src/lib/logger';
import { MemorySpendLedger, RedisSpendLedger } from '../src/modules/spend/spend-ledger';
import { restoreSpendWindows } from '../src/modules/spend/spend-restore';
import { freshDatabase, TEST_DB } from './helpers/database';
import { startDemoApp } from './helpers/demo-app';
import type { TestApp } from './helpers/test-app';

/**
 * The demo's spending keys: budgets part spent and one over, model allowlists, 30 days of cost
 * history per key, day and model, and the budget windows' spend restored from that history into a
 * ledger that starts empty (a node without Redis, a restart, a Redis that lost its data).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const DEMO_MODELS = new Set(['openai/gpt-4o', 'openai/gpt-4o-mini', 'anthropic/claude-3-5-sonnet', 'anthropic/claude-3-haiku', 'meta/llama-3.1-70b', 'meta/llama-3.1-8b']);
const KEYS_QUERY = `query($o: ID!) { apiKeys(organizationId: $o, pageSize: 100) { items { id name allowedModels
  budget { limitMicros period warnAtPercent spentMicros reservedMicros remainingMicros } } } }`;

interface DemoKey {
  id: string;
  name: string;
  allowedModels: string[];
  budget: { limitMicros: number; period: string; warnAtPercent: number; spentMicros: number; reservedMicros: number; remainingMicros: number } | null;
}

let t: TestApp;
let owner: string;
let acme: string;

async function demoKeys(url?: string): Promise<DemoKey[]> {
  const res: any = url
    ? await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` }, body: JSON.stringify({ query: KEYS_QUERY, variables: { o: acme } }) })).json()
    : await t.gql(KEYS_QUERY, { o: acme }, owner);
  expect(res.errors).toBeUndefined();
  return res.data.apiKeys.items;
}

beforeAll(async () => {
  ({ t, owner, acme } = await startDemoApp());
});
afterAll(async () => {
  await t?.stop();
});

describe(`demo data of spending keys on ${TEST_DB}`, () => {
  jest.setTimeout(60_000);

  it('shows budgets part spent, one over budget, and model allowlists', async () => {
    const keys = await demoKeys();
    const budgeted = keys.filter((k) => k.budget);
    const partSpent = budgeted.filter((k) => k.budget!.spentMicros > 0 && k.budget!.spentMicros < k.budget!.limitMicros);
    const over = budgeted.filter((k) => k.budget!.spentMicros > k.budget!.limitMicros);
    expect(partSpent.length).toBeGreaterThanOrEqual(4);
    expect(new Set(partSpent.map((k) => k.budget!.period))).toEqual(new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'TOTAL']));
    // One past its warning, not yet over.
    expect(partSpent.some((k) => k.budget!.spentMicros >= (k.budget!.limitMicros * k.budget!.warnAtPercent) / 100)).toBe(true);
    expect(over.map((k) => k.name)).toEqual(['Eval Harness - Research']);
    expect(over[0]!.budget!.remainingMicros).toBe(0);
    const allowlisted = keys.filter((k) => k.allowedModels.length);
    expect(allowlisted.length).toBeGreaterThanOrEqual(4);
    expect(allowlisted.flatMap((k) => k.allowedModels)).toEqual(expect.arrayContaining(['openai/*', 'anthropic/*', 'meta/llama-3.1-70b']));
    // Budgets and allowlists have their history in the audit trail.
    const audit = await t.gql('query($o: ID!) { auditEvents(organizationId: $o, pageSize: 100) { items { action } } }', { o: acme }, owner);
    const actions = new Set(audit.data?.auditEvents.items.map((e: any) => e.action));
    expect(actions).toContain('BUDGET_CHANGED');
    expect(actions).toContain('ALLOWED_MODELS_CHANGED');
  });

  it('has 30 days of cost history per key, day and model, within each key\'s allowlist', async () => {
    const keys = await demoKeys();
    const query = `query($id: ID!, $g: UsageGroupBy) { apiKey(id: $id) { usage(groupBy: $g) { groups { key requests inputTokens outputTokens costMicros latencyP50Ms
      upstreamStatuses { statusClass count } verificationOutcomes { code count } } } } }`;
    const eval_ = keys.find((k) => k.name === 'Eval Harness - Research')!;
    const byDay = (await t.gql(query, { id: eval_.id, g: 'DAY' }, owner)).data!.apiKey.usage.groups;
    const days = byDay.filter((g: any) => g.costMicros > 0);
    expect(days).toHaveLength(30);
    for (const day of days) {
      expect(day.requests).toBeGreaterThan(0);
      expect(day.inputTokens).toBeGreaterThan(day.outputTokens);
      expect(day.latencyP50Ms).toBeGreaterThan(100);
      expect(day.upstreamStatuses.find((s: any) => s.statusClass === '2xx').count).toBeGreaterThan(day.requests * 0.9);
    }
    const byModel = (await t.gql(query, { id: eval_.id, g: 'MODEL' }, owner)).data!.apiKey.usage.groups;
    expect(byModel.map((g: any) => g.key).sort()).toEqual(['anthropic/claude-3-5-sonnet', 'meta/llama-3.1-70b', 'openai/gpt-4o']);
    // Models priced as they are: a token of gpt-4o costs more than one of llama-3.1-70b.
    const perToken = (model: string) => {
      const g = byModel.find((x: any) => x.key === model);
      return g.costMicros / (g.inputTokens + g.outputTokens);
    };
    expect(perToken('openai/gpt-4o')).toBeGreaterThan(perToken('meta/llama-3.1-70b'));

    // Every row's organization is its key's, its status classes and latency buckets add up to its calls.
    const rows: Array<Record<string, unknown>> = await t.dataSource.query(
      'SELECT s.*, k.organizationId AS keyOrganizationId, k.allowedModels AS allowedModels FROM api_key_spend_daily s JOIN api_keys k ON k.id = s.apiKeyId',
    );
    expect(rows.length).toBeGreaterThan(500);
    for (const row of rows) {
      expect(DEMO_MODELS.has(String(row.model))).toBe(true);
      expect(row.organizationId).toBe(row.keyOrganizationId);
      const requests = Number(row.requests);
      const statuses = ['status1xx', 'status2xx', 'status3xx', 'status4xx', 'status5xx'].reduce((a, c) => a + Number(row[c]), 0);
      const latencies = Array.from({ length: 20 }, (_, i) => Number(row[`latency${String(i).padStart(2, '0')}`])).reduce((a, b) => a + b, 0);
      expect([statuses, latencies]).toEqual([requests, requests]);
    }
    // A key with an allowlist only spent on allowed models; its refusals are counted as such.
    for (const key of keys.filter((k) => k.allowedModels.length)) {
      const models = (await t.gql(query, { id: key.id, g: 'MODEL' }, owner)).data!.apiKey.usage.groups.filter((g: any) => g.costMicros > 0);
      expect(models.length).toBeGreaterThan(0);
      for (const { key: model } of models) expect(key.allowedModels.some((a) => a === model || (a.endsWith('/*') && model.startsWith(a.slice(0, -1))))).toBe(true);
    }
    const ranking = await t.gql('query($o: ID!, $r: UsageRangeInput!) { apiKeySpendRanking(organizationId: $o, range: $r, first: 5) { name costMicros } }', {
      o: acme,
      r: { from: new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10), to: new Date().toISOString().slice(0, 10) },
    }, owner);
    expect(ranking.data?.apiKeySpendRanking).toHaveLength(5);
    expect(ranking.data?.apiKeySpendRanking[0].costMicros).toBeGreaterThan(0);
  });

  it('is the same every time it is made', async () => {
    const now = new Date('2026-03-15T10:30:00.000Z');
    const summaries: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const db = await freshDatabase();
      const config = { ...loadConfig({ DATA_DIR: db.dataDir, SEED_DEMO: 'false' }), database: db.database };
      const dataSource = await openDatabase(config, createLogger('error', new Writable({ write: (_c, _e, done) => done() })));
      try {
        await seedDemo(dataSource, now);
        summaries.push({
          spend: await dataSource.query('SELECT apiKeyId, day, model, requests, costMicros, latency05, status5xx FROM api_key_spend_daily ORDER BY apiKeyId, day, model'),
          verifications: await dataSource.query('SELECT apiKeyId, day, model, code, count FROM api_key_verification_daily ORDER BY apiKeyId, day, model, code'),
          keys: await dataSource.query('SELECT id, budgetLimitMicros, budgetPeriod, allowedModels FROM api_keys ORDER BY id'),
        });
      } finally {
        await dataSource.destroy();
        await db.drop();
      }
    }
    expect((summaries[0] as any).spend.length).toBeGreaterThan(500);
    expect(summaries[1]).toEqual(summaries[0]);
  });

  it('restores each budget window\'s spend from the daily rows into an empty ledger, once, page by page', async () => {
    const shown = new Map((await demoKeys()).filter((k) => k.budget).map((k) => [k.id, k.budget!.spentMicros]));
    // A restarted node without Redis (a second app on the same database) shows the same spend.
    const config = { ...t.config, seedDemo: 'never' as const, port: 0 };
    const again = await createApp(config, t.dataSource, createLogger('error', new Writable({ write: (_c, _e, done) => done() })));
    try {
      const url = await again.listen();
      const after = new Map((await demoKeys(url)).filter((k) => k.budget).map((k) => [k.id, k.budget!.spentMicros]));
      expect([...after.keys()].sort()).toEqual([...shown.keys()].sort());
      // The day a window starts on counts in the share of it inside the window, up to now: a node
      // started a few seconds later reads it a little higher.
      for (const [id, spent] of after) {
        expect(spent).toBeGreaterThan(0);
        expect(Math.abs(spent - shown.get(id)!)).toBeLessThanOrEqual(shown.get(id)! * 0.001);
      }
    } finally {
      await again.close();
    }

    // Once: a ledger that already has a window's spend keeps it.
    const ledger = new MemorySpendLedger(60_000);
    const first = await restoreSpendWindows(t.dataSource, ledger);
    expect(first).toEqual({ keys: shown.size, restored: shown.size });
    expect((await restoreSpendWindows(t.dataSource, ledger)).restored).toBe(0);
    // Pages of 2 keys (each page two queries) restore the same windows as one page of all.
    const paged = new MemorySpendLedger(60_000);
    const now = Date.now();
    expect(await restoreSpendWindows(t.dataSource, paged, { now, pageKeys: 2 })).toEqual(first);
    const whole = new MemorySpendLedger(60_000);
    await restoreSpendWindows(t.dataSource, whole, { now });

    // On Redis, nodes starting at once restore a window once, and a window's spend is not overwritten.
    const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    const prefix = `pulze-spend-demo-${process.pid}-${randomBytes(4).toString('hex')}:`;
    try {
      const nodes = [new RedisSpendLedger(client, prefix, 60_000, 'the secret both nodes share'), new RedisSpendLedger(client, prefix, 60_000, 'the secret both nodes share')];
      const results = await Promise.all(nodes.map((node) => restoreSpendWindows(t.dataSource, node)));
      expect(results.map((r) => r.restored).reduce((a, b) => a + b, 0)).toBe(shown.size);
      const windows = (await client.keys(`${prefix}spend:w:*`)).map((k) => k.slice(`${prefix}spend:w:`.length));
      expect(windows).toHaveLength(shown.size);
      expect(await paged.states(windows)).toEqual(await whole.states(windows));
      expect((await ledger.states(windows)).every((w) => w.settledMicros > 0)).toBe(true);
      // A window that has spend on Redis keeps it.
      await client.hset(`${prefix}spend:w:${windows[0]}`, 'settled', 7);
      expect((await restoreSpendWindows(t.dataSource, nodes[0]!)).restored).toBe(0);
      expect((await nodes[0]!.state(windows[0]!)).settledMicros).toBe(7);
      // Every window with an end lives no longer than its window and a day.
      for (const window of windows) {
        const ttl = await client.ttl(`${prefix}spend:w:${window}`);
        if (window.includes(':TOTAL:')) expect(ttl).toBe(-1);
        else expect(ttl).toBeGreaterThan(0);
      }
    } finally {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length) await client.del(...keys);
      client.disconnect();
    }
  });
});
