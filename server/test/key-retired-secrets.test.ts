import { generateApiKey } from '@pulze/shared';
import { hashApiKey } from '../src/modules/api-key/api-key.model';
import { RetiredKeySecret } from '../src/modules/api-key/retired-key-secret.entity';
import { TEST_DB } from './helpers/database';
import type { SpaceRef } from './helpers/factories';
import { ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

/**
 * A secret rolled away twice (pushed out of the key's previous secret by a second roll) answers
 * REVOKED like any rolled-away secret, not NOT_FOUND: through GET /v1/keys/verify and verifyApiKey,
 * with and without the verification cache, for removed keys too; leak reports count it as real.
 */
let t: TestApp;
let space: SpaceRef;
let token: string;

beforeAll(async () => {
  // A long cache: only invalidations, not an expiry, can explain a changed answer.
  t = await startTestApp({ SEED_DEMO: 'false', VERIFY_CACHE_TTL_MS: '600000' });
  ({ space, token } = await ownedSpace(t));
});
afterAll(async () => {
  await t?.stop();
});

async function create(name: string): Promise<{ id: string; secret: string }> {
  const res = await t.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }', { input: { spaceId: space.id, name } }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { id: res.data.createApiKey.apiKey.id, secret: res.data.createApiKey.secret };
}

async function roll(id: string, gracePeriodSeconds: number): Promise<string> {
  const res = await t.gql('mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret } }', { input: { id, gracePeriodSeconds } }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.rollApiKey.secret;
}

const httpCode = async (secret: string) =>
  ((await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.json())) as { code: string }).code;

async function gqlVerify(key: string): Promise<{ valid: boolean; code: string; keyId: string | null }> {
  const res = await t.gql('query($key: String!) { verifyApiKey(key: $key) { valid code keyId } }', { key }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.verifyApiKey;
}

describe(`secrets rolled away twice on ${TEST_DB}`, () => {
  it('answer REVOKED while the middle secret is in its grace period and the newest works; an unknown key is still NOT_FOUND', async () => {
    const key = await create('Rolled twice');
    // Cached as the current secret, then as the previous one: invalidations must reach both answers.
    expect(await httpCode(key.secret)).toBe('VALID');
    const second = await roll(key.id, 3600);
    expect(await httpCode(key.secret)).toBe('VALID');
    const third = await roll(key.id, 3600);

    expect(await httpCode(key.secret)).toBe('REVOKED');
    expect(await gqlVerify(key.secret)).toEqual({ valid: false, code: 'REVOKED', keyId: null });
    expect(await httpCode(second)).toBe('VALID');
    expect(await gqlVerify(second)).toEqual({ valid: true, code: 'VALID', keyId: key.id });
    expect(await httpCode(third)).toBe('VALID');
    expect(await gqlVerify(third)).toMatchObject({ valid: true, code: 'VALID', keyId: key.id });
    // Asked again (now from the cache), the same answers.
    expect(await httpCode(key.secret)).toBe('REVOKED');
    expect(await httpCode(second)).toBe('VALID');

    const unknown = generateApiKey();
    expect(await httpCode(unknown)).toBe('NOT_FOUND');
    expect(await gqlVerify(unknown)).toEqual({ valid: false, code: 'NOT_FOUND', keyId: null });

    // Kept by hash only, one row per roll that pushed a secret out.
    const rows = await t.dataSource.getRepository(RetiredKeySecret).findBy({ apiKeyId: key.id });
    expect(rows.map((r) => r.keyHash)).toEqual([hashApiKey(key.secret)]);
    expect(JSON.stringify(rows)).not.toContain(key.secret);
  });

  it('keeps every secret rolled away answering REVOKED, after many rolls with or without grace', async () => {
    const key = await create('Rolled often');
    const secrets = [key.secret];
    for (const grace of [0, 3600, 0, 60]) secrets.push(await roll(key.id, grace));
    // The last roll gave the one before it 60 s of grace; the newest works; every older one is REVOKED.
    const codes = await Promise.all(secrets.map((s) => httpCode(s)));
    expect(codes).toEqual(['REVOKED', 'REVOKED', 'REVOKED', 'VALID', 'VALID']);
    expect(await t.dataSource.getRepository(RetiredKeySecret).countBy({ apiKeyId: key.id })).toBe(3);
  });

  it('answer REVOKED for a removed key as well, cached or not', async () => {
    const key = await create('Rolled twice, then removed');
    const second = await roll(key.id, 3600);
    const third = await roll(key.id, 3600);
    expect(await httpCode(key.secret)).toBe('REVOKED');
    expect(codeOf(await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: key.id }, token))).toBe('OK');
    for (const secret of [key.secret, second, third]) {
      expect(await httpCode(secret)).toBe('REVOKED');
      expect((await gqlVerify(secret)).code).toBe('REVOKED');
    }
  });

  it('are recognised by leak reports (true_positive) without revoking the key', async () => {
    const key = await create('Rolled twice, old secret leaked');
    await roll(key.id, 3600);
    const newest = await roll(key.id, 3600);
    const unknown = generateApiKey();
    const { answers, revoked } = await t.app.services.leaks.revoke([
      { token: key.secret, type: 'pulze_api_key', url: 'https://github.com/acme/app/blob/main/.env', source: 'commit' },
      { token: unknown, type: 'pulze_api_key', url: '', source: 'commit' },
    ]);
    expect(answers.map((a) => a.label)).toEqual(['true_positive', 'false_positive']);
    expect(revoked).toBe(0);
    expect(await httpCode(newest)).toBe('VALID');
  });
});
