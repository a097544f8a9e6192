import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { checkAllowedModels, ModelAllowlist } from '../src/modules/spend/model-allowlist';
import { TEST_DB } from './helpers/database';
import type { SpaceRef, UserRef } from './helpers/factories';
import { newSpaceMember, ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/** A key's model allowlist: who may set it, how it is validated and audited, and what verification answers. */
let t: TestApp;
let space: SpaceRef;
let outsider: UserRef;
let token: string;

const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, as = token): Promise<GraphQLResponse<T>> => t.gql<T>(query, variables, as);
const setModels = (id: string, allowedModels: string[], as = token) =>
  gql('mutation($input: SetApiKeyAllowedModelsInput!) { setApiKeyAllowedModels(input: $input) { id allowedModels } }', { input: { id, allowedModels } }, as);
const verifyHttp = async (secret: string, model?: string) => {
  const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}`, ...(model === undefined ? {} : { 'x-pulze-model': model }) } });
  return { status: res.status, header: res.headers.get('x-pulze-code'), code: ((await res.json()) as { code: string }).code };
};
const verifyGql = async (key: string, model?: string) =>
  (await gql<{ verifyApiKey: { code: string } }>('query($key: String!, $model: String) { verifyApiKey(key: $key, model: $model) { code } }', { key, model })).data!.verifyApiKey.code;

async function created(): Promise<{ id: string; secret: string }> {
  const res = await gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id allowedModels } } }', { input: { spaceId: space.id, name: 'Model key' } });
  expect(res.data?.createApiKey.apiKey.allowedModels).toEqual([]);
  return { id: res.data!.createApiKey.apiKey.id, secret: res.data!.createApiKey.secret };
}

beforeAll(async () => {
  // A long cache: only the invalidation, not an expiry, can explain a changed answer.
  t = await startTestApp({ SEED_DEMO: 'false', VERIFY_CACHE_TTL_MS: '600000' });
  const owned = await ownedSpace(t);
  ({ space, token } = owned);
  outsider = await newSpaceMember(t, owned, 'VIEWER');
});
afterAll(async () => {
  await t?.stop();
});

describe('model allowlist rules', () => {
  it('takes exact ids and prefixes, trims, drops duplicates, refuses the rest', () => {
    expect(checkAllowedModels([' openai/gpt-4o ', 'anthropic/*', 'openai/gpt-4o'])).toEqual({ ok: true, value: ['openai/gpt-4o', 'anthropic/*'] });
    for (const bad of ['', '*', 'open*ai/x', 'a b', 'x'.repeat(101), '/openai']) expect(checkAllowedModels([bad]).ok).toBe(false);
    expect(checkAllowedModels(Array.from({ length: 51 }, (_, i) => `m/${i}`)).ok).toBe(false);
    expect(checkAllowedModels(Array.from({ length: 50 }, (_, i) => `m/${i}`)).ok).toBe(true);
  });

  it('matches exact ids and prefixes; no model is refused; an empty list is no list', () => {
    const list = ModelAllowlist.from(['openai/*', 'anthropic/claude-3-haiku'])!;
    expect(list.allows('openai/gpt-4o')).toBe(true);
    expect(list.allows('anthropic/claude-3-haiku')).toBe(true);
    expect(list.allows('anthropic/claude-3-opus')).toBe(false);
    expect(list.allows('openai')).toBe(false);
    expect(list.allows(null)).toBe(false);
    expect(ModelAllowlist.from([])).toBeNull();
  });
});

describe(`setApiKeyAllowedModels and verification on ${TEST_DB}`, () => {
  it('answers MODEL_NOT_ALLOWED (403) outside the list on both doors, at once after a change', async () => {
    const key = await created();
    // Before any list, every model (and none) is fine; the answer is now cached.
    expect(await verifyHttp(key.secret, 'mistral/large')).toMatchObject({ status: 200, code: 'VALID' });
    expect(codeOf(await setModels(key.id, ['openai/*', 'anthropic/claude-3-haiku']))).toBe('OK');
    expect(await verifyHttp(key.secret, 'openai/gpt-4o')).toMatchObject({ status: 200, code: 'VALID' });
    expect(await verifyHttp(key.secret, 'anthropic/claude-3-haiku')).toMatchObject({ status: 200, code: 'VALID' });
    expect(await verifyHttp(key.secret, 'mistral/large')).toEqual({ status: 403, header: 'MODEL_NOT_ALLOWED', code: 'MODEL_NOT_ALLOWED' });
    expect(await verifyHttp(key.secret)).toMatchObject({ status: 403, code: 'MODEL_NOT_ALLOWED' });
    expect(await verifyGql(key.secret, 'openai/o1')).toBe('VALID');
    expect(await verifyGql(key.secret, 'mistral/large')).toBe('MODEL_NOT_ALLOWED');
    expect(await verifyGql(key.secret)).toBe('MODEL_NOT_ALLOWED');
    // A key used on this API itself calls no model: the list does not apply.
    expect((await gql('{ currentApiKey { id } }', {}, key.secret)).data?.currentApiKey.id).toBe(key.id);
    expect(codeOf(await setModels(key.id, []))).toBe('OK');
    expect(await verifyHttp(key.secret, 'mistral/large')).toMatchObject({ status: 200, code: 'VALID' });
    expect(await verifyHttp(key.secret)).toMatchObject({ status: 200, code: 'VALID' });
  });

  it('is validated, audited before and after, and refused to those who may not remove the key', async () => {
    const key = await created();
    const bad = await setModels(key.id, ['openai/*', 'bad model']);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(bad.errors)).toContain('allowedModels[1]');
    expect(codeOf(await setModels(key.id, Array.from({ length: 51 }, (_, i) => `m/${i}`)))).toBe('BAD_USER_INPUT');
    const viewer = await t.login(outsider.email, outsider.password);
    expect(codeOf(await setModels(key.id, ['openai/*'], viewer))).toBe('FORBIDDEN');
    const ok = await setModels(key.id, [' openai/* ', 'openai/*']);
    expect(ok.data?.setApiKeyAllowedModels.allowedModels).toEqual(['openai/*']);
    expect((await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id })).allowedModels).toEqual(['openai/*']);
    const audit = await gql(
      'query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k) { items { action changes { field before after } } } }',
      { o: (await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id })).organizationId, k: key.id },
    );
    const change = audit.data?.auditEvents.items.find((e: any) => e.action === 'ALLOWED_MODELS_CHANGED');
    expect(change?.changes).toEqual([{ field: 'allowedModels', before: null, after: 'openai/*' }]);
  });
});
