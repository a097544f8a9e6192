import type { DataSource } from 'typeorm';
import { utcDay } from '../../lib/utc-day';
import { budgetOf, budgetWindow, effectiveBudget, windowName } from './budget.model';
import type { RestoredWindow, SpendLedger } from './spend-ledger';

/** Keys read per page at start: one query for the keys, one for their spend rows. */
export const RESTORE_PAGE_KEYS = 500;

const DAY_MS = 86_400_000;
const dayStart = (day: string): number => Date.parse(`${day}T00:00:00.000Z`);

/**
 * A budget window's settled spend from a key's daily spend rows (UTC day -> cost in micro-USD):
 * the days inside the window in full, and the day the window starts on in the share of it that
 * lies in the window (spend is taken as even over the part of that day the key could spend in,
 * from its creation to now). An estimate at the day's resolution, never more than the rows hold.
 */
export function windowSpendFromDays(
  costByDay: ReadonlyMap<string, number>,
  window: { startsAt: number; endsAt: number | null },
  createdAt: number,
  now: number,
): number {
  const firstDay = utcDay(window.startsAt);
  let total = 0;
  for (const [day, cost] of costByDay) {
    if (day < firstDay || cost <= 0) continue;
    const start = dayStart(day);
    if (window.endsAt !== null && start >= window.endsAt) continue;
    if (day !== firstDay) {
      total += cost;
      continue;
    }
    const from = Math.max(start, createdAt);
    const to = Math.min(start + DAY_MS, now);
    const share = to <= from ? 1 : Math.min(1, Math.max(0, (to - Math.max(window.startsAt, from)) / (to - from)));
    total += Math.round(cost * share);
  }
  return total;
}

interface KeyRow {
  id: string;
  createdAt: Date | string;
  budgetLimitMicros: number | string | null;
  budgetPeriod: string | null;
  budgetWarnAtPercent: number | string | null;
  orgMaxBudgetMicros: number | string | null;
}

const numberOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));
function millisOf(value: Date | string): number {
  if (value instanceof Date) return value.getTime();
  return Date.parse(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

/**
 * Once at start: the settled spend of the current budget window of every live key held to a budget
 * (its own or its organization's maximum), from api_key_spend_daily, into the ledger's windows
 * that have none (see SpendLedger.restore). Without it, a node without Redis forgets at a restart
 * what its keys spent in their windows. Pages of RESTORE_PAGE_KEYS keys in id order, each two
 * queries (the keys, then their rows of the window's days, grouped by day, by primary key), so
 * the memory held is one page's and the work is one pass over the keys, at start only.
 * Spend reported but not yet written to the daily rows (the last flush interval) is not in them.
 */
export async function restoreSpendWindows(
  dataSource: DataSource,
  ledger: SpendLedger,
  { now = Date.now(), pageKeys = RESTORE_PAGE_KEYS }: { now?: number; pageKeys?: number } = {},
): Promise<{ keys: number; restored: number }> {
  let after = '';
  let keys = 0;
  let restored = 0;
  for (;;) {
    const page: KeyRow[] = await dataSource.query(
      `SELECT k.id AS id, k.createdAt AS createdAt, k.budgetLimitMicros AS budgetLimitMicros, k.budgetPeriod AS budgetPeriod,
              k.budgetWarnAtPercent AS budgetWarnAtPercent, o.keyMaxBudgetMicros AS orgMaxBudgetMicros
         FROM api_keys k JOIN organizations o ON o.id = k.organizationId
        WHERE k.id > ? AND k.removedAt IS NULL AND (k.budgetLimitMicros IS NOT NULL OR o.keyMaxBudgetMicros IS NOT NULL)
        ORDER BY k.id LIMIT ${Math.max(1, Math.floor(pageKeys))}`,
      [after],
    );
    if (!page.length) break;
    after = page[page.length - 1]!.id;
    keys += page.length;

    const windows = page.flatMap((row) => {
      const budget = effectiveBudget(
        budgetOf({ budgetLimitMicros: numberOrNull(row.budgetLimitMicros), budgetPeriod: row.budgetPeriod, budgetWarnAtPercent: numberOrNull(row.budgetWarnAtPercent) }),
        numberOrNull(row.orgMaxBudgetMicros),
      );
      if (!budget) return [];
      const createdAt = millisOf(row.createdAt);
      return [{ keyId: row.id, createdAt, period: budget.period, window: budgetWindow(createdAt, budget.period, now) }];
    });
    if (!windows.length) continue;
    const from = utcDay(Math.min(...windows.map((w) => w.window.startsAt)));
    const rows: Array<{ apiKeyId: string; day: string; cost: number | string }> = await dataSource.query(
      `SELECT apiKeyId AS apiKeyId, day AS day, SUM(costMicros) AS cost FROM api_key_spend_daily
        WHERE apiKeyId IN (${windows.map(() => '?').join(', ')}) AND day >= ?
        GROUP BY apiKeyId, day`,
      [...windows.map((w) => w.keyId), from],
    );
    const byKey = new Map<string, Map<string, number>>();
    for (const row of rows) {
      let days = byKey.get(row.apiKeyId);
      if (!days) byKey.set(row.apiKeyId, (days = new Map()));
      days.set(row.day, Number(row.cost));
    }
    const restoring: RestoredWindow[] = [];
    for (const w of windows) {
      const days = byKey.get(w.keyId);
      if (!days) continue;
      const settledMicros = windowSpendFromDays(days, w.window, w.createdAt, now);
      if (settledMicros > 0) restoring.push({ window: windowName(w.keyId, w.period, w.window.startsAt), settledMicros, windowEndsAt: w.window.endsAt });
    }
    restored += await ledger.restore(restoring);
    if (page.length < pageKeys) break;
  }
  return { keys, restored };
}
