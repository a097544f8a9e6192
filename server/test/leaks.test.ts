import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { IsNull } from 'typeorm';
import { apiKeyChecksum, generateApiKey } from '@pulze/shared';
import type { RaisedEvent } from '../src/core/events';
import { createApp, type App } from '../src/app';
import { openDatabase } from '../src/db/bootstrap';
import { createLogger } from '../src/lib/logger';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { LeakedKey } from '../src/modules/leaks/leaked-key.entity';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, newKey, newOrganization, newSpace, newUser } from './helpers/factories';
import { createKey, orgOf, removeKey, verifyHttp } from './helpers/keys';
import { FakeSecretScanner, postLeaks, report } from './helpers/secret-scanner';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const LEAKS_QUERY = 'query($o: ID!) { leakRevocations(organizationId: $o) { id keyId keyName maskedKey spaceId url source revokedAt } }';

/**
 * POST /v1/keys/leaks against a scanner played by the test: its P-256 keys served from a local
 * HTTP server, its reports signed good and bad. With Redis, and on MySQL a second app on the same
 * database stands for another node.
 */
describe(`secret-scanning reports (POST /v1/keys/leaks) on ${TEST_DB}`, () => {
  jest.setTimeout(60_000);
  const scanner = new FakeSecretScanner();
  let t: TestApp;
  let other: { app: App; url: string; close(): Promise<void> } | undefined;
  let owner: string;
  let acme: { id: string; spaces: Record<string, string> };
  const raised: RaisedEvent[] = [];

  const send = (entries: unknown, sign: (body: string) => Record<string, string> = (b) => scanner.sign(b)) => {
    const body = JSON.stringify(entries);
    return postLeaks(t.url, body, sign(body));
  };
  const leakRows = async (keyId: string) => t.dataSource.getRepository(LeakedKey).findBy({ apiKeyId: keyId });
  const liveKeys = async () => (await t.dataSource.getRepository(ApiKey).findBy({ organizationId: acme.id })).filter((k) => k.removedAt === null).length;
  const totalCount = async (token: string) => {
    const res = await t.gql<{ apiKeys: { totalCount: number } }>('query($o: ID!) { apiKeys(organizationId: $o, page: 1, pageSize: 1) { totalCount } }', { o: acme.id }, token);
    return res.data!.apiKeys.totalCount;
  };

  beforeAll(async () => {
    const keysUrl = await scanner.start();
    const prefix = `pulze-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
    t = await startTestApp({
      LEAK_KEYS_URL: keysUrl,
      LEAK_KEYS_REFETCH_SECONDS: '2',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      // Long enough that only the invalidation, not expiry, explains a refusal on the other node.
      VERIFY_CACHE_TTL_MS: '600000',
    });
    t.app.services.uow.onRaise(async (entry) => {
      raised.push(entry);
    });
    owner = await t.login('owner@acme.test');
    acme = await orgOf(t, owner, 'Acme AI');
    if (TEST_DB === 'mysql') {
      // Another node: its own app and pool on the same database, the same Redis.
      const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
      const config = { ...t.config, seedDemo: 'never' as const, port: 0 };
      const dataSource = await openDatabase(config, logger);
      const app = await createApp(config, dataSource, logger);
      const url = await app.listen();
      other = { app, url, close: async () => (await app.close(), await dataSource.destroy()) };
    }
  });
  afterAll(async () => {
    await other?.close();
    await t?.stop();
    await scanner.stop();
  });

  it('revokes the reported live keys at once, on this node and the other, and labels every token', async () => {
    const dev = await t.login('dev@acme.test');
    const leaked = await createKey(t, dev, acme.spaces.Production!, 'Leaked from CI');
    const alsoLeaked = await createKey(t, owner, acme.spaces.Research!, 'Leaked in a gist');
    const removed = await createKey(t, owner, acme.spaces.Staging!, 'Removed before the leak');
    await removeKey(t, owner, removed.id);
    const untouched = await createKey(t, owner, acme.spaces.Production!, 'Not reported');
    const unknown = generateApiKey();
    // The right shape, a wrong checksum: never looked up.
    const badChecksum = `pk_${'A'.repeat(30)}${apiKeyChecksum('B'.repeat(30))}`;
    const targets = other ? [t, other] : [t];
    for (const target of [...targets, ...targets]) expect((await verifyHttp(target, leaked.secret)).body.code).toBe('VALID');
    const liveBefore = await liveKeys();
    const countBefore = await totalCount(owner);

    const entries = [
      report(leaked.secret, 'https://github.com/acme/app/blob/main/.env', 'commit'),
      report(alsoLeaked.secret, '', 'gist'),
      report(removed.secret),
      report(unknown),
      report('not-a-key-at-all'),
      report(badChecksum),
      // The type is never used to find a key.
      { ...report(leaked.secret, 'https://example.com/second-sighting', 'issue'), type: 'something_else' },
    ];
    raised.length = 0;
    const started = Date.now();
    const res = await send(entries);
    console.log(`a report of ${entries.length} tokens answered in ${Date.now() - started} ms`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { token_hash: sha256(leaked.secret), token_type: 'pulze_api_key', label: 'true_positive' },
      { token_hash: sha256(alsoLeaked.secret), token_type: 'pulze_api_key', label: 'true_positive' },
      { token_hash: sha256(removed.secret), token_type: 'pulze_api_key', label: 'true_positive' },
      { token_hash: sha256(unknown), token_type: 'pulze_api_key', label: 'false_positive' },
      { token_hash: sha256('not-a-key-at-all'), token_type: 'pulze_api_key', label: 'false_positive' },
      { token_hash: sha256(badChecksum), token_type: 'pulze_api_key', label: 'false_positive' },
      { token_hash: sha256(leaked.secret), token_type: 'something_else', label: 'true_positive' },
    ]);
    // Nothing but the three fields, and no secret.
    for (const line of res.body) expect(Object.keys(line).sort()).toEqual(['label', 'token_hash', 'token_type']);
    expect(res.text).not.toMatch(/pk_/);

    // Revoked on this node at once, and on the other through the invalidation channel.
    for (const key of [leaked, alsoLeaked]) {
      const here = await verifyHttp(t, key.secret);
      expect([here.status, here.body.code]).toEqual([401, 'REVOKED']);
    }
    if (other) {
      const since = Date.now();
      for (;;) {
        const there = await verifyHttp(other, leaked.secret);
        if (there.body.code === 'REVOKED') break;
        expect(there.body.code).toBe('VALID');
        if (Date.now() - since > 1000) throw new Error('the other node still accepts the revoked key after 1 s');
        await new Promise((r) => setTimeout(r, 20));
      }
      console.log(`the other node refused the leaked key after ${Date.now() - since} ms`);
      expect((await verifyHttp(other, alsoLeaked.secret)).body.code).toBe('REVOKED');
    }
    expect((await verifyHttp(t, untouched.secret)).body.code).toBe('VALID');

    // Removed like a removal: out of the lists and the maintained counts, one event each, by the system.
    expect(await liveKeys()).toBe(liveBefore - 2);
    expect(await totalCount(owner)).toBe(countBefore - 2);
    const row = await t.dataSource.getRepository(ApiKey).findOneByOrFail({ id: leaked.id });
    expect(row.removedAt).not.toBeNull();
    expect(row.removedById).toBeNull();
    expect(raised).toHaveLength(2);
    for (const entry of raised) expect(entry.actor).toMatchObject({ kind: 'system', reason: 'leak-response' });
    const byKey = Object.fromEntries(raised.map((r) => [(r.event as { key: { id: string } }).key.id, r.event]));
    expect(byKey[leaked.id]).toMatchObject({ type: 'apiKey.leakRevoked', url: 'https://github.com/acme/app/blob/main/.env', source: 'commit' });
    expect(byKey[alsoLeaked.id]).toMatchObject({ type: 'apiKey.leakRevoked', url: '', source: 'gist' });
    expect(JSON.stringify(raised)).not.toContain(leaked.secret);

    // The first sighting is recorded, once per key; the removed and untouched keys have none.
    expect((await leakRows(leaked.id)).map((l) => [l.url, l.source])).toEqual([['https://github.com/acme/app/blob/main/.env', 'commit']]);
    expect(await leakRows(removed.id)).toEqual([]);
    expect(await leakRows(untouched.id)).toEqual([]);
  });

  it('records LEAK_REVOKED in the audit trail, by the system, with where the key was found and never the secret', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!, 'Audited leak');
    expect((await send([report(key.secret, 'https://gist.github.com/acme/abc', 'gist')])).status).toBe(200);
    const res = await t.gql<{ auditEvents: { items: Array<Record<string, any>> } }>(
      `query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k, action: LEAK_REVOKED) {
        items { action actor { kind reason user { id } } apiKey { id maskedKey name } clientAddress changes { field before after } details { name value } } } }`,
      { o: acme.id, k: key.id },
      owner,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    expect(res.data.auditEvents.items).toEqual([
      expect.objectContaining({
        action: 'LEAK_REVOKED',
        actor: { kind: 'SYSTEM', reason: 'leak-response', user: null },
        apiKey: { id: key.id, maskedKey: `pk_...${key.secret.slice(-5)}`, name: 'Audited leak' },
        changes: [expect.objectContaining({ field: 'removedAt', before: null })],
        details: expect.arrayContaining([
          { name: 'url', value: 'https://gist.github.com/acme/abc' },
          { name: 'source', value: 'gist' },
        ]),
      }),
    ]);
    expect(JSON.stringify(res.data)).not.toContain(key.secret);
    // A retried report adds no second event.
    await send([report(key.secret, 'https://gist.github.com/acme/abc', 'gist')]);
    const again = await t.gql<{ auditEvents: { totalCount: number } }>('query($o: ID!, $k: ID) { auditEvents(organizationId: $o, keyId: $k, action: LEAK_REVOKED) { totalCount } }', { o: acme.id, k: key.id }, owner);
    expect(again.data?.auditEvents.totalCount).toBe(1);
  });

  it('is idempotent: a retried report (also several at once) answers the same and revokes nothing more', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!, 'Retried report');
    const entries = [report(key.secret), report(generateApiKey())];
    const body = JSON.stringify(entries);
    const headers = scanner.sign(body);
    const liveBefore = await liveKeys();
    raised.length = 0;
    const answers = await Promise.all([1, 2, 3].map(() => postLeaks(t.url, body, headers)));
    const again = await postLeaks(t.url, body, headers);
    for (const res of [...answers, again]) {
      expect(res.status).toBe(200);
      expect(res.body.map((l: { label: string }) => l.label)).toEqual(['true_positive', 'false_positive']);
    }
    expect(raised).toHaveLength(1);
    expect(await leakRows(key.id)).toHaveLength(1);
    expect(await liveKeys()).toBe(liveBefore - 1);
    expect((await verifyHttp(t, key.secret)).body.code).toBe('REVOKED');
  });

  it('revokes hundreds of keys in one report, well within 30 s', async () => {
    const org = await newOrganization(t.dataSource);
    const user = await newUser(t.dataSource);
    await addOrganizationMember(t.dataSource, org, user, 'OWNER');
    const space = await newSpace(t.dataSource, org);
    const keys = [];
    for (let i = 0; i < 300; i++) keys.push(await newKey(t.dataSource, space, user));
    const entries = [...keys.map((k) => report(k.secret)), ...Array.from({ length: 100 }, () => report(generateApiKey()))];
    const started = Date.now();
    const res = await send(entries);
    const elapsed = Date.now() - started;
    console.log(`a report of ${entries.length} tokens (${keys.length} live keys) answered in ${elapsed} ms`);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(400);
    expect(res.body.filter((l: { label: string }) => l.label === 'true_positive')).toHaveLength(300);
    expect(elapsed).toBeLessThan(30_000);
    const live = await t.dataSource.getRepository(ApiKey).countBy({ spaceId: space.id, removedAt: IsNull() });
    expect(live).toBe(0);
    expect(await t.dataSource.getRepository(LeakedKey).countBy({ organizationId: org.id })).toBe(300);
    for (const key of keys.slice(0, 5)) expect((await verifyHttp(t, key.secret)).body.code).toBe('REVOKED');
  });

  it('finds a rolled key by its previous secret: revoked while that secret still works, kept once it does not', async () => {
    const ROLL = 'mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret } }';
    const roll = async (id: string, gracePeriodSeconds: number) => {
      const res = await t.gql<{ rollApiKey: { secret: string } }>(ROLL, { input: { id, gracePeriodSeconds } }, owner);
      if (!res.data) throw new Error(JSON.stringify(res.errors));
      return res.data.rollApiKey.secret;
    };
    const inGrace = await createKey(t, owner, acme.spaces.Production!, 'Rolled, old secret still working');
    const inGraceNew = await roll(inGrace.id, 3600);
    const pastGrace = await createKey(t, owner, acme.spaces.Production!, 'Rolled, old secret stopped');
    const pastGraceNew = await roll(pastGrace.id, 0);
    expect((await verifyHttp(t, inGrace.secret)).body.code).toBe('VALID');
    expect((await verifyHttp(t, pastGrace.secret)).body.code).toBe('REVOKED');

    const res = await send([report(inGrace.secret), report(pastGrace.secret)]);
    expect(res.body.map((l: { label: string }) => l.label)).toEqual(['true_positive', 'true_positive']);
    // The leaked old secret still opened the key: the key is revoked, its new secret too.
    expect((await verifyHttp(t, inGraceNew)).body.code).toBe('REVOKED');
    expect(await leakRows(inGrace.id)).toHaveLength(1);
    // An old secret that no longer works leaks nothing: the key and its new secret stay.
    expect((await verifyHttp(t, pastGraceNew)).body.code).toBe('VALID');
    expect(await leakRows(pastGrace.id)).toEqual([]);
  });

  describe('refuses, with a documented code, and revokes nothing', () => {
    let key: { id: string; secret: string };
    beforeEach(async () => {
      key = await createKey(t, owner, acme.spaces.Staging!, 'Must survive');
    });
    afterEach(async () => {
      expect((await verifyHttp(t, key.secret)).body.code).toBe('VALID');
      expect(await leakRows(key.id)).toEqual([]);
    });

    it('a report without the signature headers', async () => {
      const res = await postLeaks(t.url, JSON.stringify([report(key.secret)]), {});
      expect([res.status, res.body.error]).toEqual([401, 'signature_missing']);
    });

    it('a key identifier the scanner does not list', async () => {
      const body = JSON.stringify([report(key.secret)]);
      const res = await postLeaks(t.url, body, { ...scanner.sign(body), 'Github-Public-Key-Identifier': 'f'.repeat(64) });
      expect([res.status, res.body.error]).toEqual([401, 'unknown_key_identifier']);
    });

    it('a signature of other bytes: another body, or the same JSON serialised again', async () => {
      const body = JSON.stringify([report(key.secret)]);
      const other = await postLeaks(t.url, body, scanner.sign(JSON.stringify([report(generateApiKey())])));
      expect([other.status, other.body.error]).toEqual([401, 'bad_signature']);
      // The same entries with other whitespace: the signature covers bytes, not meaning.
      const pretty = await postLeaks(t.url, JSON.stringify(JSON.parse(body), null, 2), scanner.sign(body));
      expect([pretty.status, pretty.body.error]).toEqual([401, 'bad_signature']);
      const garbage = await postLeaks(t.url, body, { ...scanner.sign(body), 'Github-Public-Key-Signature': 'not base64!' });
      expect([garbage.status, garbage.body.error]).toEqual([401, 'bad_signature']);
    });

    it('a signature by a key pair that is not the listed one', async () => {
      const stranger = new FakeSecretScanner();
      const body = JSON.stringify([report(key.secret)]);
      const forged = { ...stranger.sign(body), 'Github-Public-Key-Identifier': scanner.currentKeyId };
      const res = await postLeaks(t.url, body, forged);
      expect([res.status, res.body.error]).toEqual([401, 'bad_signature']);
    });

    it('a body over 1 MiB, even correctly signed', async () => {
      const body = JSON.stringify([report(key.secret, `https://example.com/${'x'.repeat(1024 * 1024)}`)]);
      const res = await postLeaks(t.url, body, scanner.sign(body));
      expect([res.status, res.body.error]).toEqual([413, 'body_too_large']);
    });

    it('a signed body that is not a list of reports, or lists too many', async () => {
      for (const entries of ['not json', '{"token":"x"}', JSON.stringify([{ type: 'pulze_api_key', url: '' }]), JSON.stringify([report(key.secret), 42])]) {
        const res = await postLeaks(t.url, entries, scanner.sign(entries));
        expect([res.status, res.body.error]).toEqual([400, 'malformed_body']);
      }
      const many = JSON.stringify([report(key.secret), ...Array.from({ length: 1000 }, () => ({ token: 'x', type: 't' }))]);
      const res = await postLeaks(t.url, many, scanner.sign(many));
      expect([res.status, res.body.error]).toEqual([413, 'too_many_tokens']);
    });
  });

  it('accepts a key added to the scanner\'s set since it was fetched, and asks again at most once per interval', async () => {
    const key = await createKey(t, owner, acme.spaces.Production!, 'Reported with a new scanner key');
    // The set is fetched already (earlier reports); wait out the refetch interval (2 s).
    await new Promise((r) => setTimeout(r, 2100));
    const before = scanner.requests;
    const rotated = scanner.addKey();
    const body = JSON.stringify([report(key.secret)]);
    const res = await postLeaks(t.url, body, scanner.sign(body, rotated));
    expect(res.status).toBe(200);
    expect(scanner.requests).toBe(before + 1);
    // Unknown identifiers right after: refused without asking the scanner again.
    for (let i = 0; i < 5; i++) {
      const unknown = await postLeaks(t.url, body, { ...scanner.sign(body), 'Github-Public-Key-Identifier': `unknown-${i}` });
      expect(unknown.body.error).toBe('unknown_key_identifier');
    }
    expect(scanner.requests).toBe(before + 1);
    expect((await verifyHttp(t, key.secret)).body.code).toBe('REVOKED');
  });

  it('shows recent revocations to the organization\'s owners and admins, and to the key\'s owner only', async () => {
    const dev = await t.login('dev@acme.test');
    const devsKey = await createKey(t, dev, acme.spaces.Production!, 'Dev key found public');
    const ownersKey = await createKey(t, owner, acme.spaces.Research!, 'Owner key found public');
    const url = 'javascript:alert(1)//\u202eevil';
    const res = await send([report(devsKey.secret, url, 'gist'), report(ownersKey.secret, 'https://github.com/acme/x', 'commit')]);
    expect(res.status).toBe(200);

    const seen = async (token: string) => {
      const answer = await t.gql<{ leakRevocations: Array<{ keyId: string; keyName: string; maskedKey: string; url: string; source: string }> }>(LEAKS_QUERY, { o: acme.id }, token);
      if (!answer.data) throw new Error(JSON.stringify(answer.errors));
      return answer.data.leakRevocations;
    };
    const ownerSees = await seen(owner);
    const adminSees = await seen(await t.login('admin@acme.test'));
    const devSees = await seen(dev);
    const viewerSees = await seen(await t.login('viewer@acme.test'));
    expect(ownerSees.map((l) => l.keyId)).toEqual(expect.arrayContaining([devsKey.id, ownersKey.id]));
    expect(adminSees.map((l) => l.keyId).sort()).toEqual(ownerSees.map((l) => l.keyId).sort());
    // Newest first.
    expect(ownerSees.slice(0, 2).map((l) => l.keyId).sort()).toEqual([devsKey.id, ownersKey.id].sort());
    // The developer hears of their own keys only; a viewer of none.
    expect(devSees.map((l) => l.keyId)).toContain(devsKey.id);
    expect(devSees.map((l) => l.keyId)).not.toContain(ownersKey.id);
    const ownKeys = new Set((await t.dataSource.getRepository(ApiKey).findBy({ organizationId: acme.id })).filter((k) => devSees.some((l) => l.keyId === k.id)).map((k) => k.ownerId));
    expect(ownKeys.size).toBe(1);
    expect(viewerSees).toEqual([]);

    const shown = ownerSees.find((l) => l.keyId === devsKey.id)!;
    expect(shown).toMatchObject({ keyName: 'Dev key found public', maskedKey: `pk_...${devsKey.secret.slice(-5)}`, source: 'gist' });
    // Stored as reported, except what would reorder the line.
    expect(shown.url).toBe('javascript:alert(1)//\ufffdevil');

    // Another organization's owner: NOT_FOUND; a key as credential: FORBIDDEN; nobody: UNAUTHENTICATED.
    expect(codeOf(await t.gql(LEAKS_QUERY, { o: acme.id }, await t.login('owner@free.test')))).toBe('NOT_FOUND');
    const credential = await createKey(t, owner, acme.spaces.Production!, 'Credential');
    expect(codeOf(await t.gql(LEAKS_QUERY, { o: acme.id }, credential.secret))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(LEAKS_QUERY, { o: acme.id }))).toBe('UNAUTHENTICATED');
  });
});
