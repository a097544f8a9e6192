import { LIMITS } from '@pulze/shared';
import DataLoader from 'dataloader';
import { In, MoreThanOrEqual, type DataSource } from 'typeorm';
import { ApiKeyUsageDaily } from './api-key-usage.entity';
import { utcDay } from '../../lib/utc-day';
import type { ApiKeyUsage } from './usage.types';

export function lastDays(count: number, now = new Date()): string[] {
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(utcDay(new Date(now.getTime() - i * 86_400_000)));
  return days;
}

/** Usage of many keys in two queries: totals, and the daily rows of the last 30 days. */
export function createUsageLoader(dataSource: DataSource): DataLoader<string, ApiKeyUsage> {
  return new DataLoader<string, ApiKeyUsage>(async (keyIds) => {
    const ids = [...keyIds];
    const days = lastDays(LIMITS.usageDays);
    const repo = dataSource.getRepository(ApiKeyUsageDaily);
    const [totals, recent] = await Promise.all([
      repo
        .createQueryBuilder('u')
        .select('u.apiKeyId', 'apiKeyId')
        .addSelect('SUM(u.requests)', 'total')
        .where({ apiKeyId: In(ids) })
        .groupBy('u.apiKeyId')
        .getRawMany<{ apiKeyId: string; total: string | number }>(),
      repo.find({ where: { apiKeyId: In(ids), day: MoreThanOrEqual(days[0] as string) } }),
    ]);
    const totalByKey = new Map(totals.map((t) => [t.apiKeyId, Number(t.total)]));
    const daily = new Map<string, Map<string, number>>();
    for (const row of recent) {
      const perDay = daily.get(row.apiKeyId) ?? new Map<string, number>();
      perDay.set(row.day, Number(row.requests));
      daily.set(row.apiKeyId, perDay);
    }
    return ids.map((id) => ({
      totalRequests: totalByKey.get(id) ?? 0,
      last30Days: days.map((date) => ({ date, requests: daily.get(id)?.get(date) ?? 0 })),
    }));
  });
}
