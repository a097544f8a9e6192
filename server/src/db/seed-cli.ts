import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../lib/logger';
import { createDataSource } from './data-source';
import { seedDemo, DEMO_PASSWORD } from './seed';

/** `pnpm seed`: applies migrations and creates the demo data on the configured database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dataSource = await createDataSource(config.database);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const created = await seedDemo(dataSource);
  await dataSource.destroy();
  logger.info(created ? `Demo data created. Password for every demo user: ${DEMO_PASSWORD}` : 'Demo data already present; nothing changed.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : 'seed failed');
  process.exit(1);
});
