import { generateApiKey } from '@pulze/shared';
import { AuditEvent } from '../src/modules/audit/audit-event.entity';
import { keyRef } from '../src/modules/api-key/api-key.model';
import { ApiKey } from '../src/modules/api-key/api-key.entity';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, addSpaceMember, newKey, newOrganization, newSpace, newUser, type OrganizationRef, type SpaceRef, type UserRef } from './helpers/factories';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from './helpers/test-app';

/**
 * The audit trail: every change to a key is an event written in the transaction of the change,
 * with who, from where and what changed, never a secret or a hash; read newest first by
 * organization owners and admins (all) and space admins (their spaces); changed by no API.
 */
let t: TestApp;
let org: OrganizationRef;
let shared: SpaceRef;
let other: SpaceRef;
const people = {} as Record<'owner' | 'admin' | 'spaceAdmin' | 'editor' | 'member' | 'stranger', UserRef>;
const tokens = {} as Record<keyof typeof people, string>;
const secrets: string[] = [];

const EVENT_FIELDS = 'id action actor { kind reason user { id email } } apiKey { id maskedKey name } spaceId organizationId createdAt clientAddress userAgent changes { field before after } details { name value }';

async function events(args: Record<string, unknown> = {}, as: string | undefined = tokens.owner): Promise<GraphQLResponse<any>> {
  return t.gql(
    `query($o: ID!, $k: ID, $a: AuditAction, $p: Int, $s: Int) { auditEvents(organizationId: $o, keyId: $k, action: $a, page: $p, pageSize: $s) { totalCount page pageSize pageCount items { ${EVENT_FIELDS} } } }`,
    { o: org.id, ...args },
    as,
  );
}

async function call(query: string, variables: Record<string, unknown>, as = tokens.owner) {
  const res = await t.gql(query, variables, as);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data as any;
}

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
  org = await newOrganization(t.dataSource);
  shared = await newSpace(t.dataSource, org, { name: 'Audited' });
  other = await newSpace(t.dataSource, org, { name: 'Elsewhere' });
  for (const name of Object.keys({ owner: 0, admin: 0, spaceAdmin: 0, editor: 0, member: 0, stranger: 0 }) as Array<keyof typeof people>) {
    people[name] = await newUser(t.dataSource, { email: `${name}-${Date.now()}@audit.test` });
  }
  await addOrganizationMember(t.dataSource, org, people.owner, 'OWNER');
  await addOrganizationMember(t.dataSource, org, people.admin, 'ADMIN');
  for (const name of ['spaceAdmin', 'editor', 'member'] as const) await addOrganizationMember(t.dataSource, org, people[name], 'MEMBER');
  await addSpaceMember(t.dataSource, shared, people.spaceAdmin, 'ADMIN');
  await addSpaceMember(t.dataSource, shared, people.editor, 'EDITOR');
  await addOrganizationMember(t.dataSource, await newOrganization(t.dataSource), people.stranger, 'OWNER');
  for (const name of Object.keys(people) as Array<keyof typeof people>) tokens[name] = await t.login(people[name].email, people[name].password);
});
afterAll(async () => {
  await t?.stop();
});

