import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { bindViewer, viewerContext, type RequestContext } from '../../core/context';
import { unauthenticated } from '../../core/errors';
import { Organization } from '../organization/organization.entity';
import { OrganizationService } from '../organization/organization.service';
import { User } from './user.entity';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly organizationService: OrganizationService) {}

  @Authorized()
  @Query(() => User, { description: 'The signed-in user.' })
  async viewer(@Ctx() ctx: RequestContext): Promise<User> {
    const user = ctx.access ? await ctx.loaders.user.load(ctx.access.userId) : undefined;
    if (!user) throw unauthenticated();
    return user;
  }

  @FieldResolver(() => [Organization], { description: 'Organizations the user belongs to; only filled for the viewer.' })
  async organizations(@Ctx() ctx: RequestContext, @Root() user: User): Promise<Organization[]> {
    const viewer = viewerContext(ctx, user);
    if (viewer.access?.userId !== user.id) return [];
    return (await this.organizationService.listForViewer(viewer)).map((org) => bindViewer(org, viewer));
  }
}
