import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Who } from '../access/policies';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { Space } from '../space/space.entity';
import { ApiKeyUsage } from '../usage/usage.types';
import { User } from '../user/user.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeyService } from './api-key.service';
import { ApiKeyPage, ApiKeysArgs, CreateApiKeyInput, CreateApiKeyPayload, RemoveApiKeyPayload, RenameApiKeyInput } from './api-key.inputs';

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
  apiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return this.apiKeyService.findById(ctx, id);
  }

  @Authorized(Who.ApiKey)
  @Query(() => ApiKey, { description: 'The key sent as this request\'s credential (Authorization: Bearer pk_...).' })
  currentApiKey(@Ctx() ctx: RequestContext): Promise<ApiKey> {
    if (ctx.principal.kind !== 'apiKey') throw notFound('API key credential');
    return this.apiKeyService.findById(ctx, ctx.principal.keyId);
  }

  @Authorized()
  @Mutation(() => CreateApiKeyPayload)
  createApiKey(@Ctx() ctx: RequestContext, @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    return this.apiKeyService.create(ctx, input);
  }

  @Authorized()
  @Mutation(() => ApiKey, { description: 'Renames a key (whoever may remove it may rename it).' })
  renameApiKey(@Ctx() ctx: RequestContext, @Arg('input', () => RenameApiKeyInput) input: RenameApiKeyInput): Promise<ApiKey> {
    return this.apiKeyService.rename(ctx, input.id, input.name);
  }

  @Authorized()
  @Mutation(() => RemoveApiKeyPayload)
  removeApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<RemoveApiKeyPayload> {
    return this.apiKeyService.remove(ctx, id);
  }

  @FieldResolver(() => Space)
  async space(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<Space> {
    const space = await ctx.loaders.space.load(key.spaceId);
    if (!space) throw notFound('Space');
    return space;
  }

  @FieldResolver(() => User)
  async owner(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<User> {
    const owner = await ctx.loaders.user.load(key.ownerId);
    if (!owner) throw notFound('User');
    return owner;
  }

  @FieldResolver(() => Boolean)
  viewerCanRemove(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<boolean> {
    return this.apiKeyService.viewerCanRemove(ctx, key);
  }

  @FieldResolver(() => ApiKeyUsage)
  usage(@Ctx() ctx: RequestContext, @Root() key: ApiKey): Promise<ApiKeyUsage> {
    return ctx.loaders.usage.load(key.id);
  }
}
