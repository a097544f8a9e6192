import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/bootstrap';
import { createLogger } from '../src/lib/logger';
import { freshDatabase, TEST_DB, TEST_MYSQL_URL, type TestDatabase } from './helpers/database';
import { endpoint, login } from './helpers/graphql';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy';

/**
 * When the database is away before a request even knows who is calling (a session must be read),
 * GraphQL answers the documented 503 SERVICE_UNAVAILABLE with Retry-After in clean JSON, never a
 * 500. The database sits behind a TCP proxy the test cuts; better-sqlite3 runs in-process and
 * cannot be cut off, so this runs on MySQL/MariaDB only.
 */
const describeOnNetworkDatabase = TEST_DB === 'mysql' ? describe : describe.skip;

describeOnNetworkDatabase(`GraphQL while the database is away, on ${TEST_DB}`, () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: App;
  let url: string;
  let dataSource: Awaited<ReturnType<typeof openDatabase>>;

  beforeAll(async () => {
    db = await freshDatabase();
    const target = new URL(TEST_MYSQL_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
    const viaProxy = new URL(TEST_MYSQL_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.pathname = new URL((db.database as { url: string }).url).pathname;
    const base = loadConfig({ DATA_DIR: db.dataDir, PORT: '0', SEED_DEMO: 'true', LOG_LEVEL: 'silent' });
    const config = {
      ...base,
      database: { kind: 'mysql' as const, url: viaProxy.toString() },
      jwt: { ...base.jwt, secret: 'test-secret-that-is-long-enough-0123456789' },
    };
    const logger = createLogger('silent');
    dataSource = await openDatabase(config, logger);
    app = await createApp(config, dataSource, logger);
    url = await app.listen();
  }, 60_000);
  afterAll(async () => {
    proxy.restore();
    await app?.close();
    await dataSource?.destroy();
    await proxy?.close();
    await db?.drop();
  });

  it('a signed-in request answers 503 SERVICE_UNAVAILABLE with Retry-After, no stack and no SQL; then recovers', async () => {
    const token = await login(endpoint(url), 'owner@acme.test');
    const viewer = () =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ viewer { email } }' }),
      });
    proxy.cut();
    const res = await viewer();
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(text).not.toMatch(/ at |\/work\/|SELECT|node_modules/);

    proxy.restore();
    let recovered: unknown;
    for (let i = 0; i < 50 && !recovered; i++) {
      const again = (await (await viewer()).json()) as { data?: { viewer?: { email: string } } };
      recovered = again.data?.viewer;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toEqual({ email: 'owner@acme.test' });
  });
});
