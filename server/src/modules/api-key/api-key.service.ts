import { createHash } from 'node:crypto';
import { checkName, generateApiKey, LIMITS, maskApiKey } from '@pulze/shared';
import { In, IsNull, type DataSource } from 'typeorm';
import { newId } from '../../db/columns';
import type { Context } from '../../graphql/context';
import { badInput, forbidden, notFound, planUpgradeRequired, subscriptionInactive } from '../../graphql/errors';
import { checkPageRequest, containsPattern, LIKE_ESCAPE, toPage, type Page } from '../../graphql/pagination';
import type { KeyEvents } from '../../lib/key-events';
import { policies } from '../access/policies';
import { keyAvailability, type OrganizationService } from '../organization/organization.service';
import type { SpaceService } from '../space/space.service';
import { ApiKey } from './api-key.entity';
import type { ApiKeysArgs, CreateApiKeyInput } from './api-key.inputs';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Lower-cased form used for search, identical on every driver. */
export const searchForm = (text: string): string => text.normalize('NFKC').toLowerCase();

/** The stored row of a new key: only its hash and masked preview, never the key itself. */
export function newApiKeyRow(args: {
  secret: string;
  name: string;
  organizationId: string;
  spaceId: string;
  ownerId: string;
  createdAt?: Date;
  id?: string;
}): ApiKey {
  return Object.assign(new ApiKey(), {
    id: args.id ?? newId(),
    name: args.name,
    searchName: searchForm(args.name),
    organizationId: args.organizationId,
    spaceId: args.spaceId,
    ownerId: args.ownerId,
    keyHash: hashApiKey(args.secret),
    maskedKey: maskApiKey(args.secret),
    createdAt: args.createdAt ?? new Date(),
    lastUsedAt: null,
    removedAt: null,
    removedById: null,
  });
}

export class ApiKeyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationService,
    private readonly spaces: SpaceService,
    private readonly events: KeyEvents,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(ApiKey);
  }

  /** Keys not removed, in spaces the caller can see, newest first. */
  async list(ctx: Context, args: ApiKeysArgs): Promise<Page<ApiKey>> {
    await this.organizations.findById(ctx, args.organizationId);
    const paging = checkPageRequest(args);
    const search = args.search ?? '';
    if (search.length > LIMITS.searchMaxLength) {
      throw badInput(`search must be at most ${LIMITS.searchMaxLength} characters.`, 'search');
    }
    const subscription = await this.organizations.subscription(ctx, args.organizationId);
    if (keyAvailability(subscription) === 'PLAN_UPGRADE_REQUIRED') throw planUpgradeRequired();

    let spaceIds = (await this.spaces.listVisible(ctx, args.organizationId)).map((s) => s.id);
    if (args.spaceId) {
      const { space } = await this.spaces.findVisible(ctx, args.spaceId);
      if (space.organizationId !== args.organizationId) throw notFound('Space');
      spaceIds = [space.id];
    }
    if (spaceIds.length === 0) return toPage([], 0, paging);

    const query = this.repo
      .createQueryBuilder('k')
      .where('k.organizationId = :organizationId', { organizationId: args.organizationId })
      .andWhere('k.removedAt IS NULL')
      .andWhere({ spaceId: In(spaceIds) });
    const term = search.trim();
    if (term) {
      query.andWhere(`k.searchName LIKE :pattern ESCAPE '${LIKE_ESCAPE}'`, { pattern: containsPattern(searchForm(term)) });
    }
    const [items, totalCount] = await query
      .orderBy('k.createdAt', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .skip(paging.offset)
      .take(paging.pageSize)
      .getManyAndCount();
    return toPage(items, totalCount, paging);
  }

  /** A key the caller can see; NOT_FOUND for removed keys, deleted spaces and other people's keys. */
  async findById(ctx: Context, id: string): Promise<ApiKey> {
    if (ctx.principal.kind === 'apiKey' && ctx.principal.keyId !== id) {
      throw forbidden('An API key can only read its own key and space.');
    }
    const key = await this.repo.findOne({ where: { id, removedAt: IsNull() } });
    if (!key) throw notFound('API key');
    try {
      await this.spaces.findVisible(ctx, key.spaceId);
    } catch {
      throw notFound('API key');
    }
    return key;
  }

  async viewerCanRemove(ctx: Context, key: ApiKey): Promise<boolean> {
    if (!ctx.access) return false;
    const space = await ctx.loaders.space.load(key.spaceId);
    if (!space) return false;
    return policies.canRemoveKey(await ctx.access.rolesFor(space), key.ownerId === ctx.access.userId);
  }

  async create(ctx: Context, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; secret: string }> {
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
      ownerId: (ctx.access as NonNullable<Context['access']>).userId,
    });
    await this.repo.insert(apiKey);
    return { apiKey, secret };
  }

  /**
   * Renames a key; the same people who may remove it may rename it. The secret, the masked key
   * and verification are untouched.
   */
  async rename(ctx: Context, id: string, rawName: string): Promise<ApiKey> {
    const key = await this.findById(ctx, id);
    if (!(await this.viewerCanRemove(ctx, key))) {
      throw forbidden('Only organization admins, space admins and the key owner (as editor) can rename this key.');
    }
    const name = checkName(rawName, LIMITS.keyNameMaxLength);
    if (!name.ok) throw badInput(name.reason, 'name');
    const result = await this.repo.update({ id: key.id, removedAt: IsNull() }, { name: name.value, searchName: searchForm(name.value) });
    if (!result.affected) throw notFound('API key');
    return { ...key, name: name.value, searchName: searchForm(name.value) };
  }

  /** Revokes a key at once. Never blocked by the plan: revoking must always work. */
  async remove(ctx: Context, id: string): Promise<{ id: string; removedAt: Date }> {
    const key = await this.findById(ctx, id);
    if (!(await this.viewerCanRemove(ctx, key))) {
      throw forbidden('Only organization admins, space admins and the key owner (as editor) can remove this key.');
    }
    const removedAt = new Date();
    const result = await this.repo.update(
      { id: key.id, removedAt: IsNull() },
      { removedAt, removedById: (ctx.access as NonNullable<Context['access']>).userId },
    );
    if (!result.affected) throw notFound('API key');
    this.events.invalidate({ kind: 'key', keyHash: key.keyHash });
    return { id: key.id, removedAt };
  }
}
