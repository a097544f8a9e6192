import fs from 'node:fs';
import path from 'node:path';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, verifyHttp } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * docs/grafana-dashboard.json asks only for metrics a running server exposes, uses each as its
 * type allows, and has the panels docs/verification.md promises.
 */
const dashboard = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../docs/grafana-dashboard.json'), 'utf8'));
const panels: Array<{ id: number; type: string; title: string; datasource?: { uid: string }; targets?: Array<{ expr: string; datasource: { uid: string } }> }> =
  dashboard.panels;
const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
/** Gauges that only grow while a node runs (counts since start), so rate() and increase() apply. */
const MONOTONIC_GAUGES = new Set(['pulze_api_keys_verification_cache_lookups', 'pulze_api_keys_usage_failed_flushes']);

describe(`the Grafana dashboard against a running server's metrics, on ${TEST_DB}`, () => {
  let t: TestApp;
  const types = new Map<string, string>();
  beforeAll(async () => {
    t = await startTestApp({ METRICS_PORT: '0' });
    // One verification, so that the labelled series exist.
    const owner = await t.login('owner@acme.test');
    const key = await createKey(t, owner, (await orgOf(t, owner, 'Acme AI')).spaces.Production!);
    expect((await verifyHttp(t, key.secret)).status).toBe(200);
    const text = await (await fetch(t.app.metricsUrl()!)).text();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(name!, type!);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('has the panels: verify rate by code, p99, cache hit ratio, usage backlog', () => {
    const has = (re: RegExp) => exprs.some(({ expr }) => re.test(expr));
    expect(has(/sum by \(code\) \(rate\(pulze_api_keys_verifications_total\{/)).toBe(true);
    expect(has(/histogram_quantile\(0\.99, sum by \(le[^)]*\) \(rate\(pulze_api_keys_verification_duration_seconds_bucket\{/)).toBe(true);
    expect(has(/rate\(pulze_api_keys_verification_cache_lookups\{[^}]*result="hit"[^}]*\}\[[^\]]+\]\)\) \/ sum(?: by \(instance\))? \(rate\(pulze_api_keys_verification_cache_lookups\{/)).toBe(true);
    expect(has(/pulze_api_keys_usage_pending_requests\{/)).toBe(true);
  });

  it('asks only for exposed metrics, each used as its type allows', () => {
    expect(types.size).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const { panel, expr } of exprs) {
      for (const match of expr.matchAll(/(\w+)\((pulze_api_keys_\w+)\{/g)) {
        const [, fn, series] = match as unknown as [string, string, string];
        const family = series.replace(/_(bucket|sum|count)$/, '');
        const type = types.get(series) ?? types.get(family);
        if (!type) problems.push(`${panel}: ${series} is not exposed`);
        else if ((fn === 'rate' || fn === 'increase') && !(type === 'counter' || (type === 'histogram' && series !== family) || MONOTONIC_GAUGES.has(series))) {
          problems.push(`${panel}: ${fn}() over ${series}, a ${type}`);
        }
      }
      for (const [, series] of expr.matchAll(/(?<![\w(])(pulze_api_keys_\w+)\{/g)) {
        if (!types.has(series!) && !types.has(series!.replace(/_(bucket|sum|count)$/, ''))) problems.push(`${panel}: ${series} is not exposed`);
      }
      if (/histogram_quantile/.test(expr) && !/_bucket\{/.test(expr)) problems.push(`${panel}: histogram_quantile without buckets`);
    }
    expect(problems).toEqual([]);
    expect(exprs.length).toBeGreaterThanOrEqual(10);
  });

  it('is importable: unique panel ids, every query on the chosen Prometheus', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.templating.list.find((v: { name: string }) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect([p.title, p.datasource?.uid]).toEqual([p.title, '${datasource}']);
      for (const target of p.targets ?? []) expect([p.title, target.datasource.uid]).toEqual([p.title, '${datasource}']);
    }
  });
});
