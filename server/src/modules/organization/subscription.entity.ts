import type { Plan, SubscriptionStatus } from '@pulze/shared';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';
import { PlanEnum, SubscriptionStatusEnum } from '../enums';
import { Organization } from './organization.entity';

@ObjectType('SubscriptionInfo', { description: "An organization's plan and whether it is paid up." })
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

  @Field(() => PlanEnum, { description: 'The plan: keys need Pulze X Suite.' })
  @Column({ type: 'varchar', length: 20 })
  plan: Plan;

  @Field(() => SubscriptionStatusEnum, { description: 'Whether it is paid up: on Pulze X Suite, keys are created and verified only while it is ACTIVE (SUBSCRIPTION_INACTIVE otherwise).' })
  @Column({ type: 'varchar', length: 20 })
  status: SubscriptionStatus;

  @Field(() => Date, { nullable: true, description: 'When the current paid period ends; null for none.' })
  @TimestampColumn({ nullable: true })
  currentPeriodEnd: Date | null;

  @TimestampColumn()
  updatedAt: Date;
}
