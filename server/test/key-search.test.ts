import { randomUUID } from 'node:crypto';
import { generateApiKey } from '@pulze/shared';
import fc from 'fast-check';
import { seedDemo } from '../src/db/seed';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { newApiKeyRow } from '../src/modules/api-key/api-key.model';
import { changeLiveKeys } from '../src/modules/api-key/key-counts';
import { insertKeyWords, SEARCH_COUNT_CAP } from '../src/modules/api-key/key-search';
import { TEST_DB, withMigratedDatabase } from './helpers/database';
import { addOrganizationMember, newOrganization } from './helpers/factories';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

/**
 * Key search by word prefix (modules/api-key/key-search.ts), held against an in-memory model of
 * the documented rule: the words of a text are the runs of letters, digits and combining marks of
 * its NFKC lower-cased form; a name matches when every word of the search begins one of its words.
 */
const modelWords = (text: string): string[] => text.normalize('NFC').trim().normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
const modelMatches = (name: string, search: string): boolean => {
  const words = modelWords(search);
  const nameWords = modelWords(name);
  return words.length > 0 && words.every((w) => nameWords.some((n) => n.startsWith(w)));
};

const CREATE = 'mutation($s: ID!, $n: String!) { createApiKey(input: { spaceId: $s, name: $n }) { apiKey { id name createdAt } } }';
const RENAME = 'mutation($id: ID!, $n: String!) { renameApiKey(input: { id: $id, name: $n }) { id name } }';
const REMOVE = 'mutation($id: ID!) { removeApiKey(id: $id) { id } }';
const LIST = `query($o: ID!, $s: ID, $q: String, $p: Int!, $n: Int!) {
  apiKeys(organizationId: $o, spaceId: $s, search: $q, page: $p, pageSize: $n) { totalCount totalCountIsCapped pageCount items { id name } }
}`;

interface Listed {
  totalCount: number;
  totalCountIsCapped: boolean;
  pageCount: number;
  items: Array<{ id: string; name: string }>;
}

let t: TestApp;
let owner: string;
let ownerId: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login('owner@acme.test');
  ownerId = (await t.gql('{ viewer { id } }', {}, owner)).data!.viewer.id;
});
afterAll(async () => {
  await t.stop();
});

async function newWorld(): Promise<{ orgId: string; spaceId: string }> {
  const orgId = (await newOrganization(t.dataSource)).id;
  await addOrganizationMember(t.dataSource, { id: orgId }, { id: ownerId }, 'OWNER');
  const space = await t.gql('mutation($o: ID!) { createSpace(input: { organizationId: $o, name: "Main" }) { id } }', { o: orgId }, owner);
  return { orgId, spaceId: space.data?.createSpace.id as string };
}

async function list(orgId: string, q: string | null, page = 1, pageSize = 100, spaceId: string | null = null): Promise<Listed> {
  const res = await t.gql(LIST, { o: orgId, s: spaceId, q, p: page, n: pageSize }, owner);
  expect(codeOf(res)).toBe('OK');
  return res.data?.apiKeys as Listed;
}

/** The word table's rows of an organization, as "keyId word" lines, sorted. */
async function storedWords(orgId: string): Promise<string[]> {
  const rows: Array<{ keyId: string; word: string }> = await t.dataSource.query('SELECT keyId, word FROM key_search_words WHERE organizationId = ?', [orgId]);
  return rows.map((r) => `${r.keyId} ${r.word}`).sort();
}

/** What the rule says the table holds: the distinct words of every live key. */
async function expectedWords(orgId: string): Promise<string[]> {
  const keys: Array<{ id: string; name: string }> = await t.dataSource.query('SELECT id, name FROM api_keys WHERE organizationId = ? AND removedAt IS NULL', [orgId]);
  return keys.flatMap((k) => [...new Set(modelWords(k.name))].map((w) => `${k.id} ${w}`)).sort();
}

// Pieces of names that stress the rule: case, accents composed and not, compatibility forms
// (ligatures, full-width), letters whose lower case is longer, scripts without case, digits,
// punctuation that separates words, and characters outside the Basic Multilingual Plane.
const PIECES = [
  'Mobile', 'mobile', 'MOBILE', 'mob', 'App', 'app', 'apple', 'Über', 'über', 'UBER', 'uber', 'Straße', 'STRASSE', 'strasse',
  'ﬁle', 'file', 'Ｆｕｌｌ', 'full', 'İstanbul', 'istanbul', 'ΣΊΣΥΦΟΣ', 'σίσυφος', '日本', '日本語', 'v2', 'V2', '42', '4２', '１２',
  'café', 'cafe\u0301', 'naïve', 'x_y', '100%', "O'Reilly", 'a-b', 'e\u0301', 'ǅemal', '𝐁𝐨𝐥𝐝', '𐐀𐐨', 'prod', 'Prod-EU', 'eu',
];
const SEPARATORS = [' ', '  ', '-', '_', ' - ', '.', '/', '', '·', ' (', ') '];
const name = fc
  .tuple(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(...SEPARATORS), { minLength: 3, maxLength: 3 }))
  .map(([pieces, seps]) => pieces.map((p, i) => (i === 0 ? p : `${seps[i - 1]}${p}`)).join(''))
  .filter((n) => /\S/.test(n));
