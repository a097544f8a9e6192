import { In } from 'typeorm';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { KeyExpirySweep } from '../src/modules/api-key/key-expiry';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { TEST_DB } from './helpers/database';
import { newKey, newOrganization, newSpace, newUser, type OrganizationRef, type SpaceRef, type UserRef } from './helpers/factories';
import { ownedSpace } from './helpers/owned-space';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 11's "expired-by-policy" event: the expiry sweep records each key whose expiresAt passed
 * exactly once per lifetime (EXPIRED, by the system, in the transaction that marks the key), also
 * when sweeps race, and never for keys that are not due, removed, or gone with their space.
 */
const HOUR = 3_600_000;

let t: TestApp;
let org: OrganizationRef;
let space: SpaceRef;
let owner: UserRef;
let token: string;

beforeAll(async () => {
  // The timer never fires during the tests: each sweep is the test's own.
  t = await startTestApp({ SEED_DEMO: 'false', EXPIRY_SWEEP_INTERVAL_MS: '86400000', VERIFY_CACHE_TTL_MS: '0' });
  ({ org, space, owner, token } = await ownedSpace(t));
});
afterAll(async () => {
  await t?.stop();
});

async function createExpiring(name: string): Promise<{ id: string; secret: string }> {
  const res = await t.gql(
    'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }',
    { input: { spaceId: space.id, name, expiresAt: new Date(Date.now() + 2 * HOUR).toISOString() } },
    token,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return { id: res.data.createApiKey.apiKey.id, secret: res.data.createApiKey.secret };
}

/** Moves the key's expiry into the past, as time passing would. */
const expire = (id: string, msAgo = 1000) => t.dataSource.getRepository(ApiKey).update({ id }, { expiresAt: new Date(Date.now() - msAgo) });

async function expiredEvents(keyId: string): Promise<any[]> {
  const res = await t.gql(
    `query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k, action: EXPIRED, pageSize: 100) {
       totalCount items { action actor { kind reason user { id } } apiKey { id name maskedKey } clientAddress changes { field before after } details { name value } } } }`,
    { o: org.id, k: keyId },
    token,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.auditEvents.items;
}

const verifyCode = async (secret: string) =>
  ((await fetch(`${t.url}/v1/keys/verify`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.json())) as { code: string }).code;

describe(`the key expiry sweep on ${TEST_DB}`, () => {
  it('records one EXPIRED event by the system for a key whose expiresAt passed, and none on the next sweep', async () => {
    const key = await createExpiring('Expiring key');
    await expire(key.id);
    expect(await verifyCode(key.secret)).toBe('EXPIRED');
    expect(await expiredEvents(key.id)).toEqual([]);

    expect(await t.app.services.keyExpiry.sweep()).toBeGreaterThanOrEqual(1);
    const events = await expiredEvents(key.id);
    expect(events).toHaveLength(1);
    const row = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id });
    expect(events[0]).toMatchObject({
      action: 'EXPIRED',
      actor: { kind: 'SYSTEM', reason: 'key-expiry', user: null },
      apiKey: { id: key.id, name: 'Expiring key', maskedKey: row.maskedKey },
      clientAddress: 'system',
      changes: [{ field: 'status', before: 'ACTIVE', after: 'EXPIRED' }],
      details: [{ name: 'expiresAt', value: row.expiresAt!.toISOString() }],
    });
    expect(row.expiryRecordedAt).not.toBeNull();

    expect(await t.app.services.keyExpiry.sweep()).toBe(0);
    expect(await expiredEvents(key.id)).toHaveLength(1);

    // The stored event holds neither the secret nor its hash.
    const stored = await t.dataSource.getRepository(AuditEvent).findBy({ apiKeyId: key.id, action: 'EXPIRED' });
    expect(stored).toHaveLength(1);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(key.secret);
    expect(text).not.toContain(row.keyHash);
  });

  it('records nothing for a key not yet expired, a removed key, or a key gone with its space', async () => {
    const live = await createExpiring('Not yet');
    const removed = await createExpiring('Removed');
    expect(codeOf(await t.gql('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: removed.id }, token))).toBe('OK');
    await expire(removed.id);
    const doomedSpace = await newSpace(t.dataSource, org);
    const doomed = await newKey(t.dataSource, doomedSpace, owner, { name: 'In a doomed space' });
    await t.dataSource.getRepository(ApiKey).update({ id: doomed.id }, { expiresAt: new Date(Date.now() + 2 * HOUR) });
    expect(codeOf(await t.gql('mutation($id: ID!) { deleteSpace(id: $id) }', { id: doomedSpace.id }, token))).toBe('OK');
    await expire(doomed.id);

    await t.app.services.keyExpiry.sweep();
    await t.app.services.keyExpiry.sweep();
    expect(await expiredEvents(live.id)).toEqual([]);
    expect(await expiredEvents(removed.id)).toEqual([]);
    expect(await expiredEvents(doomed.id)).toEqual([]);
    const keys = t.dataSource.getRepository(ApiKey);
    expect((await keys.findOneByOrFail({ id: live.id })).expiryRecordedAt).toBeNull();
    // The deleted space's key is marked, so no later sweep reads it again.
    expect((await keys.findOneByOrFail({ id: doomed.id })).expiryRecordedAt).not.toBeNull();
  });

  it('gives one event per key when three sweeps race', async () => {
    const keys = [];
    for (let i = 0; i < 20; i++) keys.push(await newKey(t.dataSource, space, owner, { name: `Race ${i}` }));
    for (const [i, key] of keys.entries()) await expire(key.id, 1000 + i);
    // Other sweepers, as other nodes would run them, each on its own transaction.
    const others = [new KeyExpirySweep(t.dataSource, t.app.services.uow), new KeyExpirySweep(t.dataSource, t.app.services.uow)];
    const counts = await Promise.all([t.app.services.keyExpiry.sweep(), ...others.map((o) => o.sweep())]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20);
    const rows = await t.dataSource.getRepository(AuditEvent).findBy({ action: 'EXPIRED', apiKeyId: In(keys.map((k) => k.id)) });
    expect(rows.map((r) => r.apiKeyId).sort()).toEqual(keys.map((k) => k.id).sort());
  });

  it('takes at most its batch of keys a run, soonest expiry first, and goes on at the next run', async () => {
    const keys = [await createExpiring('Batch A'), await createExpiring('Batch B'), await createExpiring('Batch C')];
    await expire(keys[0]!.id, 3000);
    await expire(keys[1]!.id, 2000);
    await expire(keys[2]!.id, 1000);
    const small = new KeyExpirySweep(t.dataSource, t.app.services.uow, 2);
    expect(await small.sweep()).toBe(2);
    expect(await expiredEvents(keys[0]!.id)).toHaveLength(1);
    expect(await expiredEvents(keys[1]!.id)).toHaveLength(1);
    expect(await expiredEvents(keys[2]!.id)).toHaveLength(0);
    expect(await small.sweep()).toBe(1);
    expect(await expiredEvents(keys[2]!.id)).toHaveLength(1);
    expect(await small.sweep()).toBe(0);
  });

  it('records the expiry again after a roll gave the key a fresh lifetime', async () => {
    const key = await createExpiring('Rolled after expiry');
    await expire(key.id);
    await t.app.services.keyExpiry.sweep();
    expect(await expiredEvents(key.id)).toHaveLength(1);

    const rolled = await t.gql(
      'mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { status expiresAt } } }',
      { input: { id: key.id, gracePeriodSeconds: 0 } },
      token,
    );
    expect(rolled.data!.rollApiKey.apiKey.status).toBe('ACTIVE');
    expect((await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: key.id })).expiryRecordedAt).toBeNull();
    // Still within its fresh lifetime: nothing new.
    await t.app.services.keyExpiry.sweep();
    expect(await expiredEvents(key.id)).toHaveLength(1);

    await expire(key.id);
    expect(await verifyCode(rolled.data!.rollApiKey.secret)).toBe('EXPIRED');
    await t.app.services.keyExpiry.sweep();
    expect(await expiredEvents(key.id)).toHaveLength(2);
  });
});

describe(`the server's expiry sweep timer on ${TEST_DB}`, () => {
  it('records an expiry on its own within EXPIRY_SWEEP_INTERVAL_MS, and stops with the server', async () => {
    const app = await startTestApp({ SEED_DEMO: 'false', EXPIRY_SWEEP_INTERVAL_MS: '1000' });
    try {
      const o = await newOrganization(app.dataSource);
      const s = await newSpace(app.dataSource, o);
      const u = await newUser(app.dataSource);
      const key = await newKey(app.dataSource, s, u, { name: 'Swept by the timer' });
      await app.dataSource.getRepository(ApiKey).update({ id: key.id }, { expiresAt: new Date(Date.now() - 1000) });
      const events = app.dataSource.getRepository(AuditEvent);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && (await events.countBy({ apiKeyId: key.id, action: 'EXPIRED' })) === 0) await new Promise((r) => setTimeout(r, 100));
      expect(await events.findBy({ apiKeyId: key.id, action: 'EXPIRED' })).toEqual([expect.objectContaining({ actorKind: 'SYSTEM', actorReason: 'key-expiry' })]);
      expect(app.logLines.some((line) => line.includes('recorded the expiry of keys'))).toBe(true);
    } finally {
      await app.stop();
    }
  });
});
