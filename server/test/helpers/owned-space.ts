import { addOrganizationMember, newOrganization, newSpace, newUser, type OrganizationRef, type SpaceRef, type UserRef } from './factories';
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
