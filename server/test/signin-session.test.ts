import { TEST_DB } from './helpers/database';
import { newUser, TEST_PASSWORD } from './helpers/factories';
import { startServerProcess, type ServerProcess } from './helpers/server-process';
import { sessionCookies, signIn } from './helpers/signin';
import { startTestApp, type TestApp } from './helpers/test-app';

const VIEWER = JSON.stringify({ query: '{ viewer { email } }' });
const LOGOUT = JSON.stringify({ query: 'mutation { logout }' });

async function post(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = (await res.json()) as { data?: Record<string, any> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  return { status: res.status, setCookie: res.headers.getSetCookie(), code: json.errors?.[0]?.extensions?.code ?? 'OK', json };
}

describe(`sessions on ${TEST_DB}`, () => {
  let t: TestApp;
  let other: ServerProcess;
  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: 'false' });
    // A second node on the same database, as operators run it.
    const database: Record<string, string> =
      t.db.database.kind === 'mysql' ? { DATABASE_URL: t.db.database.url } : { DATA_DIR: t.db.dataDir };
    other = await startServerProcess('second node', { ...database, JWT_SECRET: t.config.jwt.secret, SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await other?.stop();
    await t?.stop();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that page scripts cannot read, and keeps Bearer tokens working', async () => {
    const user = await newUser(t.dataSource);
    const answer = await signIn(t.url, user.email, TEST_PASSWORD);
    const session = answer.setCookie.find((c) => c.startsWith('pulze_session='));
    expect(session).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    // Served over plain http here: no Secure flag (a browser would drop a Secure cookie set over http).
    expect(session).not.toMatch(/Secure/);
    expect(sessionCookies(answer.setCookie).pulze_session).toBe(answer.token);

    expect((await post(t.url, VIEWER, { cookie: `pulze_session=${answer.token}` })).json.data?.viewer.email).toBe(user.email);
    expect((await post(t.url, VIEWER, { authorization: `Bearer ${answer.token}` })).json.data?.viewer.email).toBe(user.email);
  });

  it('marks the cookies Secure with the __Host- prefix when the request came over https through a trusted proxy', async () => {
    const behind = await startTestApp({ SEED_DEMO: 'false', TRUST_PROXY: 'loopback' });
    try {
      const user = await newUser(behind.dataSource);
      const answer = await signIn(behind.url, user.email, TEST_PASSWORD, { 'x-forwarded-proto': 'https' });
      expect(answer.setCookie.find((c) => c.startsWith('__Host-pulze_session='))).toMatch(/; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
      expect(answer.setCookie.find((c) => c.startsWith('__Host-pulze_device='))).toMatch(/HttpOnly; SameSite=Strict; Secure$/);
      const cookie = `__Host-pulze_session=${answer.token}`;
      expect((await post(behind.url, VIEWER, { cookie, 'x-forwarded-proto': 'https' })).json.data?.viewer.email).toBe(user.email);
      // Over https, a cookie without the prefix (which any http page of the site could have set) is not read.
      expect((await post(behind.url, VIEWER, { cookie: `pulze_session=${answer.token}`, 'x-forwarded-proto': 'https' })).code).toBe('UNAUTHENTICATED');
    } finally {
      await behind.stop();
    }
  });

  it('keeps CSRF prevention on for cookie sessions: simple requests are refused', async () => {
    const user = await newUser(t.dataSource);
    const { token } = await signIn(t.url, user.email, TEST_PASSWORD);
    const cookie = `pulze_session=${token}`;
    // A cross-site form post (text/plain) and a plain GET carry no preflight.
    const form = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie }, body: VIEWER });
    // Refused before GraphQL runs: 415 for the content type (or Apollo's CSRF prevention's 400).
    expect([400, 415]).toContain(form.status);
    expect(await form.text()).not.toContain(user.email);
    const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ viewer { email } }')}`, { headers: { cookie } });
    // Apollo's CSRF prevention: a GET needs a non-simple header (Apollo-Require-Preflight).
    expect(get.status).toBe(400);
    expect(await get.text()).not.toContain(user.email);
  });

  it('signs out on the server: the token stops working on every node, as a Bearer token and as a cookie', async () => {
    const user = await newUser(t.dataSource);
    const { token } = await signIn(t.url, user.email, TEST_PASSWORD);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await post(other.url, VIEWER, bearer)).json.data?.viewer.email).toBe(user.email);

    const out = await post(t.url, LOGOUT, { cookie: `pulze_session=${token}` });
    expect(out.json.data?.logout).toBe(true);
    expect(out.setCookie).toEqual(['pulze_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict']);

    for (const url of [t.url, other.url]) {
      const viaBearer = await post(url, VIEWER, bearer);
      expect(viaBearer.code).toBe('UNAUTHENTICATED');
      expect(viaBearer.json.errors?.[0]?.message).toBe('This session has been signed out.');
      expect((await post(url, VIEWER, { cookie: `pulze_session=${token}` })).code).toBe('UNAUTHENTICATED');
    }
    // Other sessions of the same person go on.
    const { token: second } = await signIn(t.url, user.email, TEST_PASSWORD);
    expect((await post(other.url, VIEWER, { authorization: `Bearer ${second}` })).code).toBe('OK');
  });

  it('keeps the revocation list bounded by the token lifetime', async () => {
    const user = await newUser(t.dataSource);
    const { token } = await signIn(t.url, user.email, TEST_PASSWORD);
    await post(t.url, LOGOUT, { authorization: `Bearer ${token}` });
    const revocations = (t.app.services.auth as unknown as { revocations: { purge(now?: Date): Promise<number> } }).revocations;
    expect(await revocations.purge(new Date())).toBe(0);
    const afterExpiry = new Date(Date.now() + (t.config.jwt.ttlSeconds + 1) * 1000);
    expect(await revocations.purge(afterExpiry)).toBeGreaterThanOrEqual(1);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM revoked_sessions');
    expect(Number(n)).toBe(0);
  });
});
