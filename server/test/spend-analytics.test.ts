import { ApiKeySpendDaily } from '../src/modules/spend/api-key-spend.entity';
import { ApiKeyVerificationDaily } from '../src/modules/spend/api-key-verification.entity';
import { LATENCY_COLUMNS } from '../src/modules/spend/latency-histogram';
import { sweepSpendRows } from '../src/modules/spend/spend-retention';
import { TEST_DB, withMigratedDatabase } from './helpers/database';
import {
  addOrganizationMember,
  addSpaceMember,
  newKey,
  newOrganization,
  newSpace,
  newUser,
  type KeyRef,
  type OrganizationRef,
  type SpaceRef,
} from './helpers/factories';
import { codeOf, countQueries, startTestApp, type TestApp } from './helpers/test-app';
import { sendUsage, USAGE_REPORT_TOKEN } from './helpers/usage';

/**
 * Usage analytics: reports sent through POST /v1/keys/usage and verifications made through
 * /v1/keys/verify, flushed, then read back through ApiKey.usage (by DAY and by MODEL) and
 * apiKeySpendRanking: the sums equal what was reported, percentiles fall in their buckets, refusals
 * are counted by code, ranges are checked, the ranking follows the key list's visibility, and the
 * retention sweep deletes only old rows.
 */
let t: TestApp;
let org: OrganizationRef;
let spaceA: SpaceRef;
let spaceB: SpaceRef;
let ownerToken: string;
let viewerToken: string;
let strangerToken: string;
let key: KeyRef;
let other: KeyRef;

const DAY_MS = 86_400_000;
const day = (offset = 0) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

interface Report {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  status: number;
  latencyMs: number;
}

const verify = async (secret: string, model: string, estimate = 10) => {
  const res = await fetch(`${t.url}/v1/keys/verify`, {
    headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': model, 'x-pulze-cost-estimate': String(estimate) },
  });
  const body = (await res.json()) as { code: string; reservationId?: string };
  return { status: res.status, code: body.code, reservationId: body.reservationId };
};

/** Verifies (reserving) and reports each call; returns what the server answered. */
async function callAndReport(k: KeyRef, reports: Report[]): Promise<void> {
  const entries = [];
  for (const r of reports) {
    const v = await verify(k.secret, r.model);
    expect(v.code).toBe('VALID');
    entries.push({ reservationId: v.reservationId, keyId: k.id, ...r });
  }
  const res = await sendUsage(t.url, { reports: entries });
  expect(await res.json()).toEqual({ settled: reports.length, duplicates: 0, unknown: 0 });
}

const flush = async () => {
  await t.app.services.spendRecorder.flush();
  await t.app.services.usage.flush();
};

const GROUP = 'key requests inputTokens outputTokens costMicros latencyP50Ms latencyP95Ms verificationOutcomes { code count } upstreamStatuses { statusClass count }';
const USAGE = `query($id: ID!, $range: UsageRangeInput, $groupBy: UsageGroupBy) {
  apiKey(id: $id) { usage(range: $range, groupBy: $groupBy) { totalRequests from to groupBy groups { ${GROUP} } totals { ${GROUP} } } }
}`;
const RANKING = `query($org: ID!, $range: UsageRangeInput!, $first: Int) {
  apiKeySpendRanking(organizationId: $org, range: $range, first: $first) { keyId name maskedKey spaceId removed costMicros requests inputTokens outputTokens }
}`;

const usageOf = async (range: { from: string; to: string } | null, groupBy: 'DAY' | 'MODEL' | null) => {
  const res = await t.gql(USAGE, { id: key.id, range, groupBy }, ownerToken);
  expect(res.errors).toBeUndefined();
  return res.data!.apiKey.usage;
};

// Key 1: three calls on one model, two on another, with statuses of four classes and latencies
// across the buckets (25, 50, 100, 1500 ms, and one past the last bound).
const KEY_REPORTS: Report[] = [
  { model: 'openai/gpt-4o', inputTokens: 100, outputTokens: 20, costMicros: 150, status: 200, latencyMs: 30 },
  { model: 'openai/gpt-4o', inputTokens: 200, outputTokens: 40, costMicros: 300, status: 201, latencyMs: 90 },
  { model: 'openai/gpt-4o', inputTokens: 50, outputTokens: 0, costMicros: 0, status: 503, latencyMs: 1200 },
  { model: 'anthropic/claude-3-haiku', inputTokens: 10, outputTokens: 5, costMicros: 20, status: 429, latencyMs: 10 },
  { model: 'anthropic/claude-3-haiku', inputTokens: 10, outputTokens: 5, costMicros: 30, status: 302, latencyMs: 70_000 },
];
const OTHER_REPORTS: Report[] = [{ model: 'openai/gpt-4o', inputTokens: 1000, outputTokens: 500, costMicros: 5000, status: 200, latencyMs: 400 }];

