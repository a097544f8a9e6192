import type { Plan, SubscriptionStatus } from '@pulze/shared';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';
import { PlanEnum, SubscriptionStatusEnum } from '../enums';
import { Organization } from './organization.entity';

@ObjectType('SubscriptionInfo')
@Entity('subscriptions')
export class Subscription {
  @IdColumn()
  id: string;

  @Index('UQ_subscriptions_organization', { unique: true })
  @RefColumn()
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organizationId', foreignKeyConstraintName: 'FK_subscriptions_organization' })
  private readonly organizationRef?: Organization;

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