/** A prefix (in code points) of a piece, in any case. */
const prefixOf = fc
  .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1, max: 8 }), fc.constantFrom('as is', 'upper', 'lower'))
  .map(([piece, n, kase]) => {
    const cut = [...piece].slice(0, n).join('');
    return kase === 'upper' ? cut.toUpperCase() : kase === 'lower' ? cut.toLowerCase() : cut;
  });
const term = fc.oneof(
  prefixOf,
  fc.tuple(prefixOf, fc.constantFrom(...SEPARATORS), prefixOf).map(([a, s, b]) => `${a}${s || ' '}${b}`),
  fc.tuple(prefixOf, prefixOf, prefixOf).map((words) => words.join(' ')),
  fc.constantFrom('%', '_', '-', "'", 'zzz', 'mobile app 1', 'e\u0301', 'É', 'ss', 'SS', 'ﬁ', 'fi', 'FI'),
).filter((q) => /\S/.test(q));

describe(`key search on ${TEST_DB}`, () => {
  it('finds exactly the keys the word-prefix rule says, newest first, with an exact count', async () => {
    const { orgId, spaceId } = await newWorld();
    const names = fc.sample(name, { numRuns: 70, seed: 42 });
    const keys: Array<{ id: string; name: string; createdAt: string }> = [];
    for (const n of names) {
      const res = await t.gql(CREATE, { s: spaceId, n }, owner);
      expect(codeOf(res)).toBe('OK');
      keys.push(res.data?.createApiKey.apiKey);
    }
    const newestFirst = [...keys].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(term, async (q) => {
        const expected = newestFirst.filter((k) => modelMatches(k.name, q)).map((k) => k.id);
        if (expected.length) nonEmpty++;
        const found = await list(orgId, q);
        expect({ q, ids: found.items.map((k) => k.id), totalCount: found.totalCount, capped: found.totalCountIsCapped }).toEqual({
          q,
          ids: expected,
          totalCount: expected.length,
          capped: false,
        });
      }),
      { numRuns: TEST_DB === 'mysql' ? 120 : 250, seed: 7 },
    );
    // The property was not vacuous: many searches found something.
    expect(nonEmpty).toBeGreaterThan(30);
  });

  it('documents its rule by example: word prefixes in any order, case and compatibility forms ignored, no substrings', async () => {
    const { orgId, spaceId } = await newWorld();
    const made = ['Mobile App 12', 'WebApp prod', 'Straße ﬁle', 'Billing-Worker_v2 (EU)', '100% Coverage'];
    for (const n of made) expect(codeOf(await t.gql(CREATE, { s: spaceId, n }, owner))).toBe('OK');
    const names = async (q: string) => (await list(orgId, q)).items.map((k) => k.name).sort();
    expect(await names('mob app')).toEqual(['Mobile App 12']);
    expect(await names('APP MOB')).toEqual(['Mobile App 12']);
    expect(await names('app')).toEqual(['Mobile App 12']); // not "WebApp": app does not begin a word of it
    expect(await names('webapp')).toEqual(['WebApp prod']);
    expect(await names('STRASSE')).toEqual([]); // lower case of ß is ß, and NFKC keeps it
    expect(await names('straß file')).toEqual(['Straße ﬁle']);
    expect(await names('worker v2 eu')).toEqual(['Billing-Worker_v2 (EU)']);
    expect(await names('100')).toEqual(['100% Coverage']);
    expect(await names('%')).toEqual([]); // no word at all: nothing
    expect(await names('obile')).toEqual([]); // a substring that begins no word
  });

  it('follows renames and removals at once, and the word table always equals the rule over the live keys', async () => {
    const { orgId, spaceId } = await newWorld();
    const created = (await t.gql(CREATE, { s: spaceId, n: 'alpha beta' }, owner)).data?.createApiKey.apiKey;
    expect((await list(orgId, 'alp')).items.map((k) => k.id)).toEqual([created.id]);
    expect(codeOf(await t.gql(RENAME, { id: created.id, n: 'Gamma Delta' }, owner))).toBe('OK');
    expect((await list(orgId, 'alp')).totalCount).toBe(0);
    expect((await list(orgId, 'gam del')).items.map((k) => k.id)).toEqual([created.id]);
    expect(await storedWords(orgId)).toEqual(await expectedWords(orgId));
    // Other changes of a key leave its words as they are.
    expect(codeOf(await t.gql('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: created.id }, owner))).toBe('OK');
    expect(codeOf(await t.gql('mutation($id: ID!) { enableApiKey(id: $id) { id } }', { id: created.id }, owner))).toBe('OK');
    expect((await list(orgId, 'delta')).items.map((k) => k.id)).toEqual([created.id]);
    expect(await storedWords(orgId)).toEqual(await expectedWords(orgId));
    expect(codeOf(await t.gql(REMOVE, { id: created.id }, owner))).toBe('OK');
    expect((await list(orgId, 'gam')).totalCount).toBe(0);
    expect(await storedWords(orgId)).toEqual([]);

    // Renames, removals and creates all at once, twice over the same keys.
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await t.gql(CREATE, { s: spaceId, n: `race ${i} start` }, owner)).data?.createApiKey.apiKey.id);
    const results = await Promise.all([
      ...ids.map((id, i) => t.gql(RENAME, { id, n: `renamed ${i} once` }, owner)),
      ...ids.slice(0, 5).map((id) => t.gql(REMOVE, { id }, owner)),
      ...ids.map((id, i) => t.gql(RENAME, { id, n: `renamed ${i} twice` }, owner)),
      ...Array.from({ length: 5 }, (_, i) => t.gql(CREATE, { s: spaceId, n: `race new ${i}` }, owner)),
    ]);
    // A rename that lost to a removal is NOT_FOUND; nothing else fails.
    expect(results.map(codeOf).filter((code) => code !== 'OK' && code !== 'NOT_FOUND')).toEqual([]);
    expect(await storedWords(orgId)).toEqual(await expectedWords(orgId));
    expect((await list(orgId, 'race')).totalCount).toBe(5 + (await list(orgId, 'start')).totalCount);
    expect((await list(orgId, 'renamed')).totalCount).toBe(5);
    expect((await list(orgId, null)).totalCount).toBe(10);
  });

  it('writes nothing when the change fails: words, name and count roll back with it', async () => {
    const { orgId, spaceId } = await newWorld();
    const key = (await t.gql(CREATE, { s: spaceId, n: 'steady name' }, owner)).data?.createApiKey.apiKey;
    // A later in-transaction handler fails for this one name, after the word table was written.
    t.app.services.uow.onRaise(async ({ event }) => {
      if (event.type === 'apiKey.renamed' && event.after.name === 'explode now') throw new Error('refused by the test');
      if (event.type === 'apiKey.created' && event.after.name === 'explode now') throw new Error('refused by the test');
    });
    expect(codeOf(await t.gql(RENAME, { id: key.id, n: 'explode now' }, owner))).toBe('INTERNAL_SERVER_ERROR');
    expect(codeOf(await t.gql(CREATE, { s: spaceId, n: 'explode now' }, owner))).toBe('INTERNAL_SERVER_ERROR');
    expect((await list(orgId, 'explode')).totalCount).toBe(0);
    expect((await list(orgId, 'steady')).items).toEqual([{ id: key.id, name: 'steady name' }]);
    expect((await list(orgId, null)).totalCount).toBe(1);
    expect(await storedWords(orgId)).toEqual(await expectedWords(orgId));
  });

  it(`caps a search's count at ${SEARCH_COUNT_CAP.toLocaleString('en-US')} and says so; the key list's total stays exact`, async () => {
    const { orgId, spaceId } = await newWorld();
    // Bulk rows the way the service stores them: the row, its count, its words.
    const total = SEARCH_COUNT_CAP + 1;
    const base = Date.now() - total * 1000;
    const rows = Array.from({ length: total }, (_, i) =>
      newApiKeyRow({
        secret: generateApiKey(),
        name: i % 2000 === 0 ? `bulk ${i} rare` : `bulk ${i}`,
        organizationId: orgId,
        spaceId,
        ownerId,
        createdAt: new Date(base + i * 1000),
        id: randomUUID(),
      }),
    );
    await t.dataSource.transaction(async (manager) => {
      for (let i = 0; i < rows.length; i += 500) await manager.getRepository(ApiKey).insert(rows.slice(i, i + 500));
      for (const row of rows) await changeLiveKeys(manager, row, 1);
      await insertKeyWords(manager, rows);
    });
    const newest = [...rows].reverse();

    const all = await list(orgId, 'bulk', 1, 10);
    expect(all).toMatchObject({ totalCount: SEARCH_COUNT_CAP, totalCountIsCapped: true, pageCount: SEARCH_COUNT_CAP / 10 });
    expect(all.items.map((k) => k.id)).toEqual(newest.slice(0, 10).map((k) => k.id));
    const last = await list(orgId, 'BULK', SEARCH_COUNT_CAP / 10, 10);
    expect(last.items.map((k) => k.id)).toEqual(newest.slice(SEARCH_COUNT_CAP - 10, SEARCH_COUNT_CAP).map((k) => k.id));
    // Past the capped count, the pages still hold the matches that are there.
    expect((await list(orgId, 'bulk', SEARCH_COUNT_CAP / 10 + 1, 10)).items.map((k) => k.id)).toEqual([newest[SEARCH_COUNT_CAP]?.id]);

    const rare = await list(orgId, 'rare bulk', 1, 100);
    expect(rare).toMatchObject({ totalCount: 6, totalCountIsCapped: false });
    expect(rare.items.map((k) => k.id)).toEqual(newest.filter((k) => k.name.endsWith('rare')).map((k) => k.id));
    expect(await list(orgId, 'bulk 1000', 1, 10)).toMatchObject({ totalCount: 2, totalCountIsCapped: false }); // "bulk 1000", "bulk 10000 rare"

    const everything = await list(orgId, null, 1, 10);
    expect(everything).toMatchObject({ totalCount: total, totalCountIsCapped: false });
  });
});

