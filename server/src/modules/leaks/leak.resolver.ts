import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { LeakService, RECENT_LEAKS } from './leak.service';
import { LeakRevocation } from './leak.types';

@Resolver(() => LeakRevocation)
export class LeakResolver {
  constructor(private readonly leakService: LeakService) {}

  @Authorized()
  @Query(() => [LeakRevocation], {
    description: `Keys of the organization revoked because they were found in public, in the last ${RECENT_LEAKS.days} days, newest first (at most ${RECENT_LEAKS.max}): all of them for organization owners and admins, the viewer's own keys for everyone else.`,
  })
  leakRevocations(@Ctx() ctx: RequestContext, @Arg('organizationId', () => ID, { description: "The organization's id." }) organizationId: string): Promise<LeakRevocation[]> {
    return this.leakService.recent(ctx, organizationId);
  }
}
