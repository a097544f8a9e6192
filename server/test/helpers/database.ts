import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { Config } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';

/** Which database the integration suite runs on: TEST_DB=sqlite (default) or TEST_DB=mysql. */
export const TEST_DB: 'sqlite' | 'mysql' = process.env.TEST_DB === 'mysql' ? 'mysql' : 'sqlite';
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface TestDatabase {
  database: Config['database'];
  dataDir: string;
  drop(): Promise<void>;
}

/** A new, empty database of the driver under test. */
export async function freshDatabase(): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-test-'));
  if (TEST_DB === 'sqlite') {
    return {
      database: { kind: 'sqlite', file: path.join(dataDir, 'pulze.sqlite') },
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `pulze_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(TEST_MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  return {
    database: { kind: 'mysql', url: `${TEST_MYSQL_URL.replace(/\/$/, '')}/${name}` },
    dataDir,
    drop: async () => {
      const conn = await createConnection(TEST_MYSQL_URL);
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Rows read straight from a test database (never through a proxy the test controls). */
export async function queryDatabase<T>(database: TestDatabase['database'], sql: string, params: unknown[] = []): Promise<T[]> {
  const conn = await createConnection((database as { url: string }).url);
  try {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}

/** Runs `fn` on a fresh database of the driver under test with every migration applied; closes and drops it after. */
export async function withMigratedDatabase<T>(fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const db = await freshDatabase();
  const dataSource = await createDataSource(db.database);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

/** Runs `fn` while `table` is renamed away, so that the database refuses whatever uses it; puts the table back after. */
export async function whileTableAway<T>(dataSource: DataSource, table: string, fn: () => Promise<T>): Promise<T> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.query(`ALTER TABLE ${table} RENAME TO ${table}_away`);
  try {
    return await fn();
  } finally {
    await queryRunner.query(`ALTER TABLE ${table}_away RENAME TO ${table}`);
    await queryRunner.release();
  }
}
