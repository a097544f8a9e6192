import { generateApiKey, isWellFormedApiKey } from '@pulze/shared';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB, whileTableAway } from './helpers/database';
import { addOrganizationMember, newOrganization } from './helpers/factories';
import { orgOf } from './helpers/keys';
import { startDemoApp } from './helpers/demo-app';
import { codeOf, countQueries, type TestApp } from './helpers/test-app';

const CREATE = 'mutation($s: ID!, $n: String!) { createApiKey(input: { spaceId: $s, name: $n }) { secret apiKey { id name maskedKey createdAt lastUsedAt viewerCanRemove space { id name } owner { email } usage { totalRequests last30Days { date requests } } } } }';
const LIST = `query($o: ID!, $s: ID, $q: String, $p: Int!, $n: Int!) {
  apiKeys(organizationId: $o, spaceId: $s, search: $q, page: $p, pageSize: $n) {
    totalCount page pageSize pageCount
    items { id name maskedKey createdAt space { id name logoUrl } owner { id name avatarUrl } viewerCanRemove usage { totalRequests } }
  }
}`;

let t: TestApp;
let owner: string;
let ownerId: string;
/** The demo's X Suite organization and its Production space, as its owner sees them. */
let ACME: string;
let PRODUCTION: string;

beforeAll(async () => {
  let spaces: Record<string, string>;
  ({ t, owner, acme: ACME, spaces } = await startDemoApp());
  PRODUCTION = spaces.Production!;
  ownerId = (await t.gql('{ viewer { id } }', {}, owner)).data!.viewer.id;
});
afterAll(async () => {
  await t.stop();
});

/** A new organization with one space and `count` keys, so paging tests own their data. */
async function orgWithKeys(count: number, names?: (i: number) => string): Promise<{ orgId: string; spaceId: string; ids: string[] }> {
  const orgId = (await newOrganization(t.dataSource, { name: 'Paging Co', plan: 'PULZE_X_SUITE', status: 'ACTIVE' })).id;
  await addOrganizationMember(t.dataSource, { id: orgId }, { id: ownerId }, 'OWNER');
  const space = await t.gql('mutation($o: ID!) { createSpace(input: { organizationId: $o, name: "Main" }) { id } }', { o: orgId }, owner);
  const spaceId = space.data?.createSpace.id as string;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await t.gql(CREATE, { s: spaceId, n: names ? names(i) : `Key ${i}` }, owner);
    ids.push(res.data?.createApiKey.apiKey.id);
  }
  return { orgId, spaceId, ids };
}

