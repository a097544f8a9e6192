import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, TEST_DB, type TestDatabase } from './helpers/database';
import { endpoint } from './helpers/graphql';
import { SERVER_MAIN, spawnServer, startServerProcess } from './helpers/server-process';

describe(`the server process on ${TEST_DB}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    expect(fs.existsSync(SERVER_MAIN)).toBe(true);
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('starts, migrates, seeds, serves health and GraphQL, and exits cleanly on SIGTERM', async () => {
    const env: Record<string, string> =
      db.database.kind === 'mysql'
        ? { DATABASE_URL: db.database.url, JWT_SECRET: 'process-test-secret-0123456789abcdef', SEED_DEMO: 'true' }
        : { DATA_DIR: db.dataDir };
    const server = await startServerProcess('server', { ...env, LOG_LEVEL: 'info' });
    try {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
      const login = await endpoint(server.url).gql('mutation { login(email: "owner@acme.test", password: "pulze-demo") { user { email } } }');
      expect(login.data?.login.user.email).toBe('owner@acme.test');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output.join('')).toContain(`listening on ${server.url}`);
    expect(server.output.join('')).toMatch(/shutting down/);
    if (db.database.kind === 'sqlite') expect(fs.existsSync(path.join(db.dataDir, 'jwt-secret'))).toBe(true);
  });

  it('refuses to start on invalid configuration, naming what is wrong', async () => {
    const server = await spawnServer('misconfigured', {
      PORT: 'eighty',
      DATABASE_URL: 'postgres://nope',
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-bad-')),
    });
    expect(await server.exited).toBe(2);
    expect(server.output.join('')).toMatch(/PORT/);
    expect(server.output.join('')).toMatch(/DATABASE_URL/);
  });
});
