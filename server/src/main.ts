import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { openDatabase, resolveJwtSecret } from './db/bootstrap';
import { describeError } from './lib/logger';
import { createLogger } from './lib/logger';
import { MEMORY_REPORT_MESSAGE, memoryReport } from './lib/memory';
import { startTracing } from './lib/tracing';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const stopTracing = await startTracing(config.tracing, logger);
  const jwtSecret = resolveJwtSecret(config);
  const dataSource = await openDatabase(config, logger);
  const app = await createApp({ ...config, jwt: { ...config.jwt, secret: jwtSecret } }, dataSource, logger);
  const url = await app.listen();
  logger.info(
    { graphql: `${url}/graphql`, verify: `${url}/v1/keys/verify`, database: config.database.kind },
    `Pulze API Keys listening on ${url}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Requests in flight finish, pending usage is written; a stuck dependency must not keep us up forever.
    const deadline = setTimeout(() => {
      logger.error({ signal }, 'shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    deadline.unref();
    try {
      await app.close();
      await dataSource.destroy();
      await stopTracing();
      process.exit(0);
    } catch (error) {
      logger.error(describeError(error), 'unclean shutdown');
      process.exit(1);
    }
  };
  // Only the benchmark starts the server with --expose-gc: it asks for a collection before it reads
  // the server's RSS, so the figure is what the server holds, not garbage not yet collected. The
  // line logged after it (at info, whatever LOG_LEVEL says) splits that figure into heap and the rest.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') {
    const memoryLogger = logger.child({}, { level: 'info' });
    process.on('SIGUSR2', () => {
      gc();
      memoryLogger.info({ memory: memoryReport() }, MEMORY_REPORT_MESSAGE);
    });
  }
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(`Pulze API Keys failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
