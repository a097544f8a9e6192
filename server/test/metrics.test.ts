import { generateApiKey } from '@pulze/shared';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, verifyGql, verifyHttp } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

describe(`Prometheus metrics on ${TEST_DB}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_PORT: '0' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const scrape = async () => {
    const url = t.app.metricsUrl();
    expect(url).toBeDefined();
    const res = await fetch(url as string);
    expect(res.status).toBe(200);
    return res.text();
  };
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('count verifications by code and path, time them, and count cache hits', async () => {
    const owner = await t.login('owner@acme.test');
    const key = await createKey(t, owner, (await orgOf(t, owner, 'Acme AI')).spaces.Production!);
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await verifyHttp(t, key.secret)).status).toBe(200);
    expect((await verifyHttp(t, 'pk_not-a-key')).status).toBe(401);
    expect((await verifyGql(t, generateApiKey())).code).toBe('NOT_FOUND');
    const after = await scrape();

    const delta = (series: string) => value(after, series) - value(before, series);
    expect(delta('pulze_api_keys_verifications_total{via="http",code="VALID"}')).toBe(3);
    expect(delta('pulze_api_keys_verifications_total{via="http",code="MALFORMED"}')).toBe(1);
    expect(delta('pulze_api_keys_verifications_total{via="graphql",code="NOT_FOUND"}')).toBe(1);
    expect(delta('pulze_api_keys_verification_duration_seconds_count{via="http"}')).toBe(4);
    // The first check of the key reads the database; the next two are answered from memory.
    expect(delta('pulze_api_keys_verification_cache_lookups{result="hit"}')).toBe(2);
    expect(value(after, 'pulze_api_keys_usage_pending_requests')).toBeGreaterThanOrEqual(0);
    // Nothing that identifies a key or a person.
    expect(after).not.toContain(key.secret.slice(3));
    expect(after).not.toContain(key.id);
  });

  it('are served apart from the public API', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
  });
});
