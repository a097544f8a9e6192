import type { OrgRole } from '@pulze/shared';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { OrgRoleEnum } from '../../graphql/enums';
import { notFound } from '../../graphql/errors';
import { policies } from '../access/policies';
import { Space } from '../space/space.entity';
import { Organization } from './organization.entity';
import { Subscription } from './subscription.entity';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Authorized()
  @Query(() => Organization, { description: 'An organization the viewer belongs to.' })
  async organization(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Organization> {
    return (await ctx.services.organizations.findById(ctx, id)).organization;
  }

  @FieldResolver(() => OrgRoleEnum)
  async viewerRole(@Ctx() ctx: Context, @Root() org: Organization): Promise<OrgRole> {
    const role = await ctx.access?.orgRole(org.id);
    if (!role) throw notFound('Organization');
    return role;
  }

  @FieldResolver(() => Subscription)
  subscription(@Ctx() ctx: Context, @Root() org: Organization): Promise<Subscription> {
    return ctx.services.organizations.subscription(ctx, org.id);
  }

  @FieldResolver(() => [Space], { description: 'Spaces the viewer can see, by name.' })
  spaces(@Ctx() ctx: Context, @Root() org: Organization): Promise<Space[]> {
    return ctx.services.spaces.listVisible(ctx, org.id);
  }

  @FieldResolver(() => Boolean)
  async viewerCanCreateSpaces(@Ctx() ctx: Context, @Root() org: Organization): Promise<boolean> {
    return policies.canManageSpaces(await ctx.access?.orgRole(org.id));
  }
}