describe(`key list pages on ${TEST_DB}`, () => {
  it('are the database\'s own ORDER BY ... LIMIT ... OFFSET, read from either end of the list', async () => {
    const { orgId, spaceId } = await newWorld();
    const total = 1_537;
    const base = Date.now() - total * 1000;
    const rows = Array.from({ length: total }, (_, i) =>
      newApiKeyRow({ secret: generateApiKey(), name: `page ${i}`, organizationId: orgId, spaceId, ownerId, createdAt: new Date(base + Math.floor(i / 3) * 1000), id: randomUUID() }),
    );
    await t.dataSource.transaction(async (manager) => {
      for (let i = 0; i < rows.length; i += 500) await manager.getRepository(ApiKey).insert(rows.slice(i, i + 500));
      for (const row of rows) await changeLiveKeys(manager, row, 1);
    });
    // Three keys share each creation time, so the id decides between them, as in the database.
    const sql = 'SELECT id FROM api_keys WHERE organizationId = ? AND removedAt IS NULL ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?';
    for (const [page, pageSize] of [[1, 10], [1, 100], [10, 100], [11, 100], [12, 100], [15, 100], [16, 100], [17, 100], [154, 10], [77, 20]] as const) {
      const expected = ((await t.dataSource.query(sql, [orgId, pageSize, (page - 1) * pageSize])) as Array<{ id: string }>).map((r) => r.id);
      const listed = await list(orgId, null, page, pageSize);
      expect({ page, pageSize, ids: listed.items.map((k) => k.id), totalCount: listed.totalCount }).toEqual({ page, pageSize, ids: expected, totalCount: total });
    }
  });
});

describe(`the key search migration on ${TEST_DB}`, () => {
  it('backfills the words of every live key already stored', async () => {
    await withMigratedDatabase(async (dataSource) => {
      expect(await seedDemo(dataSource)).toBe(true);
      const read = async () =>
        ((await dataSource.query('SELECT keyId, word FROM key_search_words')) as Array<{ keyId: string; word: string }>).map((r) => `${r.keyId} ${r.word}`).sort();
      const live: Array<{ id: string; name: string }> = await dataSource.query('SELECT id, name FROM api_keys WHERE removedAt IS NULL');
      const expected = live.flatMap((k) => [...new Set(modelWords(k.name))].map((w) => `${k.id} ${w}`)).sort();
      expect(expected.length).toBeGreaterThan(30);
      expect(await read()).toEqual(expected);
      // The migration's own up() on these keys, from an empty state: the table made again, and backfilled.
      const migration = dataSource.migrations.find((m) => m.name?.startsWith('KeySearchWords'));
      expect(migration).toBeDefined();
      await dataSource.query('DROP TABLE key_search_words');
      const runner = dataSource.createQueryRunner();
      try {
        await migration?.up(runner);
      } finally {
        await runner.release();
      }
      expect(await read()).toEqual(expected);
    });
  });
});
