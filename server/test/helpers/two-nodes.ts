import { randomBytes } from 'node:crypto';
import { freshDatabase, TEST_DB, type TestDatabase } from './database';
import { endpoint, type Endpoint } from './graphql';
import { buildServer, startServerProcess, type ServerProcess } from './server-process';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `describe` on the MySQL/MariaDB pass only: the embedded SQLite default is a single-node setup. */
export const describeOnMysql = TEST_DB === 'mysql' ? describe : describe.skip;

export interface TwoNodes {
  db: TestDatabase;
  /** What every node of the pair is started with: one database, one Redis prefix, one JWT secret. */
  env: Record<string, string>;
  /** The nodes running now, A and B first. */
  processes: ServerProcess[];
  a: Endpoint;
  b: Endpoint;
  /** Starts another node on the shared environment, `extra` on top. */
  start(name: string, extra?: Record<string, string>): Promise<ServerProcess>;
  /** Stops one node; resolves with its exit code. */
  stop(node: ServerProcess): Promise<number | null>;
  /** Stops every node still running and drops the database. */
  close(): Promise<void>;
}

/**
 * Two real server processes, A and B, built as operators run them, on one fresh MariaDB/MySQL
 * database and one Redis (under a prefix of their own), with `env` on top. A migrates and seeds
 * the demo data alone before B starts. When a node fails to start, what was started is stopped.
 */
export async function startTwoNodes(env: Record<string, string> = {}): Promise<TwoNodes> {
  buildServer();
  const db = await freshDatabase();
  const shared = {
    DATABASE_URL: (db.database as { url: string }).url,
    REDIS_URL,
    REDIS_PREFIX: `pulze-test-${process.pid}-${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATA_DIR: db.dataDir,
    ...env,
  };
  const processes: ServerProcess[] = [];
  const start = async (name: string, extra: Record<string, string> = {}) => {
    const node = await startServerProcess(name, { ...shared, ...extra });
    processes.push(node);
    return node;
  };
  const close = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db.drop();
  };
  try {
    const a = await start('A', { SEED_DEMO: 'true' });
    const b = await start('B', { SEED_DEMO: 'false' });
    return {
      db,
      env: shared,
      processes,
      a: endpoint(a.url),
      b: endpoint(b.url),
      start,
      async stop(node) {
        const code = await node.stop();
        processes.splice(processes.indexOf(node), 1);
        return code;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
