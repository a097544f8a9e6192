import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Directive, ID, Info, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { Who } from '../access/policies';
import { ApiKey } from '../api-key/api-key.entity';
import { Organization } from '../organization/organization.entity';
import { Space } from '../space/space.entity';
import { User } from '../user/user.entity';
import { printStitchingSdl } from './stitching-sdl';
import { MAX_LOOKUP_IDS, StitchingService } from './stitching.service';

const IDS = `Up to ${MAX_LOOKUP_IDS} ids; more is refused with BAD_USER_INPUT (field "ids").`;

/** What a gateway built with @graphql-tools/stitch needs: the SDL, and batch look-ups to merge types with. */
@Resolver()
export class StitchingResolver {
  constructor(private readonly stitching: StitchingService) {}

  @Query(() => String, {
    name: '_sdl',
    description: "This service's schema as SDL with its stitching directives (@key, @merge, @canonical), for a gateway's stitchingDirectivesTransformer.",
  })
  sdl(@Info() info: GraphQLResolveInfo): string {
    return printStitchingSdl(info.schema);
  }

  @Authorized(Who.ApiKey)
  @Directive('@merge(keyField: "id")')
  @Query(() => [ApiKey], {
    nullable: 'items',
    description: 'Keys by id, in the order asked, as apiKey(id) sees them; null for each key the caller may not see.',
  })
  apiKeysByIds(@Ctx() ctx: RequestContext, @Arg('ids', () => [ID], { description: IDS }) ids: string[]): Promise<(ApiKey | null)[]> {
    return this.stitching.apiKeysByIds(ctx, ids);
  }

  @Authorized(Who.ApiKey)
  @Directive('@merge(keyField: "id")')
  @Query(() => [Space], {
    nullable: 'items',
    description: 'Spaces by id, in the order asked; null for each space the caller may not see (an API key sees only its own).',
  })
  spacesByIds(@Ctx() ctx: RequestContext, @Arg('ids', () => [ID], { description: IDS }) ids: string[]): Promise<(Space | null)[]> {
    return this.stitching.spacesByIds(ctx, ids);
  }

  @Authorized()
  @Directive('@merge(keyField: "id")')
  @Query(() => [Organization], {
    nullable: 'items',
    description: 'Organizations by id, in the order asked; null for each one the signed-in user does not belong to.',
  })
  organizationsByIds(
    @Ctx() ctx: RequestContext,
    @Arg('ids', () => [ID], { description: IDS }) ids: string[],
  ): Promise<(Organization | null)[]> {
    return this.stitching.organizationsByIds(ctx, ids);
  }

  @Authorized()
  @Directive('@merge(keyField: "id")')
  @Query(() => [User], {
    nullable: 'items',
    description:
      'Users by id, in the order asked: the signed-in user and the members of the organizations they belong to; null for anyone else.',
  })
  usersByIds(@Ctx() ctx: RequestContext, @Arg('ids', () => [ID], { description: IDS }) ids: string[]): Promise<(User | null)[]> {
    return this.stitching.usersByIds(ctx, ids);
  }
}
