import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Who } from '../../graphql/auth-checker';
import type { Context } from '../../graphql/context';
import { SpaceRoleEnum } from '../../graphql/enums';
import type { SpaceRole } from '@pulze/shared';
import { policies } from '../access/policies';
import { Space } from './space.entity';
import { CreateSpaceInput } from './space.inputs';

@Resolver(() => Space)
export class SpaceResolver {
  @Authorized()
  @Mutation(() => Space)
  createSpace(@Ctx() ctx: Context, @Arg('input', () => CreateSpaceInput) input: CreateSpaceInput): Promise<Space> {
    return ctx.services.spaces.create(ctx, input);
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteSpace(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<boolean> {
    return ctx.services.spaces.delete(ctx, id);
  }

  @Authorized(Who.ApiKey)
  @FieldResolver(() => SpaceRoleEnum, { nullable: true, description: "The viewer's own role in this space, if any." })
  async viewerRole(@Ctx() ctx: Context, @Root() space: Space): Promise<SpaceRole | null> {
    return (await ctx.services.spaces.roles(ctx, space)).space ?? null;
  }

  @Authorized(Who.ApiKey)
  @FieldResolver(() => Boolean, { description: 'True when the viewer may create keys here now (role and plan).' })
  viewerCanCreateApiKeys(@Ctx() ctx: Context, @Root() space: Space): Promise<boolean> {
    return ctx.services.spaces.viewerCanCreateApiKeys(ctx, space);
  }

  @Authorized(Who.ApiKey)
  @FieldResolver(() => Boolean)
  async viewerCanDelete(@Ctx() ctx: Context, @Root() space: Space): Promise<boolean> {
    return policies.canManageSpaces((await ctx.services.spaces.roles(ctx, space)).org);
  }
}
