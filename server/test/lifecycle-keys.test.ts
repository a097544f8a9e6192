import { generateApiKey, maskApiKey } from '@pulze/shared';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB } from './helpers/database';
import { newKey, newSpace, type OrganizationRef, type SpaceRef, type UserRef } from './helpers/factories';
import { sleep, verifyHttp, type Verification } from './helpers/keys';
import { newSpaceMember, ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/**
 * The key lifecycle through GraphQL and verification: expiry, pause, roll with a grace period and
 * the address allowlist, with a test for each lesson of issue 11 (expiry counts from creation and
 * a roll gives a fresh lifetime; the old secret really works during the grace period; a roll keeps
 * the rate-limit window; a removed key cannot be rolled or enabled; no error echoes a key).
 */
const LIMIT = 12;
const DAY = 86_400_000;

let t: TestApp;
let org: OrganizationRef;
let space: SpaceRef;
let owner: UserRef;
let editor: UserRef;
let token: string;

const KEY_FIELDS = 'id name maskedKey status expiresAt disabledAt rolledAt allowedCidrs previousSecretExpiresAt usage { totalRequests }';

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, as = token): Promise<GraphQLResponse<T>> {
  return t.gql<T>(query, variables, as);
}

async function create(input: Record<string, unknown> = {}) {
  const res = await gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`, {
    input: { spaceId: space.id, name: 'Lifecycle key', ...input },
  });
  return res;
}

async function created(input: Record<string, unknown> = {}): Promise<{ id: string; secret: string; key: any }> {
  const res = await create(input);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { id: res.data.createApiKey.apiKey.id, secret: res.data.createApiKey.secret, key: res.data.createApiKey.apiKey };
}

const roll = (id: string, gracePeriodSeconds: number, as = token) =>
  gql(`mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { ${KEY_FIELDS} } } }`, { input: { id, gracePeriodSeconds } }, as);
const disable = (id: string, as = token) => gql(`mutation($id: ID!) { disableApiKey(id: $id) { ${KEY_FIELDS} } }`, { id }, as);
const enable = (id: string, as = token) => gql(`mutation($id: ID!) { enableApiKey(id: $id) { ${KEY_FIELDS} } }`, { id }, as);
const setCidrs = (id: string, allowedCidrs: string[], as = token) =>
  gql(`mutation($input: SetApiKeyAllowedCidrsInput!) { setApiKeyAllowedCidrs(input: $input) { ${KEY_FIELDS} } }`, { input: { id, allowedCidrs } }, as);
const remove = (id: string) => gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id });
const read = async (id: string) => (await gql(`query($id: ID!) { apiKey(id: $id) { ${KEY_FIELDS} } }`, { id })).data?.apiKey;
const code = async (secret: string, headers: Record<string, string> = {}) =>
  ((await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, ...headers } }).then((r) => r.json())) as { code: string }).code;
const verifyGql = async (key: string, clientIp?: string) =>
  (await gql<{ verifyApiKey: Verification }>('query($key: String!, $ip: String) { verifyApiKey(key: $key, clientIp: $ip) { valid code keyId } }', { key, ip: clientIp }))
    .data!.verifyApiKey;

beforeAll(async () => {
  t = await startTestApp({
    SEED_DEMO: 'false',
    RATE_LIMIT_PULZE_X_SUITE: String(LIMIT),
    RATE_LIMIT_WINDOW_SECONDS: '600',
    // Long: only the clock and invalidations, not a cache expiry, can explain a changed answer.
    VERIFY_CACHE_TTL_MS: '600000',
  });
  ({ org, space, owner, token } = await ownedSpace(t));
  editor = await newSpaceMember(t, { org, space }, 'EDITOR');
});
afterAll(async () => {
  await t?.stop();
});

describe(`key expiry on ${TEST_DB}`, () => {
  it('takes an optional expiresAt between one hour and two years ahead', async () => {
    const now = Date.now();
    for (const [expiresAt, ok] of [
      [new Date(now + 30 * 60_000), false],
      [new Date(now - DAY), false],
      [new Date(now + 731 * DAY), false],
      [new Date(now + 2 * 3600_000), true],
      [new Date(now + 729 * DAY), true],
    ] as const) {
      const res = await create({ expiresAt: expiresAt.toISOString() });
      if (ok) {
        expect(codeOf(res)).toBe('OK');
        expect(res.data?.createApiKey.apiKey).toMatchObject({ expiresAt: expiresAt.toISOString(), status: 'ACTIVE' });
      } else {
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.extensions?.field).toBe('expiresAt');
      }
    }
    expect((await created()).key.expiresAt).toBeNull();
  });

  it("keeps new keys within the organization's maximum lifetime, which owners and admins set", async () => {
    const set = (days: number | null, as = token) =>
      gql('mutation($input: SetMaxKeyLifetimeInput!) { setMaxKeyLifetime(input: $input) { id maxKeyLifetimeDays } }', { input: { organizationId: org.id, maxKeyLifetimeDays: days } }, as);
    expect(codeOf(await set(0))).toBe('BAD_USER_INPUT');
    expect(codeOf(await set(731))).toBe('BAD_USER_INPUT');
    expect(codeOf(await set(30, await t.login(editor.email, editor.password)))).toBe('FORBIDDEN');
    expect((await set(30)).data?.setMaxKeyLifetime.maxKeyLifetimeDays).toBe(30);
    try {
      const read = await gql('query($id: ID!) { organization(id: $id) { maxKeyLifetimeDays } }', { id: org.id });
      expect(read.data?.organization.maxKeyLifetimeDays).toBe(30);
      // No expiry asked: the longest allowed.
      const { key } = await created();
      expect(Math.abs(Date.parse(key.expiresAt) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
      const tooLong = await create({ expiresAt: new Date(Date.now() + 31 * DAY).toISOString() });
      expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
      expect(codeOf(await create({ expiresAt: new Date(Date.now() + 29 * DAY).toISOString() }))).toBe('OK');
    } finally {
      expect((await set(null)).data?.setMaxKeyLifetime.maxKeyLifetimeDays).toBeNull();
    }
  });

  it('answers EXPIRED from the exact second on, though the facts are cached', async () => {
    const key = await newKey(t.dataSource, space, owner);
    const expiresAt = new Date(Date.now() + 1500);
    await t.dataSource.getRepository(ApiKey).update({ id: key.id }, { expiresAt });
    expect(await code(key.secret)).toBe('VALID');
    const hits = t.app.services.verificationCache.hits;
    while (Date.now() < expiresAt.getTime() - 300) {
      expect(await code(key.secret)).toBe('VALID');
      await sleep(250);
    }
    await sleep(Math.max(0, expiresAt.getTime() - Date.now()));
    expect(await code(key.secret)).toBe('EXPIRED');
    expect((await verifyHttp(t, key.secret)).status).toBe(401);
    // Every answer came from memory: the clock, not a fresh read, made the difference.
    expect(t.app.services.verificationCache.hits).toBeGreaterThan(hits);
    expect((await read(key.id)).status).toBe('EXPIRED');
  });

  it('filters the list by status', async () => {
    const s = await newSpace(t.dataSource, org);
    const active = await newKey(t.dataSource, s, owner, { name: 'Filter active' });
    const expired = await newKey(t.dataSource, s, owner, { name: 'Filter expired' });
    const disabled = await newKey(t.dataSource, s, owner, { name: 'Filter disabled' });
    await t.dataSource.getRepository(ApiKey).update({ id: expired.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect(codeOf(await disable(disabled.id))).toBe('OK');
    const list = async (status: string | null, search?: string) =>
      (
        await gql('query($o: ID!, $s: ID, $st: ApiKeyStatus, $q: String) { apiKeys(organizationId: $o, spaceId: $s, status: $st, search: $q) { totalCount items { id status } } }', {
          o: org.id,
          s: s.id,
          st: status,
          q: search,
        })
      ).data?.apiKeys;
    expect((await list('ACTIVE')).items.map((k: any) => k.id)).toEqual([active.id]);
    expect((await list('EXPIRED')).items).toEqual([{ id: expired.id, status: 'EXPIRED' }]);
    expect((await list('DISABLED')).items).toEqual([{ id: disabled.id, status: 'DISABLED' }]);
    expect((await list(null)).totalCount).toBe(3);
    expect((await list('EXPIRED', 'filter')).totalCount).toBe(1);
    expect((await list('ACTIVE', 'expired')).totalCount).toBe(0);
  });
});

describe(`pausing keys on ${TEST_DB}`, () => {
  it('answers DISABLED on the next request, and enabling restores the same secret, usage and history', async () => {
    const key = await created({ name: 'Paused' });
    expect(await code(key.secret)).toBe('VALID');
    expect(await code(key.secret)).toBe('VALID');
    const paused = await disable(key.id);
    expect(paused.data?.disableApiKey).toMatchObject({ status: 'DISABLED', maskedKey: key.key.maskedKey });
    expect(paused.data?.disableApiKey.disabledAt).not.toBeNull();
    expect(await code(key.secret)).toBe('DISABLED');
    expect(await verifyGql(key.secret)).toMatchObject({ valid: false, code: 'DISABLED', keyId: null });
    // Disabling twice changes nothing.
    expect((await disable(key.id)).data?.disableApiKey.disabledAt).toBe(paused.data?.disableApiKey.disabledAt);

    const resumed = await enable(key.id);
    expect(resumed.data?.enableApiKey).toMatchObject({ status: 'ACTIVE', disabledAt: null, maskedKey: key.key.maskedKey, name: 'Paused' });
    expect(await code(key.secret)).toBe('VALID');
    await t.app.services.usage.flush();
    expect((await read(key.id)).usage.totalRequests).toBe(3);
  });
});

describe(`rolling keys on ${TEST_DB}`, () => {
  it('returns a new secret once for the same key; the old one really works during the grace period', async () => {
    const key = await created({ name: 'Rolled' });
    expect(await code(key.secret)).toBe('VALID');
    const res = await roll(key.id, 3600);
    expect(codeOf(res)).toBe('OK');
    const { secret, apiKey } = res.data!.rollApiKey;
    expect(secret).not.toBe(key.secret);
    expect(apiKey).toMatchObject({ id: key.id, name: 'Rolled', maskedKey: maskApiKey(secret), status: 'ACTIVE' });
    expect(Math.abs(Date.parse(apiKey.previousSecretExpiresAt) - (Date.now() + 3600_000))).toBeLessThan(60_000);
    expect(apiKey.rolledAt).not.toBeNull();
    // Both work, as the same key (the old one was cached before the roll).
    expect(await verifyGql(key.secret)).toMatchObject({ valid: true, keyId: key.id });
    expect(await verifyGql(secret)).toMatchObject({ valid: true, keyId: key.id });
    expect(await code(key.secret)).toBe('VALID');
    expect((await read(key.id)).previousSecretExpiresAt).toBe(apiKey.previousSecretExpiresAt);
  });

  it('stops the old secret at the end of the grace period (REVOKED), and at once with no grace', async () => {
    const key = await created();
    expect(await code(key.secret)).toBe('VALID');
    const res = await roll(key.id, 1);
    const stopsAt = Date.parse(res.data!.rollApiKey.apiKey.previousSecretExpiresAt);
    expect(await code(key.secret)).toBe('VALID');
    await sleep(Math.max(0, stopsAt - Date.now()) + 20);
    expect(await code(key.secret)).toBe('REVOKED');
    expect(await code(res.data!.rollApiKey.secret)).toBe('VALID');
    expect((await read(key.id)).previousSecretExpiresAt).toBeNull();

    const other = await created();
    expect(await code(other.secret)).toBe('VALID');
    const now = await roll(other.id, 0);
    expect(await code(other.secret)).toBe('REVOKED');
    expect(await code(now.data!.rollApiKey.secret)).toBe('VALID');
    // A second roll ends the first one's secret at once (REVOKED, like any rolled-away secret); the middle one gets the grace.
    const again = await roll(other.id, 3600);
    expect(await code(now.data!.rollApiKey.secret)).toBe('VALID');
    expect(await code(again.data!.rollApiKey.secret)).toBe('VALID');
    expect(await code(other.secret)).toBe('REVOKED');
  });

  it('keeps the rate-limit window: the new secret counts on from the old', async () => {
    const key = await created();
    for (let i = 0; i < LIMIT; i++) expect(await code(key.secret)).toBe('VALID');
    expect(await code(key.secret)).toBe('RATE_LIMITED');
    const res = await roll(key.id, 0);
    expect(await code(res.data!.rollApiKey.secret)).toBe('RATE_LIMITED');
  });

  it('counts expiry from creation, and gives a rolled expired key a fresh lifetime as long as its first', async () => {
    const key = await newKey(t.dataSource, space, owner, { createdAt: new Date(Date.now() - 10 * DAY) });
    await t.dataSource.getRepository(ApiKey).update({ id: key.id }, { expiresAt: new Date(Date.now() - DAY) });
    expect(await code(key.secret)).toBe('EXPIRED');
    const res = await roll(key.id, 0);
    const rolled = res.data!.rollApiKey.apiKey;
    expect(rolled.status).toBe('ACTIVE');
    expect(Math.abs(Date.parse(rolled.expiresAt) - (Date.now() + 9 * DAY))).toBeLessThan(60_000);
    expect(await code(res.data!.rollApiKey.secret)).toBe('VALID');
    // And the next roll counts from this one, not from creation.
    const next = (await roll(key.id, 0)).data!.rollApiKey.apiKey;
    expect(Math.abs(Date.parse(next.expiresAt) - (Date.now() + 9 * DAY))).toBeLessThan(60_000);
  });

  it('refuses a grace period outside 0..604800 seconds', async () => {
    const key = await created();
    for (const grace of [-1, 604_801]) {
      const res = await roll(key.id, grace);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(await roll(key.id, 604_800))).toBe('OK');
  });

  it('cannot roll, enable, disable or change a removed key', async () => {
    const key = await created();
    expect(codeOf(await disable(key.id))).toBe('OK');
    expect(codeOf(await remove(key.id))).toBe('OK');
    expect(codeOf(await roll(key.id, 0))).toBe('NOT_FOUND');
    expect(codeOf(await enable(key.id))).toBe('NOT_FOUND');
    expect(codeOf(await disable(key.id))).toBe('NOT_FOUND');
    expect(codeOf(await setCidrs(key.id, []))).toBe('NOT_FOUND');
    expect(await code(key.secret)).toBe('REVOKED');
    const [row] = await t.dataSource.getRepository(ApiKey).findBy({ id: key.id });
    expect(row?.maskedKey).toBe(key.key.maskedKey);
  });
});

describe(`address allowlists on ${TEST_DB}`, () => {
  it('validates entries and keeps them canonical', async () => {
    const key = await created();
    const bad = await setCidrs(key.id, ['10.0.0.0/8', '10.1.2.3/8']);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.field).toBe('allowedCidrs');
    const many = await setCidrs(key.id, Array.from({ length: 51 }, (_, i) => `10.${i}.0.0/16`));
    expect(codeOf(many)).toBe('BAD_USER_INPUT');
    const ok = await setCidrs(key.id, ['203.0.113.7', '2001:DB8::/32', '203.0.113.7/32']);
    expect(ok.data?.setApiKeyAllowedCidrs.allowedCidrs).toEqual(['203.0.113.7/32', '2001:db8::/32']);
    const atCreate = await create({ allowedCidrs: ['nope'] });
    expect(codeOf(atCreate)).toBe('BAD_USER_INPUT');
  });

  it("answers IP_NOT_ALLOWED outside the list, reading the gateway's header or clientIp; an empty list allows any", async () => {
    const key = await created({ allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
    const from = (ip: string) => ({ 'x-pulze-client-ip': ip });
    expect(await code(key.secret, from('203.0.113.9'))).toBe('VALID');
    expect(await code(key.secret, from('2001:db8::42'))).toBe('VALID');
    expect(await code(key.secret, from('198.51.100.1'))).toBe('IP_NOT_ALLOWED');
    expect(await code(key.secret)).toBe('IP_NOT_ALLOWED');
    const refused = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key.secret}`, ...from('198.51.100.1') } });
    expect(refused.status).toBe(403);
    expect((await verifyGql(key.secret, '203.0.113.200')).code).toBe('VALID');
    expect((await verifyGql(key.secret, '198.51.100.1')).code).toBe('IP_NOT_ALLOWED');
    // A change reaches the cached facts at once.
    expect(codeOf(await setCidrs(key.id, ['198.51.100.0/24']))).toBe('OK');
    expect(await code(key.secret, from('198.51.100.1'))).toBe('VALID');
    expect(await code(key.secret, from('203.0.113.9'))).toBe('IP_NOT_ALLOWED');
    expect(codeOf(await setCidrs(key.id, []))).toBe('OK');
    expect(await code(key.secret)).toBe('VALID');
  });

  it("checks a key used on this API against the caller's own address", async () => {
    const key = await created({ allowedCidrs: ['127.0.0.0/8', '::1/128'] });
    expect((await gql('{ currentApiKey { id } }', {}, key.secret)).data?.currentApiKey.id).toBe(key.id);
    await setCidrs(key.id, ['10.0.0.0/8']);
    const refused = await gql('{ currentApiKey { id } }', {}, key.secret);
    expect(codeOf(refused)).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0]?.message).toMatch(/address/);
  });
});

describe(`no error message echoes a key on ${TEST_DB}`, () => {
  it('refusals of every lifecycle operation never repeat a secret that was sent', async () => {
    const key = await created();
    const secret = key.secret;
    const unknown = generateApiKey();
    const answers: Array<GraphQLResponse> = [
      await roll(secret, 0),
      await disable(secret),
      await enable(unknown),
      await setCidrs(key.id, [secret]),
      await setCidrs(key.id, [`${secret}/24`]),
      await create({ expiresAt: secret }),
      await gql('{ currentApiKey { id } }', {}, unknown),
      await gql('query($o: ID!) { auditEvents(organizationId: $o, keyId: $k) { totalCount } }'.replace('$k', `"${secret}"`), { o: org.id }, unknown),
      await gql('query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k) { totalCount } }', { o: secret, k: secret }),
    ];
    for (const res of answers) {
      expect(res.errors?.length).toBeGreaterThan(0);
      const text = JSON.stringify(res);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(unknown);
      expect(text).not.toContain(secret.slice(3, 20));
    }
    expect(t.logLines.join('\n')).not.toContain(secret);
  });
});
