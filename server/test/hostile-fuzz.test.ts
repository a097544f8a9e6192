import { gzipSync } from 'node:zlib';
import { ERROR_CODES, generateApiKey, VERIFICATION_CODES } from '@pulze/shared';
import fc from 'fast-check';
import { PASS_THROUGH_CODES } from '../src/graphql/format-error';
import { EDGE_ERRORS } from '../src/http/edge-errors';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, newKey, newOrganization, newSpace, newUser } from './helpers/factories';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Random requests to /graphql and /v1/keys/verify: methods, paths, headers (content type and
 * encoding, accept, credentials, forwarded addresses, made-up ones), bodies (GraphQL requests
 * with random variables, any JSON, any text, any bytes, gzip or not). Every answer must be JSON
 * (HEAD: no body), below 500, with documented codes only, and carry no stack or path. One server,
 * keep-alive connections; FUZZ_RUNS sets the number of cases (5 000 by default, as in CI).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
/** Requests of one case, sent together (more sockets of the keep-alive pool in use). */
const CONCURRENCY = 8;

const GRAPHQL_CODES = new Set<string>([...ERROR_CODES, ...PASS_THROUGH_CODES, ...Object.keys(EDGE_ERRORS)]);
const VERIFY_CODES = new Set<string>(VERIFICATION_CODES);
// A bug, never an answer to a client's mistake.
const NEVER = new Set(['INTERNAL_SERVER_ERROR']);

let t: TestApp;
let session: string;
let spaceId: string;
let orgId: string;
let liveKey: string;

beforeAll(async () => {
  // One trusted proxy: random X-Forwarded-For values spread the requests over addresses.
  t = await startTestApp({ SEED_DEMO: 'false', TRUST_PROXY: '1', LOG_LEVEL: 'silent' });
  const org = await newOrganization(t.dataSource);
  const user = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, user, 'OWNER');
  const space = await newSpace(t.dataSource, org);
  liveKey = (await newKey(t.dataSource, space, user)).secret;
  session = await t.login(user.email, user.password);
  spaceId = space.id;
  orgId = org.id;
});
afterAll(async () => {
  await t.stop();
});

const QUERIES = [
  'query($key: String!) { verifyApiKey(key: $key) { valid code keyId rateLimit { remaining } } }',
  'query($o: ID!, $q: String, $p: Int!, $n: Int!) { apiKeys(organizationId: $o, search: $q, page: $p, pageSize: $n) { totalCount items { id name } } }',
  'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id name } } }',
  'mutation($input: RenameApiKeyInput!) { renameApiKey(input: $input) { id name } }',
  'mutation($id: ID!) { removeApiKey(id: $id) { id } }',
  'query($id: ID!) { apiKey(id: $id) { id name space { name } owner { email } usage { totalRequests } } }',
  '{ viewer { id organizations { id spaces { id name } } } }',
  '{ __schema { types { name } } }',
  '{ __typename }',
  '{',
  '{ viewer { id ',
  'query { nope }',
  'subscription { x }',
];

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 120 }), fc.constantFrom('', ' ', '\u202e', '\ud800', '\ufdfa'.repeat(100), '%_\\', 'x'.repeat(101)));
const id = fc.oneof(fc.uuid(), text, fc.integer(), fc.constant(null));
const variables = fc.oneof(
  { weight: 6, arbitrary: fc.record(
    {
      key: fc.oneof(text, fc.constant(liveKeyPlaceholder()), fc.constant(generateApiKey())),
      o: fc.oneof(id, fc.constant('{org}')),
      q: fc.oneof(text, fc.constant(null)),
      p: fc.oneof(fc.integer(), fc.double(), text),
      n: fc.oneof(fc.integer({ min: -5, max: 200 }), text),
      id,
      input: fc.oneof(fc.record({ spaceId: fc.oneof(id, fc.constant('{space}')), name: text, id }, { requiredKeys: [] }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  ) },
  fc.jsonValue(),
);

function liveKeyPlaceholder(): string {
  return '{liveKey}';
}

/** Puts the world's real ids and key in place of their placeholders, so some requests go deep. */
const realize = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value ?? null).replaceAll('{org}', orgId).replaceAll('{space}', spaceId).replaceAll('{liveKey}', liveKey));

const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const graphqlBody = fc.record(
  {
    query: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...QUERIES) }, text, fc.jsonValue()),
    variables,
    operationName: rarely(text),
    extensions: rarely(fc.jsonValue()),
  },
  { requiredKeys: ['query'] },
);

