import DataLoader from 'dataloader';
import { In, type DataSource, type ObjectLiteral, type EntityTarget } from 'typeorm';
import { Organization } from '../modules/organization/organization.entity';
import { Subscription } from '../modules/organization/subscription.entity';
import { Space } from '../modules/space/space.entity';
import { createUsageLoader } from '../modules/usage/usage.loader';
import { User } from '../modules/user/user.entity';

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

/** One set per request: a page of keys costs one query per related entity, not one per row. */
export function createLoaders(dataSource: DataSource) {
  return {
    user: byKey(dataSource, User, 'id'),
    space: byKey(dataSource, Space, 'id'),
    organization: byKey(dataSource, Organization, 'id'),
    subscriptionByOrganization: byKey(dataSource, Subscription, 'organizationId'),
    usage: createUsageLoader(dataSource),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
