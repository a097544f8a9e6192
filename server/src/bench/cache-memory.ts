import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../config';
import { openDatabase } from '../db/bootstrap';
import { createLogger } from '../lib/logger';
import { hashApiKey } from '../modules/api-key/api-key.model';
import { createKeyLookup } from '../modules/verification/key-lookup';
import { VerificationCache } from '../modules/verification/verification-cache';
import { seed } from './seed';

/**
 * The verification cache's memory per key, measured apart from the server: seeds a scratch
 * MariaDB database as the bench does (unless CACHE_MEMORY_SEEDED is set), fills a cache with the
 * facts of CACHE_MEMORY_ENTRIES keys read through the hot path's look-up (mysql2 rows), and prints
 * the heap used after a full collection, before and after the fill. Run with `node --expose-gc`.
 */
const entries = Number(process.env.CACHE_MEMORY_ENTRIES ?? 100_000);
const database = process.env.CACHE_MEMORY_DATABASE ?? 'bench_cache_memory';
const mysqlUrl = (process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306').replace(/\/+$/, '');
const scratch = path.join(os.tmpdir(), database);
const keysFile = path.join(scratch, 'keys.txt');

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsedAfterGc = (): number => {
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
};
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

async function seedOnce(url: string): Promise<string[]> {
  if (process.env.CACHE_MEMORY_SEEDED && fs.existsSync(keysFile)) return fs.readFileSync(keysFile, 'utf8').trim().split('\n');
  fs.mkdirSync(scratch, { recursive: true });
  const admin = await createConnection(mysqlUrl);
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  // The bench's shape: a tenth in one space, the rest in organizations of 5 000 keys; few removed.
  const keys = Math.ceil(entries * 1.1);
  const seeded = await seed({ kind: 'mysql', url }, scratch, { keys, spaceKeys: Math.floor(keys / 10), sample: entries }, console.log);
  fs.writeFileSync(keysFile, `${seeded.sample.join('\n')}\n`, { mode: 0o600 });
  return seeded.sample;
}

async function main(): Promise<void> {
  if (!/^[a-z0-9_]+$/i.test(database)) throw new Error('CACHE_MEMORY_DATABASE must be letters, digits and _');
  const url = `${mysqlUrl}/${database}`;
  const keys = await seedOnce(url);
  const base = loadConfig({ DATA_DIR: scratch, LOG_LEVEL: 'warn', JWT_SECRET: 'x'.repeat(40) });
  const dataSource = await openDatabase({ ...base, database: { kind: 'mysql', url } }, createLogger('warn'));
  const cache = new VerificationCache(createKeyLookup(dataSource, 10_000), { ttlMs: 3_600_000, maxEntries: entries });
  const before = heapUsedAfterGc();
  // Each hash made per request, as the route does: the cache keeps the one it was filled with.
  for (let i = 0; i < keys.length; i += 64) await Promise.all(keys.slice(i, i + 64).map((key) => cache.get(hashApiKey(key))));
  const after = heapUsedAfterGc();
  console.log(`entries ${cache.size}: heapUsed ${mb(before)} -> ${mb(after)}, ${Math.round((after - before) / cache.size)} bytes per entry`);
  if (process.env.CACHE_MEMORY_SNAPSHOT) console.log(`snapshot ${(await import('node:v8')).writeHeapSnapshot(process.env.CACHE_MEMORY_SNAPSHOT)}`);
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
