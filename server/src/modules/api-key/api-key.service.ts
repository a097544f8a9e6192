import { checkName, checkSearch, generateApiKey, LIMITS } from '@pulze/shared';
import { IsNull, type DataSource } from 'typeorm';
import { userActor, type RequestContext } from '../../core/context';
import { badInput, forbidden, notFound, planUpgradeRequired, subscriptionInactive } from '../../core/errors';
import { checkPageRequest, toPage, type Page } from '../../core/pagination';
import type { UnitOfWork } from '../../core/transaction';
import { checkKeyScope, keyAvailability, policies } from '../access/policies';
import type { OrganizationService } from '../organization/organization.service';
import type { SpaceService } from '../space/space.service';
import { ApiKey } from './api-key.entity';
import { keyRef, newApiKeyRow, searchForm } from './api-key.model';
import { ApiKeyRepository } from './api-key.repository';

export interface ListApiKeysArgs {
  organizationId: string;
  spaceId?: string | null;
  search?: string | null;
  page: number;
  pageSize: number;
}

export class ApiKeyService {
  private readonly keys: ApiKeyRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationService,
    private readonly spaces: SpaceService,
    private readonly uow: UnitOfWork,
  ) {
    this.keys = new ApiKeyRepository(dataSource);
  }

  /** Keys not removed, in spaces the caller can see, newest first. */
  async list(ctx: RequestContext, args: ListApiKeysArgs): Promise<Page<ApiKey> & { totalCountIsCapped: boolean }> {
    await this.organizations.findById(ctx, args.organizationId);
    const paging = checkPageRequest(args);
    const subscription = await this.organizations.subscription(ctx, args.organizationId);
    if (keyAvailability(subscription) === 'PLAN_UPGRADE_REQUIRED') throw planUpgradeRequired();

    let spaceIds = (await this.spaces.listVisible(ctx, args.organizationId)).map((s) => s.id);
    if (args.spaceId) {
      const { space } = await this.spaces.findVisible(ctx, args.spaceId);
      if (space.organizationId !== args.organizationId) throw notFound('Space');
      spaceIds = [space.id];
    }
    if (spaceIds.length === 0) return { ...toPage([], 0, paging), totalCountIsCapped: false };
    const search = checkSearch(args.search);
    if (!search.ok) throw badInput(search.reason, 'search');
    const { items, totalCount, totalCountIsCapped } = await this.keys.page({
      organizationId: args.organizationId,
      spaceIds,
      search: search.value,
      offset: paging.offset,
      limit: paging.pageSize,
    });
    return { ...toPage(items, totalCount, paging), totalCountIsCapped };
  }

  /** A key the caller can see; NOT_FOUND for removed keys, deleted spaces and other people's keys. */
  async findById(ctx: RequestContext, id: string): Promise<ApiKey> {
    checkKeyScope(ctx.principal, { keyId: id });
    const key = await this.dataSource.getRepository(ApiKey).findOne({ where: { id, removedAt: IsNull() } });
    if (!key || !(await this.spaces.visible(ctx, key.spaceId))) throw notFound('API key');
    return key;
  }

  async viewerCanRemove(ctx: RequestContext, key: ApiKey): Promise<boolean> {
    if (!ctx.access) return false;
    const space = await ctx.loaders.space.load(key.spaceId);
    if (!space) return false;
    return policies.canRemoveKey(await ctx.access.rolesFor(space), key.ownerId === ctx.access.userId);
  }

  async create(ctx: RequestContext, input: { spaceId: string; name: string }): Promise<{ apiKey: ApiKey; secret: string }> {
    const actor = userActor(ctx);
    const { space, roles } = await this.spaces.findVisible(ctx, input.spaceId);
    if (!policies.canCreateKey(roles)) throw forbidden('You need to be an admin or editor of this space to create keys.');
    const availability = keyAvailability(await this.organizations.subscription(ctx, space.organizationId));
    if (availability === 'PLAN_UPGRADE_REQUIRED') throw planUpgradeRequired();
    if (availability === 'SUBSCRIPTION_INACTIVE') throw subscriptionInactive();
    const name = checkName(input.name, LIMITS.keyNameMaxLength);
    if (!name.ok) throw badInput(name.reason, 'name');

    const secret = generateApiKey();
    const apiKey = newApiKeyRow({
      secret,
      name: name.value,
      organizationId: space.organizationId,
      spaceId: space.id,
      ownerId: actor.userId,
    });
    await this.uow.withTransaction(ctx, async (tx) => {
      await tx.manager.getRepository(ApiKey).insert(apiKey);
      await tx.raise({ type: 'apiKey.created', key: keyRef(apiKey), after: { name: apiKey.name, spaceId: apiKey.spaceId } });
    });
    return { apiKey, secret };
  }

  /**
   * Renames a key; the same people who may remove it may rename it. The secret, the masked key
   * and verification are untouched.
   */
  async rename(ctx: RequestContext, id: string, rawName: string): Promise<ApiKey> {
    userActor(ctx);
    const key = await this.findById(ctx, id);
    if (!(await this.viewerCanRemove(ctx, key))) {
      throw forbidden('Only organization admins, space admins and the key owner (as editor) can rename this key.');
    }
    const name = checkName(rawName, LIMITS.keyNameMaxLength);
    if (!name.ok) throw badInput(name.reason, 'name');
    const renamed = { ...key, name: name.value, searchName: searchForm(name.value) };
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager
        .getRepository(ApiKey)
        .update({ id: key.id, removedAt: IsNull() }, { name: renamed.name, searchName: renamed.searchName });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.renamed', key: keyRef(key), before: { name: key.name }, after: { name: renamed.name } });
    });
    return renamed;
  }

  /** Revokes a key at once. Never blocked by the plan: revoking must always work. */
  async remove(ctx: RequestContext, id: string): Promise<{ id: string; removedAt: Date }> {
    const actor = userActor(ctx);
    const key = await this.findById(ctx, id);
    if (!(await this.viewerCanRemove(ctx, key))) {
      throw forbidden('Only organization admins, space admins and the key owner (as editor) can remove this key.');
    }
    const removedAt = new Date();
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager
        .getRepository(ApiKey)
        .update({ id: key.id, removedAt: IsNull() }, { removedAt, removedById: actor.userId });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.removed', key: keyRef(key) });
    });
    return { id: key.id, removedAt };
  }
}
