import { generateApiKey } from '@pulze/shared';
import { LANE_BODY_LIMIT_BYTES, LANE_DOCUMENTS } from '../src/graphql/verify-lane';
import { TEST_DB } from './helpers/database';
import { createKey, orgOf } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

interface Answer {
  status: number;
  type: string | null;
  etag: string | null;
  text: string;
}

/**
 * `verifyApiKey` without credentials is served by the lane in front of express (graphql/verify-lane.ts).
 * A cookie sends the same request through express and the GraphQL server instead: both must answer
 * the same status, content type and body. The lane is told apart by what express adds and it does
 * not: an ETag.
 */
describe(`GraphQL verifyApiKey lane on ${TEST_DB}`, () => {
  let t: TestApp;
  let secret: string;

  async function post(body: string | Buffer, viaServer: boolean, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(viaServer ? { cookie: 'through=server' } : {}), ...headers },
      body,
    });
    return { status: res.status, type: res.headers.get('content-type'), etag: res.headers.get('etag'), text: await res.text() };
  }

  /** The same request both ways: the lane's answer and the GraphQL server's. */
  async function bothWays(body: string | Buffer, headers: Record<string, string> = {}): Promise<[Answer, Answer]> {
    return [await post(body, false, headers), await post(body, true, headers)];
  }

  const request = (query: string, variables?: Record<string, unknown>, operationName?: string) => JSON.stringify({ query, variables, operationName });

  beforeAll(async () => {
    t = await startTestApp();
    const owner = await t.login('owner@acme.test');
    const acme = await orgOf(t, owner, 'Acme AI');
    ({ secret } = await createKey(t, owner, acme.spaces.Production as string, 'lane key'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers a valid key as the GraphQL server does, without an ETag', async () => {
    const query = 'query Verify($key: String!) { verifyApiKey(key: $key) { valid code keyId spaceId organizationId plan rateLimit { limit } } }';
    const [lane, server] = await bothWays(request(query, { key: secret }));
    expect(lane).toEqual({ ...server, etag: null });
    expect(server.etag).not.toBeNull();
    expect(JSON.parse(lane.text)).toMatchObject({ data: { verifyApiKey: { valid: true, code: 'VALID' } } });
    expect(lane.text.endsWith('}\n')).toBe(true);
  });

  it('answers refusals, aliases, __typename, literal arguments and a named operation the same way', async () => {
    const cases = [
      request('query($key: String!) { verifyApiKey(key: $key) { valid code keyId rateLimit { limit } } }', { key: generateApiKey() }),
      request('query($key: String!) { verifyApiKey(key: $key) { code } }', { key: 'not-a-key' }),
      request(`{ check: verifyApiKey(key: "${generateApiKey()}") { __typename result: code valid } }`),
      request('query One($key: String!) { verifyApiKey(key: $key) { code } }', { key: 'pk_short' }, 'One'),
      request('query($key: String! = "pk_default") { verifyApiKey(key: $key) { code } }'),
    ];
    for (const body of cases) {
      const [lane, server] = await bothWays(body);
      expect(lane.etag).toBeNull();
      expect(lane).toEqual({ ...server, etag: null });
      expect(lane.status).toBe(200);
    }
  });

  it('answers an argument the resolver refuses with the same error and counts nothing', async () => {
    const remaining = async () => {
      const answer = await post(request('query($key: String!) { verifyApiKey(key: $key) { rateLimit { remaining } } }', { key: secret }), false);
      return (JSON.parse(answer.text) as { data: { verifyApiKey: { rateLimit: { remaining: number } } } }).data.verifyApiKey.rateLimit.remaining;
    };
    const before = await remaining();
    const query = 'query($key: String!) { verifyApiKey(key: $key, tokenEstimate: -1) { code } }';
    const [lane, server] = await bothWays(request(query, { key: secret }));
    expect(lane).toEqual({ ...server, etag: null });
    expect(JSON.parse(lane.text)).toMatchObject({ data: null, errors: [{ extensions: { code: 'BAD_USER_INPUT' }, path: ['verifyApiKey'] }] });
    // Only the check that asked for the count was counted.
    expect(await remaining()).toBe(before - 1);
  });

  it('leaves every other request to the GraphQL server', async () => {
    const others = [
      // Another root field beside it, another operation, a fragment, a directive.
      request('query($key: String!) { verifyApiKey(key: $key) { code } __typename }', { key: secret }),
      request('{ viewer { id } }'),
      request('query($key: String!) { verifyApiKey(key: $key) { ...F } } fragment F on ApiKeyVerification { code }', { key: secret }),
      request('query($key: String!, $c: Boolean!) { verifyApiKey(key: $key) @include(if: $c) { code } }', { key: secret, c: true }),
      // An operation name that is not the document's, variables that do not coerce, an invalid document.
      request('query A($key: String!) { verifyApiKey(key: $key) { code } }', { key: secret }, 'B'),
      request('query($key: String!) { verifyApiKey(key: $key) { code } }', { key: 5 }),
      request('{ verifyApiKey(key: "x") { nope } }'),
      request('{ verifyApiKey(key: '),
      // A persisted query's extensions, a batch.
      JSON.stringify({ query: '{ verifyApiKey(key: "x") { code } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } }),
      JSON.stringify([{ query: '{ verifyApiKey(key: "x") { code } }' }]),
    ];
    for (const body of others) {
      const [first, server] = await bothWays(body);
      expect(first.etag === null).toBe(server.etag === null);
      expect({ ...first, etag: null }).toEqual({ ...server, etag: null });
    }
    // Credentials, a body over the lane's limit or another accepted type: never read by the lane.
    const query = request('query($key: String!) { verifyApiKey(key: $key) { code } }', { key: generateApiKey() });
    const withAuthorization = await post(query, false, { authorization: 'Bearer not-a-token' });
    expect(withAuthorization.etag).not.toBeNull();
    const large = await post(JSON.stringify({ query: `${' '.repeat(LANE_BODY_LIMIT_BYTES)}{ verifyApiKey(key: "x") { code } }` }), false);
    expect(large.etag).not.toBeNull();
    expect(JSON.parse(large.text)).toMatchObject({ data: { verifyApiKey: { code: 'MALFORMED' } } });
    const graphqlResponse = await post(query, false, { accept: 'application/graphql-response+json' });
    expect(graphqlResponse.type).toMatch(/^application\/graphql-response\+json/);
  });

  it('refuses a body that is not JSON or not UTF-8 as express does', async () => {
    for (const body of ['{"query": ', '"a string"', 'null', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
      const [lane, server] = await bothWays(body);
      expect(lane.status).toBe(400);
      expect({ ...lane, etag: null }).toEqual({ ...server, etag: null });
      expect(JSON.parse(lane.text).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('keeps serving after more distinct documents than it remembers', async () => {
    for (let i = 0; i <= LANE_DOCUMENTS + 5; i += 1) {
      const answer = await post(request(`query Q${i}($key: String!) { verifyApiKey(key: $key) { code } }`, { key: secret }), false);
      expect(answer.etag).toBeNull();
      expect(JSON.parse(answer.text)).toEqual({ data: { verifyApiKey: { code: 'VALID' } } });
    }
    // The first document was forgotten; it is parsed again and still served by the lane.
    const again = await post(request('query Q0($key: String!) { verifyApiKey(key: $key) { code } }', { key: secret }), false);
    expect(again.etag).toBeNull();
    expect(JSON.parse(again.text)).toEqual({ data: { verifyApiKey: { code: 'VALID' } } });
  });
});
