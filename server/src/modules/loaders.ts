import DataLoader from 'dataloader';
import { In, type DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { Organization } from './organization/organization.entity';
import { Subscription } from './organization/subscription.entity';
import { Space } from './space/space.entity';
import { createUsageAnalyticsLoader, type UsageAnalytics } from './spend/usage-analytics.loader';
import type { UsageQuery } from './spend/usage-analytics.model';
import { createUsageLoader } from './usage/usage.loader';
import type { ApiKeyUsage } from './usage/usage.types';
import { User } from './user/user.entity';

declare module '../core/context' {
  interface Loaders {
    user: DataLoader<string, User | undefined>;
    space: DataLoader<string, Space | undefined>;
    organization: DataLoader<string, Organization | undefined>;
    subscriptionByOrganization: DataLoader<string, Subscription | undefined>;
    usage: DataLoader<string, ApiKeyUsage>;
    usageAnalytics: DataLoader<UsageQuery, UsageAnalytics, string>;
  }
}

function byKey<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
): DataLoader<string, T | undefined> {
  return new DataLoader<string, T | undefined>(async (keys) => {
    const rows = await dataSource.getRepository(entity).find({ where: { [column]: In([...keys]) } as never });
    const map = new Map(rows.map((r) => [String(r[column]), r]));
    return keys.map((k) => map.get(k));
  });
}

/**
 * Organizations and their subscriptions, which requests ask for together: one statement reads both
 * (the organization's row joined with its subscription's), whichever loader asks first.
 */
function organizationsWithSubscriptions(dataSource: DataSource) {
  const subscriptions = new Map<string, Subscription | undefined>();
  const organization = new DataLoader<string, Organization | undefined>(async (keys) => {
    const rows = (await dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .leftJoinAndMapOne('o.joinedSubscription', Subscription, 's', 's.organizationId = o.id')
      .where('o.id IN (:...ids)', { ids: [...keys] })
      .getMany()) as (Organization & { joinedSubscription?: Subscription })[];
    const byId = new Map<string, Organization>();
    for (const row of rows) {
      subscriptions.set(row.id, row.joinedSubscription);
      delete row.joinedSubscription;
      byId.set(row.id, row);
    }
    return keys.map((k) => byId.get(k));
  });
  const bySubscriptionRow = byKey(dataSource, Subscription, 'organizationId');
  const subscriptionByOrganization = new DataLoader<string, Subscription | undefined>(async (keys) => {
    await organization.loadMany(keys);
    // An organization primed or cached before this request's first read has no joined row here.
    return Promise.all(keys.map((k) => (subscriptions.has(k) ? subscriptions.get(k) : bySubscriptionRow.load(k))));
  });
  return { organization, subscriptionByOrganization };
}

/** One set per request: a page of keys costs one query per related entity, not one per row. */
export function createLoaders(dataSource: DataSource) {
  return {
    user: byKey(dataSource, User, 'id'),
    space: byKey(dataSource, Space, 'id'),
    ...organizationsWithSubscriptions(dataSource),
    usage: createUsageLoader(dataSource),
    usageAnalytics: createUsageAnalyticsLoader(dataSource),
  };
}
