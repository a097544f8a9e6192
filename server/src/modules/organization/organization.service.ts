import { API_KEYS_PLAN, type OrgRole } from '@pulze/shared';
import { In, type DataSource } from 'typeorm';
import type { Context } from '../../graphql/context';
import { notFound } from '../../graphql/errors';
import { User } from '../user/user.entity';
import { Organization } from './organization.entity';
import type { Subscription } from './subscription.entity';

export type KeyAvailability = 'AVAILABLE' | 'PLAN_UPGRADE_REQUIRED' | 'SUBSCRIPTION_INACTIVE';

/** Whether an organization's subscription lets its keys be created and used. */
export function keyAvailability(subscription: Pick<Subscription, 'plan' | 'status'> | undefined): KeyAvailability {
  if (!subscription || subscription.plan !== API_KEYS_PLAN) return 'PLAN_UPGRADE_REQUIRED';
  return subscription.status === 'ACTIVE' ? 'AVAILABLE' : 'SUBSCRIPTION_INACTIVE';
}

export class OrganizationService {
  constructor(private readonly dataSource: DataSource) {}

  /** A user of the identity provider, matched by verified email. */
  findUserByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { email: email.toLowerCase() } });
  }

  /** Organizations the signed-in user belongs to, by name. */
  async listForViewer(ctx: Context): Promise<Organization[]> {
    if (!ctx.access) return [];
    const ids = [...(await ctx.access.orgRoles()).keys()];
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(Organization).find({ where: { id: In(ids) }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** The organization if the caller belongs to it; NOT_FOUND otherwise. */
  async findById(ctx: Context, id: string): Promise<{ organization: Organization; role: OrgRole }> {
    const role = await ctx.access?.orgRole(id);
    const organization = role ? await ctx.loaders.organization.load(id) : undefined;
    if (!organization || !role) throw notFound('Organization');
    return { organization, role };
  }

  async subscription(ctx: Context, organizationId: string): Promise<Subscription> {
    const subscription = await ctx.loaders.subscriptionByOrganization.load(organizationId);
    if (!subscription) throw new Error(`organization ${organizationId} has no subscription row`);
    return subscription;
  }
}
