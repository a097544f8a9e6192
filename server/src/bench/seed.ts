import fs from 'node:fs';
import { generateApiKey } from '@pulze/shared';
import Database from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';
import { DateUtils } from 'typeorm/util/DateUtils';
import { loadConfig, type Config } from '../config';
import { openDatabase } from '../db/bootstrap';
import { demoId } from '../db/seed';
import { createLogger } from '../lib/logger';
import { newApiKeyRow } from '../modules/api-key/api-key.model';
import { RECOUNT_SQL } from '../modules/api-key/key-counts';
import { joinWords, KEY_SEARCH_TABLE, nameWords } from '../modules/api-key/key-search';
import { keyName, prng } from './names';

/**
 * Bulk seeding of a scratch database for the benchmark: the normal migrations and demo data
 * through the server's own code, then `keys` valid key rows (each the hash of a real generated
 * key, built by `newApiKeyRow`) in multi-row INSERTs of BATCH rows. `spaceKeys` of them go to
 * Acme AI's Production space; the rest to synthetic X Suite organizations of ORG_KEYS keys each.
 */
export const BATCH = 5_000;
const ORG_KEYS = 5_000;
const SPACES_PER_ORG = 3;
const DAY = 86_400_000;
/** One key in this many of the synthetic organizations' keys is removed. */
const REMOVED_EVERY = 40;

export const ACME = {
  organizationId: demoId('org:Acme AI'),
  productionId: demoId('space:Acme AI:Production'),
  stagingId: demoId('space:Acme AI:Staging'),
  owners: ['owner@acme.test', 'admin@acme.test', 'dev@acme.test'].map((email) => demoId(`user:${email}`)),
};

export interface SeedPlan {
  keys: number;
  spaceKeys: number;
  /** How many live secrets to keep for the random-key scenarios (spread over all keys). */
  sample: number;
}

export interface SeedResult {
  /** Live keys, spread over every organization, in a random order. */
  sample: string[];
  /** One live key of Acme AI's Production space. */
  hotKey: string;
  keysInserted: number;
  seconds: number;
}

type Row = unknown[];

