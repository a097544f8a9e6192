import { checkName, checkSearch, generateApiKey, LIMITS, maskApiKey, type ApiKeyStatus } from '@pulze/shared';
import { IsNull, type DataSource } from 'typeorm';
import { userActor, type RequestContext } from '../../core/context';
import { badInput, DomainError, forbidden, notFound, planUpgradeRequired, subscriptionInactive } from '../../core/errors';
import { checkPageRequest, toPage, type Page } from '../../core/pagination';
import type { UnitOfWork } from '../../core/transaction';
import { checkKeyScope, keyAvailability, policies } from '../access/policies';
import { Organization } from '../organization/organization.entity';
import type { OrganizationService } from '../organization/organization.service';
import type { SpaceService } from '../space/space.service';
import { ApiKey } from './api-key.entity';
import { budgetOf, checkBudget, type Budget } from '../spend/budget.model';
import { checkAllowedModels } from '../spend/model-allowlist';
import {
  checkBudgetWithin,
  checkModelsWithin,
  checkOrganizationKeyLimits,
  checkTokensPerMinute,
  checkTokensWithin,
  keyLimitsOf,
  type OrganizationKeyLimits,
} from '../spend/key-limits.model';
import { checkAllowedCidrs } from './allowed-cidrs';
import { apiKeyStatus, checkExpiresAt, expiryAfterRoll, hashApiKey, keyRef, newApiKeyRow, searchForm } from './api-key.model';
import { ApiKeyRepository } from './api-key.repository';
import { RetiredKeySecret } from './retired-key-secret.entity';

export interface ListApiKeysArgs {
  organizationId: string;
  spaceId?: string | null;
  search?: string | null;
  status?: ApiKeyStatus | null;
  page: number;
  pageSize: number;
}

export interface CreateApiKeyArgs {
  spaceId: string;
  name: string;
  expiresAt?: Date | null;
  allowedCidrs?: string[] | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
const CHANGERS = 'organization admins, space admins and the key owner (as editor)';

/** A read started now and awaited later: a failure is kept for that await, never unhandled meanwhile. */
function overlapped<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
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
    // The reads overlap (the first page waits for round trips, not for the CPU); their results are
    // checked in the same order as ever, so the first rule that fails still answers.
    // rolesFor reads the caller's organization and space roles once per request: start both now.
    void ctx.access?.rolesFor({ id: '', organizationId: args.organizationId }).catch(() => undefined);
    // The organization's row is read with the roles; findById answers it only to a member.
    if (ctx.access) void ctx.loaders.organization.load(args.organizationId).catch(() => undefined);
    const organization = overlapped(this.organizations.findById(ctx, args.organizationId));
    const subscriptionRead = overlapped(this.organizations.subscription(ctx, args.organizationId));
    const visibleRead = overlapped(this.spaces.listVisible(ctx, args.organizationId));
    await organization;
    const paging = checkPageRequest(args);
    if (keyAvailability(await subscriptionRead) === 'PLAN_UPGRADE_REQUIRED') throw planUpgradeRequired();

    const visible = await visibleRead;
    // The rows' `space` fields need no query of their own.
    for (const space of visible) ctx.loaders.space.prime(space.id, space);
    let spaceIds = visible.map((s) => s.id);
    if (args.spaceId) {
      const { space } = await this.spaces.findVisible(ctx, args.spaceId);
      if (space.organizationId !== args.organizationId) throw notFound('Space');
      spaceIds = [space.id];
    }
    if (spaceIds.length === 0) return { ...toPage([], 0, paging), totalCountIsCapped: false };
    const search = checkSearch(args.search);
    if (!search.ok) throw badInput(search.reason, 'search');
    const { items, owners, totalCount, totalCountIsCapped } = await this.keys.page({
      organizationId: args.organizationId,
      spaceIds,
      search: search.value,
      ...(args.status ? { status: args.status, now: new Date() } : {}),
      offset: paging.offset,
      limit: paging.pageSize,
    });
    // The rows' `owner` fields need no query of their own when the page read its owners.
    for (const user of owners ?? []) ctx.loaders.user.prime(user.id, user);
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

