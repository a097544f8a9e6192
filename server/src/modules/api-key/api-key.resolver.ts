import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Who } from '../../graphql/auth-checker';
import type { Context } from '../../graphql/context';
import { notFound } from '../../graphql/errors';
import { Space } from '../space/space.entity';
import { ApiKeyUsage } from '../usage/usage.types';
import { User } from '../user/user.entity';
import { ApiKey } from './api-key.entity';
import { ApiKeyPage, ApiKeysArgs, CreateApiKeyInput, CreateApiKeyPayload, RemoveApiKeyPayload, RenameApiKeyInput } from './api-key.inputs';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized()
  @Query(() => ApiKeyPage, { description: 'Keys not removed, in spaces the viewer can see, newest first.' })
  apiKeys(@Ctx() ctx: Context, @Args(() => ApiKeysArgs) args: ApiKeysArgs): Promise<ApiKeyPage> {
    return ctx.services.apiKeys.list(ctx, args);
  }

  @Authorized(Who.ApiKey)
  @Query(() => ApiKey, { nullable: true, description: 'A key the viewer can see; NOT_FOUND error otherwise.' })
  apiKey(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return ctx.services.apiKeys.findById(ctx, id);
  }

  @Authorized(Who.ApiKey)
  @Query(() => ApiKey, { description: 'The key sent as this request\'s credential (Authorization: Bearer pk_...).' })
  currentApiKey(@Ctx() ctx: Context): Promise<ApiKey> {
    if (ctx.principal.kind !== 'apiKey') throw notFound('API key credential');
    return ctx.services.apiKeys.findById(ctx, ctx.principal.keyId);
  }

  @Authorized()
  @Mutation(() => CreateApiKeyPayload)
  createApiKey(@Ctx() ctx: Context, @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput): Promise<CreateApiKeyPayload> {
    return ctx.services.apiKeys.create(ctx, input);
  }

  @Authorized()
  @Mutation(() => ApiKey, { description: 'Renames a key (whoever may remove it may rename it).' })
  renameApiKey(@Ctx() ctx: Context, @Arg('input', () => RenameApiKeyInput) input: RenameApiKeyInput): Promise<ApiKey> {
    return ctx.services.apiKeys.rename(ctx, input.id, input.name);
  }

  @Authorized()
  @Mutation(() => RemoveApiKeyPayload)
  removeApiKey(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<RemoveApiKeyPayload> {
    return ctx.services.apiKeys.remove(ctx, id);
  }

  @FieldResolver(() => Space)
  async space(@Ctx() ctx: Context, @Root() key: ApiKey): Promise<Space> {
    const space = await ctx.loaders.space.load(key.spaceId);
    if (!space) throw notFound('Space');
    return space;
  }

  @FieldResolver(() => User)
  async owner(@Ctx() ctx: Context, @Root() key: ApiKey): Promise<User> {
    const owner = await ctx.loaders.user.load(key.ownerId);
    if (!owner) throw notFound('User');
    return owner;
  }

  @FieldResolver(() => Boolean)
  viewerCanRemove(@Ctx() ctx: Context, @Root() key: ApiKey): Promise<boolean> {
    return ctx.services.apiKeys.viewerCanRemove(ctx, key);
  }

  @FieldResolver(() => ApiKeyUsage)
  usage(@Ctx() ctx: Context, @Root() key: ApiKey): Promise<ApiKeyUsage> {
    return ctx.loaders.usage.load(key.id);
  }
}
