import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, addSpaceMember, newKey, newOrganization, newSpace, newUser, type OrganizationRef, type SpaceRef, type UserRef } from './helpers/factories';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/**
 * An organization's maximums for its keys: who may set them (owners and admins) and who may set a
 * key's tokensPerMinute (whoever may remove the key); the refusals of key limits outside them, per
 * field; the audit with before and after; and verification holding every key to the tighter of its
 * own limits and the organization's, at once when they are lowered (the key's facts cached).
 */
let t: TestApp;
let org: OrganizationRef;
let other: OrganizationRef;
let space: SpaceRef;
const people = {} as Record<'owner' | 'admin' | 'member' | 'spaceAdmin' | 'editor' | 'viewer' | 'stranger', UserRef>;
type Person = keyof typeof people;
const tokens = {} as Record<Person, string>;

const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, as: Person | null = 'owner'): Promise<GraphQLResponse<T>> =>
  t.gql<T>(query, variables, as ? tokens[as] : undefined);
const LIMITS_MUTATION = 'mutation($input: SetOrganizationKeyLimitsInput!) { setOrganizationKeyLimits(input: $input) { id keyLimits { maxBudgetMicros allowedModels maxTokensPerMinute } } }';
const setLimits = (limits: { maxBudgetMicros?: number | null; allowedModels?: string[]; maxTokensPerMinute?: number | null }, as: Person | null = 'owner', organizationId = org.id) =>
  gql(LIMITS_MUTATION, { input: { organizationId, allowedModels: [], ...limits } }, as);
const NO_LIMITS = { maxBudgetMicros: null, allowedModels: [], maxTokensPerMinute: null };
const setTpm = (id: string, tokensPerMinute: number | null, as: Person = 'owner') =>
  gql('mutation($input: SetApiKeyTokensPerMinuteInput!) { setApiKeyTokensPerMinute(input: $input) { id tokensPerMinute } }', { input: { id, tokensPerMinute } }, as);
const setBudget = (id: string, budget: Record<string, unknown> | null) =>
  gql('mutation($input: SetApiKeyBudgetInput!) { setApiKeyBudget(input: $input) { id budget { limitMicros } } }', { input: { id, budget } });
const setModels = (id: string, allowedModels: string[]) =>
  gql('mutation($input: SetApiKeyAllowedModelsInput!) { setApiKeyAllowedModels(input: $input) { id allowedModels } }', { input: { id, allowedModels } });
const check = async (secret: string, model: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, 'x-pulze-model': model, ...headers } });
  const body = (await res.json()) as { code: string };
  return { status: res.status, code: body.code, tokenLimit: res.headers.get('x-ratelimit-limit-tokens') };
};
const field = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.field;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false', VERIFY_CACHE_TTL_MS: '600000', RATE_LIMIT_PULZE_X_SUITE: '100000' });
  const ds = t.dataSource;
  org = await newOrganization(ds);
  other = await newOrganization(ds);
  space = await newSpace(ds, org);
  for (const person of Object.keys({ owner: 1, admin: 1, member: 1, spaceAdmin: 1, editor: 1, viewer: 1, stranger: 1 }) as Person[]) people[person] = await newUser(ds);
  await addOrganizationMember(ds, org, people.owner, 'OWNER');
  await addOrganizationMember(ds, org, people.admin, 'ADMIN');
  for (const member of ['member', 'spaceAdmin', 'editor', 'viewer'] as const) await addOrganizationMember(ds, org, people[member], 'MEMBER');
  await addSpaceMember(ds, space, people.spaceAdmin, 'ADMIN');
  await addSpaceMember(ds, space, people.editor, 'EDITOR');
  await addSpaceMember(ds, space, people.viewer, 'VIEWER');
  await addOrganizationMember(ds, other, people.stranger, 'OWNER');
  for (const person of Object.keys(people) as Person[]) tokens[person] = await t.login(people[person].email, people[person].password);
});
afterAll(async () => {
  await t?.stop();
});
afterEach(async () => {
  // Each test starts without maximums.
  expect(codeOf(await setLimits(NO_LIMITS))).toBe('OK');
});

