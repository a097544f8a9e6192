import { apiKeyChecksum, generateApiKey, VERIFICATION_CODES, type Plan, type SubscriptionStatus, type VerificationCode } from '@pulze/shared';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, newKey, newOrganization, newSpace, newUser } from './helpers/factories';
import { createKey, orgOf, removeKey, verifyGql, verifyHttp, type Verification } from './helpers/keys';
import { startTestApp, type TestApp } from './helpers/test-app';

const LIMIT = 5;

/** Every code through both doors: GraphQL verifyApiKey and GET /v1/keys/verify. */
describe(`key verification on ${TEST_DB}`, () => {
  let t: TestApp;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };

  async function both(key: string, expected: string, status: number): Promise<[Verification, Verification]> {
    const viaGql = await verifyGql(t, key);
    const viaHttp = await verifyHttp(t, key);
    expect(viaGql.code).toBe(expected);
    expect(viaHttp.body.code).toBe(expected);
    expect(viaHttp.status).toBe(status);
    expect(viaHttp.headers.get('cache-control')).toBe('no-store');
    expect(viaHttp.headers.get('content-type')).toMatch(/^application\/json/);
    expect(viaGql.valid).toBe(expected === 'VALID');
    expect(viaHttp.body.valid).toBe(expected === 'VALID');
    return [viaGql, viaHttp.body];
  }

  /** A key of a new organization of its own, on the given plan and status. */
  async function keyOfNewOrganization(plan: Plan, status: SubscriptionStatus) {
    const org = await newOrganization(t.dataSource, { plan, status });
    const space = await newSpace(t.dataSource, org);
    const user = await newUser(t.dataSource);
    await addOrganizationMember(t.dataSource, org, user, 'OWNER');
    return { org, key: await newKey(t.dataSource, space, user) };
  }

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PULZE_X_SUITE: String(LIMIT), RATE_LIMIT_WINDOW_SECONDS: '300' });
    owner = await t.login('owner@acme.test');
    acme = await orgOf(t, owner, 'Acme AI');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses malformed keys and bad checksums before any look-up', async () => {
    const lookups = jest.spyOn(t.app.services.verificationCache, 'get');
    const good = generateApiKey();
    const random = good.slice(3, 33);
    const badChecksum = `pk_${random}${apiKeyChecksum(random) === 'AAAAAA' ? 'AAAAAB' : 'AAAAAA'}`;
    for (const key of ['', 'pk_', 'not-a-key', `${good}x`, good.replace('pk_', 'sk_'), badChecksum]) {
      const [gql, http] = await both(key, 'MALFORMED', 401);
      expect(gql).toMatchObject({ keyId: null, spaceId: null, rateLimit: null });
      expect(http).toMatchObject({ keyId: null, spaceId: null, rateLimit: null });
    }
    const noHeader = await verifyHttp(t, undefined);
    expect(noHeader.status).toBe(401);
    expect(noHeader.body.code).toBe('MALFORMED');
    expect(noHeader.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(lookups).not.toHaveBeenCalled();
    lookups.mockRestore();
  });

  it('answers NOT_FOUND for a well-formed key nobody created, and VALID the moment it exists', async () => {
    await both(generateApiKey(), 'NOT_FOUND', 401);
    // Unknown keys are not cached: a key created now works on its first request.
    const key = await createKey(t, owner, acme.spaces.Production!);
    const [gql, http] = await both(key.secret, 'VALID', 200);
    for (const v of [gql, http]) {
      expect(v).toMatchObject({ keyId: key.id, spaceId: acme.spaces.Production, organizationId: acme.id, plan: 'PULZE_X_SUITE' });
      expect(v.rateLimit?.limit).toBe(LIMIT);
    }
    expect(gql.rateLimit?.remaining).toBe(LIMIT - 1);
    expect(http.rateLimit?.remaining).toBe(LIMIT - 2);
  });

  it('sets forward-auth headers on success', async () => {
    const key = await createKey(t, owner, acme.spaces.Research!);
    const res = await verifyHttp(t, key.secret);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-pulze-key-id')).toBe(key.id);
    expect(res.headers.get('x-pulze-space-id')).toBe(acme.spaces.Research);
    expect(res.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
    expect(res.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(new Date(res.body.rateLimit!.resetAt).getTime()).toBeLessThanOrEqual(reset * 1000);
    // Envoy ext_authz appends the original path and keeps the method.
    const sub = await fetch(`${t.url}/v1/keys/verify/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key.secret}` } });
    expect(sub.status).toBe(200);
    const head = await fetch(`${t.url}/v1/keys/verify`, { method: 'HEAD', headers: { authorization: `Bearer ${key.secret}` } });
    expect(head.status).toBe(200);
  });

  it('refuses a removed key on the very next request (REVOKED), though it was cached', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!);
    await both(key.secret, 'VALID', 200);
    await removeKey(t, owner, key.id);
    // A refusal tells its code only: nothing about the key, its space, organization or plan.
    for (const v of await both(key.secret, 'REVOKED', 401)) {
      expect(v).toEqual({ valid: false, code: 'REVOKED', keyId: null, spaceId: null, organizationId: null, plan: null, rateLimit: null });
    }
  });

  it('refuses keys of a deleted space at once (SPACE_NOT_FOUND)', async () => {
    const created = await t.gql('mutation($input: CreateSpaceInput!) { createSpace(input: $input) { id } }', { input: { organizationId: acme.id, name: 'Short-lived' } }, owner);
    const spaceId = created.data!.createSpace.id as string;
    const key = await createKey(t, owner, spaceId);
    await both(key.secret, 'VALID', 200);
    const deleted = await t.gql('mutation($id: ID!) { deleteSpace(id: $id) }', { id: spaceId }, owner);
    expect(deleted.data?.deleteSpace).toBe(true);
    await both(key.secret, 'SPACE_NOT_FOUND', 401);
  });

  it('follows subscription changes at once: SUBSCRIPTION_INACTIVE, PLAN_UPGRADE_REQUIRED, and back', async () => {
    const { org, key } = await keyOfNewOrganization('PULZE_X_SUITE', 'ACTIVE');
    const subscriptions = t.app.services.subscriptions;
    await both(key.secret, 'VALID', 200);

    await subscriptions.change(org.id, { status: 'PAST_DUE' });
    const [inactive] = await both(key.secret, 'SUBSCRIPTION_INACTIVE', 403);
    expect(inactive).toMatchObject({ keyId: null, organizationId: null, plan: null, rateLimit: null });

    await subscriptions.change(org.id, { plan: 'PULZE_ONE', status: 'ACTIVE' });
    const [upgrade] = await both(key.secret, 'PLAN_UPGRADE_REQUIRED', 403);
    expect(upgrade).toMatchObject({ keyId: null, plan: null });
    await subscriptions.change(org.id, { plan: 'FREE' });
    await both(key.secret, 'PLAN_UPGRADE_REQUIRED', 403);

    // The six refused checks used none of the budget: two valid checks before, this is the third.
    await subscriptions.change(org.id, { plan: 'PULZE_X_SUITE', status: 'ACTIVE' });
    const [again] = await both(key.secret, 'VALID', 200);
    expect(again.rateLimit?.remaining).toBe(LIMIT - 3);
  });

  it('rate limits per key: RATE_LIMITED with 429, Retry-After and X-RateLimit-*', async () => {
    const key = await createKey(t, owner, acme.spaces.Staging!);
    const other = await createKey(t, owner, acme.spaces.Staging!);
    const remaining: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const v = i % 2 ? (await verifyHttp(t, key.secret)).body : await verifyGql(t, key.secret);
      expect(v.code).toBe('VALID');
      remaining.push(v.rateLimit!.remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const [gql, http] = await both(key.secret, 'RATE_LIMITED', 429);
    for (const v of [gql, http]) {
      // The rate limit is told (when to come back); the key's ids are not.
      expect(v).toMatchObject({ valid: false, keyId: null, spaceId: null, plan: null, rateLimit: { limit: LIMIT, remaining: 0 } });
    }
    const res = await verifyHttp(t, key.secret);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(res.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    // Limits are per key.
    expect((await verifyHttp(t, other.secret)).status).toBe(200);
  });

  /**
   * Each code, from a key of its own made for it, through both doors. A code added to the shared
   * list without a way to reach it here fails the type check and the first test below.
   */
  const reach: Record<VerificationCode, { status: number; key(): Promise<string> }> = {
    VALID: { status: 200, key: async () => (await createKey(t, owner, acme.spaces.Production!)).secret },
    MALFORMED: { status: 401, key: async () => 'not-a-key' },
    NOT_FOUND: { status: 401, key: async () => generateApiKey() },
    REVOKED: {
      status: 401,
      key: async () => {
        const key = await createKey(t, owner, acme.spaces.Production!);
        await removeKey(t, owner, key.id);
        return key.secret;
      },
    },
    SPACE_NOT_FOUND: {
      status: 401,
      key: async () => {
        const created = await t.gql('mutation($input: CreateSpaceInput!) { createSpace(input: $input) { id } }', { input: { organizationId: acme.id, name: 'Deleted next' } }, owner);
        const spaceId = created.data!.createSpace.id as string;
        const key = await createKey(t, owner, spaceId);
        expect((await t.gql('mutation($id: ID!) { deleteSpace(id: $id) }', { id: spaceId }, owner)).data?.deleteSpace).toBe(true);
        return key.secret;
      },
    },
    PLAN_UPGRADE_REQUIRED: { status: 403, key: async () => (await keyOfNewOrganization('PULZE_ONE', 'ACTIVE')).key.secret },
    SUBSCRIPTION_INACTIVE: { status: 403, key: async () => (await keyOfNewOrganization('PULZE_X_SUITE', 'CANCELED')).key.secret },
    RATE_LIMITED: {
      status: 429,
      key: async () => {
        const key = await createKey(t, owner, acme.spaces.Staging!);
        for (let i = 0; i < LIMIT; i++) expect((await verifyHttp(t, key.secret)).status).toBe(200);
        return key.secret;
      },
    },
    EXPIRED: {
      status: 401,
      key: async () => {
        const key = await createKey(t, owner, acme.spaces.Staging!);
        await t.dataSource.getRepository(ApiKey).update({ id: key.id }, { expiresAt: new Date(Date.now() - 1000) });
        return key.secret;
      },
    },
    DISABLED: {
      status: 401,
      key: async () => {
        const key = await createKey(t, owner, acme.spaces.Staging!);
        expect((await t.gql('mutation($id: ID!) { disableApiKey(id: $id) { status } }', { id: key.id }, owner)).data?.disableApiKey.status).toBe('DISABLED');
        return key.secret;
      },
    },
    IP_NOT_ALLOWED: {
      status: 403,
      key: async () => {
        // Neither door is given the client's address here: a key with an allowlist refuses that.
        const created = await t.gql(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }',
          { input: { spaceId: acme.spaces.Staging!, name: 'Allowlisted', allowedCidrs: ['203.0.113.0/24'] } },
          owner,
        );
        return created.data!.createApiKey.secret as string;
      },
    },
    BUDGET_EXCEEDED: {
      status: 402,
      key: async () => {
        // A budget of nothing: even a call with no estimate would pass it.
        const key = await createKey(t, owner, acme.spaces.Staging!);
        const set = await t.gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id } }', { input: { id: key.id, budget: { limitMicros: 0, period: 'TOTAL', warnAtPercent: 80 } } }, owner);
        expect(set.errors).toBeUndefined();
        return key.secret;
      },
    },
    MODEL_NOT_ALLOWED: {
      status: 403,
      key: async () => {
        // Neither door names a model here: a key with a model allowlist refuses that.
        const key = await createKey(t, owner, acme.spaces.Staging!);
        const set = await t.gql('mutation($input: SetApiKeyAllowedModelsInput!) { setApiKeyAllowedModels(input: $input) { id } }', { input: { id: key.id, allowedModels: ['openai/*'] } }, owner);
        expect(set.errors).toBeUndefined();
        return key.secret;
      },
    },
  };

  it('has a way to reach every verification code', () => {
    expect(Object.keys(reach).sort()).toEqual([...VERIFICATION_CODES].sort());
  });

  it.each([...VERIFICATION_CODES])('answers %s through both GraphQL and HTTP', async (code) => {
    const { status, key } = reach[code];
    await both(await key(), code, status);
  });
});
