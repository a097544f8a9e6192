import { randomUUID } from 'node:crypto';
import { readSessionCaller } from '../src/modules/access/session-caller';
import { OrganizationMember } from '../src/modules/organization/organization-member.entity';
import { User } from '../src/modules/user/user.entity';
import { TEST_DB } from './helpers/database';
import { addOrganizationMember, addSpaceMember, newOrganization, newSpace, newUser, TEST_PASSWORD } from './helpers/factories';
import { signIn } from './helpers/signin';
import { codeOf, startTestApp, type TestApp } from './helpers/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ SEED_DEMO: 'false' });
});
afterAll(async () => {
  await t?.stop();
});

describe(`a session's caller, read in one statement, on ${TEST_DB}`, () => {
  it('answers exactly the user’s roles, whether the user exists and whether the token was signed out', async () => {
    const user = await newUser(t.dataSource);
    const bystander = await newUser(t.dataSource);
    const [a, b] = [await newOrganization(t.dataSource), await newOrganization(t.dataSource)];
    const [a1, a2, b1] = [await newSpace(t.dataSource, a), await newSpace(t.dataSource, a), await newSpace(t.dataSource, b)];
    await addOrganizationMember(t.dataSource, a, user, 'ADMIN');
    await addOrganizationMember(t.dataSource, b, user, 'MEMBER');
    await addOrganizationMember(t.dataSource, a, bystander, 'OWNER');
    await addSpaceMember(t.dataSource, a1, user, 'EDITOR');
    await addSpaceMember(t.dataSource, b1, user, 'VIEWER');
    await addSpaceMember(t.dataSource, a2, bystander, 'ADMIN');

    const tokenId = randomUUID();
    const caller = await readSessionCaller(t.dataSource, user.id, tokenId);
    expect(caller.userExists).toBe(true);
    expect(caller.revoked).toBe(false);
    expect(Object.fromEntries(caller.roles.org)).toEqual({ [a.id]: 'ADMIN', [b.id]: 'MEMBER' });
    expect(Object.fromEntries(caller.roles.space)).toEqual({ [a1.id]: 'EDITOR', [b1.id]: 'VIEWER' });

    await t.app.services.auth.logout({ kind: 'user', userId: user.id, session: { tokenId, expiresAt: new Date(Date.now() + 60_000) } });
    expect((await readSessionCaller(t.dataSource, user.id, tokenId)).revoked).toBe(true);
    // Another token of the same user is not signed out.
    expect((await readSessionCaller(t.dataSource, user.id, randomUUID())).revoked).toBe(false);

    const nobody = await readSessionCaller(t.dataSource, randomUUID(), randomUUID());
    expect(nobody).toEqual({ userExists: false, revoked: false, roles: { org: new Map(), space: new Map() } });
  });

  it('reads roles afresh on every request: a membership removed refuses the next one', async () => {
    const user = await newUser(t.dataSource);
    const org = await newOrganization(t.dataSource);
    await addOrganizationMember(t.dataSource, org, user, 'MEMBER');
    const { token } = await signIn(t.url, user.email, TEST_PASSWORD);
    const ORG = 'query($id: ID!) { organization(id: $id) { id } }';
    expect((await t.gql(ORG, { id: org.id }, token)).data?.organization.id).toBe(org.id);
    await t.dataSource.getRepository(OrganizationMember).delete({ organizationId: org.id, userId: user.id });
    expect(codeOf(await t.gql(ORG, { id: org.id }, token))).toBe('NOT_FOUND');
  });

  it('refuses the token of a user who no longer exists', async () => {
    const user = await newUser(t.dataSource);
    const { token } = await signIn(t.url, user.email, TEST_PASSWORD);
    expect((await t.gql('{ viewer { id } }', {}, token)).data?.viewer.id).toBe(user.id);
    await t.dataSource.getRepository(User).delete({ id: user.id });
    const gone = await t.gql('{ viewer { id } }', {}, token);
    expect(codeOf(gone)).toBe('UNAUTHENTICATED');
    expect(gone.errors?.[0]?.message).toBe('This account no longer exists.');
  });
});
