import type { Plan, SubscriptionStatus } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import { systemContext } from '../../core/context';
import type { UnitOfWork } from '../../core/transaction';
import { createLoaders } from '../loaders';
import { Subscription } from './subscription.entity';

export interface SubscriptionChange {
  plan?: Plan;
  status?: SubscriptionStatus;
  currentPeriodEnd?: Date | null;
}

/**
 * Changes an organization's subscription (for billing: webhooks, back-office jobs, tests). Not
 * part of the GraphQL API. Keys of the organization see the change on their next verification,
 * on this node at once and on other nodes through the invalidation channel.
 */
export class SubscriptionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  async change(organizationId: string, change: SubscriptionChange): Promise<Subscription> {
    const ctx = systemContext('billing', createLoaders(this.dataSource));
    return this.uow.withTransaction(ctx, async (tx) => {
      const repo = tx.manager.getRepository(Subscription);
      const result = await repo.update({ organizationId }, { ...change, updatedAt: new Date() });
      if (!result.affected) throw new Error(`organization ${organizationId} has no subscription row`);
      await tx.raise({ type: 'subscription.changed', organizationId });
      return repo.findOneByOrFail({ organizationId });
    });
  }
}
