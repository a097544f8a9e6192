import { LIMITS, searchForm } from '@pulze/shared';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { Space } from '../src/modules/space/space.entity';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, newKey, newOrganization, newSpace, newUser, type SpaceRef } from './helpers/factories';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

/**
 * Key names and search terms an attacker would send: direction overrides, invisible-only names,
 * unpaired surrogates and compatibility characters that outgrow the search column. Each is
 * refused BAD_USER_INPUT naming the field, on the database under test, and nothing is stored.
 */
const CREATE = 'mutation($s: ID!, $n: String!) { createApiKey(input: { spaceId: $s, name: $n }) { apiKey { id name } } }';
const RENAME = 'mutation($id: ID!, $n: String!) { renameApiKey(input: { id: $id, name: $n }) { id name } }';
const CREATE_SPACE = 'mutation($o: ID!, $n: String!) { createSpace(input: { organizationId: $o, name: $n }) { id name } }';
const SEARCH = 'query($o: ID!, $q: String) { apiKeys(organizationId: $o, search: $q) { totalCount items { id name } } }';

const HOSTILE: Array<[string, string, RegExp]> = [
  ['a right-to-left override', 'invoice\u202Efdp.exe', /direction override/],
  ['a left-to-right isolate', 'prod\u2066key', /direction override/],
  ['a line separator', 'two\u2028lines', /control/],
  ['zero-width characters only', '\u200B\u200C\u200D\u2060\uFEFF', /empty/],
  ['Hangul fillers only', '\u3164\u3164', /empty/],
  ['an unpaired high surrogate', 'key \uD800', /surrogate/],
  ['an unpaired low surrogate', '\uDC00 key', /surrogate/],
  ['100 × U+FDFA (1 800 characters in search form)', '\uFDFA'.repeat(100), /too long once normalized/],
];

let t: TestApp;
let token: string;
let orgId: string;
let space: SpaceRef;
let existing: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  const org = await newOrganization(t.dataSource);
  const user = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, user, 'OWNER');
  space = await newSpace(t.dataSource, org);
  orgId = org.id;
  existing = await newKey(t.dataSource, space, user, { name: 'Existing key' });
  token = await t.login(user.email, user.password);
});
afterAll(async () => {
  await t.stop();
});

describe(`hostile key names and search terms on ${TEST_DB}`, () => {
  it('the columns a name lands in are the sizes the shared check measures against', () => {
    const keys = t.dataSource.getMetadata(ApiKey);
    expect(Number(keys.findColumnWithPropertyName('name')?.length)).toBe(LIMITS.keyNameMaxLength);
    expect(Number(keys.findColumnWithPropertyName('searchName')?.length)).toBe(LIMITS.searchFormMaxLength);
    expect(Number(t.dataSource.getMetadata(Space).findColumnWithPropertyName('name')?.length)).toBe(LIMITS.spaceNameMaxLength);
  });

  it.each(HOSTILE)('createApiKey, renameApiKey and createSpace refuse %s, naming the field', async (_what, name, reason) => {
    const before = await t.dataSource.getRepository(ApiKey).count();
    for (const [query, variables] of [
      [CREATE, { s: space.id, n: name }],
      [RENAME, { id: existing.id, n: name }],
      [CREATE_SPACE, { o: orgId, n: name }],
    ] as const) {
      const res = await t.gql(query, variables, token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('name');
      expect(res.errors?.[0]?.message).toMatch(reason);
    }
    expect(await t.dataSource.getRepository(ApiKey).count()).toBe(before);
    const stored = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: existing.id });
    expect(stored.name).toBe(existing.name);
  });

  it.each(HOSTILE)('apiKeys refuses a search for %s, naming the field', async (_what, term, reason) => {
    const res = await t.gql(SEARCH, { o: orgId, q: term }, token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('search');
    expect(res.errors?.[0]?.message.replace(/^Search/, '')).toMatch(reason);
  });

  it('stores what it echoes: the NFC form, with right-to-left marks and the longest search form that fits', async () => {
    for (const name of ['Cafe\u0301 key', 'מפתח\u200F (2)', '\uFDFA'.repeat(11), '👩\u200D💻'.repeat(20)]) {
      const res = await t.gql<{ createApiKey: { apiKey: { id: string; name: string } } }>(CREATE, { s: space.id, n: name }, token);
      expect(codeOf(res)).toBe('OK');
      const echoed = res.data!.createApiKey.apiKey;
      expect(echoed.name).toBe(name.normalize('NFC'));
      const stored = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: echoed.id });
      expect(stored.name).toBe(echoed.name);
      expect(stored.searchName).toBe(searchForm(echoed.name));
    }
    // 11 × U+FDFA is 198 characters in search form, and is found by a part of it.
    const found = await t.gql<{ apiKeys: { totalCount: number } }>(SEARCH, { o: orgId, q: '\uFDFA'.repeat(2) }, token);
    expect(found.data?.apiKeys.totalCount).toBe(1);
    // Blank search terms are no search at all.
    const all = await t.gql<{ apiKeys: { totalCount: number } }>(SEARCH, { o: orgId, q: '   ' }, token);
    expect(all.data?.apiKeys.totalCount).toBe(5);
  });
});
