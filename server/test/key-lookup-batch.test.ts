import { generateApiKey } from '@pulze/shared';
import { hashApiKey } from '../src/modules/api-key/api-key.model';
import { DatabaseUnavailableError } from '../src/lib/database-errors';
import { rawConnection } from '../src/lib/raw-connection';
import { createKeyLookup, createOrmKeyLookup, LOOKUP_BATCH_MAX, LOOKUP_QUEUE_MAX } from '../src/modules/verification/key-lookup';
import { TEST_DB } from './helpers/database';
import type { SpaceRef } from './helpers/factories';
import { ownedSpace } from './helpers/owned-space';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * The hot path's look-up asks for many keys in one statement when many are waiting
 * (modules/verification/key-lookup.ts). Whatever goes together, each look-up gets the facts its
 * own hash has: a current, previous or retired secret, a removed key, or nothing.
 */
let t: TestApp;
let space: SpaceRef;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  ({ space, token } = await ownedSpace(t));
});
afterAll(async () => {
  await t?.stop();
});

async function create(name: string): Promise<{ id: string; secret: string }> {
  const res = await t.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }', { input: { spaceId: space.id, name } }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors) + t.logLines.filter((l) => l.includes('"error"') || l.includes('"level":50')).join('\n'));
  return { id: res.data.createApiKey.apiKey.id, secret: res.data.createApiKey.secret };
}

async function roll(id: string): Promise<string> {
  const res = await t.gql('mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret } }', { input: { id, gracePeriodSeconds: 3600 } }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.rollApiKey.secret;
}

describe(`batched key look-ups on ${TEST_DB}`, () => {
  it('answers every look-up of a crowd with what the same look-up alone answers', async () => {
    const current = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`Current ${i}`)));
    const rolledOnce = await create('Rolled once');
    const previous = rolledOnce.secret;
    await roll(rolledOnce.id);
    const rolledTwice = await create('Rolled twice');
    const retired = rolledTwice.secret;
    const middle = await roll(rolledTwice.id);
    await roll(rolledTwice.id);
    const removed = await create('Removed');
    const removal = await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: removed.id }, token);
    expect(removal.errors).toBeUndefined();

    const secrets = [...current.map((k) => k.secret), previous, retired, middle, removed.secret, ...Array.from({ length: 10 }, () => generateApiKey())];
    // Every secret three times over, shuffled: duplicates and misses among hits, in batches of every size.
    const crowd = [...secrets, ...secrets, ...secrets].map((secret) => hashApiKey(secret)).sort();
    const one = createOrmKeyLookup(t.dataSource);
    const expected = new Map<string, unknown>();
    for (const hash of new Set(crowd)) expected.set(hash, await one(hash));
    expect([...expected.values()].filter((facts) => facts === undefined)).toHaveLength(10);
    expect([...expected.values()].filter((facts) => (facts as { secretExpiresAt: number | null } | undefined)?.secretExpiresAt === 0)).toHaveLength(1);

    const lookup = createKeyLookup(t.dataSource, 10_000);
    const statements = countConnections();
    const answers = await Promise.all(crowd.map((hash) => lookup(hash)));
    answers.forEach((facts, i) => expect(facts).toEqual(expected.get(crowd[i] as string)));
    if (TEST_DB === 'mysql') {
      // One pooled connection per batch, each holding up to LOOKUP_BATCH_MAX look-ups, instead of one each.
      expect(statements.taken()).toBeLessThanOrEqual(Math.ceil(crowd.length / LOOKUP_BATCH_MAX));
      expect(statements.taken()).toBeGreaterThan(0);
    }
    statements.restore();
  });

  it('refuses look-ups past the bound of those waiting, at once, and answers the rest', async () => {
    const lookup = createKeyLookup(t.dataSource, 30_000);
    const key = await create('Crowded');
    const hash = hashApiKey(key.secret);
    const extra = 25;
    const settled = await Promise.allSettled(Array.from({ length: LOOKUP_QUEUE_MAX + extra }, () => lookup(hash)));
    const refused = settled.filter((s) => s.status === 'rejected');
    if (TEST_DB === 'mysql') {
      expect(refused).toHaveLength(extra);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseUnavailableError);
    } else {
      // The embedded database answers each look-up in place: nothing waits.
      expect(refused).toHaveLength(0);
    }
    const answered = settled.filter((s): s is PromiseFulfilledResult<Awaited<ReturnType<typeof lookup>>> => s.status === 'fulfilled');
    expect(answered).toHaveLength(LOOKUP_QUEUE_MAX + extra - refused.length);
    for (const a of answered) expect(a.value?.keyId).toBe(key.id);
  });
});

/** Counts the pooled connections taken on MySQL/MariaDB from now on. */
function countConnections(): { taken(): number; restore(): void } {
  const raw = rawConnection(t.dataSource);
  if (raw.dialect !== 'mysql') return { taken: () => 0, restore: () => undefined };
  const pool = raw.pool;
  const original = pool.getConnection;
  let taken = 0;
  pool.getConnection = ((callback: Parameters<typeof original>[0]) => {
    taken += 1;
    return original.call(pool, callback);
  }) as typeof original;
  return { taken: () => taken, restore: () => void (pool.getConnection = original) };
}
