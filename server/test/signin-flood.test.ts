import { randomUUID } from 'node:crypto';
import { freshDatabase, TEST_DB, type TestDatabase } from './helpers/database';
import { createKey, endpoint, login, orgOf } from './helpers/keys';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { sessionCookies, signIn } from './helpers/signin';

/*
 * 150 concurrent sign-ins against the built server in its own process: at most
 * SIGNIN_CONCURRENT_HASHES (2) hashes run, SIGNIN_QUEUE_LIMIT (16) wait, the rest are refused
 * RATE_LIMITED at once; a person's sign-in and the gateway's /v1/keys/verify sent during the
 * flood are answered, and a browser that signed in before (device cookie) is let in: it waits in
 * a lane of its own. Latencies are printed, not asserted (they depend on the machine).
 */
describe(`a flood of sign-ins on ${TEST_DB}`, () => {
  let db: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    db = await freshDatabase();
    const database: Record<string, string> =
      db.database.kind === 'mysql'
        ? { DATABASE_URL: db.database.url, JWT_SECRET: 'flood-test-secret-0123456789abcdef0123' }
        : { DATA_DIR: db.dataDir };
    // Budgets out of the way: what bounds the work here is the hash gate.
    server = await startServerProcess('flooded server', {
      ...database,
      SEED_DEMO: 'true',
      SIGNIN_FAILURES_PER_ADDRESS: '100000',
      SIGNIN_FAILURES_PER_ACCOUNT: '100000',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('bounds the work: refused sign-ins are RATE_LIMITED, and a normal sign-in and /v1/keys/verify are answered', async () => {
    const target = endpoint(server.url);
    const token = await login(target, 'owner@acme.test');
    const org = await orgOf(target, token, 'Acme AI');
    const key = await createKey(target, token, org.spaces.Production as string, 'Flood test key');
    const verify = async () => {
      const started = performance.now();
      const res = await fetch(`${server.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key.secret}` } });
      const body = (await res.json()) as { valid?: boolean };
      return { status: res.status, valid: body.valid, ms: performance.now() - started };
    };
    const quiet = { verify: await verify(), signIn: await signIn(server.url, 'admin@acme.test', 'pulze-demo') };
    expect(quiet.signIn.code).toBe('OK');

    const flood = Array.from({ length: 150 }, () => signIn(server.url, `${randomUUID()}@flood.test`, 'not-the-password'));
    // Sent while the flood is in flight.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const device = sessionCookies(quiet.signIn.setCookie).pulze_device;
    expect(device).toBeDefined();
    const [during, person, known] = await Promise.all([
      verify(),
      signIn(server.url, 'dev@acme.test', 'pulze-demo'),
      signIn(server.url, 'admin@acme.test', 'pulze-demo', { cookie: `pulze_device=${device}` }),
    ]);
    const answers = await Promise.all(flood);

    const codes = answers.map((a) => a.code);
    const refused = answers.filter((a) => a.code === 'RATE_LIMITED');
    expect(codes.every((c) => c === 'UNAUTHENTICATED' || c === 'RATE_LIMITED')).toBe(true);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => (a.retryAfterSeconds ?? 0) >= 1)).toBe(true);
    expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeGreaterThanOrEqual(18);
    expect(['OK', 'RATE_LIMITED']).toContain(person.code);
    expect(during).toMatchObject({ status: 200, valid: true });
    expect(known.code).toBe('OK');

    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const p = (values: number[], q: number) => Math.round(sorted(values)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0);
    const checked = answers.filter((a) => a.code === 'UNAUTHENTICATED').map((a) => a.ms);
    console.log(
      [
        `sign-in flood on ${TEST_DB}: ${answers.length} sign-ins, ${checked.length} checked, ${refused.length} refused RATE_LIMITED`,
        `  quiet: /v1/keys/verify ${Math.round(quiet.verify.ms)} ms, sign-in ${Math.round(quiet.signIn.ms)} ms`,
        `  during the flood: /v1/keys/verify ${Math.round(during.ms)} ms, a person's sign-in ${Math.round(person.ms)} ms (${person.code}), from a known browser ${Math.round(known.ms)} ms (${known.code})`,
        `  refused: median ${p(refused.map((a) => a.ms), 0.5)} ms; checked: median ${p(checked, 0.5)} ms, max ${p(checked, 1)} ms`,
      ].join('\n'),
    );
  });
});
