import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { unauthenticated } from '../../graphql/errors';
import { Organization } from '../organization/organization.entity';
import { User } from './user.entity';

@Resolver(() => User)
export class UserResolver {
  @Authorized()
  @Query(() => User, { description: 'The signed-in user.' })
  async viewer(@Ctx() ctx: Context): Promise<User> {
    const user = ctx.access ? await ctx.loaders.user.load(ctx.access.userId) : undefined;
    if (!user) throw unauthenticated();
    return user;
  }

  @FieldResolver(() => [Organization], { description: 'Organizations the user belongs to; only filled for the viewer.' })
  organizations(@Ctx() ctx: Context, @Root() user: User): Promise<Organization[]> {
    if (ctx.access?.userId !== user.id) return Promise.resolve([]);
    return ctx.services.organizations.listForViewer(ctx);
  }
}
