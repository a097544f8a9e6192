import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { User } from '../modules/user/user.entity';
import { createDataSource } from './data-source';
import { seedDemo } from './seed';

/** The JWT signing secret: from configuration, or generated once and kept in the data folder. */
export function resolveJwtSecret(config: Config): string {
  if (config.jwt.secret) return config.jwt.secret;
  const file = path.join(config.dataDir, 'jwt-secret');
  fs.mkdirSync(config.dataDir, { recursive: true });
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/**
 * Runs `fn` while holding a database-wide lock, so nodes starting together migrate one at a time
 * (MySQL/MariaDB GET_LOCK; SQLite is one process's file and needs none).
 */
async function withStartupLock<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') return fn();
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = await runner.query("SELECT GET_LOCK('pulze_api_keys_startup', 120) AS locked");
    if (Number(row?.locked) !== 1) throw new Error('timed out waiting for another node to finish migrating');
    try {
      return await fn();
    } finally {
      await runner.query("SELECT RELEASE_LOCK('pulze_api_keys_startup')");
    }
  } finally {
    await runner.release();
  }
}

/** Connects, applies pending migrations, and seeds the demo where configured. */
export async function openDatabase(config: Config, logger: Logger): Promise<DataSource> {
  const dataSource = await createDataSource(config.database, config.databasePool);
  await dataSource.initialize();
  await withStartupLock(dataSource, async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
    const seed =
      config.seedDemo === 'always' ||
      (config.seedDemo === 'auto' && config.database.kind === 'sqlite' && (await dataSource.getRepository(User).count()) === 0);
    if (seed && (await seedDemo(dataSource))) logger.info('created the demo data');
  });
  return dataSource;
}
