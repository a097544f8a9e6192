import type { OrgRole } from '@pulze/shared';
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { bindViewer, viewerContext, type RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { OrgRoleEnum } from '../enums';
import { policies } from '../access/policies';
import { Space } from '../space/space.entity';
import { SpaceService } from '../space/space.service';
import { OrganizationService } from './organization.service';
import { Organization } from './organization.entity';
import { Subscription } from './subscription.entity';

@Resolver(() => Organization)
export class OrganizationResolver {
  constructor(
    private readonly organizationService: OrganizationService,
    private readonly spaceService: SpaceService,
  ) {}

  @Authorized()
  @Query(() => Organization, { description: 'An organization the viewer belongs to.' })
  async organization(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: "The organization's id." }) id: string): Promise<Organization> {
    return (await this.organizationService.findById(ctx, id)).organization;
  }

  @FieldResolver(() => OrgRoleEnum, { description: "The viewer's role in the organization." })
  async viewerRole(@Ctx() ctx: RequestContext, @Root() org: Organization): Promise<OrgRole> {
    const role = await viewerContext(ctx, org).access?.orgRole(org.id);
    if (!role) throw notFound('Organization');
    return role;
  }

  @FieldResolver(() => Subscription, { description: "The organization's plan and subscription state." })
  subscription(@Ctx() ctx: RequestContext, @Root() org: Organization): Promise<Subscription> {
    return this.organizationService.subscription(viewerContext(ctx, org), org.id);
  }

  @FieldResolver(() => [Space], { description: 'Spaces the viewer can see, by name.' })
  async spaces(@Ctx() ctx: RequestContext, @Root() org: Organization): Promise<Space[]> {
    const viewer = viewerContext(ctx, org);
    return (await this.spaceService.listVisible(viewer, org.id)).map((space) => bindViewer(space, viewer));
  }

  @FieldResolver(() => Boolean, { description: 'True when the viewer may create spaces here (owners and admins).' })
  async viewerCanCreateSpaces(@Ctx() ctx: RequestContext, @Root() org: Organization): Promise<boolean> {
    return policies.canManageSpaces(await viewerContext(ctx, org).access?.orgRole(org.id));
  }
}
