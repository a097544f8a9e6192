import { createHash } from 'node:crypto';
import { persistedQueryOptions } from '../src/graphql/persisted-queries';
import { addOrganizationMember, newOrganization, newUser } from './helpers/factories';
import { login } from './helpers/graphql';
import { startTestApp, type TestApp } from './helpers/test-app';

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  const user = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, await newOrganization(t.dataSource), user, 'OWNER');
  token = await login(t, user.email, user.password);
});

afterAll(async () => {
  await t?.stop();
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A POST as Apollo Client's persisted-queries link sends it: the hash, and the query only when asked. */
async function post(body: Record<string, unknown>) {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

describe('automatic persisted queries', () => {
  it('answers an unknown hash PERSISTED_QUERY_NOT_FOUND, stores the query sent with it, then runs it from its hash alone', async () => {
    const query = `query PersistedViewer { viewer { id organizations { id viewerRole } } } # ${Date.now()}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    const unknown = await post({ extensions });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(unknown.body.data).toBeUndefined();

    const registered = await post({ query, extensions });
    expect(registered.status).toBe(200);
    expect(registered.body.errors).toBeUndefined();
    expect(registered.body.data.viewer.organizations[0].viewerRole).toBe('OWNER');

    const byHash = await post({ extensions });
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual(registered.body);
  });

  it('refuses a query whose hash does not match it, and stores nothing under that hash', async () => {
    const query = 'query Mismatch { viewer { id } }';
    const wrongHash = sha256(`${query} `);
    const mismatch = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    const after = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } } });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('does not store a query that fails validation', async () => {
    const query = 'query Invalid { viewer { noSuchField } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const invalid = await post({ query, extensions });
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const after = await post({ extensions });
    expect(after.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps its cache within its size, least recently used out first', async () => {
    const { cache } = persistedQueryOptions(100);
    await cache!.set('a', 'a'.repeat(60));
    await cache!.set('b', 'b'.repeat(30));
    expect(await cache!.get('a')).toBeDefined();
    await cache!.set('c', 'c'.repeat(30)); // 120 characters: the least recently used (b) leaves
    expect(await cache!.get('b')).toBeUndefined();
    expect(await cache!.get('a')).toBeDefined();
    expect(await cache!.get('c')).toBeDefined();
  });
});
