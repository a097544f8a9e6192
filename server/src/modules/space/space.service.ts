import { checkName, LIMITS } from '@pulze/shared';
import { IsNull, type DataSource } from 'typeorm';
import { userActor, type RequestContext, type Roles } from '../../core/context';
import { badInput, forbidden, notFound } from '../../core/errors';
import type { UnitOfWork } from '../../core/transaction';
import { newId } from '../../lib/columns';
import { checkKeyScope, keyAvailability, policies } from '../access/policies';
import type { OrganizationService } from '../organization/organization.service';
import { Space } from './space.entity';

export interface CreateSpaceArgs {
  organizationId: string;
  name: string;
  logoUrl?: string | null | undefined;
}

const NO_ROLES: Roles = { org: undefined, space: undefined };

export class SpaceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationService,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * The space and the caller's roles in it, when the caller can see it; undefined when it does
   * not exist, is deleted, or is not the caller's to see. FORBIDDEN for a key outside its own space.
   */
  async visible(ctx: RequestContext, id: string): Promise<{ space: Space; roles: Roles } | undefined> {
    const space = await ctx.loaders.space.load(id);
    if (!space || space.deletedAt) return undefined;
    checkKeyScope(ctx.principal, { spaceId: id });
    if (ctx.principal.kind === 'apiKey') return { space, roles: NO_ROLES };
    const roles = await this.roles(ctx, space);
    return policies.canSeeSpace(roles) ? { space, roles } : undefined;
  }

  /** Like `visible`, with NOT_FOUND for what the caller cannot see. */
  async findVisible(ctx: RequestContext, id: string): Promise<{ space: Space; roles: Roles }> {
    const found = await this.visible(ctx, id);
    if (!found) throw notFound('Space');
    return found;
  }

  /** The spaces of an organization the signed-in user can see, by name; deleted spaces excluded. */
  async listVisible(ctx: RequestContext, organizationId: string): Promise<Space[]> {
    if (!ctx.access) return [];
    // The spaces are read while the roles are (one round trip, not two); they are answered only
    // to a member of the organization.
    const allRead = this.dataSource.getRepository(Space).find({
      where: { organizationId, deletedAt: IsNull() },
      order: { name: 'ASC', id: 'ASC' },
    });
    allRead.catch(() => undefined);
    const org = await ctx.access.orgRole(organizationId);
    if (org === undefined) return [];
    const all = await allRead;
    const visible: Space[] = [];
    for (const space of all) if (policies.canSeeSpace(await ctx.access.rolesFor(space))) visible.push(space);
    return visible;
  }

  async roles(ctx: RequestContext, space: Pick<Space, 'id' | 'organizationId'>): Promise<Roles> {
    return ctx.access ? ctx.access.rolesFor(space) : NO_ROLES;
  }

  async viewerCanCreateApiKeys(ctx: RequestContext, space: Space): Promise<boolean> {
    if (!policies.canCreateKey(await this.roles(ctx, space))) return false;
    const subscription = await this.organizations.subscription(ctx, space.organizationId);
    return keyAvailability(subscription) === 'AVAILABLE';
  }

  async create(ctx: RequestContext, args: CreateSpaceArgs): Promise<Space> {
    userActor(ctx);
    const { role } = await this.organizations.findById(ctx, args.organizationId);
    if (!policies.canManageSpaces(role)) throw forbidden('Only organization owners and admins can create spaces.');
    const name = checkName(args.name, LIMITS.spaceNameMaxLength);
    if (!name.ok) throw badInput(name.reason, 'name');
    const space = this.dataSource.getRepository(Space).create({
      id: newId(),
      organizationId: args.organizationId,
      name: name.value,
      logoUrl: checkLogoUrl(args.logoUrl),
      createdAt: new Date(),
      deletedAt: null,
    });
    await this.uow.withTransaction(ctx, (tx) => tx.manager.getRepository(Space).insert(space));
    return space;
  }

  /** Deletes a space: its keys stop working at once and leave every list; their rows stay. */
  async delete(ctx: RequestContext, id: string): Promise<boolean> {
    userActor(ctx);
    const { space, roles } = await this.findVisible(ctx, id);
    if (!policies.canManageSpaces(roles.org)) throw forbidden('Only organization owners and admins can delete spaces.');
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager.getRepository(Space).update({ id: space.id, deletedAt: IsNull() }, { deletedAt: new Date() });
      if (!result.affected) throw notFound('Space');
      await tx.raise({ type: 'space.deleted', spaceId: space.id, organizationId: space.organizationId });
    });
    ctx.loaders.space.clear(space.id);
    return true;
  }
}

/** An absolute http(s) URL of at most 500 characters, or null for none. */
function checkLogoUrl(raw: string | null | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput('Logo URL must be an absolute http(s) URL.', 'logoUrl');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || value.length > 500) {
    throw badInput('Logo URL must be an http(s) URL of at most 500 characters.', 'logoUrl');
  }
  return value;
}
