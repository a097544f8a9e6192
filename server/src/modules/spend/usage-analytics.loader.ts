import type { VerificationCode } from '@pulze/shared';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { LATENCY_COLUMNS, STATUS_CLASSES } from './latency-histogram';
import { addSums, daysOf, emptySums, groupView, type UsageGroupBy, type UsageGroupView, type UsageQuery, type UsageRange, type UsageSums } from './usage-analytics.model';

export interface UsageAnalytics {
  groups: UsageGroupView[];
  totals: UsageGroupView;
}

const STATUS_COLUMNS = STATUS_CLASSES.map((c) => `status${c}`);
const SUMMED = ['requests', 'inputTokens', 'outputTokens', 'costMicros', ...STATUS_COLUMNS, ...LATENCY_COLUMNS];

type SpendSumRow = Record<string, string | number> & { apiKeyId: string; g: string };
type OutcomeSumRow = { apiKeyId: string; g: string; code: VerificationCode; n: string | number };

/**
 * Analytics of many keys: per distinct range and grouping asked in a request, two grouped queries
 * (daily spend rows, verification counts) over the keys' primary-key prefix, whatever the number of
 * keys, days or models. Sums are added up by the database; percentiles come from the merged buckets.
 */
export function createUsageAnalyticsLoader(dataSource: DataSource): DataLoader<UsageQuery, UsageAnalytics, string> {
  return new DataLoader<UsageQuery, UsageAnalytics, string>(
    async (queries) => {
      const bySet = new Map<string, UsageQuery[]>();
      for (const q of queries) {
        const set = `${q.from}|${q.to}|${q.groupBy}`;
        bySet.set(set, [...(bySet.get(set) ?? []), q]);
      }
      const answers = new Map<string, UsageAnalytics>();
      for (const set of bySet.values()) {
        const first = set[0] as UsageQuery;
        const keyIds = [...new Set(set.map((q) => q.keyId))];
        const perKey = await load(dataSource, keyIds, first, first.groupBy);
        for (const keyId of keyIds) answers.set(cacheKey({ ...first, keyId }), shape(perKey.get(keyId) ?? new Map(), first, first.groupBy));
      }
      return queries.map((q) => answers.get(cacheKey(q)) as UsageAnalytics);
    },
    { cacheKeyFn: (q) => cacheKey(q) },
  );
}

const cacheKey = (q: UsageQuery) => `${q.keyId}|${q.from}|${q.to}|${q.groupBy}`;

async function load(dataSource: DataSource, keyIds: string[], range: UsageRange, groupBy: UsageGroupBy): Promise<Map<string, Map<string, UsageSums>>> {
  const group = groupBy === 'DAY' ? 'day' : 'model';
  const keys = keyIds.map(() => '?').join(', ');
  const [spend, outcomes] = await Promise.all([
    dataSource.query(
      `SELECT apiKeyId, ${group} AS g, ${SUMMED.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
         FROM api_key_spend_daily WHERE apiKeyId IN (${keys}) AND day >= ? AND day <= ? GROUP BY apiKeyId, ${group}`,
      [...keyIds, range.from, range.to],
    ) as Promise<SpendSumRow[]>,
    dataSource.query(
      `SELECT apiKeyId, ${group} AS g, code, SUM(count) AS n
         FROM api_key_verification_daily WHERE apiKeyId IN (${keys}) AND day >= ? AND day <= ? GROUP BY apiKeyId, ${group}, code`,
      [...keyIds, range.from, range.to],
    ) as Promise<OutcomeSumRow[]>,
  ]);
  const perKey = new Map<string, Map<string, UsageSums>>();
  const sumsOf = (keyId: string, g: string) => {
    const groups = perKey.get(keyId) ?? new Map<string, UsageSums>();
    perKey.set(keyId, groups);
    const sums = groups.get(g) ?? emptySums();
    groups.set(g, sums);
    return sums;
  };
  for (const row of spend) {
    const sums = sumsOf(row.apiKeyId, row.g);
    sums.requests += Number(row.requests);
    sums.inputTokens += Number(row.inputTokens);
    sums.outputTokens += Number(row.outputTokens);
    sums.costMicros += Number(row.costMicros);
    STATUS_COLUMNS.forEach((c, i) => (sums.statuses[i] = Number(row[c])));
    LATENCY_COLUMNS.forEach((c, i) => (sums.latency[i] = Number(row[c])));
  }
  for (const row of outcomes) {
    const sums = sumsOf(row.apiKeyId, row.g);
    sums.outcomes.set(row.code, (sums.outcomes.get(row.code) ?? 0) + Number(row.n));
  }
  return perKey;
}

/** DAY: every day of the range, oldest first, zero-filled. MODEL: each model with a row, by cost, highest first. */
function shape(groups: Map<string, UsageSums>, range: UsageRange, groupBy: UsageGroupBy): UsageAnalytics {
  const totals = emptySums();
  for (const sums of groups.values()) addSums(totals, sums);
  const list =
    groupBy === 'DAY'
      ? daysOf(range).map((day) => groupView(day, groups.get(day) ?? emptySums()))
      : [...groups]
          .sort(([a, x], [b, y]) => y.costMicros - x.costMicros || y.requests - x.requests || (a < b ? -1 : a > b ? 1 : 0))
          .map(([model, sums]) => groupView(model, sums));
  return { groups: list, totals: groupView(`${range.from}..${range.to}`, totals) };
}
