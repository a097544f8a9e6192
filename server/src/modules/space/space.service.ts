import { checkName, LIMITS } from '@pulze/shared';
import { IsNull, type DataSource } from 'typeorm';
import { newId } from '../../db/columns';
import type { Context } from '../../graphql/context';
import { badInput, forbidden, notFound } from '../../graphql/errors';
import type { KeyEvents } from '../../lib/key-events';
import { policies, type Roles } from '../access/policies';
import { keyAvailability, type OrganizationService } from '../organization/organization.service';
import { Space } from './space.entity';

export interface CreateSpaceArgs {
  organizationId: string;
  name: string;
  logoUrl?: string | null | undefined;
}

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

export class SpaceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationService,
    private readonly events: KeyEvents,
  ) {}

  /** The caller's roles for a space they can see; NOT_FOUND when they cannot (or it is deleted). */
  async findVisible(ctx: Context, id: string): Promise<{ space: Space; roles: Roles }> {
    const space = await ctx.loaders.space.load(id);
    if (!space || space.deletedAt) throw notFound('Space');
    if (ctx.principal.kind === 'apiKey') {
      if (ctx.principal.spaceId !== id) throw forbidden('An API key can only read its own key and space.');
      return { space, roles: { org: undefined, space: undefined } };
    }
    const roles = ctx.access ? await ctx.access.rolesFor(space) : { org: undefined, space: undefined };
    if (!policies.canSeeSpace(roles)) throw notFound('Space');
    return { space, roles };
  }

  async listVisible(ctx: Context, organizationId: string): Promise<Space[]> {
    return ctx.access ? ctx.access.visibleSpaces(organizationId) : [];
  }

  async roles(ctx: Context, space: Space): Promise<Roles> {
    return ctx.access ? ctx.access.rolesFor(space) : { org: undefined, space: undefined };
  }

  async viewerCanCreateApiKeys(ctx: Context, space: Space): Promise<boolean> {
    if (!policies.canCreateKey(await this.roles(ctx, space))) return false;
    const subscription = await this.organizations.subscription(ctx, space.organizationId);
    return keyAvailability(subscription) === 'AVAILABLE';
  }

  async create(ctx: Context, args: CreateSpaceArgs): Promise<Space> {
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
    await this.dataSource.getRepository(Space).insert(space);
    return space;
  }

  /** Deletes a space: its keys stop working at once and leave every list; their rows stay. */
  async delete(ctx: Context, id: string): Promise<boolean> {
    const { space, roles } = await this.findVisible(ctx, id);
    if (!policies.canManageSpaces(roles.org)) throw forbidden('Only organization owners and admins can delete spaces.');
    const result = await this.dataSource
      .getRepository(Space)
      .update({ id: space.id, deletedAt: IsNull() }, { deletedAt: new Date() });
    if (!result.affected) throw notFound('Space');
    ctx.loaders.space.clear(space.id);
    this.events.invalidate({ kind: 'space', spaceId: space.id });
    return true;
  }
}
