import { TEST_DB } from './helpers/database';
import { startDemoApp } from './helpers/demo-app';
import { codeOf, type TestApp } from './helpers/test-app';

/** The demo data shows a few keys in each state of their life, and the audit history behind them. */
let t: TestApp;
let owner: string;
let acme: string;

beforeAll(async () => {
  ({ t, owner, acme } = await startDemoApp());
});
afterAll(async () => {
  await t?.stop();
});

describe(`demo data of the key lifecycle on ${TEST_DB}`, () => {
  it('has active, disabled, expired, expiring, rolled and allowlisted keys', async () => {
    const list = async (status: string) =>
      (await t.gql('query($o: ID!, $s: ApiKeyStatus) { apiKeys(organizationId: $o, status: $s, pageSize: 100) { totalCount items { name expiresAt previousSecretExpiresAt allowedCidrs } } }', { o: acme, s: status }, owner)).data
        ?.apiKeys;
    const active = await list('ACTIVE');
    expect(active.totalCount).toBeGreaterThan(20);
    expect((await list('DISABLED')).totalCount).toBeGreaterThanOrEqual(2);
    expect((await list('EXPIRED')).totalCount).toBeGreaterThanOrEqual(2);
    const soon = active.items.filter((k: any) => k.expiresAt && Date.parse(k.expiresAt) - Date.now() < 7 * 86_400_000);
    expect(soon.length).toBeGreaterThanOrEqual(2);
    expect(active.items.find((k: any) => k.previousSecretExpiresAt)?.name).toBe('Web Checkout - Production');
    expect(active.items.find((k: any) => k.allowedCidrs.length)?.allowedCidrs).toEqual(['203.0.113.0/24', '2001:db8:4::/48']);
  });

  it('has an audit history of every kind of change, for owners and admins only', async () => {
    const res = await t.gql('query($o: ID!) { auditEvents(organizationId: $o, pageSize: 100) { totalCount items { action actor { kind user { email } } } } }', { o: acme }, owner);
    expect(codeOf(res)).toBe('OK');
    const actions = new Set(res.data?.auditEvents.items.map((e: any) => e.action));
    for (const action of ['CREATED', 'RENAMED', 'DISABLED', 'ENABLED', 'ROLLED', 'ALLOWED_CIDRS_CHANGED', 'REMOVED', 'LEAK_REVOKED', 'EXPIRED']) expect(actions).toContain(action);
    expect(res.data?.auditEvents.items.some((e: any) => e.actor.kind === 'SYSTEM')).toBe(true);
    const viewer = await t.gql('query($o: ID!) { auditEvents(organizationId: $o) { totalCount } }', { o: acme }, await t.login('viewer@acme.test'));
    expect(codeOf(viewer)).toBe('FORBIDDEN');
  });
});