const sum = (reports: Report[], field: 'inputTokens' | 'outputTokens' | 'costMicros') => reports.reduce((n, r) => n + r[field], 0);

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false', USAGE_REPORT_TOKEN, USAGE_FLUSH_INTERVAL_MS: '600000' });
  org = await newOrganization(t.dataSource);
  spaceA = await newSpace(t.dataSource, org);
  spaceB = await newSpace(t.dataSource, org);
  const owner = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, owner, 'OWNER');
  const viewer = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, viewer, 'MEMBER');
  await addSpaceMember(t.dataSource, spaceA, viewer, 'VIEWER');
  const stranger = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, await newOrganization(t.dataSource), stranger, 'OWNER');
  ownerToken = await t.login(owner.email, owner.password);
  viewerToken = await t.login(viewer.email, viewer.password);
  strangerToken = await t.login(stranger.email, stranger.password);
  key = await newKey(t.dataSource, spaceA, owner, { name: 'Analytics key A' });
  other = await newKey(t.dataSource, spaceB, owner, { name: 'Analytics key B' });

  await callAndReport(key, KEY_REPORTS);
  await callAndReport(other, OTHER_REPORTS);
  // Refusals of key 1: a model outside its allowlist, then two while it is paused.
  const allow = await t.gql('mutation($input: SetApiKeyAllowedModelsInput!) { setApiKeyAllowedModels(input: $input) { id } }', { input: { id: key.id, allowedModels: ['openai/*', 'anthropic/*'] } }, ownerToken);
  expect(allow.errors).toBeUndefined();
  expect((await verify(key.secret, 'mistral/mistral-large')).code).toBe('MODEL_NOT_ALLOWED');
  expect((await t.gql('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: key.id }, ownerToken)).errors).toBeUndefined();
  expect((await verify(key.secret, 'openai/gpt-4o')).code).toBe('DISABLED');
  expect((await verify(key.secret, 'openai/gpt-4o')).code).toBe('DISABLED');
  expect((await t.gql('mutation($id: ID!) { enableApiKey(id: $id) { id } }', { id: key.id }, ownerToken)).errors).toBeUndefined();
  await flush();
});
afterAll(async () => {
  await t?.stop();
});

describe(`usage analytics on ${TEST_DB}`, () => {
  it('groups by MODEL sum exactly to the reports, with status classes, latency buckets and verification answers', async () => {
    const usage = await usageOf({ from: day(-2), to: day() }, 'MODEL');
    expect(usage).toMatchObject({ from: day(-2), to: day(), groupBy: 'MODEL' });
    const gpt = KEY_REPORTS.filter((r) => r.model === 'openai/gpt-4o');
    const haiku = KEY_REPORTS.filter((r) => r.model !== 'openai/gpt-4o');
    expect(usage.groups).toEqual([
      {
        key: 'openai/gpt-4o',
        requests: 3,
        inputTokens: sum(gpt, 'inputTokens'),
        outputTokens: sum(gpt, 'outputTokens'),
        costMicros: sum(gpt, 'costMicros'),
        // 30, 90 and 1200 ms: buckets up to 50, 100 and 1500; the 2nd of 3 is the median, the 3rd the 95th.
        latencyP50Ms: 100,
        latencyP95Ms: 1500,
        verificationOutcomes: [
          { code: 'VALID', count: 3 },
          { code: 'DISABLED', count: 2 },
        ],
        upstreamStatuses: [
          { statusClass: '2xx', count: 2 },
          { statusClass: '5xx', count: 1 },
        ],
      },
      {
        key: 'anthropic/claude-3-haiku',
        requests: 2,
        inputTokens: sum(haiku, 'inputTokens'),
        outputTokens: sum(haiku, 'outputTokens'),
        costMicros: sum(haiku, 'costMicros'),
        // 10 ms (bucket up to 25) and 70 s (past the last bound, read as 60000).
        latencyP50Ms: 25,
        latencyP95Ms: 60000,
        verificationOutcomes: [{ code: 'VALID', count: 2 }],
        upstreamStatuses: [
          { statusClass: '3xx', count: 1 },
          { statusClass: '4xx', count: 1 },
        ],
      },
      {
        key: 'mistral/mistral-large',
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicros: 0,
        latencyP50Ms: null,
        latencyP95Ms: null,
        verificationOutcomes: [{ code: 'MODEL_NOT_ALLOWED', count: 1 }],
        upstreamStatuses: [],
      },
    ]);
    expect(usage.totals).toEqual({
      key: `${day(-2)}..${day()}`,
      requests: KEY_REPORTS.length,
      inputTokens: sum(KEY_REPORTS, 'inputTokens'),
      outputTokens: sum(KEY_REPORTS, 'outputTokens'),
      costMicros: sum(KEY_REPORTS, 'costMicros'),
      // 25, 50, 100, 1500, 60000: the 3rd of 5 is the median, the 5th the 95th.
      latencyP50Ms: 100,
      latencyP95Ms: 60000,
      verificationOutcomes: [
        { code: 'VALID', count: 5 },
        { code: 'DISABLED', count: 2 },
        { code: 'MODEL_NOT_ALLOWED', count: 1 },
      ],
      upstreamStatuses: [
        { statusClass: '2xx', count: 2 },
        { statusClass: '3xx', count: 1 },
        { statusClass: '4xx', count: 1 },
        { statusClass: '5xx', count: 1 },
      ],
    });
    // Verified uses keep their meaning: the five valid verifications.
    expect(usage.totalRequests).toBe(5);
  });

  it('groups by DAY: one group per day of the range, oldest first, zero-filled, adding up to the totals', async () => {
    const usage = await usageOf({ from: day(-2), to: day() }, 'DAY');
    expect(usage.groups.map((g: { key: string }) => g.key)).toEqual([day(-2), day(-1), day()]);
    for (const empty of usage.groups.slice(0, 2)) {
      expect(empty).toEqual({ key: empty.key, requests: 0, inputTokens: 0, outputTokens: 0, costMicros: 0, latencyP50Ms: null, latencyP95Ms: null, verificationOutcomes: [], upstreamStatuses: [] });
    }
    expect({ ...usage.groups[2], key: 'x' }).toEqual({ ...usage.totals, key: 'x' });
    expect(usage.totals.costMicros).toBe(sum(KEY_REPORTS, 'costMicros'));
    expect(usage.totals.requests).toBe(KEY_REPORTS.length);
  });

  it('reads the last 30 UTC days by DAY when no range or grouping is given', async () => {
    const usage = await usageOf(null, null);
    expect(usage).toMatchObject({ from: day(-29), to: day(), groupBy: 'DAY' });
    expect(usage.groups).toHaveLength(30);
    expect(usage.totals.costMicros).toBe(sum(KEY_REPORTS, 'costMicros'));
  });

  it('writes one row per key, day and model, with the organization, status classes and latency buckets', async () => {
    const rows = await t.dataSource.getRepository(ApiKeySpendDaily).find({ where: { apiKeyId: key.id }, order: { model: 'ASC' } });
    expect(rows.map((r) => [r.model, r.organizationId, Number(r.requests)])).toEqual([
      ['anthropic/claude-3-haiku', org.id, 2],
      ['openai/gpt-4o', org.id, 3],
    ]);
    for (const row of rows) {
      const statuses = Number(row.status1xx) + Number(row.status2xx) + Number(row.status3xx) + Number(row.status4xx) + Number(row.status5xx);
      const buckets = LATENCY_COLUMNS.reduce((n, c) => n + Number(row[c as `latency${number}`]), 0);
      expect([statuses, buckets]).toEqual([Number(row.requests), Number(row.requests)]);
    }
    const counts = await t.dataSource.getRepository(ApiKeyVerificationDaily).find({ where: { apiKeyId: key.id }, order: { model: 'ASC', code: 'ASC' } });
    expect(counts.map((c) => [c.model, c.code, Number(c.count)])).toEqual([
      ['anthropic/claude-3-haiku', 'VALID', 2],
      ['mistral/mistral-large', 'MODEL_NOT_ALLOWED', 1],
      ['openai/gpt-4o', 'DISABLED', 2],
      ['openai/gpt-4o', 'VALID', 3],
    ]);
  });

  it("reads a page of keys' analytics in one query per table, not one per key", async () => {
    const page = `query($org: ID!) { apiKeys(organizationId: $org, pageSize: 100) { items { id usage(groupBy: MODEL) { totals { costMicros } groups { key } } } } }`;
    const { result, queries } = await countQueries(t.dataSource, () => t.gql(page, { org: org.id }, ownerToken));
    expect(result.errors).toBeUndefined();
    const costs = Object.fromEntries(result.data!.apiKeys.items.map((k: { id: string; usage: { totals: { costMicros: number } } }) => [k.id, k.usage.totals.costMicros]));
    expect(costs).toEqual({ [key.id]: sum(KEY_REPORTS, 'costMicros'), [other.id]: sum(OTHER_REPORTS, 'costMicros') });
    expect(queries.filter((q) => q.includes('api_key_spend_daily'))).toHaveLength(1);
    expect(queries.filter((q) => q.includes('api_key_verification_daily'))).toHaveLength(1);
  });

  it('refuses bad ranges with BAD_USER_INPUT naming the field', async () => {
    const refusal = async (query: string, variables: Record<string, unknown>) => {
      const res = await t.gql(query, variables, ownerToken);
      return [codeOf(res), res.errors?.[0]?.extensions?.field];
    };
    expect(await refusal(USAGE, { id: key.id, range: { from: '2026-02-30', to: day() } })).toEqual(['BAD_USER_INPUT', 'range.from']);
    expect(await refusal(USAGE, { id: key.id, range: { from: day(), to: 'today' } })).toEqual(['BAD_USER_INPUT', 'range.to']);
    expect(await refusal(USAGE, { id: key.id, range: { from: day(), to: day(-1) } })).toEqual(['BAD_USER_INPUT', 'range.from']);
    expect(await refusal(USAGE, { id: key.id, range: { from: day(-366), to: day() } })).toEqual(['BAD_USER_INPUT', 'range.to']);
    expect(await refusal(USAGE, { id: key.id, range: { from: day(-365), to: day() } })).toEqual(['OK', undefined]);
    expect(await refusal(RANKING, { org: org.id, range: { from: day(-400), to: day() } })).toEqual(['BAD_USER_INPUT', 'range.to']);
    expect(await refusal(RANKING, { org: org.id, range: { from: day(), to: day() }, first: 0 })).toEqual(['BAD_USER_INPUT', 'first']);
    expect(await refusal(RANKING, { org: org.id, range: { from: day(), to: day() }, first: 101 })).toEqual(['BAD_USER_INPUT', 'first']);
  });

  it('ranks keys by cost in the spaces the viewer can see; a stranger gets NOT_FOUND', async () => {
    const range = { from: day(-1), to: day() };
    const owner = await t.gql(RANKING, { org: org.id, range }, ownerToken);
    expect(owner.errors).toBeUndefined();
    expect(owner.data!.apiKeySpendRanking).toEqual([
      {
        keyId: other.id,
        name: 'Analytics key B',
        maskedKey: expect.stringMatching(/^pk_/),
        spaceId: spaceB.id,
        removed: false,
        costMicros: sum(OTHER_REPORTS, 'costMicros'),
        requests: 1,
        inputTokens: sum(OTHER_REPORTS, 'inputTokens'),
        outputTokens: sum(OTHER_REPORTS, 'outputTokens'),
      },
      {
        keyId: key.id,
        name: 'Analytics key A',
        maskedKey: expect.stringMatching(/^pk_/),
        spaceId: spaceA.id,
        removed: false,
        costMicros: sum(KEY_REPORTS, 'costMicros'),
        requests: KEY_REPORTS.length,
        inputTokens: sum(KEY_REPORTS, 'inputTokens'),
        outputTokens: sum(KEY_REPORTS, 'outputTokens'),
      },
    ]);
    const top = await t.gql(RANKING, { org: org.id, range, first: 1 }, ownerToken);
    expect(top.data!.apiKeySpendRanking.map((r: { keyId: string }) => r.keyId)).toEqual([other.id]);
    // A member with a role in space A only does not see the key of space B.
    const viewer = await t.gql(RANKING, { org: org.id, range }, viewerToken);
    expect(viewer.data!.apiKeySpendRanking.map((r: { keyId: string }) => r.keyId)).toEqual([key.id]);
    expect(codeOf(await t.gql(RANKING, { org: org.id, range }, strangerToken))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(RANKING, { org: org.id, range }))).toBe('UNAUTHENTICATED');
    // A range without reports ranks nothing.
    const old = await t.gql(RANKING, { org: org.id, range: { from: day(-30), to: day(-2) } }, ownerToken);
    expect(old.data!.apiKeySpendRanking).toEqual([]);
    // A removed key keeps its place, marked removed.
    expect((await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: other.id }, ownerToken)).errors).toBeUndefined();
    const after = await t.gql(RANKING, { org: org.id, range }, ownerToken);
    expect(after.data!.apiKeySpendRanking.map((r: { keyId: string; removed: boolean }) => [r.keyId, r.removed])).toEqual([
      [other.id, true],
      [key.id, false],
    ]);
  });

  it('sweeps daily rows older than the retention period, in batches, and only those', async () => {
    const retentionDays = 400;
    const spend = t.dataSource.getRepository(ApiKeySpendDaily);
    const counts = t.dataSource.getRepository(ApiKeyVerificationDaily);
    // More old rows than one batch deletes, the first day past the period among them.
    const oldDays = Array.from({ length: 1100 }, (_, i) => day(-retentionDays - i));
    for (let i = 0; i < oldDays.length; i += 200) {
      await spend.insert(oldDays.slice(i, i + 200).map((d) => ({ apiKeyId: key.id, day: d, model: 'old/model', organizationId: org.id, requests: '1' })));
    }
    await spend.insert({ apiKeyId: key.id, day: day(-retentionDays + 1), model: 'old/model', organizationId: org.id, requests: '1' });
    await counts.insert([
      { apiKeyId: key.id, day: day(-retentionDays), model: '', code: 'VALID', count: '1' },
      { apiKeyId: key.id, day: day(-retentionDays + 1), model: '', code: 'VALID', count: '1' },
    ]);
    const deleted = await sweepSpendRows(t.dataSource, t.app.services.uow, retentionDays);
    expect(deleted).toBe(oldDays.length + 1);
    const left = await spend.find({ where: { apiKeyId: key.id, model: 'old/model' } });
    expect(left.map((r) => r.day)).toEqual([day(-retentionDays + 1)]);
    expect((await counts.find({ where: { apiKeyId: key.id, model: '' } })).map((r) => r.day)).toEqual([day(-retentionDays + 1)]);
    // Today's rows are untouched; 0 days keeps everything.
    expect(await spend.count({ where: { apiKeyId: key.id, day: day() } })).toBe(2);
    expect(await sweepSpendRows(t.dataSource, t.app.services.uow, 0)).toBe(0);
  });
});

