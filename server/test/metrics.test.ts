import fs from 'node:fs';
import path from 'node:path';
import { generateApiKey } from '@pulze/shared';
import { TEST_DB, whileTableAway } from './helpers/database';
import { createKey, orgOf, verifyGql, verifyHttp } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The metrics the README promises (`METRICS_PORT`) and docs/verification.md lists: verifications
 * by code and path with their latency, cache hits, usage not yet written, process metrics. Each
 * must be exposed under this name and type, and each must move when the thing it counts happens
 * (a metric documented with a type must be listed here, so that it gets a test that moves it).
 */
const DOCUMENTED = {
  pulze_api_keys_verifications_total: 'counter',
  pulze_api_keys_verification_duration_seconds: 'histogram',
  pulze_api_keys_verification_cache_lookups: 'gauge',
  pulze_api_keys_verification_cache_entries: 'gauge',
  pulze_api_keys_usage_pending_requests: 'gauge',
  pulze_api_keys_usage_failed_flushes: 'gauge',
  pulze_api_keys_process_cpu_seconds_total: 'counter',
  pulze_api_keys_process_resident_memory_bytes: 'gauge',
  pulze_api_keys_nodejs_heap_size_used_bytes: 'gauge',
} as const;

const repoRoot = path.join(__dirname, '..', '..');
/**
 * Metric names written anywhere in the README or docs/ (`pulze_api_keys_process_*` is a prefix),
 * with the type a table row gives them: each must be exposed, as that type.
 */
function metricsInDocs(): Array<{ name: string; prefix: boolean; type?: string }> {
  const files = [path.join(repoRoot, 'README.md'), ...fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join(repoRoot, 'docs', f))];
  const found = new Map<string, { name: string; prefix: boolean; type?: string }>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [, name, star] of text.matchAll(/\b(pulze_api_keys_[a-z0-9_]*)(\*)?/g)) {
      const key = `${name}${star ?? ''}`;
      if (!found.has(key)) found.set(key, { name: name!, prefix: Boolean(star) });
    }
    for (const [, name, type] of text.matchAll(/^\| `(pulze_api_keys_[a-z0-9_]+)` \| (counter|gauge|histogram|summary) \|/gm)) found.set(name!, { name: name!, prefix: false, type });
  }
  return [...found.values()];
}

/** One scrape of the exposition format: metric families by name and samples by series. */
class Scrape {
  readonly types = new Map<string, string>();
  private readonly samples = new Map<string, number>();
  constructor(readonly text: string) {
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) this.types.set(type[1]!, type[2]!);
      else if (line && !line.startsWith('#')) {
        const at = line.lastIndexOf(' ');
        this.samples.set(line.slice(0, at), Number(line.slice(at + 1)));
      }
    }
  }
  /** The family's type; fails the test when the family is not exposed at all. */
  family(name: string): string {
    const type = this.types.get(name);
    if (!type) throw new Error(`metric ${name} is not exposed; exposed: ${[...this.types.keys()].join(', ')}`);
    return type;
  }
  /** A sample's value: fails when its family is missing; 0 for a labelled series not yet counted. */
  value(name: string, series = name): number {
    this.family(name.replace(/_(bucket|sum|count)$/, ''));
    return this.samples.get(series) ?? 0;
  }
  /** A sample that must be present. */
  present(series: string): number {
    const value = this.samples.get(series);
    if (value === undefined) throw new Error(`series ${series} is not exposed`);
    return value;
  }
}

