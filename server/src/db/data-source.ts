import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Config, DatabasePoolSettings } from '../config';
import { entities } from './entities';

export type DatabaseKind = Config['database']['kind'];

export function migrationsGlob(kind: DatabaseKind): string {
  return path.join(__dirname, 'migrations', kind, '*.{js,ts}');
}

/**
 * MySQL and MariaDB share a URL scheme but not every catalogue detail (column defaults read back
 * differently), so TypeORM is told which one it talks to.
 */
export async function detectMysqlFlavor(url: string): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection(url);
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String((rows as Array<{ version: string }>)[0]?.version ?? '');
    return /mariadb/i.test(version) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

/** The pool's bounds when the configuration does not say (the same defaults as config.ts). */
export const DEFAULT_POOL: DatabasePoolSettings = { size: 10, queueLimit: 500, connectTimeoutMs: 2000 };

export function dataSourceOptions(
  database: Config['database'],
  flavor: 'mysql' | 'mariadb' = 'mysql',
  pool: DatabasePoolSettings = DEFAULT_POOL,
): DataSourceOptions {
  const common = {
    entities,
    migrations: [migrationsGlob(database.kind)],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  };
  if (database.kind === 'mysql') {
    return {
      ...common,
      type: flavor,
      url: database.url,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      supportBigNumbers: true,
      bigNumberStrings: true,
      // Bounded waits: connecting, and waiting for a pooled connection (a full queue refuses at once).
      // The hot path adds its own deadline per look-up (modules/verification/key-lookup.ts).
      connectTimeout: pool.connectTimeoutMs,
      // No call-site stack captured for every statement: no log line or answer shows a stack, and
      // the capture took about 4% of createApiKey's CPU.
      trace: false,
      extra: {
        connectionLimit: pool.size,
        queueLimit: pool.queueLimit,
        waitForConnections: true,
        enableKeepAlive: true,
        keepAliveInitialDelay: 10_000,
        maxIdle: pool.size,
        idleTimeout: 60_000,
      },
    };
  }
  prepareDatabaseFile(database.file);
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.file,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}

/**
 * The embedded database holds password and key hashes: its folder is created 0700 and the file
 * 0600 (owner only), and a file found readable by others is narrowed to 0600. SQLite gives its
 * -wal and -shm files the mode of the database file.
 */
export function prepareDatabaseFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
}

export async function createDataSource(database: Config['database'], pool?: DatabasePoolSettings): Promise<DataSource> {
  const flavor = database.kind === 'mysql' ? await detectMysqlFlavor(database.url) : undefined;
  return new DataSource(dataSourceOptions(database, flavor, pool));
}

/** SQL the entities would still need after the migrations; empty when they agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
