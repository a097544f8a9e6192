import { getIntrospectionQuery } from 'graphql';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';
import { TEST_DB } from './helpers/database';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

describe(`operation limits on ${TEST_DB}`, () => {
  it('serve the full introspection query (the playground needs it)', async () => {
    const res = await t.gql(getIntrospectionQuery());
    expect(codeOf(res)).toBe('OK');
    expect(res.data?.__schema.queryType.name).toBe('Query');
  });

  it('refuse an operation nested too deep, before running it', async () => {
    const owner = await t.login('owner@acme.test');
    expect(codeOf(await t.gql('{ viewer { organizations { spaces { id } } } }', {}, owner))).toBe('OK');
    // The schema has no cycles this deep; the depth rule still answers first, and names the limit.
    let nested = 'id';
    for (let i = 0; i < 10; i++) nested = `organizations { ${nested} }`;
    const res = await t.gql(`{ viewer { ${nested} } }`, {}, owner);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.map((e) => e.message).join('\n')).toMatch(/depth limit of 8/i);
    expect(res.data ?? null).toBeNull();
  });

  it('refuse too many aliases', async () => {
    const owner = await t.login('owner@acme.test');
    const aliases = Array.from({ length: 30 }, (_, i) => `v${i}: viewer { id }`).join(' ');
    expect(codeOf(await t.gql(`{ ${aliases} }`, {}, owner))).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuse batched requests', async () => {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(res.status).toBe(400);
  });
});