describe(`Prometheus metrics on ${TEST_DB}`, () => {
  let t: TestApp;
  let owner: string;
  let production: string;
  beforeAll(async () => {
    // A long flush interval: the usage tests write when they choose to.
    t = await startTestApp({ METRICS_PORT: '0', USAGE_FLUSH_INTERVAL_MS: '600000', RATE_LIMIT_PULZE_X_SUITE: '1000' });
    owner = await t.login('owner@acme.test');
    production = (await orgOf(t, owner, 'Acme AI')).spaces.Production!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const scrape = async () => {
    const url = t.app.metricsUrl();
    expect(url).toBeDefined();
    const res = await fetch(url as string);
    expect(res.status).toBe(200);
    return new Scrape(await res.text());
  };

  it('expose every documented metric under its name and type', async () => {
    const now = await scrape();
    for (const [name, type] of Object.entries(DOCUMENTED)) expect([name, now.family(name)]).toEqual([name, type]);
    const documented = metricsInDocs();
    expect(documented.length).toBeGreaterThan(0);
    const families = [...now.types.keys()];
    const missing = documented.filter(({ name, prefix, type }) => {
      if (prefix) return !families.some((family) => family.startsWith(name));
      const family = now.types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      return !now.types.has(family) || (type !== undefined && now.types.get(family) !== type);
    });
    expect(missing).toEqual([]);
    const withoutTest = documented.filter(({ name, type }) => type !== undefined && !(name in DOCUMENTED));
    expect(withoutTest).toEqual([]);
    expect(now.present('pulze_api_keys_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(now.present('pulze_api_keys_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(now.present('pulze_api_keys_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('count verifications by code and path, and time each one', async () => {
    const key = await createKey(t, owner, production);
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await verifyHttp(t, key.secret)).status).toBe(200);
    expect((await verifyHttp(t, 'pk_not-a-key')).status).toBe(401);
    expect((await verifyGql(t, generateApiKey())).code).toBe('NOT_FOUND');
    const after = await scrape();

    const counted = (series: string) => after.present(series) - before.value('pulze_api_keys_verifications_total', series);
    expect(counted('pulze_api_keys_verifications_total{via="http",code="VALID"}')).toBe(3);
    expect(counted('pulze_api_keys_verifications_total{via="http",code="MALFORMED"}')).toBe(1);
    expect(counted('pulze_api_keys_verifications_total{via="graphql",code="NOT_FOUND"}')).toBe(1);
    const timed = (series: string) => after.present(series) - before.value('pulze_api_keys_verification_duration_seconds_count', series);
    expect(timed('pulze_api_keys_verification_duration_seconds_count{via="http"}')).toBe(4);
    expect(timed('pulze_api_keys_verification_duration_seconds_count{via="graphql"}')).toBe(1);
    const seconds = after.present('pulze_api_keys_verification_duration_seconds_sum{via="http"}') - before.value('pulze_api_keys_verification_duration_seconds_sum', 'pulze_api_keys_verification_duration_seconds_sum{via="http"}');
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(10);
    // Nothing that identifies a key or a person.
    expect(after.text).not.toContain(key.secret.slice(3));
    expect(after.text).not.toContain(key.id);
    expect(after.text).not.toContain('owner@acme.test');
  });

  it('count cache look-ups: the first check of a key reads the database, the next ones memory', async () => {
    const key = await createKey(t, owner, production);
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await verifyHttp(t, key.secret)).status).toBe(200);
    const after = await scrape();
    const hit = 'pulze_api_keys_verification_cache_lookups{result="hit"}';
    const miss = 'pulze_api_keys_verification_cache_lookups{result="miss"}';
    expect(after.present(miss) - before.value('pulze_api_keys_verification_cache_lookups', miss)).toBe(1);
    expect(after.present(hit) - before.value('pulze_api_keys_verification_cache_lookups', hit)).toBe(2);
    expect(after.present('pulze_api_keys_verification_cache_entries') - before.present('pulze_api_keys_verification_cache_entries')).toBe(1);
  });

  it('show the usage backlog: it grows with each valid verification and drains when written', async () => {
    const usage = t.app.services.usage;
    await usage.flush();
    const pending = async () => (await scrape()).present('pulze_api_keys_usage_pending_requests');
    expect(await pending()).toBe(0);
    const key = await createKey(t, owner, production);
    for (let i = 0; i < 4; i++) expect((await verifyHttp(t, key.secret)).status).toBe(200);
    expect((await verifyHttp(t, generateApiKey())).status).toBe(401); // refused: not a use
    expect(await pending()).toBe(4);
    await usage.flush();
    expect(await pending()).toBe(0);
  });

  it('count a flush that cannot write, and keep its uses pending until one can', async () => {
    const usage = t.app.services.usage;
    await usage.flush();
    const key = await createKey(t, owner, production);
    for (let i = 0; i < 3; i++) expect((await verifyHttp(t, key.secret)).status).toBe(200);
    const before = await scrape();
    expect(before.present('pulze_api_keys_usage_pending_requests')).toBe(3);

    await whileTableAway(t.dataSource, 'api_key_usage_daily', async () => {
      // Not `rejects.toThrow()`: better-sqlite3's errors may come from another test file's realm.
      expect(await usage.flush().then(() => 'written', () => 'failed')).toBe('failed');
    });
    const failed = await scrape();
    expect(failed.present('pulze_api_keys_usage_failed_flushes') - before.present('pulze_api_keys_usage_failed_flushes')).toBe(1);
    expect(failed.present('pulze_api_keys_usage_pending_requests')).toBe(3);

    await usage.flush();
    const written = await scrape();
    expect(written.present('pulze_api_keys_usage_pending_requests')).toBe(0);
    expect(written.present('pulze_api_keys_usage_failed_flushes')).toBe(failed.present('pulze_api_keys_usage_failed_flushes'));
  });

  it('are served apart from the public API', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    expect((await fetch(t.app.metricsUrl()!.replace('/metrics', '/other'))).status).toBe(404);
  });
});
