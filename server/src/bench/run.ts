import 'reflect-metadata';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import { createApp, type App } from '../app';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../db/bootstrap';
import { createLogger } from '../lib/logger';
import { ApiKey } from '../modules/api-key/api-key.entity';
import { hashApiKey, newApiKeyRow } from '../modules/api-key/api-key.service';
import { Space } from '../modules/space/space.entity';
import { createKeyLookup, createOrmKeyLookup } from '../modules/verification/key-lookup';
import { evaluate } from '../modules/verification/verification.service';

/**
 * Benchmark of the verification hot path, bounded in time and only against 127.0.0.1:
 * in process (the previous uncached ORM join, the prepared statement alone, the full cached
 * path) and over HTTP (GraphQL verifyApiKey without cache, GET /v1/keys/verify without and with
 * cache). Ratios are against the baseline measured in the same run.
 *   BENCH_SECONDS        seconds per scenario (default 3)
 *   BENCH_CONCURRENCY    HTTP requests in flight (default 16)
 *   BENCH_KEYS           keys verified in rotation (default 1000)
 *   BENCH_DATABASE_URL   also run on this MySQL/MariaDB database (a scratch one: keys are added)
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const KEY_COUNT = Number(process.env.BENCH_KEYS ?? 1000);

interface Result {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

function summarize(name: string, latenciesUs: number[], elapsedMs: number): Result {
  const sorted = Float64Array.from(latenciesUs).sort();
  const arr = Array.from(sorted);
  return { name, requests: arr.length, perSecond: (arr.length / elapsedMs) * 1000, p50: percentile(arr, 0.5), p99: percentile(arr, 0.99) };
}

/** Calls `op` back to back (one at a time) for the configured time. */
async function inProcess(name: string, keys: string[], op: (key: string) => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < Math.min(keys.length, 2000); i++) await op(keys[i % keys.length] as string); // warm-up
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let i = 0;
  while (performance.now() < end) {
    const t0 = performance.now();
    await op(keys[i++ % keys.length] as string);
    latencies.push((performance.now() - t0) * 1000);
  }
  return summarize(name, latencies, performance.now() - start);
}

/** CONCURRENCY keep-alive connections sending requests for the configured time. */
async function overHttp(name: string, keys: string[], request: (key: string) => http.RequestOptions & { body?: string }): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const send = (key: string) =>
    new Promise<number>((resolve, reject) => {
      const { body, ...options } = request(key);
      const req = http.request({ ...options, agent, host: '127.0.0.1' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 500; i++) await send(keys[i % keys.length] as string);
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await send(keys[next++ % keys.length] as string);
        if (status !== 200) failures++;
        latencies.push((performance.now() - t0) * 1000);
      }
    }),
  );
  agent.destroy();
  if (failures) throw new Error(`${name}: ${failures} responses were not 200`);
  return summarize(name, latencies, performance.now() - start);
}

async function seedKeys(dataSource: DataSource): Promise<string[]> {
  const space = await dataSource.getRepository(Space).findOneByOrFail({ name: 'Production' });
  const owner = await dataSource.getRepository(ApiKey).findOneByOrFail({ spaceId: space.id });
  const secrets = Array.from({ length: KEY_COUNT }, () => generateApiKey());
  const rows = secrets.map((secret, i) =>
    newApiKeyRow({ secret, name: `Bench key ${i}`, organizationId: space.organizationId, spaceId: space.id, ownerId: owner.ownerId }),
  );
  for (let i = 0; i < rows.length; i += 200) await dataSource.getRepository(ApiKey).insert(rows.slice(i, i + 200));
  return secrets;
}

function table(title: string, results: Result[], baseline: Result): string {
  const lines = [
    `\n${title}`,
    '| scenario | requests | req/s | p50 µs | p99 µs | req/s vs baseline | p50 vs baseline |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${(r.perSecond / baseline.perSecond).toFixed(2)}x | ${(baseline.p50 / r.p50).toFixed(2)}x faster |`,
    );
  }
  return lines.join('\n');
}

async function startApp(database: Config['database'], dataDir: string, env: Record<string, string>): Promise<{ app: App; port: number; dataSource: DataSource }> {
  const base = loadConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PULZE_X_SUITE: '1000000000',
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    ...env,
  });
  const config = { ...base, database, jwt: { ...base.jwt, secret: base.jwt.secret as string } };
  const logger = createLogger('warn');
  const dataSource = await openDatabase(config, logger);
  const app = await createApp(config, dataSource, logger);
  const url = await app.listen();
  return { app, port: Number(new URL(url).port), dataSource };
}

async function benchDriver(label: string, database: Config['database'], dataDir: string): Promise<string> {
  console.log(`\n# ${label}: preparing`);
  const cached = await startApp(database, dataDir, {});
  const keys = await seedKeys(cached.dataSource);
  const services = cached.app.services;

  const orm = createOrmKeyLookup(cached.dataSource);
  const prepared = createKeyLookup(cached.dataSource);
  const inProc: Result[] = [];
  console.log(`# ${label}: in process, ${SECONDS} s per scenario`);
  inProc.push(await inProcess('baseline: uncached ORM join (previous code)', keys, async (k) => evaluate(await orm(hashApiKey(k)))));
  inProc.push(await inProcess('uncached prepared statement', keys, async (k) => evaluate(await prepared(hashApiKey(k)))));
  inProc.push(await inProcess('cached hot path (cache + rate limit + usage)', keys, (k) => services.verification.verify(k)));

  const uncached = await startApp(database, dataDir, { VERIFY_CACHE_TTL_MS: '0', SEED_DEMO: 'false' });
  console.log(`# ${label}: over HTTP, ${CONCURRENCY} connections, ${SECONDS} s per scenario`);
  const gql = (port: number) => (k: string) => ({
    port,
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($k: String!) { verifyApiKey(key: $k) { valid code keyId } }', variables: { k } }),
  });
  const verifyRoute = (port: number) => (k: string) => ({ port, method: 'GET', path: '/v1/keys/verify', headers: { authorization: `Bearer ${k}` } });
  const viaHttp: Result[] = [];
  viaHttp.push(await overHttp('baseline: GraphQL verifyApiKey, no cache', keys, gql(uncached.port)));
  viaHttp.push(await overHttp('GET /v1/keys/verify, no cache', keys, verifyRoute(uncached.port)));
  viaHttp.push(await overHttp('GraphQL verifyApiKey, cached', keys, gql(cached.port)));
  viaHttp.push(await overHttp('GET /v1/keys/verify, cached', keys, verifyRoute(cached.port)));

  for (const { app, dataSource } of [uncached, cached]) {
    await app.close();
    await dataSource.destroy();
  }
  return [
    table(`## ${label}: in process (one call at a time)`, inProc, inProc[0] as Result),
    table(`## ${label}: HTTP (${CONCURRENCY} keep-alive connections)`, viaHttp, viaHttp[0] as Result),
  ].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const cpus = os.cpus();
  const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${os.platform()}`;
  const reports: string[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-bench-'));
  try {
    reports.push(await benchDriver('SQLite', { kind: 'sqlite', file: path.join(dataDir, 'bench.sqlite') }, dataDir));
    const mysqlUrl = process.env.BENCH_DATABASE_URL;
    if (mysqlUrl) reports.push(await benchDriver('MySQL/MariaDB', { kind: 'mysql', url: mysqlUrl.replace(/^mariadb:/, 'mysql:') }, dataDir));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`\n# Verification benchmark\nMachine: ${machine}; ${KEY_COUNT} keys in rotation; ${SECONDS} s per scenario.`);
  console.log(reports.join('\n'));
  console.log(`\nTook ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
