import { randomUUID } from 'node:crypto';
import { generateApiKey, type OrgRole, type Plan, type SpaceRole, type SubscriptionStatus } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import { ApiKey } from '../../src/modules/api-key/api-key.entity';
import { newApiKeyRow } from '../../src/modules/api-key/api-key.model';
import { changeLiveKeys } from '../../src/modules/api-key/key-counts';
import { insertKeyWords } from '../../src/modules/api-key/key-search';
import { hashPassword } from '../../src/modules/auth/password';
import { Organization } from '../../src/modules/organization/organization.entity';
import { OrganizationMember } from '../../src/modules/organization/organization-member.entity';
import { Subscription } from '../../src/modules/organization/subscription.entity';
import { Space } from '../../src/modules/space/space.entity';
import { SpaceMember } from '../../src/modules/space/space-member.entity';
import { User } from '../../src/modules/user/user.entity';

/**
 * Small factories that write one row (or two) through the data source, so a test builds exactly
 * the world it needs instead of leaning on the demo data. Every name and email is unique.
 */

let sequence = 0;
const unique = (what: string) => `${what} ${++sequence}-${randomUUID().slice(0, 8)}`;

export interface OrganizationRef {
  id: string;
  name: string;
  plan: Plan;
  status: SubscriptionStatus;
}

export async function newOrganization(
  ds: DataSource,
  options: { name?: string; plan?: Plan; status?: SubscriptionStatus } = {},
): Promise<OrganizationRef> {
  const org = { id: randomUUID(), name: options.name ?? unique('Org'), plan: options.plan ?? 'PULZE_X_SUITE', status: options.status ?? 'ACTIVE' };
  const now = new Date();
  await ds.getRepository(Organization).insert({ id: org.id, name: org.name, createdAt: now });
  await ds.getRepository(Subscription).insert({
    id: randomUUID(),
    organizationId: org.id,
    plan: org.plan,
    status: org.status,
    currentPeriodEnd: new Date(now.getTime() + (org.status === 'ACTIVE' ? 30 : -10) * 86_400_000),
    updatedAt: now,
  });
  return org;
}

export const TEST_PASSWORD = 'factory-password';

export interface UserRef {
  id: string;
  email: string;
  password: string;
}

export async function newUser(ds: DataSource, options: { email?: string; name?: string; password?: string } = {}): Promise<UserRef> {
  const id = randomUUID();
  const email = (options.email ?? `user-${id}@factory.test`).toLowerCase();
  const password = options.password ?? TEST_PASSWORD;
  await ds.getRepository(User).insert({
    id,
    email,
    name: options.name ?? unique('User'),
    avatarUrl: null,
    passwordHash: await hashPassword(password),
    createdAt: new Date(),
  });
  return { id, email, password };
}

export interface SpaceRef {
  id: string;
  name: string;
  organizationId: string;
}

export async function newSpace(ds: DataSource, org: Pick<OrganizationRef, 'id'>, options: { name?: string } = {}): Promise<SpaceRef> {
  const space = { id: randomUUID(), name: options.name ?? unique('Space'), organizationId: org.id };
  await ds.getRepository(Space).insert({ ...space, logoUrl: null, createdAt: new Date(), deletedAt: null });
  return space;
}

export async function addOrganizationMember(ds: DataSource, org: Pick<OrganizationRef, 'id'>, user: Pick<UserRef, 'id'>, role: OrgRole): Promise<void> {
  await ds.getRepository(OrganizationMember).insert({ organizationId: org.id, userId: user.id, role });
}

export async function addSpaceMember(ds: DataSource, space: Pick<SpaceRef, 'id'>, user: Pick<UserRef, 'id'>, role: SpaceRole): Promise<void> {
  await ds.getRepository(SpaceMember).insert({ spaceId: space.id, userId: user.id, role });
}

/** Changes a member's role in a space (or adds it). */
export async function setSpaceRole(ds: DataSource, space: Pick<SpaceRef, 'id'>, user: Pick<UserRef, 'id'>, role: SpaceRole): Promise<void> {
  await ds.getRepository(SpaceMember).upsert({ spaceId: space.id, userId: user.id, role }, ['spaceId', 'userId']);
}

export interface KeyRef {
  id: string;
  secret: string;
  name: string;
  spaceId: string;
}

/** A stored key, built the way the service builds one (hash, mask, search form). */
export async function newKey(
  ds: DataSource,
  space: Pick<SpaceRef, 'id' | 'organizationId'>,
  owner: Pick<UserRef, 'id'>,
  options: { name?: string; createdAt?: Date } = {},
): Promise<KeyRef> {
  const secret = generateApiKey();
  const row = newApiKeyRow({
    secret,
    name: options.name ?? unique('Key'),
    organizationId: space.organizationId,
    spaceId: space.id,
    ownerId: owner.id,
    createdAt: options.createdAt,
  });
  // As the service stores a key: the row, its space's maintained count and its search words, in one transaction.
  await ds.transaction(async (manager) => {
    await manager.getRepository(ApiKey).insert(row);
    await changeLiveKeys(manager, row, 1);
    await insertKeyWords(manager, [row]);
  });
  return { id: row.id, secret, name: row.name, spaceId: space.id };
}
