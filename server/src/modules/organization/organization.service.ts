import type { OrgRole } from '@pulze/shared';
import { In, type DataSource } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { Organization } from './organization.entity';
import type { Subscription } from './subscription.entity';

export class OrganizationService {
  constructor(private readonly dataSource: DataSource) {}

  /** Organizations the signed-in user belongs to, by name. */
  async listForViewer(ctx: RequestContext): Promise<Organization[]> {
    if (!ctx.access) return [];
    const ids = [...(await ctx.access.orgRoles()).keys()];
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(Organization).find({ where: { id: In(ids) }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** The organization if the caller belongs to it; NOT_FOUND otherwise. */
  async findById(ctx: RequestContext, id: string): Promise<{ organization: Organization; role: OrgRole }> {
    const role = await ctx.access?.orgRole(id);
    const organization = role ? await ctx.loaders.organization.load(id) : undefined;
    if (!organization || !role) throw notFound('Organization');
    return { organization, role };
  }

  async subscription(ctx: RequestContext, organizationId: string): Promise<Subscription> {
    const subscription = await ctx.loaders.subscriptionByOrganization.load(organizationId);
    if (!subscription) throw new Error(`organization ${organizationId} has no subscription row`);
    return subscription;
  }
}