  async create(ctx: RequestContext, input: CreateApiKeyArgs): Promise<{ apiKey: ApiKey; secret: string }> {
    const actor = userActor(ctx);
    const { space, roles } = await this.spaces.findVisible(ctx, input.spaceId);
    if (!policies.canCreateKey(roles)) throw forbidden('You need to be an admin or editor of this space to create keys.');
    const availability = keyAvailability(await this.organizations.subscription(ctx, space.organizationId));
    if (availability === 'PLAN_UPGRADE_REQUIRED') throw planUpgradeRequired();
    if (availability === 'SUBSCRIPTION_INACTIVE') throw subscriptionInactive();
    const name = checkName(input.name, LIMITS.keyNameMaxLength);
    if (!name.ok) throw badInput(name.reason, 'name');
    const now = new Date();
    const expiry = checkExpiresAt(input.expiresAt, now, await this.maxKeyLifetimeDays(ctx, space.organizationId));
    if (!expiry.ok) throw badInput(expiry.reason, 'expiresAt');
    const cidrs = checkAllowedCidrs(input.allowedCidrs ?? []);
    if (!cidrs.ok) throw badInput(cidrs.reason, 'allowedCidrs');

    const secret = generateApiKey();
    const apiKey = newApiKeyRow({
      secret,
      name: name.value,
      organizationId: space.organizationId,
      spaceId: space.id,
      ownerId: actor.userId,
      createdAt: now,
      expiresAt: expiry.value,
      allowedCidrs: cidrs.value,
    });
    await this.uow.withTransaction(ctx, async (tx) => {
      await tx.manager.getRepository(ApiKey).insert(apiKey);
      await tx.raise({
        type: 'apiKey.created',
        key: keyRef(apiKey),
        after: { name: apiKey.name, spaceId: apiKey.spaceId, expiresAt: iso(apiKey.expiresAt), allowedCidrs: apiKey.allowedCidrs },
      });
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
    const renamed = Object.assign(new ApiKey(), key, { name: name.value, searchName: searchForm(name.value) });
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

  /** A key the caller may change (disable, enable, roll, rename, allowlist): whoever may remove it. */
  private async changeableKey(ctx: RequestContext, id: string, verb: string): Promise<ApiKey> {
    userActor(ctx);
    const key = await this.findById(ctx, id);
    if (!(await this.viewerCanRemove(ctx, key))) throw forbidden(`Only ${CHANGERS} can ${verb} this key.`);
    return key;
  }

  private async maxKeyLifetimeDays(ctx: RequestContext, organizationId: string): Promise<number | null> {
    return (await ctx.loaders.organization.load(organizationId))?.maxKeyLifetimeDays ?? null;
  }

  /**
   * Pauses a key: verification answers DISABLED on this node's next request and within a second
   * everywhere. Its secret, usage and history stay; enableApiKey restores it. Disabling a disabled
   * key changes nothing.
   */
  async disable(ctx: RequestContext, id: string): Promise<ApiKey> {
    const key = await this.changeableKey(ctx, id, 'disable');
    if (key.disabledAt) return key;
    const disabledAt = new Date();
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull(), disabledAt: IsNull() }, { disabledAt });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.disabled', key: keyRef(key), before: { status: apiKeyStatus(key, disabledAt) }, after: { status: 'DISABLED' } });
    });
    return Object.assign(new ApiKey(), key, { disabledAt });
  }

  /** Ends a pause: the key works again with the same secret (unless it expired meanwhile). */
  async enable(ctx: RequestContext, id: string): Promise<ApiKey> {
    const key = await this.changeableKey(ctx, id, 'enable');
    if (!key.disabledAt) return key;
    const enabled = Object.assign(new ApiKey(), key, { disabledAt: null });
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager
        .getRepository(ApiKey)
        .update({ id: key.id, removedAt: IsNull(), disabledAt: key.disabledAt as Date }, { disabledAt: null });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.enabled', key: keyRef(key), before: { status: 'DISABLED' }, after: { status: apiKeyStatus(enabled) } });
    });
    return enabled;
  }

  /**
   * Gives the key a new secret, returned this once: same id, name, space, usage and rate-limit
   * window (limits count by key id). The old secret keeps working for `gracePeriodSeconds` (0..7
   * days), then answers REVOKED; a secret replaced by an earlier roll stops at once (and answers
   * REVOKED too, from api_key_retired_secrets). The key gets
   * a fresh lifetime as long as the one it had, so an expired key comes back. A removed key
   * cannot be rolled (NOT_FOUND).
   */
  async roll(ctx: RequestContext, input: { id: string; gracePeriodSeconds: number }): Promise<{ apiKey: ApiKey; secret: string }> {
    const grace = input.gracePeriodSeconds;
    if (!Number.isInteger(grace) || grace < 0 || grace > LIMITS.rollGracePeriodMaxSeconds) {
      throw badInput(`gracePeriodSeconds must be between 0 and ${LIMITS.rollGracePeriodMaxSeconds}.`, 'gracePeriodSeconds');
    }
    const key = await this.changeableKey(ctx, input.id, 'roll');
    const now = new Date();
    const secret = generateApiKey();
    const changes = {
      keyHash: hashApiKey(secret),
      maskedKey: maskApiKey(secret),
      previousKeyHash: key.keyHash,
      previousKeyExpiresAt: new Date(now.getTime() + grace * 1000),
      rolledAt: now,
      expiresAt: expiryAfterRoll(key, now, await this.maxKeyLifetimeDays(ctx, key.organizationId)),
      // A fresh lifetime: its end is recorded again when it comes.
      expiryRecordedAt: null,
    };
    await this.uow.withTransaction(ctx, async (tx) => {
      // Only from the secret this caller saw: two rolls at once must not both succeed.
      const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull(), keyHash: key.keyHash }, changes);
      if (!result.affected) throw new DomainError('BAD_USER_INPUT', 'The key was removed or rolled meanwhile; reload it and try again.');
      // The secret an earlier roll left working leaves the key: kept by hash, it answers REVOKED.
      if (key.previousKeyHash) {
        await tx.manager.getRepository(RetiredKeySecret).insert({ keyHash: key.previousKeyHash, apiKeyId: key.id, retiredAt: now });
      }
      await tx.raise({
        type: 'apiKey.rolled',
        key: keyRef(key),
        before: { maskedKey: key.maskedKey, expiresAt: iso(key.expiresAt), status: apiKeyStatus(key, now) },
        after: {
          maskedKey: changes.maskedKey,
          expiresAt: iso(changes.expiresAt),
          status: apiKeyStatus({ disabledAt: key.disabledAt, expiresAt: changes.expiresAt }, now),
          gracePeriodSeconds: grace,
          previousSecretExpiresAt: iso(changes.previousKeyExpiresAt),
        },
      });
    });
    return { apiKey: Object.assign(new ApiKey(), key, changes), secret };
  }

  /** Replaces the key's address allowlist (validated, canonical); an empty list allows any address. */
  async setAllowedCidrs(ctx: RequestContext, id: string, entries: string[]): Promise<ApiKey> {
    const key = await this.changeableKey(ctx, id, 'change the allowlist of');
    const cidrs = checkAllowedCidrs(entries);
    if (!cidrs.ok) throw badInput(cidrs.reason, 'allowedCidrs');
    if (cidrs.value.join(',') === key.allowedCidrs.join(',')) return key;
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull() }, { allowedCidrs: cidrs.value });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.allowedCidrsChanged', key: keyRef(key), before: { allowedCidrs: key.allowedCidrs }, after: { allowedCidrs: cidrs.value } });
    });
    return Object.assign(new ApiKey(), key, { allowedCidrs: cidrs.value });
  }

  /** Replaces the key's model allowlist (validated, trimmed, no duplicates); an empty list allows any model. */
  async setAllowedModels(ctx: RequestContext, id: string, entries: string[]): Promise<ApiKey> {
    const key = await this.changeableKey(ctx, id, 'change the allowed models of');
    const models = checkAllowedModels(entries);
    if (!models.ok) throw badInput(models.reason, 'allowedModels');
    const outside = checkModelsWithin(models.value, await this.keyLimits(ctx, key.organizationId));
    if (outside) throw badInput(outside.reason, outside.field);
    if (models.value.join('\n') === key.allowedModels.join('\n')) return key;
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull() }, { allowedModels: models.value });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.allowedModelsChanged', key: keyRef(key), before: { allowedModels: key.allowedModels }, after: { allowedModels: models.value } });
    });
    return Object.assign(new ApiKey(), key, { allowedModels: models.value });
  }

  /** Sets or clears (null) the key's budget; verification reads the new limit at once, in the current window. */
  async setBudget(ctx: RequestContext, id: string, budget: Budget | null): Promise<ApiKey> {
    const key = await this.changeableKey(ctx, id, 'change the budget of');
    const checked = checkBudget(budget);
    if (!checked.ok) throw badInput(checked.reason, checked.field);
    const aboveMax = checkBudgetWithin(checked.value?.limitMicros ?? null, await this.keyLimits(ctx, key.organizationId));
    if (aboveMax) throw badInput(aboveMax.reason, aboveMax.field);
    const before = budgetOf(key);
    const columns = {
      budgetLimitMicros: checked.value?.limitMicros ?? null,
      budgetPeriod: checked.value?.period ?? null,
      budgetWarnAtPercent: checked.value?.warnAtPercent ?? null,
    };
    if (JSON.stringify(before) === JSON.stringify(checked.value)) return key;
    const fields = (b: Budget | null) => ({ budgetLimitMicros: b?.limitMicros ?? null, budgetPeriod: b?.period ?? null, budgetWarnAtPercent: b?.warnAtPercent ?? null });
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull() }, columns);
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.budgetChanged', key: keyRef(key), before: fields(before), after: fields(checked.value) });
    });
    return Object.assign(new ApiKey(), key, columns);
  }

  /** The organization's maximums for its keys (none when it has set none). */
  private async keyLimits(ctx: RequestContext, organizationId: string): Promise<OrganizationKeyLimits> {
    const organization = await ctx.loaders.organization.load(organizationId);
    return organization ? keyLimitsOf(organization) : { maxBudgetMicros: null, allowedModels: [], maxTokensPerMinute: null };
  }

  /** Sets or clears (null) the key's tokens per minute, within the organization's maximum; verification applies it at once. */
  async setTokensPerMinute(ctx: RequestContext, id: string, tokensPerMinute: number | null): Promise<ApiKey> {
    const key = await this.changeableKey(ctx, id, 'change the token limit of');
    const invalid = checkTokensPerMinute(tokensPerMinute, 'tokensPerMinute') ?? checkTokensWithin(tokensPerMinute, await this.keyLimits(ctx, key.organizationId));
    if (invalid) throw badInput(invalid.reason, invalid.field);
    if (key.tokensPerMinute === tokensPerMinute) return key;
    await this.uow.withTransaction(ctx, async (tx) => {
      const result = await tx.manager.getRepository(ApiKey).update({ id: key.id, removedAt: IsNull() }, { tokensPerMinute });
      if (!result.affected) throw notFound('API key');
      await tx.raise({ type: 'apiKey.tokensPerMinuteChanged', key: keyRef(key), before: { tokensPerMinute: key.tokensPerMinute }, after: { tokensPerMinute } });
    });
    return Object.assign(new ApiKey(), key, { tokensPerMinute });
  }

  /**
   * Sets the organization's maximums for its keys (owners and admins). Keys set before keep their
   * values; verification holds each to the tighter of its own and these, on every node within 1 s.
   */
  async setOrganizationKeyLimits(ctx: RequestContext, organizationId: string, limits: OrganizationKeyLimits): Promise<Organization> {
    userActor(ctx);
    const { organization, role } = await this.organizations.findById(ctx, organizationId);
    if (!policies.canSetKeyPolicy(role)) throw forbidden("Only organization owners and admins can set the organization's key limits.");
    const checked = checkOrganizationKeyLimits(limits);
    if (!checked.ok) throw badInput(checked.reason, checked.field);
    const before = keyLimitsOf(organization);
    const after = checked.value;
    if (JSON.stringify(before) === JSON.stringify(after)) return organization;
    const columns = { keyMaxBudgetMicros: after.maxBudgetMicros, keyAllowedModels: after.allowedModels, keyMaxTokensPerMinute: after.maxTokensPerMinute };
    await this.uow.withTransaction(ctx, async (tx) => {
      await tx.manager.getRepository(Organization).update({ id: organization.id }, columns);
      await tx.raise({ type: 'organization.keyLimitsChanged', organizationId: organization.id, before: { ...before }, after: { ...after } });
    });
    ctx.loaders.organization.clear(organization.id);
    return Object.assign(new Organization(), organization, columns);
  }

  /** Sets the longest lifetime of keys created or rolled from now on (1..730 days, null for none): owners and admins. */
  async setMaxKeyLifetime(ctx: RequestContext, organizationId: string, days: number | null): Promise<Organization> {
    userActor(ctx);
    const { organization, role } = await this.organizations.findById(ctx, organizationId);
    if (!policies.canSetKeyPolicy(role)) throw forbidden('Only organization owners and admins can set the maximum key lifetime.');
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > LIMITS.maxKeyLifetimeDaysMax)) {
      throw badInput(`maxKeyLifetimeDays must be between 1 and ${LIMITS.maxKeyLifetimeDaysMax}, or null.`, 'maxKeyLifetimeDays');
    }
    if (organization.maxKeyLifetimeDays === days) return organization;
    await this.uow.withTransaction(ctx, async (tx) => {
      await tx.manager.getRepository(Organization).update({ id: organization.id }, { maxKeyLifetimeDays: days });
      await tx.raise({
        type: 'organization.keyPolicyChanged',
        organizationId: organization.id,
        before: { maxKeyLifetimeDays: organization.maxKeyLifetimeDays },
        after: { maxKeyLifetimeDays: days },
      });
    });
    ctx.loaders.organization.clear(organization.id);
    return Object.assign(new Organization(), organization, { maxKeyLifetimeDays: days });
  }
}