describe(`the usage analytics migration on ${TEST_DB}`, () => {
  it("fills in each existing daily spend row's organization from its key", async () => {
    await withMigratedDatabase(async (dataSource) => {
      const organization = await newOrganization(dataSource);
      const space = await newSpace(dataSource, organization);
      const owner = await newUser(dataSource);
      const stored = await newKey(dataSource, space, owner);
      // Back to the schema before the migration, with a row written then.
      const applied = async () => ((await dataSource.query('SELECT name FROM migrations')) as Array<{ name: string }>).map((m) => m.name);
      while ((await applied()).includes('SpendAnalytics1795881200000')) await dataSource.undoLastMigration();
      await dataSource.query('INSERT INTO api_key_spend_daily (apiKeyId, day, model, requests, inputTokens, outputTokens, costMicros) VALUES (?, ?, ?, ?, ?, ?, ?)', [stored.id, day(), 'openai/gpt-4o', 2, 10, 5, 70]);
      await dataSource.runMigrations();
      const rows = await dataSource.getRepository(ApiKeySpendDaily).find({ where: { apiKeyId: stored.id } });
      expect(rows.map((r) => [r.organizationId, Number(r.requests), Number(r.costMicros), Number(r.status2xx), Number(r.latency00)])).toEqual([[organization.id, 2, 70, 0, 0]]);
    });
  });
});
