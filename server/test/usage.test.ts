import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { ApiKeyUsageDaily } from '../src/modules/usage/api-key-usage.entity';
import { utcDay } from '../src/lib/utc-day';
import { TEST_DB, whileTableAway } from './helpers/database';
import { createKey, orgOf, verifyGql, verifyHttp, VERIFY_FIELDS } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

const USAGE = 'lastUsedAt usage { totalRequests last30Days { date requests } }';

describe(`usage counting on ${TEST_DB}`, () => {
  let t: TestApp;
  let owner: string;
  let production: string;

  const usageOf = async (id: string) => {
    const res = await t.gql(`query($id: ID!) { apiKey(id: $id) { ${USAGE} } }`, { id }, owner);
    const key = res.data!.apiKey;
    return {
      lastUsedAt: key.lastUsedAt as string | null,
      total: key.usage.totalRequests as number,
      today: (key.usage.last30Days as Array<{ date: string; requests: number }>).find((d) => d.date === utcDay(new Date()))!.requests,
    };
  };

  beforeAll(async () => {
    // A long interval: these tests flush when they choose to.
    t = await startTestApp({ USAGE_FLUSH_INTERVAL_MS: '600000', RATE_LIMIT_PULZE_X_SUITE: '1000' });
    owner = await t.login('owner@acme.test');
    production = (await orgOf(t, owner, 'Acme AI')).spaces.Production!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('counts each valid verification once: N verifications give N requests today and a lastUsedAt', async () => {
    const key = await createKey(t, owner, production);
    expect(await usageOf(key.id)).toEqual({ lastUsedAt: null, total: 0, today: 0 });
    const before = Date.now();
    const N = 7;
    for (let i = 0; i < N; i++) {
      const v = i % 2 ? await verifyGql(t, key.secret) : (await verifyHttp(t, key.secret)).body;
      expect(v.code).toBe('VALID');
    }
    await t.app.services.usage.flush();
    const usage = await usageOf(key.id);
    expect(usage.total).toBe(N);
    expect(usage.today).toBe(N);
    expect(new Date(usage.lastUsedAt!).getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(new Date(usage.lastUsedAt!).getTime()).toBeLessThanOrEqual(Date.now());

    // A second batch adds to the same daily row.
    for (let i = 0; i < 3; i++) await verifyHttp(t, key.secret);
    await t.app.services.usage.flush();
    expect((await usageOf(key.id)).today).toBe(N + 3);
  });

  it('counts every request of a burst exactly once', async () => {
    const key = await createKey(t, owner, production);
    const results = await Promise.all(Array.from({ length: 150 }, () => verifyHttp(t, key.secret)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await t.app.services.usage.flush();
    expect((await usageOf(key.id)).total).toBe(150);
  });

  it('does not count refused verifications', async () => {
    const key = await createKey(t, owner, production);
    await verifyHttp(t, key.secret);
    await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: key.id }, owner);
    for (let i = 0; i < 4; i++) expect((await verifyHttp(t, key.secret)).status).toBe(401);
    await t.app.services.usage.flush();
    const rows = await t.dataSource.getRepository(ApiKeyUsageDaily).find({ where: { apiKeyId: key.id } });
    expect(rows.map((r) => Number(r.requests))).toEqual([1]);
  });

  it('verifyApiKey counts, yet changes nothing the client reads back in the same response', async () => {
    const key = await createKey(t, owner, production);
    const before = await usageOf(key.id);
    const res = await t.gql(
      `query($key: String!, $id: ID!) { verifyApiKey(key: $key) { ${VERIFY_FIELDS} } apiKey(id: $id) { ${USAGE} } after: apiKey(id: $id) { ${USAGE} } }`,
      { key: key.secret, id: key.id },
      owner,
    );
    expect(res.data!.verifyApiKey.code).toBe('VALID');
    for (const read of [res.data!.apiKey, res.data!.after]) {
      expect(read.lastUsedAt).toBe(before.lastUsedAt);
      expect(read.usage.totalRequests).toBe(before.total);
    }
    await t.app.services.usage.flush();
    expect((await usageOf(key.id)).total).toBe(1);
  });

  it('keeps the counts of a failed flush and writes them with the next one', async () => {
    const key = await createKey(t, owner, production);
    for (let i = 0; i < 5; i++) await verifyHttp(t, key.secret);
    const recorder = t.app.services.usage;
    // The database refuses the write for a moment: the usage table is away.
    await whileTableAway(t.dataSource, 'api_key_usage_daily', async () => {
      expect(await recorder.flush().then(() => 'written', () => 'failed')).toBe('failed');
    });
    expect(recorder.pendingRequests).toBe(5);
    await verifyHttp(t, key.secret);
    await recorder.flush();
    expect(recorder.pendingRequests).toBe(0);
    expect((await usageOf(key.id)).total).toBe(6);
  });

  it('moves lastUsedAt of every key in a flush forward, never back', async () => {
    const a = await createKey(t, owner, production, 'Flush A');
    const b = await createKey(t, owner, production, 'Flush B');
    const usage = t.app.services.usage;
    const early = Date.parse('2026-01-02T03:04:05.678Z');
    const late = early + 60_000;
    usage.record(a.id, late);
    usage.record(b.id, early);
    await usage.flush();
    expect((await usageOf(a.id)).lastUsedAt).toBe(new Date(late).toISOString());
    expect((await usageOf(b.id)).lastUsedAt).toBe(new Date(early).toISOString());
    // An older use flushed later (another node, a retried batch) must not move it back.
    usage.record(a.id, early);
    usage.record(b.id, late);
    await usage.flush();
    expect((await usageOf(a.id)).lastUsedAt).toBe(new Date(late).toISOString());
    expect((await usageOf(b.id)).lastUsedAt).toBe(new Date(late).toISOString());
  });

  it('writes a use to the daily row only; the later of it and a last use kept on the key row from before is shown', async () => {
    const key = await createKey(t, owner, production, 'Row and day');
    const keys = t.dataSource.getRepository(ApiKey);
    const onRow = Date.parse('2026-01-02T03:04:05.678Z');
    // A last use written on the key's own row, as verification did before the daily rows carried it.
    await keys.update({ id: key.id }, { lastUsedAtOnRow: new Date(onRow) });
    expect((await usageOf(key.id)).lastUsedAt).toBe(new Date(onRow).toISOString());
    const usage = t.app.services.usage;
    usage.record(key.id, onRow - 86_400_000);
    await usage.flush();
    // An older day's use leaves the row's later one shown.
    expect((await usageOf(key.id)).lastUsedAt).toBe(new Date(onRow).toISOString());
    const later = onRow + 3 * 86_400_000;
    usage.record(key.id, later);
    await usage.flush();
    expect((await usageOf(key.id)).lastUsedAt).toBe(new Date(later).toISOString());
    // The flushes wrote the daily rows, each with its day's latest use, and never the key's row.
    expect((await keys.findOneByOrFail({ id: key.id })).lastUsedAtOnRow?.toISOString()).toBe(new Date(onRow).toISOString());
    const rows = await t.dataSource.getRepository(ApiKeyUsageDaily).find({ where: { apiKeyId: key.id }, order: { day: 'ASC' } });
    expect(rows.map((r) => [r.day, r.lastUsedAt?.toISOString()])).toEqual([
      ['2026-01-01', new Date(onRow - 86_400_000).toISOString()],
      ['2026-01-05', new Date(later).toISOString()],
    ]);
  });

  it('writes pending counts on graceful shutdown (app.close)', async () => {
    const other = await startTestApp({ USAGE_FLUSH_INTERVAL_MS: '600000' });
    try {
      const token = await other.login('owner@acme.test');
      const key = await createKey(other, token, (await orgOf(other, token, 'Acme AI')).spaces.Production!);
      for (let i = 0; i < 4; i++) expect((await verifyHttp(other, key.secret)).status).toBe(200);
      const repo = other.dataSource.getRepository(ApiKeyUsageDaily);
      expect(await repo.count({ where: { apiKeyId: key.id } })).toBe(0);
      await other.app.close();
      const rows = await repo.find({ where: { apiKeyId: key.id } });
      expect(rows.map((r) => [r.day, Number(r.requests)])).toEqual([[utcDay(new Date()), 4]]);
    } finally {
      await other.dataSource.destroy();
      await other.db.drop();
    }
  });
});
