import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, LIMITS, type AuditAction, type AuditActorKind } from '@pulze/shared';
import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const AuditActionEnum = asEnum(AUDIT_ACTIONS);
export const AuditActorKindEnum = asEnum(AUDIT_ACTOR_KINDS);

registerEnumType(AuditActionEnum, {
  name: 'AuditAction',
  description:
    'What happened: a key CREATED, RENAMED, DISABLED, ENABLED, ROLLED, its ALLOWED_CIDRS_CHANGED, REMOVED, SPACE_DELETED (with its space), ' +
    'LEAK_REVOKED (found in public by a secret scanner); or the organization\'s MAX_KEY_LIFETIME_CHANGED.',
});
registerEnumType(AuditActorKindEnum, { name: 'AuditActorKind', description: 'USER: a signed-in person. SYSTEM: the service itself (e.g. the leak response).' });

@ObjectType({ description: 'Who made a change.' })
export class AuditActor {
  @Field(() => AuditActorKindEnum)
  kind: AuditActorKind;

  /** Resolved to `user` by AuditActorResolver. */
  userId: string | null;

  @Field(() => String, { nullable: true, description: 'Why the system acted, e.g. leak-response; null for people.' })
  reason: string | null;
}

@ObjectType('AuditKey', { description: 'The key an event is about, as it was named then.' })
export class AuditKey {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true, description: 'The masked preview when it happened (after a roll: the new secret\'s).' })
  maskedKey: string | null;

  @Field(() => String, { nullable: true, description: 'The name when it happened.' })
  name: string | null;
}

@ObjectType({ description: 'A field a change touched. Dates are ISO-8601, lists comma-separated; null for none.' })
export class AuditChange {
  @Field()
  field: string;

  @Field(() => String, { nullable: true })
  before: string | null;

  @Field(() => String, { nullable: true })
  after: string | null;
}

@ObjectType({ description: 'More about an event, e.g. url and source of a leak.' })
export class AuditDetail {
  @Field()
  name: string;

  @Field()
  value: string;
}

@ObjectType('AuditEvent', { description: 'One recorded change. Events are never changed or deleted through the API; they are purged after the retention period.' })
export class AuditEventView {
  @Field(() => ID)
  id: string;

  @Field(() => AuditActionEnum)
  action: AuditAction;

  @Field(() => AuditActor)
  actor: AuditActor;

  @Field(() => AuditKey, { nullable: true, description: 'Null for changes to the organization itself.' })
  apiKey: AuditKey | null;

  @Field(() => ID, { nullable: true })
  spaceId: string | null;

  @Field(() => ID)
  organizationId: string;

  @Field()
  createdAt: Date;

  @Field(() => String, { nullable: true, description: 'The address the change came from ("system" for the system).' })
  clientAddress: string | null;

  @Field(() => String, { nullable: true })
  userAgent: string | null;

  @Field(() => [AuditChange])
  changes: AuditChange[];

  @Field(() => [AuditDetail])
  details: AuditDetail[];
}

@ObjectType()
export class AuditEventPage {
  @Field(() => [AuditEventView])
  items: AuditEventView[];

  @Field(() => Int)
  totalCount: number;

  @Field(() => Int)
  page: number;

  @Field(() => Int)
  pageSize: number;

  @Field(() => Int)
  pageCount: number;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => ID)
  organizationId: string;

  @Field(() => ID, { nullable: true, description: 'Only events of this key (removed keys too).' })
  keyId?: string | null;

  @Field(() => AuditActionEnum, { nullable: true, description: 'Only events of this action.' })
  action?: AuditAction | null;

  @Field(() => Int, { defaultValue: 1, description: '1-based page number.' })
  @IsInt()
  @Min(1, { message: 'page must be 1 or more.' })
  page: number;

  @Field(() => Int, { defaultValue: LIMITS.auditPageSizeDefault, description: 'Events per page, 1..100.' })
  @IsInt()
  @Min(LIMITS.pageSizeMin, { message: `pageSize must be between ${LIMITS.pageSizeMin} and ${LIMITS.pageSizeMax}.` })
  @Max(LIMITS.pageSizeMax, { message: `pageSize must be between ${LIMITS.pageSizeMin} and ${LIMITS.pageSizeMax}.` })
  pageSize: number;
}
