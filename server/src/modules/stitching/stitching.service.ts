import { In, type DataSource } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { badInput, DomainError } from '../../core/errors';
import type { ApiKey } from '../api-key/api-key.entity';
import type { ApiKeyService } from '../api-key/api-key.service';
import { OrganizationMember } from '../organization/organization-member.entity';
import type { Organization } from '../organization/organization.entity';
import type { OrganizationService } from '../organization/organization.service';
import type { Space } from '../space/space.entity';
import type { SpaceService } from '../space/space.service';
import type { User } from '../user/user.entity';

/** The most ids one batch look-up answers; a gateway sends one call per merged type and page. */
export const MAX_LOOKUP_IDS = 100;

/**
 * The batch look-ups a gateway merges with (`@merge`): each answers one entry per id, in order,
 * with the same visibility as the single look-ups and `null` for whatever the caller may not see
 * (missing, removed, deleted, another organization's, outside an API key's scope).
 */
export class StitchingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeyService,
    private readonly spaces: SpaceService,
    private readonly organizations: OrganizationService,
  ) {}

  /** Keys as `apiKey(id)` sees them. */
  apiKeysByIds(ctx: RequestContext, ids: readonly string[]): Promise<(ApiKey | null)[]> {
    checkIds(ids);
    return Promise.all(ids.map((id) => hiddenAsNull(() => this.apiKeys.findById(ctx, id))));
  }

  /** Spaces the caller can see (org owners and admins: all of their organizations'; others: their own). */
  spacesByIds(ctx: RequestContext, ids: readonly string[]): Promise<(Space | null)[]> {
    checkIds(ids);
    return Promise.all(ids.map((id) => hiddenAsNull(async () => (await this.spaces.visible(ctx, id))?.space ?? null)));
  }

  /** Organizations the caller belongs to, as `organization(id)` sees them. */
  organizationsByIds(ctx: RequestContext, ids: readonly string[]): Promise<(Organization | null)[]> {
    checkIds(ids);
    return Promise.all(ids.map((id) => hiddenAsNull(async () => (await this.organizations.findById(ctx, id)).organization)));
  }

  /**
   * Users the signed-in caller knows: the caller, and the members of every organization the caller
   * belongs to (whatever their spaces): the people an organization's key lists can name as owners.
   */
  async usersByIds(ctx: RequestContext, ids: readonly string[]): Promise<(User | null)[]> {
    checkIds(ids);
    const access = ctx.access;
    if (!access || ids.length === 0) return ids.map(() => null);
    const organizationIds = [...(await access.orgRoles()).keys()];
    const others = [...new Set(ids.filter((id) => id !== access.userId))];
    const shared =
      organizationIds.length === 0 || others.length === 0
        ? []
        : await this.dataSource.getRepository(OrganizationMember).find({
            select: { userId: true },
            where: { userId: In(others), organizationId: In(organizationIds) },
          });
    const known = new Set([access.userId, ...shared.map((m) => m.userId)]);
    return Promise.all(ids.map(async (id) => (known.has(id) ? ((await ctx.loaders.user.load(id)) ?? null) : null)));
  }
}

function checkIds(ids: readonly string[]): void {
  if (ids.length > MAX_LOOKUP_IDS) throw badInput(`At most ${MAX_LOOKUP_IDS} ids per look-up.`, 'ids');
}

/** NOT_FOUND and FORBIDDEN (an API key outside its scope) become null; anything else is an error. */
async function hiddenAsNull<T>(find: () => Promise<T | null>): Promise<T | null> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) return null;
    throw error;
  }
}
