import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshDatabase, TEST_DB, type TestDatabase } from './helpers/database';

/** The built server as operators run it: `node server/dist/main.js`. */
const MAIN = path.join(__dirname, '..', 'dist', 'main.js');

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForUrl(output: () => string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output());
    if (match) return match[1] as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${output()}`);
}

describe(`the server process on ${TEST_DB}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    expect(fs.existsSync(MAIN)).toBe(true);
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
    const server = startServer({ ...env, PORT: '0' });
    const url = await waitForUrl(server.output);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ status: 'ready' });
    const login = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "owner@acme.test", password: "pulze-demo") { user { email } } }' }),
    });
    expect(((await login.json()) as any).data.login.user.email).toBe('owner@acme.test');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/shutting down/);
    if (db.database.kind === 'sqlite') expect(fs.existsSync(path.join(db.dataDir, 'jwt-secret'))).toBe(true);
  });

  it('refuses to start on invalid configuration, naming what is wrong', async () => {
    const server = startServer({ PORT: 'eighty', DATABASE_URL: 'postgres://nope', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-bad-')) });
    expect(await server.exited).toBe(2);
    expect(server.output()).toMatch(/PORT/);
    expect(server.output()).toMatch(/DATABASE_URL/);
  });
});
