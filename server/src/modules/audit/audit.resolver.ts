import { Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { User } from '../user/user.entity';
import { AuditService } from './audit.service';
import { AuditActor, AuditEventPage, AuditEventsArgs } from './audit.types';

@Resolver()
export class AuditResolver {
  constructor(private readonly auditService: AuditService) {}

  @Authorized()
  @Query(() => AuditEventPage, {
    description:
      "The organization's audit trail, newest first: every change to its keys (and its key policy). Organization owners and admins see every event, " +
      'space admins those of their spaces; anyone else gets FORBIDDEN. Read-only: no API changes or deletes an event.',
  })
  auditEvents(@Ctx() ctx: RequestContext, @Args(() => AuditEventsArgs) args: AuditEventsArgs): Promise<AuditEventPage> {
    return this.auditService.list(ctx, args);
  }
}

@Resolver(() => AuditActor)
export class AuditActorResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The person, for USER; null for the system.' })
  async user(@Ctx() ctx: RequestContext, @Root() actor: AuditActor): Promise<User | null> {
    return actor.userId ? ((await ctx.loaders.user.load(actor.userId)) ?? null) : null;
  }
}
