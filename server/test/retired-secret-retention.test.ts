import { generateApiKey } from '@pulze/shared';
import { hashApiKey } from '../src/modules/api-key/api-key.model';
import { RetiredKeySecret } from '../src/modules/api-key/retired-key-secret.entity';
import { RETIRED_SECRETS_PER_KEY, RETIRED_SWEEP_BATCH, sweepRetiredSecrets } from '../src/modules/api-key/retired-secret-retention';
import { TEST_DB } from './helpers/database';
import { newKey } from './helpers/factories';
import { ownedSpace, type OwnedSpace } from './helpers/owned-space';
import { countQueries, startTestApp, type TestApp } from './helpers/test-app';

/**
 * Secrets rolled away twice are kept (as hashes, answering REVOKED) for RETIRED_SECRET_RETENTION_DAYS
 * after they were retired and at most the newest RETIRED_SECRETS_PER_KEY per key; the sweep deletes
 * the rest in bounded batches, after which such a secret answers like a key that never existed.
 */
let t: TestApp;
let world: OwnedSpace;

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00.000Z');
const RETENTION_DAYS = 90;

beforeAll(async () => {
  // No cache: every answer below is read from the database as it is after the sweep.
  t = await startTestApp({ SEED_DEMO: 'false', VERIFY_CACHE_TTL_MS: '0' });
  world = await ownedSpace(t);
});
afterAll(async () => {
  await t?.stop();
});

const repo = () => t.dataSource.getRepository(RetiredKeySecret);
const sweep = (options: { maxBatches?: number } = {}) =>
  sweepRetiredSecrets(t.dataSource, t.app.services.uow, { retentionDays: RETENTION_DAYS, now: NOW, ...options });

/** A key with retired secrets, one per date given; returns each secret with its retiredAt. */
async function keyWithRetired(retiredAt: Date[]): Promise<{ id: string; secrets: string[] }> {
  const key = await newKey(t.dataSource, world.space, world.owner);
  const secrets = retiredAt.map(() => generateApiKey());
  const rows = secrets.map((secret, i) => ({ keyHash: hashApiKey(secret), apiKeyId: key.id, retiredAt: retiredAt[i] }));
  for (let i = 0; i < rows.length; i += 250) await repo().insert(rows.slice(i, i + 250));
  return { id: key.id, secrets };
}

const daysAgo = (days: number, plusMs = 0) => new Date(NOW.getTime() - days * DAY + plusMs);

async function verify(secret: string): Promise<{ status: number; body: unknown; gql: unknown }> {
  const res = await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}` } });
  const gql = await t.gql('query($key: String!) { verifyApiKey(key: $key) { valid code keyId } }', { key: secret }, world.token);
  return { status: res.status, body: await res.json(), gql: gql.data?.verifyApiKey };
}

const deletes = (queries: string[]) => queries.filter((q) => /^DELETE/i.test(q.trim()));

describe(`retired secret retention on ${TEST_DB}`, () => {
  it('deletes secrets retired longer ago than the retention, keeps newer ones; a deleted one answers like an unknown key', async () => {
    const key = await keyWithRetired([daysAgo(200), daysAgo(RETENTION_DAYS, -1), daysAgo(RETENTION_DAYS, 60_000), daysAgo(1)]);
    const [ancient, justPast, justWithin, recent] = key.secrets as [string, string, string, string];

    expect(await sweep()).toBe(2);

    const kept = await repo().find({ where: { apiKeyId: key.id }, order: { retiredAt: 'ASC' } });
    expect(kept.map((r) => r.keyHash)).toEqual([hashApiKey(justWithin), hashApiKey(recent)]);
    const unknown = await verify(generateApiKey());
    expect(unknown).toEqual({ status: 401, body: expect.objectContaining({ code: 'NOT_FOUND' }), gql: { valid: false, code: 'NOT_FOUND', keyId: null } });
    expect(await verify(ancient)).toEqual(unknown);
    expect(await verify(justPast)).toEqual(unknown);
    for (const secret of [justWithin, recent]) {
      expect(await verify(secret)).toEqual({ status: 401, body: expect.objectContaining({ code: 'REVOKED' }), gql: { valid: false, code: 'REVOKED', keyId: null } });
    }
  });

  it(`keeps each key's newest ${RETIRED_SECRETS_PER_KEY} retired secrets however recent the others are`, async () => {
    const count = RETIRED_SECRETS_PER_KEY + 5;
    const key = await keyWithRetired(Array.from({ length: count }, (_, i) => daysAgo(10, i * 60_000)));
    const other = await keyWithRetired(Array.from({ length: RETIRED_SECRETS_PER_KEY }, (_, i) => daysAgo(10, i * 60_000)));

    expect(await sweep()).toBe(5);

    const kept = await repo().find({ where: { apiKeyId: key.id }, order: { retiredAt: 'ASC' } });
    expect(kept.map((r) => r.keyHash)).toEqual(key.secrets.slice(5).map(hashApiKey));
    expect(await repo().countBy({ apiKeyId: other.id })).toBe(RETIRED_SECRETS_PER_KEY);
    const [newestPruned, oldestKept] = key.secrets.slice(4, 6) as [string, string];
    expect((await verify(newestPruned)).gql).toEqual({ valid: false, code: 'NOT_FOUND', keyId: null });
    expect((await verify(oldestKept)).gql).toEqual({ valid: false, code: 'REVOKED', keyId: null });
  });

  it('deletes aged secrets in statements of one batch each, a bounded number per sweep, oldest first', async () => {
    // More rows than two batches, spread over keys so that no key passes the per-key cap.
    const total = 2 * RETIRED_SWEEP_BATCH + 500;
    const keys: Array<{ id: string; secrets: string[] }> = [];
    for (let made = 0; made < total; made += RETIRED_SECRETS_PER_KEY) {
      keys.push(await keyWithRetired(Array.from({ length: RETIRED_SECRETS_PER_KEY }, (_, i) => daysAgo(300, (made + i) * 1000))));
    }
    const byAge = keys.flatMap((k) => k.secrets).map(hashApiKey);

    const first = await countQueries(t.dataSource, () => sweep({ maxBatches: 2 }));
    expect(first.result).toBe(2 * RETIRED_SWEEP_BATCH);
    expect(deletes(first.queries)).toHaveLength(2);
    const remaining = (await repo().find({ order: { retiredAt: 'ASC' } })).filter((r) => byAge.includes(r.keyHash));
    expect(remaining.map((r) => r.keyHash)).toEqual(byAge.slice(2 * RETIRED_SWEEP_BATCH));

    const second = await countQueries(t.dataSource, () => sweep());
    expect(second.result).toBe(500);
    expect(deletes(second.queries)).toHaveLength(1);
    expect(await sweep()).toBe(0);
  });

  it('deletes what passes the per-key cap in batches too', async () => {
    const count = RETIRED_SECRETS_PER_KEY + RETIRED_SWEEP_BATCH + 200;
    const key = await keyWithRetired(Array.from({ length: count }, (_, i) => daysAgo(5, i * 1000)));

    const { result, queries } = await countQueries(t.dataSource, () => sweep());
    expect(result).toBe(RETIRED_SWEEP_BATCH + 200);
    expect(deletes(queries)).toHaveLength(2);
    const kept = await repo().find({ where: { apiKeyId: key.id }, order: { retiredAt: 'ASC' } });
    expect(kept.map((r) => r.keyHash)).toEqual(key.secrets.slice(-RETIRED_SECRETS_PER_KEY).map(hashApiKey));
  });
});
