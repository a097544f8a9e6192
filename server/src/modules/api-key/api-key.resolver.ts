import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Who } from '../access/policies';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { Space } from '../space/space.entity';
import { ApiKeyUsage } from '../usage/usage.types';
import { checkUsageRange, type UsageGroupBy } from '../spend/usage-analytics.model';
import { UsageGroupByEnum, UsageRangeInput } from '../spend/usage-analytics.types';
import { User } from '../user/user.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import type { ApiKeyStatus } from '@pulze/shared';
import { Organization } from '../organization/organization.entity';
import { ApiKeyStatusEnum } from './api-key.enums';
import {
  ApiKeyPage,
  ApiKeysArgs,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RemoveApiKeyPayload,
  RenameApiKeyInput,
  RollApiKeyInput,
  SetApiKeyAllowedCidrsInput,
  SetApiKeyAllowedModelsInput,
  SetMaxKeyLifetimeInput,
} from './api-key.inputs';
import { apiKeyStatus, previousSecretExpiresAt } from './api-key.model';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  constructor(private readonly apiKeyService: ApiKeyService) {}

  @Authorized()
  @Query(() => ApiKeyPage, { description: 'Keys not removed, in spaces the viewer can see, newest first.' })
  apiKeys(@Ctx() ctx: RequestContext, @Args(() => ApiKeysArgs) args: ApiKeysArgs): Promise<ApiKeyPage> {
    return this.apiKeyService.list(ctx, args);
  }

  @Authorized(Who.ApiKey)
  @Query(() => ApiKey, { nullable: true, description: 'A key the viewer can see; NOT_FOUND error otherwise.' })
  apiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: "The key's id." }) id: string): Promise<ApiKey> {
    return this.apiKeyService.findById(ctx, id);
  }

  @Authorized(Who.ApiKey)
  @Query(() => ApiKey, { description: 'The key sent as this request\'s credential (Authorization: Bearer pk_...).' })
  currentApiKey(@Ctx() ctx: RequestContext): Promise<ApiKey> {
    if (ctx.principal.kind !== 'apiKey') throw notFound('API key credential');
    return this.apiKeyService.findById(ctx, ctx.principal.keyId);
  }

  @Authorized()
  @Mutation(() => CreateApiKeyPayload, { description: 'Creates a key in a space (organization owners and admins, space admins and editors, on an active Pulze X Suite plan). The whole key is answered once, as secret.' })
  createApiKey(@Ctx() ctx: RequestContext, @Arg('input', () => CreateApiKeyInput, { description: 'The space, name and optional expiry and address allowlist of the new key.' }) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    return this.apiKeyService.create(ctx, input);
  }

  @Authorized()
  @Mutation(() => ApiKey, { description: 'Renames a key (whoever may remove it may rename it).' })
  renameApiKey(@Ctx() ctx: RequestContext, @Arg('input', () => RenameApiKeyInput, { description: 'The key and its new name.' }) input: RenameApiKeyInput): Promise<ApiKey> {
    return this.apiKeyService.rename(ctx, input.id, input.name);
  }

  @Authorized()
  @Mutation(() => RemoveApiKeyPayload, { description: 'Removes a key: it stops working at once (on other nodes within a second, with REDIS_URL) and leaves every list. Never blocked by the plan.' })
  removeApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: "The key's id." }) id: string): Promise<RemoveApiKeyPayload> {
    return this.apiKeyService.remove(ctx, id);
  }

  @Authorized()
  @Mutation(() => ApiKey, {
    description: 'Pauses a key: verification answers DISABLED at once (within 1 s on every node). Secret, usage and history stay. Whoever may remove the key may disable it.',
  })
  disableApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: "The key's id." }) id: string): Promise<ApiKey> {
    return this.apiKeyService.disable(ctx, id);
  }

  @Authorized()
  @Mutation(() => ApiKey, { description: 'Ends a pause: the key works again with the same secret. Whoever may remove the key may enable it.' })
  enableApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: "The key's id." }) id: string): Promise<ApiKey> {
    return this.apiKeyService.enable(ctx, id);
  }

  @Authorized()
  @Mutation(() => CreateApiKeyPayload, {
    description:
      'Gives a key a new secret, returned this once (same id, name, space, usage and rate-limit window). The old secret works for gracePeriodSeconds, then answers REVOKED; ' +
      'the key gets a fresh lifetime as long as the one it had. Whoever may remove the key may roll it.',
  })
  rollApiKey(@Ctx() ctx: RequestContext, @Arg('input', () => RollApiKeyInput, { description: 'The key to roll and how long its old secret keeps working.' }) input: RollApiKeyInput): Promise<CreateApiKeyPayload> {
    return this.apiKeyService.roll(ctx, input);
  }

  @Authorized()
  @Mutation(() => ApiKey, {
    description: "Replaces a key's address allowlist (verification answers IP_NOT_ALLOWED outside it). Whoever may remove the key may change it.",
  })
  setApiKeyAllowedCidrs(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetApiKeyAllowedCidrsInput, { description: 'The key and the address ranges it may be used from.' }) input: SetApiKeyAllowedCidrsInput,
  ): Promise<ApiKey> {
    return this.apiKeyService.setAllowedCidrs(ctx, input.id, input.allowedCidrs);
  }

  @Authorized()
  @Mutation(() => ApiKey, {
    description: "Replaces a key's model allowlist (verification answers MODEL_NOT_ALLOWED outside it). Whoever may remove the key may change it.",
  })
  setApiKeyAllowedModels(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SetApiKeyAllowedModelsInput, { description: 'The key and the models it may be used for.' }) input: SetApiKeyAllowedModelsInput,
  ): Promise<ApiKey> {
    return this.apiKeyService.setAllowedModels(ctx, input.id, input.allowedModels);
  }

  @Authorized()
  @Mutation(() => Organization, { description: "Sets the organization's maxKeyLifetimeDays (organization owners and admins)." })
  setMaxKeyLifetime(@Ctx() ctx: RequestContext, @Arg('input', () => SetMaxKeyLifetimeInput, { description: 'The organization and its new maximum key lifetime.' }) input: SetMaxKeyLifetimeInput): Promise<Organization> {
    return this.apiKeyService.setMaxKeyLifetime(ctx, input.organizationId, input.maxKeyLifetimeDays ?? null);
  }

  @FieldResolver(() => ApiKeyStatusEnum, { description: 'ACTIVE, DISABLED (paused) or EXPIRED (past expiresAt), as of now.' })
  status(@Root() key: ApiKey): ApiKeyStatus {
    return apiKeyStatus(key);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'While the secret replaced by the last roll still works: when it stops. Null otherwise.',
  })
  previousSecretExpiresAt(@Root() key: ApiKey): Date | null {
    return previousSecretExpiresAt(key);
  }

  @FieldResolver(() => Space, { description: 'The space the key belongs to.' })
  async space(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<Space> {
    const space = await ctx.loaders.space.load(key.spaceId);
    if (!space) throw notFound('Space');
    return space;
  }

  @FieldResolver(() => User, { description: 'The user who created the key.' })
  async owner(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<User> {
    const owner = await ctx.loaders.user.load(key.ownerId);
    if (!owner) throw notFound('User');
    return owner;
  }

  @FieldResolver(() => Boolean, { description: 'True when the viewer may remove (and rename) this key.' })
  viewerCanRemove(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<boolean> {
    return this.apiKeyService.viewerCanRemove(ctx, key);
  }

  @FieldResolver(() => ApiKeyUsage, {
    description:
      "Requests verified with this key (the total and the last 30 days), and the gateway's reported calls, tokens, cost, latency and verification answers in a range (default: the last 30 UTC days, today included), grouped by DAY or MODEL.",
  })
  async usage(
    @Ctx() ctx: RequestContext,
    @Root() key: ApiKey,
    @Arg('range', () => UsageRangeInput, { nullable: true, description: 'UTC days, both ends included, at most 366; none: the last 30 days.' }) range?: UsageRangeInput | null,
    @Arg('groupBy', () => UsageGroupByEnum, { nullable: true, defaultValue: 'DAY', description: 'DAY (the default) or MODEL.' }) groupBy?: UsageGroupBy | null,
  ): Promise<ApiKeyUsage> {
    const days = checkUsageRange(range);
    return { ...(await ctx.loaders.usage.load(key.id)), analytics: { keyId: key.id, ...days, groupBy: groupBy ?? 'DAY' } };
  }
}
