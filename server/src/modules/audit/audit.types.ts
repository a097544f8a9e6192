import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, LIMITS, type AuditAction, type AuditActorKind } from '@pulze/shared';
import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const AuditActionEnum = asEnum(AUDIT_ACTIONS);
export const AuditActorKindEnum = asEnum(AUDIT_ACTOR_KINDS);

registerEnumType(AuditActionEnum, {
  name: 'AuditAction',
  description:
    'What happened: a key CREATED, RENAMED, DISABLED, ENABLED, ROLLED, its ALLOWED_CIDRS_CHANGED, ALLOWED_MODELS_CHANGED, BUDGET_CHANGED, TOKENS_PER_MINUTE_CHANGED, REMOVED, SPACE_DELETED (with its space), ' +
    'LEAK_REVOKED (found in public by a secret scanner), EXPIRED (its expiresAt passed; recorded by the system within a minute or so); or the organization\'s MAX_KEY_LIFETIME_CHANGED and KEY_LIMITS_CHANGED (its maximums for keys).',
});
registerEnumType(AuditActorKindEnum, { name: 'AuditActorKind', description: 'USER: a signed-in person. SYSTEM: the service itself (e.g. the leak response, key expiry).' });

@ObjectType({ description: 'Who made a change.' })
export class AuditActor {
  @Field(() => AuditActorKindEnum, { description: 'A person or the system.' })
  kind: AuditActorKind;

  /** Resolved to `user` by AuditActorResolver. */
  userId: string | null;

  @Field(() => String, { nullable: true, description: 'Why the system acted, e.g. leak-response; null for people.' })
  reason: string | null;
}

@ObjectType('AuditKey', { description: 'The key an event is about, as it was named then.' })
export class AuditKey {
  @Field(() => ID, { description: "The key's id (the key may be removed since)." })
  id: string;

  @Field(() => String, { nullable: true, description: 'The masked preview when it happened (after a roll: the new secret\'s).' })
  maskedKey: string | null;

  @Field(() => String, { nullable: true, description: 'The name when it happened.' })
  name: string | null;
}

@ObjectType({ description: 'A field a change touched. Dates are ISO-8601, lists comma-separated; null for none.' })
export class AuditChange {
  @Field({ description: 'The field changed, e.g. name or expiresAt.' })
  field: string;

  @Field(() => String, { nullable: true, description: 'Its value before the change.' })
  before: string | null;

  @Field(() => String, { nullable: true, description: 'Its value after the change.' })
  after: string | null;
}

@ObjectType({ description: 'More about an event, e.g. url and source of a leak.' })
export class AuditDetail {
  @Field({ description: 'What the detail is, e.g. url or source.' })
  name: string;

  @Field({ description: 'Its value, as recorded.' })
  value: string;
}

@ObjectType('AuditEvent', { description: 'One recorded change. Events are never changed or deleted through the API; they are purged after the retention period.' })
export class AuditEventView {
  @Field(() => ID, { description: "The event's id." })
  id: string;

  @Field(() => AuditActionEnum, { description: 'What happened.' })
  action: AuditAction;

  @Field(() => AuditActor, { description: 'Who did it.' })
  actor: AuditActor;

  @Field(() => AuditKey, { nullable: true, description: 'Null for changes to the organization itself.' })
  apiKey: AuditKey | null;

  @Field(() => ID, { nullable: true, description: 'The space of the key or space concerned; null for changes to the organization itself.' })
  spaceId: string | null;

  @Field(() => ID, { description: 'The organization the event belongs to.' })
  organizationId: string;

  @Field({ description: 'When it happened.' })
  createdAt: Date;

  @Field(() => String, { nullable: true, description: 'The address the change came from ("system" for the system).' })
  clientAddress: string | null;

  @Field(() => String, { nullable: true, description: 'The User-Agent of the request that made the change; null for the system or when none was sent.' })
  userAgent: string | null;

  @Field(() => [AuditChange], { description: 'The fields the change touched, before and after.' })
  changes: AuditChange[];

  @Field(() => [AuditDetail], { description: 'More about the event.' })
  details: AuditDetail[];
}

@ObjectType({ description: 'One page of audit events, newest first.' })
export class AuditEventPage {
  @Field(() => [AuditEventView], { description: 'The events of this page.' })
  items: AuditEventView[];

  @Field(() => Int, { description: 'Events matching the filters, on every page.' })
  totalCount: number;

  @Field(() => Int, { description: "This page's number, from 1." })
  page: number;

  @Field(() => Int, { description: 'Events per page, as asked.' })
  pageSize: number;

  @Field(() => Int, { description: 'Number of pages (0 when there is no event).' })
  pageCount: number;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => ID, { description: 'The organization whose events to list.' })
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
