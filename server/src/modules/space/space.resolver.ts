import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Who } from '../access/policies';
import { viewerContext, type RequestContext } from '../../core/context';
import { SpaceRoleEnum } from '../enums';
import type { SpaceRole } from '@pulze/shared';
import { policies } from '../access/policies';
import { Space } from './space.entity';
import { SpaceService } from './space.service';
import { CreateSpaceInput } from './space.inputs';

@Resolver(() => Space)
export class SpaceResolver {
  constructor(private readonly spaceService: SpaceService) {}

  @Authorized()
  @Mutation(() => Space, { description: 'Creates a space in an organization (organization owners and admins).' })
  createSpace(@Ctx() ctx: RequestContext, @Arg('input', () => CreateSpaceInput, { description: 'The organization, name and logo of the new space.' }) input: CreateSpaceInput): Promise<Space> {
    return this.spaceService.create(ctx, input);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Deletes a space (organization owners and admins): its keys stop working at once and leave every list. True when done.' })
  deleteSpace(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: "The space's id." }) id: string): Promise<boolean> {
    return this.spaceService.delete(ctx, id);
  }

  @Authorized(Who.ApiKey)
  @FieldResolver(() => SpaceRoleEnum, { nullable: true, description: "The viewer's own role in this space, if any." })
  async viewerRole(@Ctx() ctx: RequestContext, @Root() space: Space): Promise<SpaceRole | null> {
    return (await this.spaceService.roles(viewerContext(ctx, space), space)).space ?? null;
  }

  @Authorized(Who.ApiKey)
  @FieldResolver(() => Boolean, { description: 'True when the viewer may create keys here now (role and plan).' })
  viewerCanCreateApiKeys(@Ctx() ctx: RequestContext, @Root() space: Space): Promise<boolean> {
    return this.spaceService.viewerCanCreateApiKeys(viewerContext(ctx, space), space);
  }

  @Authorized(Who.ApiKey)
  @FieldResolver(() => Boolean, { description: 'True when the viewer may delete this space (organization owners and admins).' })
  async viewerCanDelete(@Ctx() ctx: RequestContext, @Root() space: Space): Promise<boolean> {
    return policies.canManageSpaces((await this.spaceService.roles(viewerContext(ctx, space), space)).org);
  }
}
