import type { SpaceRole } from '@pulze/shared';
import { addOrganizationMember, addSpaceMember, newOrganization, newSpace, newUser, type OrganizationRef, type SpaceRef, type UserRef } from './factories';
import type { TestApp } from './test-app';

export interface OwnedSpace {
  org: OrganizationRef;
  space: SpaceRef;
  owner: UserRef;
  /** The owner's session token. */
  token: string;
}

/** A new organization with one space and its owner, signed in: the world a test of one owner's keys starts from. */
export async function ownedSpace(t: Pick<TestApp, 'dataSource' | 'login'>): Promise<OwnedSpace> {
  const org = await newOrganization(t.dataSource);
  const space = await newSpace(t.dataSource, org);
  const owner = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, owner, 'OWNER');
  const token = await t.login(owner.email, owner.password);
  return { org, space, owner, token };
}

/** A new user who is a plain member of the organization and has `role` in its space. */
export async function newSpaceMember(t: Pick<TestApp, 'dataSource'>, { org, space }: Pick<OwnedSpace, 'org' | 'space'>, role: SpaceRole): Promise<UserRef> {
  const user = await newUser(t.dataSource);
  await addOrganizationMember(t.dataSource, org, user, 'MEMBER');
  await addSpaceMember(t.dataSource, space, user, role);
  return user;
}