interface Sink {
  insert(table: string, columns: string[], rows: Row[]): Promise<void>;
  /** Waits until everything sent so far is written. */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

const WORD_COLUMNS = ['organizationId', 'word', 'keyId', 'spaceId', 'createdAt', 'words'];
const KEY_COLUMNS = [
  'id', 'name', 'searchName', 'organizationId', 'spaceId', 'ownerId', 'keyHash', 'maskedKey', 'createdAt', 'lastUsedAt', 'removedAt', 'removedById',
];

async function mysqlSink(url: string): Promise<Sink> {
  // Two connections, so the next batch is generated while the previous one is written.
  const connections: Connection[] = await Promise.all([0, 1].map(() => createConnection({ uri: url, timezone: 'Z' })));
  const pending: Array<Promise<unknown> | undefined> = [undefined, undefined];
  let turn = 0;
  return {
    async insert(table, columns, rows) {
      const slot = turn++ % connections.length;
      await pending[slot];
      const sql = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`;
      pending[slot] = (connections[slot] as Connection).query(sql, [rows]);
      // Surface failures at once rather than at the next turn of this slot.
      (pending[slot] as Promise<unknown>).catch(() => undefined);
    },
    async barrier() {
      await Promise.all(pending);
    },
    async close() {
      const settled = await Promise.allSettled(pending);
      await Promise.all(connections.map((c) => c.end()));
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

function sqliteSink(file: string): Sink {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const statements = new Map<string, Database.Statement>();
  const toSqlite = (v: unknown) => (v instanceof Date ? DateUtils.mixedDateToUtcDatetimeString(v) : v);
  return {
    async insert(table, columns, rows) {
      let statement = statements.get(table);
      if (!statement) {
        statement = db.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(table, statement);
      }
      const s = statement;
      db.transaction(() => {
        for (const row of rows) s.run(row.map(toSqlite));
      })();
    },
    async barrier() {},
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/** Creates the schema and the demo data with the server's own bootstrap, then closes. */
async function migrateAndSeedDemo(database: Config['database'], dataDir: string): Promise<void> {
  const base = loadConfig({ DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn', JWT_SECRET: 'x'.repeat(40) });
  const dataSource = await openDatabase({ ...base, database }, createLogger('warn'));
  await dataSource.destroy();
}

export async function seed(database: Config['database'], dataDir: string, plan: SeedPlan, log: (line: string) => void): Promise<SeedResult> {
  const started = performance.now();
  await migrateAndSeedDemo(database, dataDir);
  const sink = database.kind === 'mysql' ? await mysqlSink(database.url) : sqliteSink(database.file);
  const random = prng(7);
  const now = Date.now();
  const spaceKeys = Math.min(plan.spaceKeys, plan.keys);
  const otherKeys = plan.keys - spaceKeys;
  const orgCount = Math.ceil(otherKeys / ORG_KEYS);

  const sample: string[] = [];
  let hotKey = '';
  const sampleEvery = Math.max(1, Math.floor(plan.keys / Math.max(1, plan.sample)));
  let inserted = 0;
  try {
    await insertOrganizations(sink, orgCount, now);
    let batch: Row[] = [];
    let words: Row[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await sink.insert('api_keys', KEY_COLUMNS, batch);
      // The search words of the live keys, as the service writes them; after their keys (foreign key).
      await sink.barrier();
      if (words.length) await sink.insert(KEY_SEARCH_TABLE, WORD_COLUMNS, words);
      inserted += batch.length;
      batch = [];
      words = [];
      if (inserted % 100_000 < BATCH) log(`  ${inserted.toLocaleString('en-US')} keys`);
    };
    for (let i = 0; i < plan.keys; i++) {
      const secret = generateApiKey();
      const inSpace = i < spaceKeys;
      const o = Math.floor((i - spaceKeys) / ORG_KEYS);
      const removed = !inSpace && i % REMOVED_EVERY === 0;
      const ownerId = inSpace ? (ACME.owners[i % ACME.owners.length] as string) : demoId(`bench:user:${o}`);
      const createdAt = new Date(now - 22 * DAY - Math.floor(random() * 700 * DAY));
      const row = newApiKeyRow({
        secret,
        name: keyName(random),
        organizationId: inSpace ? ACME.organizationId : demoId(`bench:org:${o}`),
        spaceId: inSpace ? ACME.productionId : demoId(`bench:space:${o}:${i % SPACES_PER_ORG}`),
        ownerId,
        createdAt,
      });
      batch.push([
        row.id, row.name, row.searchName, row.organizationId, row.spaceId, row.ownerId, row.keyHash, row.maskedKey, row.createdAt,
        null, removed ? new Date(createdAt.getTime() + DAY) : null, removed ? ownerId : null,
      ]);
      if (!removed) {
        const all = nameWords(row.name);
        for (const word of all) words.push([row.organizationId, word, row.id, row.spaceId, row.createdAt, joinWords(all)]);
      }
      if (!removed && i % sampleEvery === 0 && sample.length < plan.sample) sample.push(secret);
      if (i === 0) hotKey = secret;
      if (batch.length === BATCH) await flush();
    }
    await flush();
  } finally {
    await sink.close();
  }
  // The bulk rows went around the service, so the maintained counts are rebuilt from them (the
  // search words were written with them).
  if (database.kind === 'mysql') {
    const connection = await createConnection(database.url);
    for (const sql of RECOUNT_SQL) await connection.query(sql);
    await connection.query('ANALYZE TABLE api_keys, key_search_words');
    await connection.end();
  } else {
    const db = new Database(database.file);
    db.transaction(() => RECOUNT_SQL.forEach((sql) => db.exec(sql)))();
    db.exec('ANALYZE');
    db.close();
  }
  // Shuffle, so consecutive requests hit unrelated keys and organizations.
  for (let i = sample.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sample[i], sample[j]] = [sample[j] as string, sample[i] as string];
  }
  return { sample, hotKey, keysInserted: inserted, seconds: (performance.now() - started) / 1000 };
}

/** Synthetic organizations: X Suite and active, so their keys verify; one owner each. */
async function insertOrganizations(sink: Sink, count: number, now: number): Promise<void> {
  const orgs: Row[] = [];
  const users: Row[] = [];
  const subscriptions: Row[] = [];
  const spaces: Row[] = [];
  const members: Row[] = [];
  for (let o = 0; o < count; o++) {
    const orgId = demoId(`bench:org:${o}`);
    const userId = demoId(`bench:user:${o}`);
    orgs.push([orgId, `Bench Org ${o}`, new Date(now - 800 * DAY)]);
    users.push([userId, `Bench Owner ${o}`, `owner@bench-${o}.test`, null, null, new Date(now - 800 * DAY)]);
    subscriptions.push([demoId(`bench:subscription:${o}`), orgId, 'PULZE_X_SUITE', 'ACTIVE', new Date(now + 30 * DAY), new Date(now)]);
    members.push([orgId, userId, 'OWNER']);
    for (let s = 0; s < SPACES_PER_ORG; s++) {
      spaces.push([demoId(`bench:space:${o}:${s}`), orgId, ['Production', 'Staging', 'Research'][s], null, new Date(now - 700 * DAY), null]);
    }
  }
  if (!count) return;
  // Parents before the rows that refer to them: the MySQL sink writes on two connections at once.
  await sink.insert('organizations', ['id', 'name', 'createdAt'], orgs);
  await sink.insert('users', ['id', 'name', 'email', 'avatarUrl', 'passwordHash', 'createdAt'], users);
  await sink.barrier();
  await sink.insert('subscriptions', ['id', 'organizationId', 'plan', 'status', 'currentPeriodEnd', 'updatedAt'], subscriptions);
  await sink.insert('organization_members', ['organizationId', 'userId', 'role'], members);
  await sink.insert('spaces', ['id', 'organizationId', 'name', 'logoUrl', 'createdAt', 'deletedAt'], spaces);
  await sink.barrier();
}

export function writeLines(file: string, lines: string[]): void {
  fs.writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
}
