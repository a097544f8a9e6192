import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import type { Config } from '../config';
import type { LoadResult, LoadSpec } from './load';
import { renderReport, writeReport, type Machine, type Section, type Scenario, type Target } from './report';
import { SEARCH_COUNT_CAP } from '../modules/api-key/key-search';
import { hashApiKey } from '../modules/api-key/api-key.model';
import { modelColumn } from '../modules/spend/model-allowlist';
import { MEMORY_REPORT_MESSAGE, type MemoryReport } from '../lib/memory';
import { explainListQueries } from './explain';
import { ACME, seed } from './seed';

/**
 * `pnpm bench`: seeds a scratch database with a million keys, starts the server and the floors
 * as their own processes, drives them with autocannon from another process, and prints and
 * writes docs/benchmarks.md. Only 127.0.0.1; every process it starts is stopped at the end.
 */
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
};
const settings = {
  keys: num('BENCH_KEYS', 1_000_000),
  spaceKeys: num('BENCH_SPACE_KEYS', 100_000),
  sqliteKeys: num('BENCH_SQLITE_KEYS', num('BENCH_KEYS', 1_000_000)),
  sample: num('BENCH_SAMPLE', 300_000),
  duration: num('BENCH_DURATION', 8),
  warmup: num('BENCH_WARMUP', 2),
  connections: num('BENCH_CONNECTIONS', 32),
  listConnections: num('BENCH_LIST_CONNECTIONS', 1),
  createConnections: num('BENCH_CREATE_CONNECTIONS', 4),
  mysqlUrl: (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, ''),
  database: process.env.BENCH_DATABASE ?? 'pulze_bench',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  drivers: (process.env.BENCH_DRIVERS ?? 'mysql,sqlite').split(',').map((d) => d.trim()),
  /** Scenario groups to run: verify, lists, redis, spend (all by default). */
  only: (process.env.BENCH_ONLY ?? 'verify,lists,redis,spend').split(',').map((d) => d.trim()),
  /** Keys given a budget and a model allowlist for the spend scenario. */
  spendKeys: num('BENCH_SPEND_KEYS', 1000),
  /** A folder for V8 CPU profiles of the server (node --cpu-prof), one per server process. */
  cpuProfileDir: process.env.BENCH_CPU_PROF ?? '',
  /** More node flags for the server's processes, space-separated (V8's heap settings, say). */
  serverNodeFlags: (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter((flag) => flag.startsWith('--')),
  out: process.env.BENCH_OUT ?? path.resolve(__dirname, '../../../docs/benchmarks.md'),
};
if (!/^[a-z0-9_]+$/i.test(settings.database)) throw new Error('BENCH_DATABASE must be letters, digits and _');

const dist = path.resolve(__dirname, '..');
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789';
const children = new Set<ChildProcess>();
const log = (line: string) => console.log(line);

// ---------------------------------------------------------------------------------- processes

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, path.join(dist, script), ...args], {
    env: { PATH: process.env.PATH ?? '', ...(process.env.NODE_PATH ? { NODE_PATH: process.env.NODE_PATH } : {}), NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => {
    errors = (errors + d.toString()).slice(-2000);
  });
  child.on('exit', (code) => {
    if (code && code !== 0 && errors) console.error(`${script} exited with ${code}: ${errors}`);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

interface Server {
  child: ChildProcess;
  url: string;
  /** The next memory report the server logs (on SIGUSR2); undefined after 5 s without one. */
  nextMemoryReport?: () => Promise<MemoryReport | undefined>;
}

/** Reads the server's log as it comes and hands each memory report (lib/memory.ts) to its waiter. */
function watchMemoryReports(child: ChildProcess): () => Promise<MemoryReport | undefined> {
  let partial = '';
  let waiter: ((report: MemoryReport) => void) | undefined;
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = (lines.pop() ?? '').slice(-100_000);
    for (const line of lines) {
      if (!waiter || !line.includes(MEMORY_REPORT_MESSAGE)) continue;
      try {
        const report = (JSON.parse(line) as { memory?: MemoryReport }).memory;
        if (report) waiter(report);
      } catch {
        // not a log line
      }
    }
  });
  return () =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiter = undefined;
        resolve(undefined);
      }, 5000);
      waiter = (report) => {
        clearTimeout(timer);
        waiter = undefined;
        resolve(report);
      };
    });
}

