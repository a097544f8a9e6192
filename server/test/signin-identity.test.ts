import { TEST_DB } from './helpers/database';
import { newUser, TEST_PASSWORD } from './helpers/factories';
import { IDP_ISSUER, startIdentityProvider, type IdentityProvider } from './helpers/identity-provider';
import { signIn } from './helpers/signin';
import { startTestApp, type TestApp } from './helpers/test-app';

let t: TestApp;
let idp: IdentityProvider;

beforeAll(async () => {
  idp = await startIdentityProvider();
  t = await startTestApp({ SEED_DEMO: 'true', ...idp.env });
});
afterAll(async () => {
  await t?.stop();
  await idp?.close();
});

const viewerWith = async (token: string) => {
  const res = await t.gql<{ viewer: { id: string; email: string } }>('{ viewer { id email } }', {}, token);
  return { code: res.errors?.[0]?.extensions?.code ?? 'OK', message: res.errors?.[0]?.message, viewer: res.data?.viewer };
};

const idpToken = (subject: string, claims: Record<string, unknown>) => idp.token(subject, claims);

describe(`emails in one canonical form on ${TEST_DB}`, () => {
  it('does not sign in ÖWNER@ÀCMÉ.TEST as owner@acme.test', async () => {
    expect((await signIn(t.url, 'ÖWNER@ÀCMÉ.TEST', 'pulze-demo')).code).toBe('UNAUTHENTICATED');
    expect((await signIn(t.url, 'öwner@acme.test', 'pulze-demo')).code).toBe('UNAUTHENTICATED');
    expect((await signIn(t.url, '  Owner@ACME.test ', 'pulze-demo')).code).toBe('OK');
  });

  it('matches a composed and a decomposed accent as the same address (NFC), and nothing else', async () => {
    const user = await newUser(t.dataSource, { email: 'jos\u00e9@acme.test' });
    expect((await signIn(t.url, 'JOSE\u0301@acme.test', TEST_PASSWORD)).code).toBe('OK');
    expect((await signIn(t.url, 'jose@acme.test', TEST_PASSWORD)).code).toBe('UNAUTHENTICATED');
    expect(user.email).toBe('jos\u00e9@acme.test');
  });

  if (TEST_DB === 'mysql') {
    it('stores emails, identity-provider subjects and key hashes in binary collations', async () => {
      const rows: Array<{ t: string; c: string; collation: string }> = await t.dataSource.query(
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLLATION_NAME AS collation FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() AND ((TABLE_NAME = 'users' AND COLUMN_NAME IN ('email', 'oidcIssuer', 'oidcSubject'))
             OR (TABLE_NAME = 'api_keys' AND COLUMN_NAME = 'keyHash')) ORDER BY t, c`,
      );
      expect(rows).toEqual([
        { t: 'api_keys', c: 'keyHash', collation: 'ascii_bin' },
        { t: 'users', c: 'email', collation: 'utf8mb4_bin' },
        { t: 'users', c: 'oidcIssuer', collation: 'utf8mb4_bin' },
        { t: 'users', c: 'oidcSubject', collation: 'utf8mb4_bin' },
      ]);
    });
  }
});

describe(`identity-provider sign-in on ${TEST_DB}`, () => {
  it('accepts only email_verified === true', async () => {
    await newUser(t.dataSource, { email: 'verified-only@acme.test' });
    for (const claims of [
      { email: 'verified-only@acme.test' },
      { email: 'verified-only@acme.test', email_verified: 'true' },
      { email: 'verified-only@acme.test', email_verified: 'false' },
      { email: 'verified-only@acme.test', email_verified: false },
      { email: 'verified-only@acme.test', email_verified: 1 },
    ]) {
      expect([JSON.stringify(claims), (await viewerWith(await idpToken('sub-unverified', claims))).code]).toEqual([JSON.stringify(claims), 'UNAUTHENTICATED']);
    }
    expect((await viewerWith(await idpToken('sub-unverified', { email: 'verified-only@acme.test', email_verified: true }))).code).toBe('OK');
  });

  it('links the user to (issuer, subject) on the first match by email, then finds them by it; another subject with that email is refused', async () => {
    const user = await newUser(t.dataSource, { email: 'linked@acme.test' });
    const first = await viewerWith(await idpToken('subject-A', { email: 'Linked@Acme.test', email_verified: true }));
    expect(first).toMatchObject({ code: 'OK', viewer: { id: user.id } });
    const [row] = await t.dataSource.query(`SELECT oidcIssuer, oidcSubject FROM users WHERE id = '${user.id}'`);
    expect(row).toEqual({ oidcIssuer: IDP_ISSUER, oidcSubject: 'subject-A' });

    // Someone else at the provider who now shows the same email is not this user.
    const intruder = await viewerWith(await idpToken('subject-B', { email: 'linked@acme.test', email_verified: true }));
    expect(intruder.code).toBe('UNAUTHENTICATED');
    expect(intruder.message).toBe('This account is linked to another identity at the identity provider.');

    // The linked subject is found by (issuer, subject), even after its email changed at the provider.
    expect(await viewerWith(await idpToken('subject-A', { email: 'new-address@elsewhere.test', email_verified: true }))).toMatchObject({
      code: 'OK',
      viewer: { id: user.id },
    });
  });

  it('links once when two subjects race for the same email', async () => {
    const user = await newUser(t.dataSource, { email: 'race@acme.test' });
    const answers = await Promise.all(
      ['race-1', 'race-2', 'race-3', 'race-4'].map(async (sub) => viewerWith(await idpToken(sub, { email: 'race@acme.test', email_verified: true }))),
    );
    expect(answers.filter((a) => a.code === 'OK')).toHaveLength(1);
    const [row] = await t.dataSource.query(`SELECT oidcSubject FROM users WHERE id = '${user.id}'`);
    const winner = ['race-1', 'race-2', 'race-3', 'race-4'][answers.findIndex((a) => a.code === 'OK')];
    expect(row.oidcSubject).toBe(winner);
  });
});
