import { IsNull } from 'typeorm';
import { demoId } from '../src/db/seed';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { SpaceKeyCount } from '../src/modules/api-key/space-key-count.entity';
import { TEST_DB } from './helpers/database';
import { ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

const ACME = demoId('org:Acme AI');
const CREATE = 'mutation($s: ID!, $n: String!) { createApiKey(input: { spaceId: $s, name: $n }) { apiKey { id } } }';
const REMOVE = 'mutation($id: ID!) { removeApiKey(id: $id) { id } }';
const LIST = `query($o: ID!, $s: ID, $p: Int!, $n: Int!) {
  apiKeys(organizationId: $o, spaceId: $s, page: $p, pageSize: $n) { totalCount pageCount items { id } }
}`;

let t: TestApp;
let owner: string;

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login('owner@acme.test');
});
afterAll(async () => {
  await t.stop();
});

async function newSpace(name: string): Promise<string> {
  const res = await t.gql('mutation($o: ID!, $n: String!) { createSpace(input: { organizationId: $o, name: $n }) { id } }', { o: ACME, n: name }, owner);
  return res.data?.createSpace.id as string;
}

const liveInDatabase = (where: Partial<Record<'organizationId' | 'spaceId', string>>) =>
  t.dataSource.getRepository(ApiKey).count({ where: { ...where, removedAt: IsNull() } });

async function totalCount(spaceId?: string): Promise<number> {
  const res = await t.gql(LIST, { o: ACME, s: spaceId ?? null, p: 1, n: 10 }, owner);
  expect(codeOf(res)).toBe('OK');
  return res.data?.apiKeys.totalCount as number;
}

/** Live keys of Acme AI in spaces that are not deleted, counted from the keys themselves. */
async function acmeLiveInVisibleSpaces(): Promise<number> {
  const [row] = await t.dataSource.query(
    'SELECT COUNT(*) AS n FROM api_keys k JOIN spaces s ON s.id = k.spaceId WHERE k.organizationId = ? AND k.removedAt IS NULL AND s.deletedAt IS NULL',
    [ACME],
  );
  return Number(row.n);
}

describe(`maintained key counts on ${TEST_DB}`, () => {
  it('stay exact while creates and removes race, including two removals of the same key', async () => {
    const spaceId = await newSpace('Race');
    const first = await Promise.all(Array.from({ length: 12 }, (_, i) => t.gql(CREATE, { s: spaceId, n: `race ${i}` }, owner)));
    const ids = first.map((r) => r.data?.createApiKey.apiKey.id as string);
    expect(ids.every(Boolean)).toBe(true);

    // Twelve more creates, six removals and the same six removals again, all at once.
    const results = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => t.gql(CREATE, { s: spaceId, n: `race more ${i}` }, owner)),
      ...ids.slice(0, 6).map((id) => t.gql(REMOVE, { id }, owner)),
      ...ids.slice(0, 6).map((id) => t.gql(REMOVE, { id }, owner)),
    ]);
    const removals = results.slice(12);
    // Each key is removed once; its second removal finds it gone.
    expect(removals.filter((r) => codeOf(r) === 'OK')).toHaveLength(6);
    expect(removals.filter((r) => codeOf(r) === 'NOT_FOUND')).toHaveLength(6);

    expect(await liveInDatabase({ spaceId })).toBe(18);
    expect(await totalCount(spaceId)).toBe(18);
    expect(await totalCount()).toBe(await acmeLiveInVisibleSpaces());
    const stored = await t.dataSource.getRepository(SpaceKeyCount).findOneByOrFail({ spaceId });
    expect(stored.liveKeys).toBe(18);
  });

  it('take keys created at once in a space that has no count row yet: none is refused, the count is exact', async () => {
    // A space written straight to the database has no count row; the first creates race to insert it.
    const { space, token } = await ownedSpace(t);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => t.gql(CREATE, { s: space.id, n: `first ${i}` }, token)));
    expect(created.map(codeOf)).toEqual(Array.from({ length: 20 }, () => 'OK'));
    expect(await liveInDatabase({ spaceId: space.id })).toBe(20);
    expect((await t.dataSource.getRepository(SpaceKeyCount).findOneByOrFail({ spaceId: space.id })).liveKeys).toBe(20);
  });

  it('leave a deleted space out of the organization total, and pages read from either end match the database', async () => {
    const spaceId = await newSpace('Paged');
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      const res = await t.gql(CREATE, { s: spaceId, n: `paged ${i}` }, owner);
      created.push(res.data?.createApiKey.apiKey.id as string);
    }
    const pages: string[] = [];
    for (let p = 1; p <= 3; p++) {
      const res = await t.gql(LIST, { o: ACME, s: spaceId, p, n: 10 }, owner);
      expect(res.data?.apiKeys.totalCount).toBe(23);
      pages.push(...(res.data?.apiKeys.items as Array<{ id: string }>).map((k) => k.id));
    }
    // Newest first: the reverse of creation order (createdAt, then id, break ties the same way).
    const expected = (
      await t.dataSource.getRepository(ApiKey).find({ where: { spaceId, removedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' } })
    ).map((k) => k.id);
    expect(pages).toEqual(expected);
    expect(new Set(pages)).toEqual(new Set(created));
    const beyond = await t.gql(LIST, { o: ACME, s: spaceId, p: 4, n: 10 }, owner);
    expect(beyond.data?.apiKeys.items).toEqual([]);

    const before = await totalCount();
    const deleted = await t.gql('mutation($id: ID!) { deleteSpace(id: $id) }', { id: spaceId }, owner);
    expect(codeOf(deleted)).toBe('OK');
    expect(await totalCount()).toBe(before - 23);
    expect(await totalCount()).toBe(await acmeLiveInVisibleSpaces());
  });

  it('count only the spaces a member can see', async () => {
    const dev = await t.login('dev@acme.test');
    const res = await t.gql(LIST, { o: ACME, s: null, p: 1, n: 10 }, dev);
    expect(codeOf(res)).toBe('OK');
    const visible = [demoId('space:Acme AI:Production'), demoId('space:Acme AI:Research')];
    const [production, research] = await Promise.all(visible.map((spaceId) => liveInDatabase({ spaceId })));
    expect(res.data?.apiKeys.totalCount).toBe((production as number) + (research as number));
  });
});
