import { generateApiKey } from '@pulze/shared';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, newKey, newOrganization, newSpace, newUser, type KeyRef } from './helpers/factories';
import { VERIFY_FIELDS, type Verification } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * /v1/keys/verify and verifyApiKey against guessers: failed verifications (malformed or unknown
 * keys) are limited per client address; at the limit the answer is 429 with Retry-After and the
 * made-up keys stop reaching the database. A refusal tells its code only.
 */
const LIMIT = 20;
const ATTACKER = '203.0.113.7';
const NEIGHBOUR = '198.51.100.9';

let t: TestApp;
let known: KeyRef;
let neverVerified: KeyRef;
let removed: KeyRef;
let token: string;

beforeAll(async () => {
  // One trusted proxy (the test itself): X-Forwarded-For names the client, as behind a gateway.
  t = await startTestApp({ SEED_DEMO: 'false', TRUST_PROXY: '1', VERIFY_FAILURE_LIMIT: String(LIMIT), VERIFY_FAILURE_WINDOW_SECONDS: '60' });
  const org = await newOrganization(t.dataSource);
  const user = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, user, 'OWNER');
  const space = await newSpace(t.dataSource, org);
  known = await newKey(t.dataSource, space, user);
  neverVerified = await newKey(t.dataSource, space, user);
  removed = await newKey(t.dataSource, space, user);
  token = await t.login(user.email, user.password);
});
afterAll(async () => {
  await t.stop();
});

async function verifyFrom(address: string, key: string) {
  const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': address } });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), keyIdHeader: res.headers.get('x-pulze-key-id'), body: (await res.json()) as Verification };
}

async function verifyGqlFrom(address: string, key: string): Promise<Verification> {
  const res = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: `query($key: String!) { verifyApiKey(key: $key) { ${VERIFY_FIELDS} } }`, variables: { key } }),
  });
  return ((await res.json()) as { data: { verifyApiKey: Verification } }).data.verifyApiKey;
}

const lookups = () => t.app.services.verificationCache.misses;

describe(`failed verifications on ${TEST_DB}`, () => {
  it('a refusal tells its code only: no ids, no plan, no X-Pulze-* headers', async () => {
    expect((await verifyFrom(NEIGHBOUR, removed.secret)).status).toBe(200);
    const res = await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: removed.id }, token);
    expect(res.errors).toBeUndefined();
    const refused = await verifyFrom(NEIGHBOUR, removed.secret);
    expect(refused.status).toBe(401);
    expect(refused.keyIdHeader).toBeNull();
    expect(refused.body).toEqual({ valid: false, code: 'REVOKED', keyId: null, spaceId: null, organizationId: null, plan: null, rateLimit: null });
    expect(await verifyGqlFrom(NEIGHBOUR, removed.secret)).toEqual(refused.body);
  });

  it('a flood of made-up keys from one address: LIMIT reach the database, the rest get 429 with Retry-After and none', async () => {
    // A key this address uses for real, verified (and so cached) before the flood.
    expect((await verifyFrom(ATTACKER, known.secret)).body.code).toBe('VALID');
    const before = lookups();

    // 300 made-up keys, 50 at a time over keep-alive connections, as a guesser would send them.
    const answers: Array<Awaited<ReturnType<typeof verifyFrom>>> = [];
    for (let batch = 0; batch < 6; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: 50 }, () => verifyFrom(ATTACKER, generateApiKey())))));
    }
    const tally = answers.reduce<Record<string, number>>((n, a) => ({ ...n, [`${a.status} ${a.body.code}`]: (n[`${a.status} ${a.body.code}`] ?? 0) + 1 }), {});
    // Failures are counted when their look-up answers: the requests of the batch already in flight
    // when the limit is reached still finish theirs, so at most LIMIT + 49 reach the database.
    const looked = lookups() - before;
    console.log(`verify flood on ${TEST_DB}: ${JSON.stringify(tally)}, ${looked} database look-ups for 300 made-up keys (limit ${LIMIT})`);
    expect(looked).toBeGreaterThanOrEqual(LIMIT);
    expect(looked).toBeLessThan(LIMIT + 50);
    expect(tally).toEqual({ '401 NOT_FOUND': looked, '429 RATE_LIMITED': 300 - looked });
    const afterFlood = lookups();
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
      expect(refused.body).toEqual({ valid: false, code: 'RATE_LIMITED', keyId: null, spaceId: null, organizationId: null, plan: null, rateLimit: null });
    }

    // Malformed keys and GraphQL's verifyApiKey are limited the same way, still without a look-up.
    expect((await verifyFrom(ATTACKER, 'pk_not-a-key')).status).toBe(429);
    expect((await verifyGqlFrom(ATTACKER, generateApiKey())).code).toBe('RATE_LIMITED');
    // The address's real key, known from memory, keeps working; a key not in memory waits.
    expect((await verifyFrom(ATTACKER, known.secret)).body.code).toBe('VALID');
    expect((await verifyFrom(ATTACKER, neverVerified.secret)).status).toBe(429);
    expect(lookups()).toBe(afterFlood);

    // Other addresses are not limited by it.
    expect((await verifyFrom(NEIGHBOUR, generateApiKey())).body.code).toBe('NOT_FOUND');
    expect((await verifyGqlFrom(NEIGHBOUR, generateApiKey())).code).toBe('NOT_FOUND');
    expect((await verifyFrom(NEIGHBOUR, neverVerified.secret)).body.code).toBe('VALID');
  });

  it('made-up keys sent as the credential of /graphql use the same budget', async () => {
    const guesser = '192.0.2.200';
    const asCredential = async (key: string) => {
      const res = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-forwarded-for': guesser },
        body: JSON.stringify({ query: '{ currentApiKey { id } }' }),
      });
      return ((await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;
    };
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < LIMIT + 5; i++) codes.push(await asCredential(generateApiKey()));
    expect(codes.slice(0, LIMIT)).toEqual(Array(LIMIT).fill('UNAUTHENTICATED'));
    expect(codes.slice(LIMIT)).toEqual(Array(5).fill('RATE_LIMITED'));
    // The address is limited on /v1/keys/verify too: one budget per address.
    expect((await verifyFrom(guesser, generateApiKey())).status).toBe(429);
  });

  it('valid keys do not use the budget: a busy client is never limited for keys that exist', async () => {
    const busy = '192.0.2.44';
    t.app.services.verificationCache.clear();
    const codes = await Promise.all(Array.from({ length: LIMIT * 3 }, () => verifyFrom(busy, known.secret).then((a) => a.body.code)));
    expect(new Set(codes)).toEqual(new Set(['VALID']));
    expect((await verifyFrom(busy, generateApiKey())).body.code).toBe('NOT_FOUND');
  });
});
