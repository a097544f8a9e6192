import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase } from '../../src/db/bootstrap';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { createLogger } from '../../src/lib/logger';
import { freshDatabase, type TestDatabase } from './database';
import { endpoint, login, type Gql } from './graphql';

export { codeOf, type GraphQLResponse } from './graphql';

export interface TestApp {
  app: App;
  url: string;
  config: Config & { jwt: { secret: string } };
  dataSource: DataSource;
  db: TestDatabase;
  /** Every line the server logged. */
  logLines: string[];
  gql: Gql;
  /** Signs in once per email and password; later calls reuse the token. */
  login(email: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real server on a fresh database of the driver under test (TEST_DB), with the demo data
 * (`SEED_DEMO: 'false'` for an empty one that the factories fill),
 * listening on a free port. Requests go over HTTP like any client's.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await freshDatabase();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const base = loadConfig({ DATA_DIR: db.dataDir, PORT: '0', SEED_DEMO: 'true', LOG_LEVEL: 'info', ...env });
  const config = { ...base, database: db.database, jwt: { ...base.jwt, secret: 'test-secret-that-is-long-enough-0123456789' } };
  const logger = createLogger(config.logLevel, sink);
  const dataSource = await openDatabase(config, logger);
  const app = await createApp(config, dataSource, logger);
  const url = await app.listen();

  const { gql } = endpoint(url);

  const tokens = new Map<string, string>();
  return {
    app,
    url,
    config,
    dataSource,
    db,
    logLines,
    gql,
    async login(email, password = DEMO_PASSWORD) {
      const signIn = `${email}\n${password}`;
      const cached = tokens.get(signIn);
      if (cached) return cached;
      const token = await login({ gql }, email, password);
      tokens.set(signIn, token);
      return token;
    },
    async stop() {
      await app.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Counts the SQL statements the data source runs while `fn` runs. */
export async function countQueries<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const original = dataSource.logger;
  const counting = Object.create(original) as typeof original;
  counting.logQuery = (query: string) => {
    if (!/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(query)) queries.push(query);
  };
  (dataSource as unknown as { logger: typeof original }).logger = counting;
  try {
    return { result: await fn(), queries };
  } finally {
    (dataSource as unknown as { logger: typeof original }).logger = original;
  }
}