describe(`organization key limits on ${TEST_DB}`, () => {
  describe('who may set them', () => {
    const expected: Record<Person | 'anonymous', string> = {
      owner: 'OK',
      admin: 'OK',
      member: 'FORBIDDEN',
      spaceAdmin: 'FORBIDDEN',
      editor: 'FORBIDDEN',
      viewer: 'FORBIDDEN',
      stranger: 'NOT_FOUND',
      anonymous: 'UNAUTHENTICATED',
    };
    for (const [role, code] of Object.entries(expected) as Array<[Person | 'anonymous', string]>) {
      it(`setOrganizationKeyLimits: ${role} -> ${code}`, async () => {
        const res = await setLimits({ maxTokensPerMinute: 777 }, role === 'anonymous' ? null : role);
        expect(codeOf(res)).toBe(code);
        const read = await gql('query($id: ID!) { organization(id: $id) { keyLimits { maxTokensPerMinute } } }', { id: org.id });
        expect(read.data.organization.keyLimits.maxTokensPerMinute).toBe(code === 'OK' ? 777 : null);
      });
    }
  });

  describe('who may set a key token limit (whoever may remove the key)', () => {
    const cases: Array<[string, Person, Record<Person, string>]> = [
      ["the owner's key", 'owner', { owner: 'OK', admin: 'OK', member: 'NOT_FOUND', spaceAdmin: 'OK', editor: 'FORBIDDEN', viewer: 'FORBIDDEN', stranger: 'NOT_FOUND' }],
      ["the editor's own key", 'editor', { owner: 'OK', admin: 'OK', member: 'NOT_FOUND', spaceAdmin: 'OK', editor: 'OK', viewer: 'FORBIDDEN', stranger: 'NOT_FOUND' }],
    ];
    for (const [what, creator, expected] of cases) {
      for (const [role, code] of Object.entries(expected) as Array<[Person, string]>) {
        it(`setApiKeyTokensPerMinute: ${role} on ${what} -> ${code}`, async () => {
          const key = await newKey(t.dataSource, space, people[creator]);
          expect(codeOf(await setTpm(key.id, 1234, role))).toBe(code);
          const stored = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id });
          expect(stored.tokensPerMinute).toBe(code === 'OK' ? 1234 : null);
        });
      }
    }
  });

  it('are validated per field and audited with before and after', async () => {
    const cases: Array<[{ maxBudgetMicros?: number; allowedModels?: string[]; maxTokensPerMinute?: number }, string]> = [
      [{ maxBudgetMicros: -1 }, 'maxBudgetMicros'],
      [{ maxBudgetMicros: 1.5 }, 'maxBudgetMicros'],
      [{ allowedModels: ['not a model'] }, 'allowedModels'],
      [{ allowedModels: Array.from({ length: 51 }, (_, i) => `m/${i}`) }, 'allowedModels'],
      [{ maxTokensPerMinute: 0 }, 'maxTokensPerMinute'],
      [{ maxTokensPerMinute: 100_000_001 }, 'maxTokensPerMinute'],
    ];
    for (const [bad, name] of cases) {
      const res = await setLimits(bad);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(field(res)).toBe(name);
    }
    const set = await setLimits({ maxBudgetMicros: 5000, allowedModels: [' openai/* ', 'anthropic/claude-3', 'openai/*'], maxTokensPerMinute: 900 });
    expect(set.data.setOrganizationKeyLimits.keyLimits).toEqual({ maxBudgetMicros: 5000, allowedModels: ['openai/*', 'anthropic/claude-3'], maxTokensPerMinute: 900 });
    const audit = await gql('query($o: ID!) { auditEvents(organizationId: $o, action: KEY_LIMITS_CHANGED) { items { apiKey { id } actor { kind } changes { field before after } } } }', { o: org.id });
    const latest = audit.data.auditEvents.items[0];
    expect(latest.apiKey).toBeNull();
    expect(latest.actor.kind).toBe('USER');
    expect(latest.changes).toEqual(
      expect.arrayContaining([
        { field: 'maxBudgetMicros', before: null, after: '5000' },
        { field: 'maxTokensPerMinute', before: null, after: '900' },
        expect.objectContaining({ field: 'allowedModels' }),
      ]),
    );
  });

  it("refuse a key's budget, models or token limit outside the maximums, naming the field", async () => {
    const key = await newKey(t.dataSource, space, people.owner);
    // Set before the maximums: kept as they are.
    expect(codeOf(await setModels(key.id, ['openai/*']))).toBe('OK');
    expect(codeOf(await setLimits({ maxBudgetMicros: 1000, allowedModels: ['openai/*', 'anthropic/claude-3'], maxTokensPerMinute: 500 }))).toBe('OK');

    const over = await setBudget(key.id, { limitMicros: 1001, period: 'DAILY', warnAtPercent: 80 });
    expect([codeOf(over), field(over)]).toEqual(['BAD_USER_INPUT', 'limitMicros']);
    expect(codeOf(await setBudget(key.id, { limitMicros: 1000, period: 'DAILY', warnAtPercent: 80 }))).toBe('OK');
    const removed = await setBudget(key.id, null);
    expect([codeOf(removed), field(removed)]).toEqual(['BAD_USER_INPUT', 'budget']);

    for (const outside of [['mistral/large'], ['openai/gpt-4o', 'anthropic/*'], ['*'], ['anthropic/claude-3*']]) {
      const res = await setModels(key.id, outside);
      expect([codeOf(res), field(res)]).toEqual(['BAD_USER_INPUT', 'allowedModels']);
    }
    expect((await setModels(key.id, ['openai/gpt-4o', 'openai/o1*', 'anthropic/claude-3'])).data.setApiKeyAllowedModels.allowedModels).toHaveLength(3);

    const tooMany = await setTpm(key.id, 501);
    expect([codeOf(tooMany), field(tooMany)]).toEqual(['BAD_USER_INPUT', 'tokensPerMinute']);
    expect(codeOf(await setTpm(key.id, 500))).toBe('OK');
    const unlimited = await setTpm(key.id, null);
    expect([codeOf(unlimited), field(unlimited)]).toEqual(['BAD_USER_INPUT', 'tokensPerMinute']);
    const stored = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id });
    expect([stored.budgetLimitMicros, stored.tokensPerMinute]).toEqual([1000, 500]);
  });

  it('bind every key at verification, the tighter limit winning, and apply at once when lowered', async () => {
    const key = await newKey(t.dataSource, space, people.owner);
    expect(codeOf(await setModels(key.id, ['openai/*']))).toBe('OK');
    // Cached, without limits of the organization.
    expect(await check(key.secret, 'openai/gpt-4-turbo', { 'x-pulze-cost-estimate': '5000', 'x-pulze-token-estimate': '5000' })).toMatchObject({ status: 200, tokenLimit: null });

    expect(codeOf(await setLimits({ maxBudgetMicros: 1000, allowedModels: ['openai/gpt-4o'], maxTokensPerMinute: 800 }))).toBe('OK');
    // The organization's list refuses a model the key's list allows.
    expect(await check(key.secret, 'openai/gpt-4-turbo')).toMatchObject({ status: 403, code: 'MODEL_NOT_ALLOWED' });
    // A key without a budget is held to the maximum per MONTHLY window.
    expect(await check(key.secret, 'openai/gpt-4o', { 'x-pulze-cost-estimate': '1001' })).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    // A key without a token limit is held to the organization's.
    expect(await check(key.secret, 'openai/gpt-4o', { 'x-pulze-token-estimate': '801' })).toMatchObject({ status: 429, code: 'RATE_LIMITED', tokenLimit: '800' });
    expect(await check(key.secret, 'openai/gpt-4o', { 'x-pulze-cost-estimate': '900', 'x-pulze-token-estimate': '700' })).toMatchObject({ status: 200, tokenLimit: '800' });

    // Lowered below what the key has (budget 1000 with 900 reserved): refused at once.
    expect(codeOf(await setLimits({ maxBudgetMicros: 950, allowedModels: ['openai/gpt-4o'], maxTokensPerMinute: 800 }))).toBe('OK');
    expect(await check(key.secret, 'openai/gpt-4o', { 'x-pulze-cost-estimate': '60' })).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    expect(await check(key.secret, 'openai/gpt-4o', { 'x-pulze-cost-estimate': '50' })).toMatchObject({ status: 200 });
    // The key's own, lower token limit wins; a higher maximum does not raise it.
    expect(codeOf(await setTpm(key.id, 100))).toBe('OK');
    expect(codeOf(await setLimits({ maxBudgetMicros: 100_000, allowedModels: ['openai/gpt-4o'], maxTokensPerMinute: 100_000 }))).toBe('OK');
    expect((await check(key.secret, 'openai/gpt-4o')).tokenLimit).toBe('100');
    // Lifted: the key's own limits only.
    expect(codeOf(await setLimits(NO_LIMITS))).toBe('OK');
    expect(codeOf(await setTpm(key.id, null))).toBe('OK');
    expect(await check(key.secret, 'openai/gpt-4-turbo', { 'x-pulze-cost-estimate': '100000', 'x-pulze-token-estimate': '100000' })).toMatchObject({ status: 200, tokenLimit: null });
  });
});