const body = fc.oneof(
  { weight: 6, arbitrary: graphqlBody.map((b) => JSON.stringify(realize(b))) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((v) => v.trim());
const address = fc.oneof(fc.ipV4(), fc.ipV6(), headerValue, fc.array(fc.ipV4(), { minLength: 1, maxLength: 4 }).map((a) => a.join(', ')));

const request = fc.record({
  method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 4, arbitrary: fc.constant('GET') }, fc.constantFrom('HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')),
  path: fc.oneof(
    { weight: 6, arbitrary: fc.constant('/graphql') },
    { weight: 3, arbitrary: fc.constant('/v1/keys/verify') },
    { weight: 1, arbitrary: headerValue.map((p) => `/v1/keys/verify/${encodeURIComponent(p)}`) },
    { weight: 1, arbitrary: headerValue.map((p) => `/graphql?query=${encodeURIComponent(p)}&variables=${encodeURIComponent(p)}`) },
    { weight: 1, arbitrary: fc.stringMatching(/^\/[a-zA-Z0-9%._~-]{0,30}$/).filter((p) => !p.startsWith('/healthz') && !p.startsWith('/readyz')) },
  ),
  contentType: fc.option(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      fc.constantFrom('application/json; charset=latin1', 'text/plain', 'application/graphql-response+json', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded'),
    ),
    { nil: undefined },
  ),
  accept: fc.option(fc.constantFrom('application/json', 'application/graphql-response+json', 'text/html', '*/*', 'multipart/mixed; deferSpec=20220824', 'image/png'), { nil: undefined }),
  encoding: fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'zstd', 'gzip, gzip'), { nil: undefined, freq: 1 }),
  compress: fc.boolean(),
  authorization: fc.option(
    fc.oneof(fc.constant('{session}'), fc.constant('{liveKey}'), fc.constant(`Bearer ${generateApiKey()}`), headerValue.map((v) => `Bearer ${v}`), headerValue),
    { nil: undefined },
  ),
  forwardedFor: fc.option(address, { nil: undefined }),
  preflight: fc.boolean(),
  extra: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
  body,
});

type Request = typeof request extends fc.Arbitrary<infer R> ? R : never;

async function send(r: Request) {
  const headers: Record<string, string> = { ...r.extra };
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.accept) headers.accept = r.accept;
  if (r.preflight) headers['apollo-require-preflight'] = 'true';
  if (r.forwardedFor) headers['x-forwarded-for'] = r.forwardedFor;
  if (r.authorization) {
    headers.authorization = r.authorization.replace('{session}', `Bearer ${session}`).replace('{liveKey}', `Bearer ${liveKey}`);
  }
  let payload: string | Buffer | undefined = r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body;
  if (payload !== undefined && r.encoding) {
    headers['content-encoding'] = r.encoding;
    if (r.compress && r.encoding === 'gzip') payload = gzipSync(payload);
  }
  const res = await fetch(`${t.url}${r.path}`, { method: r.method, headers, body: payload ?? null });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** Why this answer breaks the rules, or undefined when it keeps them. */
function problem(r: Request, res: { status: number; contentType: string; text: string }): string | undefined {
  if (res.status >= 500) return `status ${res.status}`;
  if (/\bat [\w.<>]+ \(|node_modules|\/work\/|\/home\/|\/tmp\/|<html|<!DOCTYPE/i.test(res.text)) return 'a stack, a path or HTML in the answer';
  if (r.method === 'HEAD') return res.text === '' ? undefined : 'a body for HEAD';
  if (res.status === 204 && r.method === 'OPTIONS') return undefined;
  if (!/^application\/(graphql-response\+)?json/.test(res.contentType)) return `content type ${res.contentType}`;
  let parsed: { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>; data?: unknown; code?: unknown };
  try {
    parsed = JSON.parse(res.text) as typeof parsed;
  } catch {
    return 'not JSON';
  }
  if (r.path.startsWith('/v1/keys/verify')) return VERIFY_CODES.has(String(parsed.code)) ? undefined : `verification code ${String(parsed.code)}`;
  if (parsed.errors) {
    for (const error of parsed.errors) {
      const code = String(error.extensions?.code);
      if (!GRAPHQL_CODES.has(code) || NEVER.has(code)) return `code ${code}`;
      if (typeof error.message !== 'string') return 'an error without a message';
    }
    return undefined;
  }
  return parsed.data !== undefined && res.status === 200 ? undefined : 'neither data nor errors';
}

describe(`random requests on ${TEST_DB}`, () => {
  jest.setTimeout(300_000);

  it(`every answer to ${RUNS} random requests is clean JSON with a documented code, and none is a 5xx`, async () => {
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    let cases = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (requests) => {
        const answers = await Promise.all(requests.map(send));
        answers.forEach((res, i) => {
          cases++;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          for (const code of res.text.match(/"code":"[A-Z_]+"/g) ?? []) codes.set(code.slice(8, -1), (codes.get(code.slice(8, -1)) ?? 0) + 1);
          const found = problem(requests[i] as Request, res);
          if (found) throw new Error(`${found}: ${res.status} ${res.text.slice(0, 300)}`);
        });
      }),
      { numRuns: Math.ceil(RUNS / CONCURRENCY) },
    );
    const tally = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    console.log(`random requests on ${TEST_DB}: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, answers by status ${JSON.stringify(tally)}, codes ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(cases).toBeGreaterThanOrEqual(RUNS);
    // The mix reached past the edge: successes, refusals of the body and GraphQL's own refusals.
    expect(statuses.get(200)).toBeGreaterThan(RUNS / 50);
    expect(statuses.get(400)).toBeGreaterThan(RUNS / 50);
    expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(0);
  });
});