/** The process behind each floor's and server's origin, so a load can measure its CPU per response. */
const serving = new Map<string, number>();

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = start('main.js', [], {
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    // The benchmark measures capacity, not the plan's limit.
    RATE_LIMIT_PULZE_X_SUITE: '1000000000',
    ...env,
  }, ['--expose-gc', ...settings.serverNodeFlags, ...(settings.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(settings.cpuProfileDir)}`] : [])]);
  const url = `http://127.0.0.1:${port}`;
  const nextMemoryReport = watchMemoryReports(child);
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the server exited while starting');
    try {
      if ((await fetch(`${url}/readyz`)).ok) {
        if (child.pid !== undefined) serving.set(url, child.pid);
        return { child, url, nextMemoryReport };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not become ready in 120 s');
}

async function startFloor(kind: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const child = start('bench/floor.js', [kind], { FLOOR_PORT: String(port), ...env });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', () => reject(new Error(`floor ${kind} exited`)));
  });
  const url = `http://127.0.0.1:${port}`;
  if (child.pid !== undefined) serving.set(url, child.pid);
  return { child, url };
}

const rssMb = (child: ChildProcess): number | undefined => {
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The server's RSS once the scenario's garbage is gone: a forced collection (the bench starts the
 * server with --expose-gc, and it collects on SIGUSR2) and a second's pause, so the figure is what
 * the server keeps (caches, pools), comparable from run to run. The RSS right after the load is
 * logged beside it, and the server's own report after the collection (heap used and reserved,
 * memory outside the heap) says what the settled figure is made of.
 */
async function settledRssMb(server: Server): Promise<{ settled: number | undefined; atOnce: number | undefined; memory?: MemoryReport }> {
  const atOnce = rssMb(server.child);
  const report = server.nextMemoryReport?.();
  server.child.kill('SIGUSR2');
  const memory = await report;
  await new Promise((r) => setTimeout(r, 1000));
  return { settled: rssMb(server.child), atOnce, memory };
}

let scratch = '';

async function load(spec: Omit<LoadSpec, 'duration' | 'warmup'> & Partial<Pick<LoadSpec, 'duration' | 'warmup'>>): Promise<LoadResult> {
  const file = path.join(scratch, `load-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const servedByPid = serving.get(new URL(spec.url).origin);
  fs.writeFileSync(file, JSON.stringify({ duration: settings.duration, warmup: settings.warmup, ...spec, ...(servedByPid === undefined ? {} : { servedByPid }) }));
  const child = start('bench/load.js', [file], {});
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the load generator failed (${code})`);
  return JSON.parse(out.trim().split('\n').pop() as string) as LoadResult;
}

// ---------------------------------------------------------------------------------- GraphQL

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// The keys page's query (web/src/features/api-keys/api/api-keys.ts), with its fragment inlined.
const API_KEYS_QUERY = `query ApiKeys($organizationId: ID!, $spaceId: ID, $search: String, $page: Int!, $pageSize: Int!) {
  apiKeys(organizationId: $organizationId, spaceId: $spaceId, search: $search, page: $page, pageSize: $pageSize) {
    items { id name maskedKey createdAt lastUsedAt viewerCanRemove space { id name logoUrl } owner { id name avatarUrl } }
    totalCount page pageSize pageCount
  }
}`;
const TOTAL_COUNT_QUERY = `query Count($organizationId: ID!) { apiKeys(organizationId: $organizationId, page: 1, pageSize: 10) { totalCount } }`;
const VERIFY_QUERY = `query Verify($key: String!) { verifyApiKey(key: $key) { valid code keyId spaceId organizationId plan rateLimit { limit remaining resetAt } } }`;
const CREATE_MUTATION = `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name maskedKey createdAt } } }`;
export const SEARCH_TERM = 'mobile app 1';
const PAGE_SIZE = 10;

type ListPage = { apiKeys: { items: Array<{ id: string }>; totalCount: number; pageCount: number } };

// ---------------------------------------------------------------------------------- scenarios

interface Ctx {
  server: Server;
  token: string;
  keysFile: string;
  hotKey: string;
  cursor: { next: number };
  scenarios: Scenario[];
}

async function record(
  ctx: Pick<Ctx, 'scenarios'>,
  scenario: Omit<Scenario, 'result' | 'rssMb'>,
  run: () => Promise<LoadResult>,
  server?: Server,
): Promise<LoadResult> {
  log(`  ${scenario.name} ...`);
  const result = await run();
  const rss = server ? await settledRssMb(server) : { settled: undefined, atOnce: undefined, memory: undefined };
  const entry: Scenario = { ...scenario, result, rssMb: rss.settled, memory: rss.memory };
  ctx.scenarios.push(entry);
  log(
    `    ${result.perSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p95 ${result.p95.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.errors} errors, CPU per response: ${result.serverCpuMicros ?? '?'} µs serving, ${result.loadCpuMicros} µs load generator` +
      (entry.rssMb ? `, RSS ${entry.rssMb.toFixed(0)} MB settled (${rss.atOnce?.toFixed(0) ?? '?'} MB right after the load)` : ''),
  );
  if (rss.memory) {
    const m = rss.memory;
    const spaces = Object.entries(m.heapSpaces).map(([name, s]) => `${name} ${s.usedMb}/${s.committedMb}`).join(', ');
    log(`    heap ${m.heapUsedMb} MB used of ${m.heapTotalMb} MB, external ${m.externalMb} MB (array buffers ${m.arrayBuffersMb} MB); spaces (MB used/committed): ${spaces}`);
  }
  return result;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const json = { 'content-type': 'application/json' };

function randomKeys(ctx: Ctx): Pick<LoadSpec, 'keysFile' | 'keyOffset'> {
  return { keysFile: ctx.keysFile, keyOffset: ctx.cursor.next };
}

async function advance(ctx: Ctx, result: LoadResult): Promise<LoadResult> {
  // The warm-up used keys too; skip well past both so the next scenario starts on unseen keys.
  ctx.cursor.next += result.keysUsed * 2 + 10_000;
  return result;
}

function listSpec(ctx: Ctx, variables: Record<string, unknown>, query = API_KEYS_QUERY): LoadSpec {
  return {
    url: `${ctx.server.url}/graphql`,
    method: 'POST',
    connections: settings.listConnections,
    duration: settings.duration,
    warmup: settings.warmup,
    headers: { ...json, ...bearer(ctx.token) },
    body: JSON.stringify({ query, variables: { organizationId: ACME.organizationId, ...variables } }),
    expectStatus: 200,
    expectBody: '"totalCount"',
  };
}

function createSpec(ctx: Ctx, connections: number): LoadSpec {
  return {
    url: `${ctx.server.url}/graphql`,
    method: 'POST',
    connections,
    duration: settings.duration,
    warmup: 0,
    headers: { ...json, ...bearer(ctx.token) },
    body: JSON.stringify({ query: CREATE_MUTATION, variables: { input: { spaceId: ACME.productionId, name: 'bench created key' } } }),
    expectStatus: 200,
    expectBody: '"secret"',
  };
}

const LIST_TARGETS: Record<string, Target> = {
  first: { metric: 'p50', below: 5 },
  deep: { metric: 'p95', below: 50 },
  search: { metric: 'p95', below: 50 },
  count: { metric: 'p95', below: 50 },
};

async function listScenarios(ctx: Ctx, label: string, counts: Counter, notes: string[]): Promise<void> {
  // Correctness first: the answers the load will ask for, against the database itself.
  const first = await graphql<ListPage>(ctx.server.url, API_KEYS_QUERY, { organizationId: ACME.organizationId, page: 1, pageSize: PAGE_SIZE }, ctx.token);
  const live = await counts.live();
  if (first.apiKeys.totalCount !== live) throw new Error(`${label}: totalCount ${first.apiKeys.totalCount} but COUNT(*) is ${live}`);
  const deepPage = Math.min(10_002, first.apiKeys.pageCount);
  const deep = await graphql<ListPage>(ctx.server.url, API_KEYS_QUERY, { organizationId: ACME.organizationId, page: deepPage, pageSize: PAGE_SIZE }, ctx.token);
  const expectedDeep = await counts.pageIds((deepPage - 1) * PAGE_SIZE, PAGE_SIZE);
  if (deep.apiKeys.items.map((k) => k.id).join() !== expectedDeep.join()) throw new Error(`${label}: page ${deepPage} differs from the database's`);
  const found = await graphql<ListPage>(ctx.server.url, API_KEYS_QUERY, { organizationId: ACME.organizationId, search: SEARCH_TERM, page: 1, pageSize: PAGE_SIZE }, ctx.token);
  // The documented rule, applied here to every live name of the organization.
  const matching = (await counts.liveNames()).filter((k) => matchesWordPrefixes(k.name, SEARCH_TERM));
  const expectedCount = Math.min(matching.length, SEARCH_COUNT_CAP);
  const expectedIds = matching.slice(0, PAGE_SIZE).map((k) => k.id).join();
  if (found.apiKeys.totalCount !== expectedCount || found.apiKeys.items.map((k) => k.id).join() !== expectedIds) {
    throw new Error(`${label}: search "${SEARCH_TERM}" answered ${found.apiKeys.totalCount} keys, the word-prefix rule says ${matching.length}`);
  }
  notes.push(
    `${label}: checked before the load: totalCount ${live.toLocaleString('en-US')} equals COUNT(*); page ${deepPage} has the database's rows in order; ` +
      `search "${SEARCH_TERM}" answered ${found.apiKeys.totalCount.toLocaleString('en-US')} keys and the first page that the word-prefix rule gives over all ${live.toLocaleString('en-US')} names.`,
  );

  await record(ctx, { name: 'apiKeys first page (10 rows, totalCount)', connections: settings.listConnections, floor: 'constant, 1 conn', target: LIST_TARGETS.first }, () => load(listSpec(ctx, { page: 1, pageSize: PAGE_SIZE })), ctx.server);
  await record(ctx, { name: `apiKeys page ${deepPage.toLocaleString('en-US')}`, connections: settings.listConnections, floor: 'constant, 1 conn', target: LIST_TARGETS.deep }, () => load(listSpec(ctx, { page: deepPage, pageSize: PAGE_SIZE })), ctx.server);
  await record(ctx, { name: `apiKeys search "${SEARCH_TERM}"`, connections: settings.listConnections, floor: 'constant, 1 conn', target: LIST_TARGETS.search }, () => load(listSpec(ctx, { search: SEARCH_TERM, page: 1, pageSize: PAGE_SIZE })), ctx.server);
  await record(ctx, { name: 'apiKeys totalCount alone', connections: settings.listConnections, floor: 'constant, 1 conn', target: LIST_TARGETS.count }, () => load(listSpec(ctx, {}, TOTAL_COUNT_QUERY)), ctx.server);

  await record(ctx, { name: 'createApiKey', connections: settings.createConnections, floor: 'constant, 1 conn' }, () => load(createSpec(ctx, settings.createConnections)), ctx.server);
  // Creates and the first page together: the list must hold its target while keys are added.
  let creating: LoadResult | undefined;
  await record(
    ctx,
    { name: `apiKeys first page while createApiKey runs (${settings.createConnections} conns)`, connections: settings.listConnections, floor: 'constant, 1 conn', target: LIST_TARGETS.first },
    async () => {
      const both = await Promise.all([load({ ...listSpec(ctx, { page: 1, pageSize: PAGE_SIZE }), warmup: 0 }), load(createSpec(ctx, settings.createConnections))]);
      creating = both[1];
      return both[0];
    },
    ctx.server,
  );
  if (creating) ctx.scenarios.push({ name: '  createApiKey during the above', connections: settings.createConnections, floor: 'constant, 1 conn', result: creating, rssMb: undefined });
  const after = await graphql<ListPage>(ctx.server.url, TOTAL_COUNT_QUERY, { organizationId: ACME.organizationId }, ctx.token);
  const liveAfter = await counts.live();
  if (after.apiKeys.totalCount !== liveAfter) throw new Error(`${label}: after the creates, totalCount ${after.apiKeys.totalCount} but COUNT(*) is ${liveAfter}`);
  notes.push(`${label}: after the creates, totalCount ${liveAfter.toLocaleString('en-US')} still equals COUNT(*).`);
}

interface Counter {
  live(): Promise<number>;
  pageIds(offset: number, limit: number): Promise<string[]>;
  /** Every live key of the organization, newest first. */
  liveNames(): Promise<Array<{ id: string; name: string }>>;
  close(): Promise<void>;
}

/** The rule of README's API section, written again here: every word of the term begins a word of the name. */
const wordsOf = (text: string) => text.normalize('NFC').trim().normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
function matchesWordPrefixes(name: string, term: string): boolean {
  const words = wordsOf(term);
  const nameWords = wordsOf(name);
  return words.length > 0 && words.every((w) => nameWords.some((n) => n.startsWith(w)));
}

const LIVE_SQL = 'SELECT COUNT(*) AS n FROM api_keys WHERE organizationId = ? AND removedAt IS NULL';
const PAGE_SQL = 'SELECT id FROM api_keys WHERE organizationId = ? AND removedAt IS NULL ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?';
const NAMES_SQL = 'SELECT id, name FROM api_keys WHERE organizationId = ? AND removedAt IS NULL ORDER BY createdAt DESC, id DESC';

async function mysqlCounter(url: string): Promise<Counter> {
  const connection = await createConnection(url);
  const one = async (sql: string, params: unknown[]) => Number(((await connection.query(sql, params))[0] as Array<{ n: number }>)[0]?.n);
  return {
    live: () => one(LIVE_SQL, [ACME.organizationId]),
    pageIds: async (offset, limit) => ((await connection.query(PAGE_SQL, [ACME.organizationId, limit, offset]))[0] as Array<{ id: string }>).map((r) => r.id),
    liveNames: async () => (await connection.query(NAMES_SQL, [ACME.organizationId]))[0] as Array<{ id: string; name: string }>,
    close: () => connection.end(),
  };
}

function sqliteCounter(file: string): Counter {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return {
    live: async () => (db.prepare(LIVE_SQL).get(ACME.organizationId) as { n: number }).n,
    pageIds: async (offset, limit) => (db.prepare(PAGE_SQL).all(ACME.organizationId, limit, offset) as Array<{ id: string }>).map((r) => r.id),
    liveNames: async () => db.prepare(NAMES_SQL).all(ACME.organizationId) as Array<{ id: string; name: string }>,
    close: async () => {
      db.close();
    },
  };
}

async function login(url: string): Promise<string> {
  const data = await graphql<{ login: { token: string } }>(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: 'owner@acme.test', p: 'pulze-demo' });
  return data.login.token;
}

async function seedAndReport(database: Config['database'], keys: number, label: string, dataDir: string, keysFile: string) {
  log(`\n# ${label}: seeding ${keys.toLocaleString('en-US')} keys (${Math.min(settings.spaceKeys, keys).toLocaleString('en-US')} in Acme AI / Production)`);
  const seeded = await seed(database, dataDir, { keys, spaceKeys: settings.spaceKeys, sample: settings.sample }, log);
  fs.writeFileSync(keysFile, `${seeded.sample.join('\n')}\n`, { mode: 0o600 });
  log(`  seeded in ${seeded.seconds.toFixed(1)} s`);
  return seeded;
}

async function mysqlSection(machine: Machine): Promise<Section> {
  const label = 'MariaDB';
  const url = `${settings.mysqlUrl}/${settings.database}`;
  const admin = await createConnection(settings.mysqlUrl);
  const [[version]] = (await admin.query('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool')) as unknown as [[{ v: string; pool: string }]];
  machine.databases.push(`MySQL/MariaDB ${version?.v ?? '?'} (InnoDB buffer pool ${Math.round(Number(version?.pool) / 1024 ** 2)} MB)`);
  await admin.query(`DROP DATABASE IF EXISTS \`${settings.database}\``);
  await admin.query(`CREATE DATABASE \`${settings.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();

  const keysFile = path.join(scratch, 'mysql-keys.txt');
  const seeded = await seedAndReport({ kind: 'mysql', url }, settings.keys, label, scratch, keysFile);
  const section: Section = { label, keys: seeded.keysInserted, seedSeconds: seeded.seconds, scenarios: [], notes: [] };
  const floors = { constant: await startFloor('constant'), short: await startFloor('short'), lookup: await startFloor('lookup', { FLOOR_MYSQL_URL: url }) };
  const counter = await mysqlCounter(url);
  try {
    const server = await startServer({ DATABASE_URL: url, DATA_DIR: path.join(scratch, 'mysql-data') });
    const ctx: Ctx = { server, token: await login(server.url), keysFile, hotKey: seeded.hotKey, cursor: { next: 0 }, scenarios: section.scenarios };
    log(`# ${label}: scenarios, ${settings.duration} s each after ${settings.warmup} s of warm-up`);
    const c = settings.connections;
    const verify = (base: string, keyHeader: string): LoadSpec => ({
      url: `${base}/v1/keys/verify`,
      method: 'GET',
      connections: c,
      duration: settings.duration,
      warmup: settings.warmup,
      headers: bearer(keyHeader),
      expectStatus: 200,
    });
    if (settings.only.includes('verify')) {
      await record(ctx, { name: 'floor: constant answer', connections: c, isFloor: true }, () => load(verify(floors.constant.url, ctx.hotKey)));
      await record(ctx, { name: 'GET /v1/keys/verify, one hot key', connections: c, floor: 'floor: constant answer', target: { metric: 'ratio', atLeast: 0.8 } }, () => load(verify(server.url, ctx.hotKey)), server);
      // For reference: the floor as it was first measured, a short constant; the hot key's ratio to it is printed in a note.
      await record(ctx, { name: 'floor: short constant (2 headers, 30-byte body), for reference', connections: c, isFloor: true }, () => load(verify(floors.short.url, ctx.hotKey)));
      const hot = ctx.scenarios.find((s) => s.name === 'GET /v1/keys/verify, one hot key');
      const short = ctx.scenarios.find((s) => s.name.startsWith('floor: short constant'));
      if (hot && short) section.notes.push(`${label}: the hot key against the short constant: ${(hot.result.perSecond / short.result.perSecond).toFixed(2)}x.`);
      await record(ctx, { name: 'floor: prepared mysql2 look-up by hash', connections: c, isFloor: true }, async () => advance(ctx, await load({ ...verify(floors.lookup.url, '{KEY}'), ...randomKeys(ctx) })));
      await record(ctx, { name: 'GET /v1/keys/verify, random keys', connections: c, floor: 'floor: prepared mysql2 look-up by hash', target: { metric: 'ratio', atLeast: 0.8 } }, async () => advance(ctx, await load({ ...verify(server.url, '{KEY}'), ...randomKeys(ctx) })), server);
      await record(
        ctx,
        { name: 'GraphQL verifyApiKey, random keys', connections: c, floor: 'floor: prepared mysql2 look-up by hash', target: { metric: 'ratio', atLeast: 0.5 } },
        async () =>
          advance(
            ctx,
            await load({
              url: `${server.url}/graphql`,
              method: 'POST',
              connections: c,
              headers: json,
              body: JSON.stringify({ query: VERIFY_QUERY, variables: { key: '{KEY}' } }),
              expectStatus: 200,
              expectBody: '"valid":true',
              ...randomKeys(ctx),
            }),
          ),
        server,
      );
      const fill = Math.min(100_000, seeded.sample.length);
      await record(ctx, { name: `GET /v1/keys/verify, ${fill.toLocaleString('en-US')} distinct keys (fills the cache)`, connections: c, floor: 'floor: prepared mysql2 look-up by hash' }, async () =>
        advance(ctx, await load({ ...verify(server.url, '{KEY}'), warmup: 0, amount: fill, keysFile, keyOffset: 0 })),
        server,
      );
    }
    if (settings.only.includes('lists')) {
      await record(ctx, { name: 'floor: constant answer, 1 conn', connections: settings.listConnections, isFloor: true, alias: 'constant, 1 conn' }, () => load({ ...verify(floors.constant.url, ctx.hotKey), connections: settings.listConnections }));
      await listScenarios(ctx, label, counter, section.notes);
      const deepOffset = (Math.min(10_002, Math.ceil((await counter.live()) / PAGE_SIZE)) - 1) * PAGE_SIZE;
      const plans = await explainListQueries(url, [
        { label: 'First page', query: { organizationId: ACME.organizationId, offset: 0, limit: PAGE_SIZE } },
        { label: `Page ${deepOffset / PAGE_SIZE + 1}`, query: { organizationId: ACME.organizationId, offset: deepOffset, limit: PAGE_SIZE } },
        { label: `Search "${SEARCH_TERM}"`, query: { organizationId: ACME.organizationId, search: SEARCH_TERM, offset: 0, limit: PAGE_SIZE } },
        { label: 'Search "app" (one short word, many matches)', query: { organizationId: ACME.organizationId, search: 'app', offset: 0, limit: PAGE_SIZE } },
      ]);
      section.notes.push(`${label}: EXPLAIN of the key list's statements, as ApiKeyRepository sends them for Acme AI's owner (all three spaces):\n\n${plans}`);
    }
    await stop(server.child);
    if (!settings.only.includes('redis') && !settings.only.includes('spend')) return section;

    // The shared rate limit and invalidation: Redis on every check.
    const prefix = `pulze-bench-${process.pid}:`;
    const redisFloor = await startFloor('redis', { FLOOR_REDIS_URL: settings.redisUrl, FLOOR_REDIS_PREFIX: `${prefix}floor:` });
    const withRedis = await startServer({ DATABASE_URL: url, DATA_DIR: path.join(scratch, 'mysql-data'), REDIS_URL: settings.redisUrl, REDIS_PREFIX: prefix });
    try {
      await record(ctx, { name: 'floor: one Redis INCR', connections: c, isFloor: true }, () => load(verify(redisFloor.url, ctx.hotKey)));
      if (settings.only.includes('redis')) {
        await record(ctx, { name: 'GET /v1/keys/verify, one hot key, REDIS_URL set', connections: c, floor: 'floor: one Redis INCR', target: { metric: 'ratio', atLeast: 0.5 } }, () => load(verify(withRedis.url, ctx.hotKey)), withRedis);
      }
      if (settings.only.includes('spend')) {
        const spendKeysFile = path.join(scratch, 'mysql-spend-keys.txt');
        await spendScenario(ctx, withRedis, { url, spendKeysFile, sample: seeded.sample, connections: c, notes: section.notes });
      }
    } finally {
      await stop(withRedis.child);
      await stop(redisFloor.child);
      await cleanRedis(prefix);
    }
  } finally {
    await counter.close();
    await stop(floors.constant.child);
    await stop(floors.short.child);
    await stop(floors.lookup.child);
  }
  return section;
}

const SPEND_MODELS = ['openai/*', 'anthropic/claude-3-5-sonnet', 'meta/llama-3.1-70b'];
const SPEND_ESTIMATE_MICROS = 2_000;

/**
 * The gateway's check of a spending key (issue 14): GET /v1/keys/verify with X-Pulze-Model and
 * X-Pulze-Cost-Estimate on BENCH_SPEND_KEYS keys that have a MONTHLY budget and a model allowlist,
 * with REDIS_URL set, so each check is the rate limit and a reservation on Redis, against the
 * Redis floor. The budget is far above what the run reserves, so every check is VALID.
 */
async function spendScenario(
  ctx: Ctx,
  withRedis: Server,
  opts: { url: string; spendKeysFile: string; sample: string[]; connections: number; notes: string[] },
): Promise<void> {
  const secrets = opts.sample.slice(0, Math.max(1, Math.min(settings.spendKeys, opts.sample.length)));
  const connection = await createConnection(opts.url);
  try {
    for (let i = 0; i < secrets.length; i += 500) {
      const hashes = secrets.slice(i, i + 500).map(hashApiKey);
      await connection.query(
        `UPDATE api_keys SET budgetLimitMicros = ?, budgetPeriod = 'MONTHLY', budgetWarnAtPercent = 80, allowedModels = ? WHERE keyHash IN (${hashes.map(() => '?').join(', ')})`,
        [1e12, modelColumn.to(SPEND_MODELS), ...hashes],
      );
    }
  } finally {
    await connection.end();
  }
  fs.writeFileSync(opts.spendKeysFile, `${secrets.join('\n')}\n`, { mode: 0o600 });
  const headers = (key: string, model: string) => ({ ...bearer(key), 'x-pulze-model': model, 'x-pulze-cost-estimate': String(SPEND_ESTIMATE_MICROS) });
  // Correctness first: an allowed model reserves, another is refused, on a key the load will use.
  const allowed = await fetch(`${withRedis.url}/v1/keys/verify`, { headers: headers(secrets[0]!, 'openai/gpt-4o') });
  const reservationId = ((await allowed.json()) as { reservationId?: string }).reservationId;
  const refused = await fetch(`${withRedis.url}/v1/keys/verify`, { headers: headers(secrets[0]!, 'mistral/mistral-large') });
  const refusedCode = ((await refused.json()) as { code?: string }).code;
  if (allowed.status !== 200 || !reservationId || refused.status !== 403 || refusedCode !== 'MODEL_NOT_ALLOWED') {
    throw new Error(`spend keys: openai/gpt-4o answered ${allowed.status} (reservation ${reservationId ? 'made' : 'missing'}), mistral/mistral-large ${refused.status} ${refusedCode}`);
  }
  opts.notes.push(
    `MariaDB: spend scenario: ${secrets.length.toLocaleString('en-US')} keys with a MONTHLY budget and the allowlist ${SPEND_MODELS.join(', ')}; ` +
      `checked before the load: openai/gpt-4o answered 200 with a reservation, mistral/mistral-large 403 MODEL_NOT_ALLOWED. ` +
      `Each check of the load names openai/gpt-4o with an estimate of ${SPEND_ESTIMATE_MICROS} micro-USD, and must answer 200 with a reservationId.`,
  );
  await record(
    ctx,
    { name: `GET /v1/keys/verify, model + cost estimate, ${secrets.length.toLocaleString('en-US')} keys with budget and allowlist, REDIS_URL set`, connections: opts.connections, floor: 'floor: one Redis INCR', target: { metric: 'ratio', atLeast: 0.5 } },
    () =>
      load({
        url: `${withRedis.url}/v1/keys/verify`,
        method: 'GET',
        connections: opts.connections,
        headers: headers('{KEY}', 'openai/gpt-4o'),
        keysFile: opts.spendKeysFile,
        keyOffset: 0,
        expectStatus: 200,
        expectBody: '"reservationId"',
      }),
    withRedis,
  );
}

async function cleanRedis(prefix: string): Promise<void> {
  const redis = new Redis(settings.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function sqliteSection(machine: Machine): Promise<Section> {
  const label = 'SQLite';
  const dataDir = path.join(scratch, 'sqlite-data');
  const file = path.join(dataDir, 'pulze.sqlite');
  const keysFile = path.join(scratch, 'sqlite-keys.txt');
  const seeded = await seedAndReport({ kind: 'sqlite', file }, settings.sqliteKeys, label, dataDir, keysFile);
  const probe = new Database(file, { readonly: true });
  machine.databases.push(`SQLite ${(probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v} (better-sqlite3)`);
  probe.close();
  const section: Section = { label, keys: seeded.keysInserted, seedSeconds: seeded.seconds, scenarios: [], notes: [] };
  const constant = await startFloor('constant');
  const counter = sqliteCounter(file);
  const server = await startServer({ DATA_DIR: dataDir });
  try {
    const ctx: Ctx = { server, token: await login(server.url), keysFile, hotKey: seeded.hotKey, cursor: { next: 0 }, scenarios: section.scenarios };
    log(`# ${label}: scenarios, ${settings.duration} s each after ${settings.warmup} s of warm-up`);
    await record(ctx, { name: 'floor: constant answer, 1 conn', connections: settings.listConnections, isFloor: true, alias: 'constant, 1 conn' }, () =>
      load({ url: `${constant.url}/v1/keys/verify`, method: 'GET', connections: settings.listConnections, headers: bearer(ctx.hotKey), expectStatus: 200 }),
    );
    await listScenarios(ctx, label, counter, section.notes);
  } finally {
    await stop(server.child);
    await stop(constant.child);
    await counter.close();
  }
  return section;
}

async function machineInfo(): Promise<Machine> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    databases: [],
    redis: await redisVersion(),
    loadAverage: { start: os.loadavg() },
  };
}

async function redisVersion(): Promise<string> {
  const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  } catch {
    return 'unreachable';
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-bench-'));
  const machine = await machineInfo();
  const sections: Section[] = [];
  try {
    if (settings.drivers.includes('mysql')) sections.push(await mysqlSection(machine));
    if (settings.drivers.includes('sqlite')) sections.push(await sqliteSection(machine));
  } finally {
    await Promise.all([...children].map(stop));
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  machine.loadAverage.end = os.loadavg();
  const report = renderReport({
    machine,
    sections,
    settings: {
      duration: settings.duration,
      warmup: settings.warmup,
      connections: settings.connections,
      listConnections: settings.listConnections,
      createConnections: settings.createConnections,
    },
    minutes: (Date.now() - started) / 60_000,
  });
  console.log(`\n${report}`);
  writeReport(settings.out, report);
  console.log(`\nWritten to ${settings.out}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await Promise.all([...children].map(stop));
    process.exit(1);
  },
);
