import { In } from 'typeorm';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB } from './helpers/database';
import { traceQueries } from './helpers/query-chain';
import { startDemoApp } from './helpers/demo-app';
import { codeOf, type TestApp } from './helpers/test-app';

const FIRST_PAGE = `query($o: ID!) {
  apiKeys(organizationId: $o, page: 1, pageSize: 10) {
    totalCount page pageSize pageCount
    items { id name maskedKey createdAt status space { id name } owner { id name avatarUrl } viewerCanRemove }
  }
}`;

let t: TestApp;
let owner: string;
let ACME: string;

beforeAll(async () => {
  ({ t, owner, acme: ACME } = await startDemoApp());
});
afterAll(async () => {
  await t.stop();
});

describe(`the first page of keys on ${TEST_DB}`, () => {
  it('takes at most 5 statements and 3 database round trips one after another, session included', async () => {
    await t.gql(FIRST_PAGE, { o: ACME }, owner);
    const { result, queries, chain } = await traceQueries(t.dataSource, () => t.gql(FIRST_PAGE, { o: ACME }, owner));
    expect(codeOf(result)).toBe('OK');
    expect(result.data?.apiKeys.items.length).toBeGreaterThan(0);
    const items = result.data?.apiKeys.items as { id: string; owner: { id: string } }[];
    const rows = await t.dataSource.getRepository(ApiKey).findBy({ id: In(items.map((k) => k.id)) });
    const ownerOf = new Map(rows.map((r) => [r.id, r.ownerId]));
    for (const key of items) expect(key.owner.id).toBe(ownerOf.get(key.id));
    process.stdout.write(`first page: ${queries.length} statements, longest sequential chain ${chain}\n`);
    // The session; the organization with its subscription; its spaces; the count; the page.
    expect(queries.length).toBeLessThanOrEqual(5);
    // SQLite answers in process, one statement at a time on one connection: no round trips to bound.
    if (TEST_DB === 'mysql') expect(chain).toBeLessThanOrEqual(3);
  });
});
