import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { createApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { openDatabase } from '../../src/db/bootstrap';
import { DEMO_PASSWORD } from '../../src/db/seed';
import { createLogger } from '../../src/lib/logger';
import { freshDatabase, type TestDatabase } from './database';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }>;
}

export interface TestApp {
  app: App;
  url: string;
  config: Config & { jwt: { secret: string } };
  dataSource: DataSource;
  db: TestDatabase;
  /** Every line the server logged. */
  logLines: string[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  login(email: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real server on a fresh database of the driver under test (TEST_DB), with the demo data,
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

  const gql: TestApp['gql'] = async (query, variables, token) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<any>;
  };

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
      const cached = password === DEMO_PASSWORD ? tokens.get(email) : undefined;
      if (cached) return cached;
      const res = await gql<{ login: { token: string } }>(
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        { e: email, p: password },
      );
      const token = res.data?.login.token;
      if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
      if (password === DEMO_PASSWORD) tokens.set(email, token);
      return token;
    },
    async stop() {
      await app.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** The error code of the first error, or 'OK' when there is none. */
export const codeOf = (res: GraphQLResponse): string => res.errors?.[0]?.extensions?.code ?? 'OK';

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
