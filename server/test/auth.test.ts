import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';
import { TEST_DB } from './helpers/database';
import { startIdentityProvider, type IdentityProvider } from './helpers/identity-provider';

const VIEWER = '{ viewer { email organizations { name } } }';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { email organizations { name viewerRole } } } }';

let t: TestApp;
let idp: IdentityProvider;
let strangerKey: CryptoKey;

beforeAll(async () => {
  idp = await startIdentityProvider();
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  t = await startTestApp(idp.env);
});
afterAll(async () => {
  await t.stop();
  await idp.close();
});

const localToken = (claims: Record<string, unknown>, options: { secret?: string; alg?: string; exp?: number | string; iss?: string; aud?: string; sub?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject(options.sub ?? 'nobody')
    .setIssuer(options.iss ?? t.config.jwt.issuer)
    .setAudience(options.aud ?? t.config.jwt.audience)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '1h')
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.secret ?? t.config.jwt.secret));

describe(`sign-in on ${TEST_DB}`, () => {
  it('login returns a token, its expiry and the user with their organizations', async () => {
    const res = await t.gql(LOGIN, { e: 'Owner@Acme.test', p: 'pulze-demo' });
    expect(codeOf(res)).toBe('OK');
    expect(res.data?.login.user).toEqual({ email: 'owner@acme.test', organizations: [{ name: 'Acme AI', viewerRole: 'OWNER' }] });
    expect(new Date(res.data?.login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const viewer = await t.gql(VIEWER, {}, res.data?.login.token);
    expect(viewer.data?.viewer.email).toBe('owner@acme.test');
  });

  it('answers an unknown email and a wrong password the same way', async () => {
    const wrong = await t.gql(LOGIN, { e: 'owner@acme.test', p: 'not-the-password' });
    const unknown = await t.gql(LOGIN, { e: 'nobody@acme.test', p: 'pulze-demo' });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    expect(wrong.data).toBeNull();
  });

  it('never logs the password', async () => {
    await t.gql(LOGIN, { e: 'owner@acme.test', p: 'a-very-distinctive-password' });
    expect(t.logLines.join('\n')).not.toContain('a-very-distinctive-password');
  });

  it('refuses an expired session with a message saying so', async () => {
    const [user] = await t.dataSource.query("SELECT id FROM users WHERE email = 'owner@acme.test'");
    const token = await localToken({}, { sub: user.id, exp: Math.floor(Date.now() / 1000) - 10 });
    const res = await t.gql(VIEWER, {}, token);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0]?.message).toMatch(/expired/i);
  });

  it.each([
    ['signed with another secret', { secret: 'another-secret-that-is-long-enough-0123456789' }],
    ['signed with HS512 (algorithm not pinned)', { alg: 'HS512' }],
    ['from another issuer', { iss: 'someone-else' }],
    ['for another audience', { aud: 'someone-else' }],
  ])('refuses a token %s', async (_what, options) => {
    const [user] = await t.dataSource.query("SELECT id FROM users WHERE email = 'owner@acme.test'");
    const res = await t.gql(VIEWER, {}, await localToken({}, { sub: user.id, ...options }));
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned (alg none) token and garbage', async () => {
    const [user] = await t.dataSource.query("SELECT id FROM users WHERE email = 'owner@acme.test'");
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ sub: user.id, iss: t.config.jwt.issuer, aud: t.config.jwt.audience, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    expect(codeOf(await t.gql(VIEWER, {}, none))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(VIEWER, {}, 'garbage'))).toBe('UNAUTHENTICATED');
  });

  it('pauses sign-in after repeated failures for one email, without affecting others', async () => {
    for (let i = 0; i < 10; i++) {
      expect(codeOf(await t.gql(LOGIN, { e: 'viewer@acme.test', p: `wrong-${i}` }))).toBe('UNAUTHENTICATED');
    }
    const paused = await t.gql(LOGIN, { e: 'viewer@acme.test', p: 'pulze-demo' });
    expect(codeOf(paused)).toBe('RATE_LIMITED');
    expect(paused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(codeOf(await t.gql(LOGIN, { e: 'admin@acme.test', p: 'pulze-demo' }))).toBe('OK');
  });

  it('still lets a caller with a broken token sign in', async () => {
    const res = await t.gql(LOGIN, { e: 'dev@acme.test', p: 'pulze-demo' }, 'garbage');
    expect(codeOf(res)).toBe('OK');
  });
});

describe(`identity-provider tokens on ${TEST_DB}`, () => {
  const idpToken = (claims: Record<string, unknown>, key?: CryptoKey, audience?: string) => idp.token('idp-user-1', claims, { key, audience });

  it('accepts a token checked against the JWKS and maps it to the user by email', async () => {
    const res = await t.gql(VIEWER, {}, await idpToken({ email: 'dev@acme.test', email_verified: true }));
    expect(codeOf(res)).toBe('OK');
    expect(res.data?.viewer).toEqual({ email: 'dev@acme.test', organizations: [{ name: 'Acme AI' }] });
  });

  it('refuses a token signed by a key not in the JWKS', async () => {
    expect(codeOf(await t.gql(VIEWER, {}, await idpToken({ email: 'dev@acme.test' }, strangerKey)))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token for another audience, an unverified email, or an unknown user', async () => {
    expect(codeOf(await t.gql(VIEWER, {}, await idpToken({ email: 'dev@acme.test' }, idp.privateKey, 'other')))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(VIEWER, {}, await idpToken({ email: 'dev@acme.test', email_verified: false })))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(VIEWER, {}, await idpToken({ email: 'stranger@elsewhere.test' })))).toBe('UNAUTHENTICATED');
  });
});
