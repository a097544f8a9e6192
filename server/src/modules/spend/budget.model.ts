/** A key's spending limit: how much (micro-USD) per window, and when to warn. */
export const BUDGET_PERIODS = ['DAILY', 'WEEKLY', 'MONTHLY', 'TOTAL'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export interface Budget {
  limitMicros: number;
  period: BudgetPeriod;
  warnAtPercent: number;
}

const DAY_MS = 86_400_000;
/** Window lengths of the fixed periods; MONTHLY follows the calendar (see budgetWindow). */
export const PERIOD_MS: Record<'DAILY' | 'WEEKLY', number> = { DAILY: DAY_MS, WEEKLY: 7 * DAY_MS };

/** Largest budget: $1 000 000 000 in micro-USD, well inside a double's exact integers and Redis's 64-bit counters. */
export const BUDGET_LIMIT_MAX_MICROS = 1e15;

/**
 * The window `now` falls in, counted from the key's creation (not a calendar reset), so a roll,
 * which keeps createdAt, keeps the window. DAILY and WEEKLY windows start at createdAt + n × length.
 * MONTHLY windows start on the creation's day of the month at its time (UTC), the day taken back to
 * the month's last when the month is shorter: a key created on 31 January 10:00 has windows from
 * 28 (or 29) February 10:00, 31 March 10:00, 30 April 10:00. Each window ends where the next starts.
 */
export function budgetWindow(createdAt: number, period: BudgetPeriod, now: number): { startsAt: number; endsAt: number | null } {
  if (period === 'TOTAL') return { startsAt: createdAt, endsAt: null };
  if (period === 'MONTHLY') {
    const created = new Date(createdAt);
    const current = new Date(Math.max(now, createdAt));
    let n = (current.getUTCFullYear() - created.getUTCFullYear()) * 12 + current.getUTCMonth() - created.getUTCMonth();
    if (monthsAfter(createdAt, n) > current.getTime()) n--;
    return { startsAt: monthsAfter(createdAt, n), endsAt: monthsAfter(createdAt, n + 1) };
  }
  const length = PERIOD_MS[period];
  const n = Math.max(0, Math.floor((now - createdAt) / length));
  return { startsAt: createdAt + n * length, endsAt: createdAt + (n + 1) * length };
}

/** `months` calendar months after `at` (UTC), on the same day and time, or the month's last day when it has fewer. */
function monthsAfter(at: number, months: number): number {
  const from = new Date(at);
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(from.getUTCDate(), lastDay), from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds());
}

/** The ledger's name of a key's window: the same on every node. */
export const windowName = (keyId: string, period: BudgetPeriod, startsAt: number): string => `${keyId}:${period}:${startsAt}`;

/** The budget of a key row, from its three columns. */
export function budgetOf(key: { budgetLimitMicros: number | null; budgetPeriod: string | null; budgetWarnAtPercent: number | null }): Budget | null {
  if (key.budgetLimitMicros === null || !BUDGET_PERIODS.includes(key.budgetPeriod as BudgetPeriod)) return null;
  return { limitMicros: key.budgetLimitMicros, period: key.budgetPeriod as BudgetPeriod, warnAtPercent: key.budgetWarnAtPercent ?? 80 };
}

/**
 * The budget verification holds a key to under its organization's maxBudgetMicros: the key's own,
 * lowered to the maximum when above it, or the maximum per MONTHLY window for a key without one.
 */
export function effectiveBudget(own: Budget | null, organizationMaxMicros: number | null): Budget | null {
  if (organizationMaxMicros === null) return own;
  if (own === null) return { limitMicros: organizationMaxMicros, period: 'MONTHLY', warnAtPercent: 80 };
  return own.limitMicros <= organizationMaxMicros ? own : { ...own, limitMicros: organizationMaxMicros };
}

export type BudgetCheck = { ok: true; value: Budget | null } | { ok: false; reason: string; field: string };

export function checkBudget(budget: Budget | null): BudgetCheck {
  if (budget === null) return { ok: true, value: null };
  if (!Number.isSafeInteger(budget.limitMicros) || budget.limitMicros < 0 || budget.limitMicros > BUDGET_LIMIT_MAX_MICROS) {
    return { ok: false, reason: `limitMicros must be a whole number of micro-USD between 0 and ${BUDGET_LIMIT_MAX_MICROS}.`, field: 'limitMicros' };
  }
  if (!BUDGET_PERIODS.includes(budget.period)) return { ok: false, reason: 'period must be DAILY, WEEKLY, MONTHLY or TOTAL.', field: 'period' };
  if (!Number.isInteger(budget.warnAtPercent) || budget.warnAtPercent < 1 || budget.warnAtPercent > 100) {
    return { ok: false, reason: 'warnAtPercent must be a whole number from 1 to 100.', field: 'warnAtPercent' };
  }
  return { ok: true, value: budget };
}
