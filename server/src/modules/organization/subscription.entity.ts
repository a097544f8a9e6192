import type { Plan, SubscriptionStatus } from '@pulze/shared';
import { Column, Entity, Index } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { IdColumn, RefColumn, TimestampColumn } from '../../db/columns';
import { PlanEnum, SubscriptionStatusEnum } from '../../graphql/enums';

@ObjectType('SubscriptionInfo')
@Entity('subscriptions')
export class Subscription {
  @IdColumn()
  id: string;

  @Index('UQ_subscriptions_organization', { unique: true })
  @RefColumn()
  organizationId: string;

  @Field(() => PlanEnum)
  @Column({ type: 'varchar', length: 20 })
  plan: Plan;

  @Field(() => SubscriptionStatusEnum)
  @Column({ type: 'varchar', length: 20 })
  status: SubscriptionStatus;

  @Field(() => Date, { nullable: true })
  @TimestampColumn({ nullable: true })
  currentPeriodEnd: Date | null;

  @TimestampColumn()
  updatedAt: Date;
}
