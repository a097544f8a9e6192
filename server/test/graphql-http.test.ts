import { serverAudits, type AuditResult } from 'graphql-http';
import { TEST_DB } from './helpers/database';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The GraphQL-over-HTTP spec's own audit suite (graphql-http's `serverAudits`) against the running
 * server. No audit may fail; the warnings and notices left are the ones Apollo Server gives by
 * design, each explained in the README ("GraphQL over HTTP"). A new warning fails this test.
 */
const APOLLO_WARNINGS: Record<string, string> = {
  '572B': 'a parse failure with Accept: application/json is 400 (Apollo), the spec prefers 200',
  FDE2: 'a validation failure with Accept: application/json is 400 (Apollo), the spec prefers 200',
  '7B9B': 'a variable coercion failure with Accept: application/json is 400 (Apollo), the spec prefers 200',
};
const APOLLO_NOTICES: Record<string, string> = {
  '5A70': 'GET without a CSRF-safe header is refused by Apollo\'s CSRF prevention',
  D6D5: 'the same, for GET with variables and Accept: application/graphql-response+json',
  '6A70': 'the same, for GET with variables and Accept: application/json',
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
});
afterAll(async () => {
  await t.stop();
});

describe(`GraphQL over HTTP conformance on ${TEST_DB}`, () => {
  it('passes every graphql-http server audit; only the warnings and notices Apollo is known for remain', async () => {
    const results: Array<{ id: string; name: string; result: AuditResult }> = [];
    for (const audit of serverAudits({ url: `${t.url}/graphql` })) results.push({ id: audit.id, name: audit.name, result: await audit.fn() });
    const by = (status: string) => results.filter((r) => r.result.status === status);
    const listed = (status: string) => by(status).map((r) => `${r.id} ${r.name}: ${'reason' in r.result ? r.result.reason : ''}`);
    console.log(`graphql-http audits on ${TEST_DB}: ${results.length} run, ${by('ok').length} ok, warnings ${JSON.stringify(listed('warn'))}, notices ${JSON.stringify(listed('notice'))}`);

    expect(results.length).toBeGreaterThan(50);
    expect(listed('error')).toEqual([]);
    expect(by('warn').map((r) => r.id).sort()).toEqual(Object.keys(APOLLO_WARNINGS).sort());
    expect(by('notice').map((r) => r.id).sort()).toEqual(Object.keys(APOLLO_NOTICES).sort());
  });

  it('a parse or validation failure is 400 for application/graphql-response+json, with no data entry', async () => {
    for (const [query, code] of [['{', 'GRAPHQL_PARSE_FAILED'], ['{ nope }', 'GRAPHQL_VALIDATION_FAILED']]) {
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query }),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      const body = (await res.json()) as { data?: unknown; errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]?.extensions.code).toBe(code);
      expect('data' in body).toBe(false);
    }
  });
});
