import { ApiKeyUsageDaily } from '../src/modules/usage/api-key-usage.entity';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf, removeKey } from './helpers/keys';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

const LIMIT = 20;

/** `Authorization: Bearer pk_...` on /graphql: its own key and space, nothing else. */
describe(`an API key as the credential on /graphql (${TEST_DB})`, () => {
  let t: TestApp;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };
  let key: { id: string; secret: string };
  let otherSpaceKey: { id: string; secret: string };

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PULZE_X_SUITE: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '300', USAGE_FLUSH_INTERVAL_MS: '600000' });
    owner = await t.login('owner@acme.test');
    acme = await orgOf(t, owner, 'Acme AI');
    key = await createKey(t, owner, acme.spaces.Production!, 'Principal key');
    otherSpaceKey = await createKey(t, owner, acme.spaces.Research!, 'Research key');
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** What a refused mutation must leave as it was: the keys, the removed keys and the spaces of the organization. */
  const state = async () => {
    const [keys] = await t.dataSource.query('SELECT COUNT(*) AS n, COUNT(removedAt) AS removed FROM api_keys WHERE organizationId = ?', [acme.id]);
    const [spaces] = await t.dataSource.query('SELECT COUNT(*) AS n, COUNT(deletedAt) AS deleted FROM spaces WHERE organizationId = ?', [acme.id]);
    return { keys: Number(keys.n), removedKeys: Number(keys.removed), spaces: Number(spaces.n), deletedSpaces: Number(spaces.deleted) };
  };

  it('reads its own key and space', async () => {
    const res = await t.gql('{ currentApiKey { id name maskedKey space { id name } } }', {}, key.secret);
    expect(res.errors).toBeUndefined();
    expect(res.data!.currentApiKey).toMatchObject({ id: key.id, name: 'Principal key', space: { id: acme.spaces.Production, name: 'Production' } });
    const own = await t.gql('query($id: ID!) { apiKey(id: $id) { id space { name } } }', { id: key.id }, key.secret);
    expect(own.data!.apiKey).toEqual({ id: key.id, space: { name: 'Production' } });
  });

  it.each([
    ['list keys', '{ apiKeys(organizationId: "ORG") { totalCount items { id } } }'],
    ['create a key', 'mutation { createApiKey(input: { spaceId: "PROD", name: "Minted by a key" }) { secret } }'],
    ['read a key of another space', '{ apiKey(id: "OTHER_KEY") { id space { name } } }'],
    ['read the organization', '{ organization(id: "ORG") { spaces { id name } } }'],
    ['read the viewer', '{ viewer { id organizations { spaces { id } } } }'],
    ['remove its own key', 'mutation { removeApiKey(id: "OWN_KEY") { id } }'],
    ['delete its own space', 'mutation { deleteSpace(id: "PROD") }'],
    ['create a space', 'mutation { createSpace(input: { organizationId: "ORG", name: "By key" }) { id } }'],
  ])('may not %s (FORBIDDEN)', async (_what, template) => {
    const query = template
      .replace('ORG', acme.id)
      .replace('PROD', acme.spaces.Production!)
      .replace('OTHER_KEY', otherSpaceKey.id)
      .replace('OWN_KEY', key.id);
    const before = await state();
    const res = await t.gql(query, {}, key.secret);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
    // Refused means nothing was created, removed or deleted.
    expect(await state()).toEqual(before);
  });

  it('counts each request as a use, and is rate limited like the verify route', async () => {
    const fresh = await createKey(t, owner, acme.spaces.Staging!, 'Counted key');
    for (let i = 0; i < LIMIT; i++) {
      const res = await t.gql('{ currentApiKey { id } }', {}, fresh.secret);
      expect(res.errors).toBeUndefined();
    }
    const limited = await t.gql('{ currentApiKey { id } }', {}, fresh.secret);
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await t.app.services.usage.flush();
    const rows = await t.dataSource.getRepository(ApiKeyUsageDaily).find({ where: { apiKeyId: fresh.id } });
    expect(rows.reduce((sum, r) => sum + Number(r.requests), 0)).toBe(LIMIT);
  });

  it('stops working the moment the key is removed (UNAUTHENTICATED)', async () => {
    const doomed = await createKey(t, owner, acme.spaces.Production!, 'Doomed key');
    expect((await t.gql('{ currentApiKey { id } }', {}, doomed.secret)).errors).toBeUndefined();
    await removeKey(t, owner, doomed.id);
    const res = await t.gql('{ currentApiKey { id } }', {}, doomed.secret);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0]!.message).toMatch(/removed/);
  });
});