describe(`audit trail on ${TEST_DB}`, () => {
  let keyId: string;

  it('records every change to a key, newest first, with actor, address, user agent and the fields before and after', async () => {
    const created = await call(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id maskedKey } } }',
      { input: { spaceId: shared.id, name: 'Audited key', allowedCidrs: ['10.0.0.0/8'] } },
    );
    keyId = created.createApiKey.apiKey.id;
    secrets.push(created.createApiKey.secret);
    await call('mutation($input: RenameApiKeyInput!) { renameApiKey(input: $input) { id } }', { input: { id: keyId, name: 'Audited key v2' } });
    await call('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: keyId });
    await call('mutation($id: ID!) { enableApiKey(id: $id) { id } }', { id: keyId });
    const rolled = await call('mutation($input: RollApiKeyInput!) { rollApiKey(input: $input) { secret apiKey { maskedKey } } }', { input: { id: keyId, gracePeriodSeconds: 60 } });
    secrets.push(rolled.rollApiKey.secret);
    await call('mutation($input: SetApiKeyAllowedCidrsInput!) { setApiKeyAllowedCidrs(input: $input) { id } }', { input: { id: keyId, allowedCidrs: [] } });
    await call('mutation($id: ID!) { removeApiKey(id: $id) { id } }', { id: keyId });

    const res = await events({ k: keyId });
    expect(codeOf(res)).toBe('OK');
    const items = res.data.auditEvents.items;
    expect(items.map((e: any) => e.action)).toEqual(['REMOVED', 'ALLOWED_CIDRS_CHANGED', 'ROLLED', 'ENABLED', 'DISABLED', 'RENAMED', 'CREATED']);
    for (const event of items) {
      expect(event).toMatchObject({
        actor: { kind: 'USER', reason: null, user: { id: people.owner.id, email: people.owner.email } },
        spaceId: shared.id,
        organizationId: org.id,
        apiKey: { id: keyId },
      });
      expect(event.clientAddress).toMatch(/127\.0\.0\.1|::1/);
      expect(event.userAgent).toBeTruthy();
    }
    const byAction = Object.fromEntries(items.map((e: any) => [e.action, e]));
    const change = (action: string, field: string) => byAction[action].changes.find((c: any) => c.field === field);
    expect(change('RENAMED', 'name')).toEqual({ field: 'name', before: 'Audited key', after: 'Audited key v2' });
    expect(change('DISABLED', 'status')).toEqual({ field: 'status', before: 'ACTIVE', after: 'DISABLED' });
    expect(change('ENABLED', 'status')).toEqual({ field: 'status', before: 'DISABLED', after: 'ACTIVE' });
    expect(change('ROLLED', 'maskedKey')).toEqual({ field: 'maskedKey', before: created.createApiKey.apiKey.maskedKey, after: rolled.rollApiKey.apiKey.maskedKey });
    expect(change('ROLLED', 'gracePeriodSeconds').after).toBe('60');
    expect(byAction.ROLLED.apiKey.maskedKey).toBe(rolled.rollApiKey.apiKey.maskedKey);
    expect(change('ALLOWED_CIDRS_CHANGED', 'allowedCidrs')).toEqual({ field: 'allowedCidrs', before: '10.0.0.0/8', after: null });
    expect(change('CREATED', 'name')).toEqual({ field: 'name', before: null, after: 'Audited key' });
    expect(byAction.RENAMED.apiKey.name).toBe('Audited key');
    expect(change('REMOVED', 'removedAt').after).not.toBeNull();
    const times = items.map((e: any) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("records a deleted space's keys, the key policy, and a leak revoked by the system with its URL and source", async () => {
    const doomed = await call('mutation($input: CreateSpaceInput!) { createSpace(input: $input) { id } }', { input: { organizationId: org.id, name: 'Doomed' } });
    const a = await newKey(t.dataSource, { id: doomed.createSpace.id, organizationId: org.id }, people.owner, { name: 'Doomed A' });
    const b = await newKey(t.dataSource, { id: doomed.createSpace.id, organizationId: org.id }, people.owner, { name: 'Doomed B' });
    await call('mutation($id: ID!) { deleteSpace(id: $id) }', { id: doomed.createSpace.id });
    const deleted = (await events({ a: 'SPACE_DELETED' })).data.auditEvents.items;
    expect(deleted.map((e: any) => e.apiKey.id).sort()).toEqual([a.id, b.id].sort());
    expect(deleted[0].spaceId).toBe(doomed.createSpace.id);

    await call('mutation($input: SetMaxKeyLifetimeInput!) { setMaxKeyLifetime(input: $input) { id } }', { input: { organizationId: org.id, maxKeyLifetimeDays: 90 } });
    const [policy] = (await events({ a: 'MAX_KEY_LIFETIME_CHANGED' })).data.auditEvents.items;
    expect(policy).toMatchObject({ apiKey: null, spaceId: null, changes: [{ field: 'maxKeyLifetimeDays', before: null, after: '90' }] });

    const leaked = await newKey(t.dataSource, shared, people.editor, { name: 'Leaked' });
    secrets.push(leaked.secret);
    const { revoked } = await t.app.services.leaks.revoke([{ token: leaked.secret, type: 'pulze_api_key', url: 'https://github.com/acme/app/blob/main/.env', source: 'commit' }]);
    expect(revoked).toBe(1);
    const [leak] = (await events({ k: leaked.id })).data.auditEvents.items;
    expect(leak).toMatchObject({
      action: 'LEAK_REVOKED',
      actor: { kind: 'SYSTEM', reason: 'leak-response', user: null },
      details: [
        { name: 'url', value: 'https://github.com/acme/app/blob/main/.env' },
        { name: 'source', value: 'commit' },
      ],
    });
  });

  it('filters by action and pages in the one list shape', async () => {
    const all = (await events({ s: 100 })).data.auditEvents;
    expect(all.totalCount).toBeGreaterThanOrEqual(11);
    const page2 = (await events({ p: 2, s: 3 })).data.auditEvents;
    expect(page2).toMatchObject({ page: 2, pageSize: 3, totalCount: all.totalCount, pageCount: Math.ceil(all.totalCount / 3) });
    expect(page2.items.map((e: any) => e.id)).toEqual(all.items.slice(3, 6).map((e: any) => e.id));
    const renamed = (await events({ a: 'RENAMED' })).data.auditEvents;
    expect(renamed.items.every((e: any) => e.action === 'RENAMED')).toBe(true);
    expect(codeOf(await events({ s: 0 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await events({ s: 101 }))).toBe('BAD_USER_INPUT');
  });

  it('shows owners and admins everything, space admins their spaces, and refuses everyone else', async () => {
    const key = await newKey(t.dataSource, other, people.owner, { name: 'Elsewhere key' });
    await call('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: key.id });
    const total = (await events({ s: 100 })).data.auditEvents.totalCount;
    expect((await events({ s: 100 }, tokens.admin)).data.auditEvents.totalCount).toBe(total);
    const theirs = (await events({ s: 100 }, tokens.spaceAdmin)).data.auditEvents;
    expect(theirs.totalCount).toBeGreaterThan(0);
    expect(theirs.totalCount).toBeLessThan(total);
    expect(theirs.items.every((e: any) => e.spaceId === shared.id)).toBe(true);
    expect((await events({ k: key.id }, tokens.spaceAdmin)).data.auditEvents.totalCount).toBe(0);
    for (const [who, expected] of [
      ['editor', 'FORBIDDEN'],
      ['member', 'FORBIDDEN'],
      ['stranger', 'NOT_FOUND'],
    ] as const) {
      const res = await events({}, tokens[who]);
      expect(codeOf(res)).toBe(expected);
      expect(res.data).toBeNull();
    }
    expect(codeOf(await t.gql('query($o: ID!) { auditEvents(organizationId: $o) { totalCount } }', { o: org.id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await events({}, secrets[1]))).not.toBe('OK');
  });

  it('never holds a secret or a hash', async () => {
    const rows = await t.dataSource.getRepository(AuditEvent).find();
    const hashes = (await t.dataSource.getRepository(ApiKey).find()).flatMap((k) => [k.keyHash, k.previousKeyHash].filter(Boolean) as string[]);
    const text = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const hash of hashes) expect(text).not.toContain(hash);
    expect(text).not.toMatch(/pk_[0-9A-Za-z]{36}/);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('is written in the transaction of the change: a change that fails leaves no event', async () => {
    const key = await newKey(t.dataSource, shared, people.owner);
    const [row] = await t.dataSource.getRepository(ApiKey).findBy({ id: key.id });
    const before = await t.dataSource.getRepository(AuditEvent).count();
    const ctx = { principal: { kind: 'anonymous' as const }, access: undefined, loaders: {} as never, actor: { kind: 'system' as const, reason: 'test', clientIp: 'system', userAgent: null } };
    await expect(
      t.app.services.uow.withTransaction(ctx, async (tx) => {
        await tx.raise({ type: 'apiKey.disabled', key: keyRef(row!), before: { status: 'ACTIVE' }, after: { status: 'DISABLED' } });
        expect(await tx.manager.getRepository(AuditEvent).count()).toBe(before + 1);
        throw new Error('the change fails after its event was raised');
      }),
    ).rejects.toThrow('the change fails');
    expect(await t.dataSource.getRepository(AuditEvent).count()).toBe(before);
  });

  it('offers no way to change or delete an event', async () => {
    const res = await t.gql('{ __schema { mutationType { fields { name args { name } } } } }');
    const names: string[] = res.data?.__schema.mutationType.fields.map((f: any) => f.name) ?? [];
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => /audit|event/i.test(n))).toEqual([]);
  });

  it('purges events past the retention period, in bounded batches, and keeps the rest', async () => {
    const repo = t.dataSource.getRepository(AuditEvent);
    const [template] = await repo.find({ take: 1 });
    const old = Array.from({ length: 25 }, (_, i) =>
      Object.assign(new AuditEvent(), { ...template, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, createdAt: new Date(Date.now() - (400 + i) * 86_400_000) }),
    );
    await repo.insert(old);
    const before = await repo.count();
    expect(await t.app.services.audit.purge(0)).toBe(0);
    expect(await t.app.services.audit.purge(365)).toBe(25);
    expect(await repo.count()).toBe(before - 25);
    expect(await t.app.services.audit.purge(365)).toBe(0);
  });

  it('does not answer for a made-up key id, and records nothing for a refused change', async () => {
    const before = await t.dataSource.getRepository(AuditEvent).count();
    const res = await t.gql('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: generateApiKey() }, tokens.owner);
    expect(codeOf(res)).toBe('NOT_FOUND');
    const forbidden = await t.gql('mutation($id: ID!) { disableApiKey(id: $id) { id } }', { id: (await newKey(t.dataSource, shared, people.owner)).id }, tokens.editor);
    expect(codeOf(forbidden)).toBe('FORBIDDEN');
    expect(await t.dataSource.getRepository(AuditEvent).count()).toBe(before);
  });
});