describe(`api keys on ${TEST_DB}`, () => {
  describe('createApiKey', () => {
    it('returns the full key once; afterwards only the masked key exists anywhere', async () => {
      const res = await t.gql(CREATE, { s: PRODUCTION, n: '  Mobile App - Production  ' }, owner);
      expect(codeOf(res)).toBe('OK');
      const { secret, apiKey } = res.data!.createApiKey;
      expect(isWellFormedApiKey(secret)).toBe(true);
      expect(apiKey).toMatchObject({
        name: 'Mobile App - Production',
        maskedKey: `pk_...${secret.slice(-5)}`,
        lastUsedAt: null,
        viewerCanRemove: true,
        space: { id: PRODUCTION, name: 'Production' },
        owner: { email: 'owner@acme.test' },
        usage: { totalRequests: 0 },
      });
      expect(apiKey.usage.last30Days).toHaveLength(30);

      // Not in any table...
      const tables = ['api_keys', 'organizations', 'subscriptions', 'organization_members', 'users', 'spaces', 'space_members', 'api_key_usage_daily'];
      for (const table of tables) {
        const rows = await t.dataSource.query(`SELECT * FROM ${table}`);
        expect(JSON.stringify(rows)).not.toContain(secret.slice(3));
      }
      // ...nor in any log line, nor returned again by a read.
      expect(t.logLines.join('\n')).not.toContain(secret.slice(3));
      // The operation itself was logged, by type and outcome only.
      expect(t.logLines.some((l) => l.includes('"msg":"graphql"') && l.includes('"type":"mutation"'))).toBe(true);
      const again = await t.gql('query($id: ID!) { apiKey(id: $id) { maskedKey } }', { id: apiKey.id }, owner);
      expect(JSON.stringify(again)).not.toContain(secret.slice(3));
      expect(again.data?.apiKey.maskedKey).toBe(apiKey.maskedKey);
    });

    it('appears first in the list at once', async () => {
      const res = await t.gql(CREATE, { s: PRODUCTION, n: 'Newest key' }, owner);
      const list = await t.gql(LIST, { o: ACME, p: 1, n: 5 }, owner);
      expect(list.data?.apiKeys.items[0].id).toBe(res.data?.createApiKey.apiKey.id);
    });

    it.each([
      ['empty', ''],
      ['whitespace only', '   \t  '],
      ['101 characters', 'x'.repeat(101)],
      ['a newline', 'bad\nname'],
      ['a NUL', 'bad\u0000name'],
      ['an escape character', 'bad\u001bname'],
    ])('refuses a name that is %s with BAD_USER_INPUT and stores nothing', async (_what, name) => {
      const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM api_keys');
      const res = await t.gql(CREATE, { s: PRODUCTION, n: name }, owner);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(t.logLines.at(-1)).toContain('"errors":["BAD_USER_INPUT"]');
      expect(res.errors?.[0]?.extensions?.field).toBe('name');
      const after = await t.dataSource.query('SELECT COUNT(*) AS n FROM api_keys');
      expect(Number(after[0].n)).toBe(Number(before[0].n));
    });

    it('accepts 100 characters, quotes and non-ASCII names as given', async () => {
      for (const name of ['y'.repeat(100), `O'Brien "quoted" key`, 'Prüfung – 日本語 🚀']) {
        const res = await t.gql(CREATE, { s: PRODUCTION, n: name }, owner);
        expect(codeOf(res)).toBe('OK');
        expect(res.data?.createApiKey.apiKey.name).toBe(name);
      }
    });
  });

  describe('renameApiKey', () => {
    const RENAME = 'mutation($id: ID!, $n: String!) { renameApiKey(input: { id: $id, name: $n }) { id name maskedKey } }';

    it('renames in place: same key, same secret, found by the new name only', async () => {
      const created = (await t.gql(CREATE, { s: PRODUCTION, n: 'Before rename' }, owner)).data!.createApiKey;
      const res = await t.gql(RENAME, { id: created.apiKey.id, n: '  After Rename — Zürich  ' }, owner);
      expect(res.data?.renameApiKey).toEqual({ id: created.apiKey.id, name: 'After Rename — Zürich', maskedKey: created.apiKey.maskedKey });
      const found = await t.gql(LIST, { o: ACME, q: 'zürich', p: 1, n: 10 }, owner);
      expect(found.data?.apiKeys.items.map((k: any) => k.id)).toEqual([created.apiKey.id]);
      expect((await t.gql(LIST, { o: ACME, q: 'Before rename', p: 1, n: 10 }, owner)).data?.apiKeys.totalCount).toBe(0);
      const check = await t.gql('query($k: String!) { verifyApiKey(key: $k) { code } }', { k: created.secret });
      expect(check.data?.verifyApiKey.code).toBe('VALID');
    });

    it('refuses a bad name with BAD_USER_INPUT and keeps the old one', async () => {
      const created = (await t.gql(CREATE, { s: PRODUCTION, n: 'Keep me' }, owner)).data!.createApiKey;
      for (const bad of ['', '   ', 'x'.repeat(101), 'tab\tname']) {
        const res = await t.gql(RENAME, { id: created.apiKey.id, n: bad }, owner);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
      }
      const [stored] = await t.dataSource.query('SELECT name FROM api_keys WHERE id = ?', [created.apiKey.id]);
      expect(stored.name).toBe('Keep me');
    });

    it('answers NOT_FOUND for a removed key', async () => {
      const created = (await t.gql(CREATE, { s: PRODUCTION, n: 'Gone soon' }, owner)).data!.createApiKey;
      await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: created.apiKey.id }, owner);
      expect(codeOf(await t.gql(RENAME, { id: created.apiKey.id, n: 'Too late' }, owner))).toBe('NOT_FOUND');
    });
  });

  describe('pagination', () => {
    it('an organization with no keys gives an empty first page', async () => {
      const { orgId } = await orgWithKeys(0);
      const res = await t.gql(LIST, { o: orgId, p: 1, n: 10 }, owner);
      expect(res.data?.apiKeys).toEqual({ totalCount: 0, page: 1, pageSize: 10, pageCount: 0, items: [] });
    });

    it('pages newest first: exact multiple, last partial page and a page past the end', async () => {
      const { orgId, ids } = await orgWithKeys(12);
      const newestFirst = [...ids].reverse();
      const page = async (p: number, n: number) => (await t.gql(LIST, { o: orgId, p, n }, owner)).data?.apiKeys;

      const exact = await page(2, 6);
      expect(exact).toMatchObject({ totalCount: 12, page: 2, pageSize: 6, pageCount: 2 });
      expect(exact.items.map((k: any) => k.id)).toEqual(newestFirst.slice(6, 12));

      const partial = await page(3, 5);
      expect(partial).toMatchObject({ totalCount: 12, pageCount: 3 });
      expect(partial.items.map((k: any) => k.id)).toEqual(newestFirst.slice(10));

      const past = await page(4, 5);
      expect(past).toMatchObject({ totalCount: 12, page: 4, pageCount: 3, items: [] });

      const all: string[] = [];
      for (let p = 1; p <= 3; p++) all.push(...(await page(p, 5)).items.map((k: any) => k.id));
      expect(all).toEqual(newestFirst);
    });

    it('keys created in the same millisecond still page without gaps or repeats (id breaks ties)', async () => {
      const { orgId } = await orgWithKeys(6);
      await t.dataSource.getRepository(ApiKey).update({ organizationId: orgId }, { createdAt: new Date('2026-01-01T00:00:00Z') });
      const seen: string[] = [];
      for (let p = 1; p <= 3; p++) seen.push(...(await t.gql(LIST, { o: orgId, p, n: 2 }, owner)).data!.apiKeys.items.map((k: any) => k.id));
      expect(new Set(seen).size).toBe(6);
      expect(seen).toEqual([...seen].sort().reverse());
    });

    it.each([
      ['page 0', { p: 0, n: 10 }, 'page'],
      ['page -1', { p: -1, n: 10 }, 'page'],
      ['pageSize 0', { p: 1, n: 0 }, 'pageSize'],
      ['pageSize 101', { p: 1, n: 101 }, 'pageSize'],
    ])('refuses %s with BAD_USER_INPUT instead of clamping', async (_what, vars, field) => {
      const res = await t.gql(LIST, { o: ACME, ...vars }, owner);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe(field);
      expect(res.data).toBeNull();
    });

    it('accepts pageSize 1 and 100', async () => {
      expect((await t.gql(LIST, { o: ACME, p: 1, n: 1 }, owner)).data?.apiKeys.items).toHaveLength(1);
      const big = (await t.gql(LIST, { o: ACME, p: 1, n: 100 }, owner)).data?.apiKeys;
      expect(big.items.length).toBe(Math.min(100, big.totalCount));
    });

    it('costs a constant number of SQL queries for a page of 100 keys (no N+1)', async () => {
      const { orgId } = await orgWithKeys(100);
      const small = await countQueries(t.dataSource, () => t.gql(LIST, { o: orgId, p: 1, n: 2 }, owner));
      const large = await countQueries(t.dataSource, () => t.gql(LIST, { o: orgId, p: 1, n: 100 }, owner));
      expect(large.result.data?.apiKeys.items).toHaveLength(100);
      expect(small.result.data?.apiKeys.items).toHaveLength(2);
      expect(large.queries.length).toBe(small.queries.length);
      expect(large.queries.length).toBeLessThanOrEqual(15);
    });
  });

  describe('search', () => {
    const names = ['100% Coverage', 'snake_case_key', 'back\\slash key', "O'Reilly key", 'Über Service', 'über lower', 'plain', 'PLAIN upper', '50 percent', 'snakeXcaseXkey', 'backXslash'];
    let orgId: string;
    beforeAll(async () => {
      ({ orgId } = await orgWithKeys(names.length, (i) => names[i] as string));
    });
    const search = async (q: string) =>
      ((await t.gql(LIST, { o: orgId, q, p: 1, n: 100 }, owner)).data?.apiKeys.items as Array<{ name: string }>).map((k) => k.name).sort();

    // The rule (README, key-search.ts): every word of the search begins a word of the name.
    it('is a case-insensitive word-prefix match, not a substring match', async () => {
      expect(await search('plain')).toEqual(['PLAIN upper', 'plain']);
      expect(await search('PLA')).toEqual(['PLAIN upper', 'plain']);
      expect(await search('upp pla')).toEqual(['PLAIN upper']);
      expect(await search('LAI')).toEqual([]);
    });
    it('finds nothing for a search without letters or digits, such as %', async () => {
      expect(await search('%')).toEqual([]);
      expect(await search('_')).toEqual([]);
      expect(await search('\\')).toEqual([]);
      expect(await search('100%')).toEqual(['100% Coverage']);
    });
    it('treats _ and \\ as separators between words', async () => {
      expect(await search('case')).toEqual(['snake_case_key']);
      expect(await search('snake_c')).toEqual(['snake_case_key']);
      expect(await search('snakex')).toEqual(['snakeXcaseXkey']);
      expect(await search('slash')).toEqual(['back\\slash key']);
      expect(await search('back')).toEqual(['backXslash', 'back\\slash key']);
    });
    it('matches quotes as separators too', async () => {
      expect(await search("O'Re")).toEqual(["O'Reilly key"]);
      expect(await search('reilly')).toEqual(["O'Reilly key"]);
    });
    it('matches non-ASCII names case-insensitively', async () => {
      expect(await search('über')).toEqual(['Über Service', 'über lower']);
      expect(await search('ÜBER')).toEqual(['Über Service', 'über lower']);
    });
    it('counts only matches and finds nothing for an unknown term', async () => {
      const res = await t.gql(LIST, { o: orgId, q: 'nothing-like-this', p: 1, n: 10 }, owner);
      expect(res.data?.apiKeys).toMatchObject({ totalCount: 0, pageCount: 0, items: [] });
    });
    it('refuses more than 100 characters and accepts exactly 100', async () => {
      expect(codeOf(await t.gql(LIST, { o: orgId, q: 'a'.repeat(101), p: 1, n: 10 }, owner))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(LIST, { o: orgId, q: 'a'.repeat(100), p: 1, n: 10 }, owner))).toBe('OK');
    });
  });

  describe('deleting a space', () => {
    it('hides its keys everywhere at once', async () => {
      const { orgId, spaceId, ids } = await orgWithKeys(3);
      const del = await t.gql('mutation($id: ID!) { deleteSpace(id: $id) }', { id: spaceId }, owner);
      expect(del.data?.deleteSpace).toBe(true);
      const list = await t.gql(LIST, { o: orgId, p: 1, n: 10 }, owner);
      expect(list.data?.apiKeys.totalCount).toBe(0);
      expect(codeOf(await t.gql('query($id: ID!) { apiKey(id: $id) { id } }', { id: ids[0] }, owner))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(LIST, { o: orgId, s: spaceId, p: 1, n: 10 }, owner))).toBe('NOT_FOUND');
      const org = await t.gql('query($id: ID!) { organization(id: $id) { spaces { id } } }', { id: orgId }, owner);
      expect(org.data?.organization.spaces).toEqual([]);
      const rows = await t.dataSource.query('SELECT COUNT(*) AS n FROM api_keys WHERE spaceId = ?', [spaceId]);
      expect(Number(rows[0].n)).toBe(3); // rows stay for audit
      expect(codeOf(await t.gql(CREATE, { s: spaceId, n: 'late' }, owner))).toBe('NOT_FOUND');
    });
  });

  describe('lapsed subscription', () => {
    it('still lists its keys so they can be reviewed and revoked', async () => {
      const lapsedOwner = await t.login('owner@lapsed.test');
      const res = await t.gql(LIST, { o: (await orgOf(t, lapsedOwner, 'Lapsed Inc')).id, p: 1, n: 10 }, lapsedOwner);
      expect(res.data?.apiKeys.totalCount).toBeGreaterThan(0);
    });
  });

  describe('errors', () => {
    it('turn an unexpected failure into INTERNAL_SERVER_ERROR without SQL, stack or secrets', async () => {
      await whileTableAway(t.dataSource, 'api_keys', async () => {
        const res = await t.gql(LIST, { o: ACME, p: 1, n: 10 }, owner);
        expect(codeOf(res)).toBe('INTERNAL_SERVER_ERROR');
        const body = JSON.stringify(res);
        expect(body).not.toMatch(/SELECT|api_keys|stack|\.ts:|SQLITE|\bER_|no such table|doesn.t exist/i);
        expect(t.logLines.some((l) => l.includes('"msg":"graphql"') && l.includes('"errors":["INTERNAL_SERVER_ERROR"]'))).toBe(true);
        const logged = t.logLines.filter((l) => l.includes('unexpected error'));
        expect(logged.length).toBeGreaterThan(0);
        expect(logged.join('\n')).not.toMatch(/SELECT|stack|\.ts:/);
      });
    });

    it('keeps GraphQL validation errors as they are', async () => {
      const res = await t.gql('{ nope }', {}, owner);
      expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('does not leak a made-up key through any message', async () => {
      const made = generateApiKey();
      const res = await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: made }, owner);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(JSON.stringify(res)).not.toContain(made);
    });
  });
});
