import type { VerificationCode } from '@pulze/shared';
import { badInput } from '../../core/errors';
import { LATENCY_BUCKETS, latencyPercentile, STATUS_CLASSES, type StatusClass } from './latency-histogram';

export const USAGE_GROUP_BYS = ['DAY', 'MODEL'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];

/** The longest range, in UTC days, both ends included. */
export const USAGE_RANGE_MAX_DAYS = 366;
/** The range when none is given: the last 30 UTC days, today included. */
export const USAGE_DEFAULT_DAYS = 30;

export interface UsageRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The epoch ms of a real UTC day written YYYY-MM-DD, or undefined. */
function parseDay(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) || dayOf(ms) !== value ? undefined : ms;
}

/**
 * A range of UTC days, `from` to `to` inclusive, at most USAGE_RANGE_MAX_DAYS; none given means the
 * last USAGE_DEFAULT_DAYS days, today included. BAD_USER_INPUT names the field otherwise.
 */
export function checkUsageRange(range: { from?: unknown; to?: unknown } | null | undefined, now = new Date()): UsageRange {
  if (!range) return { from: dayOf(now.getTime() - (USAGE_DEFAULT_DAYS - 1) * DAY_MS), to: dayOf(now.getTime()) };
  const from = parseDay(range.from);
  if (from === undefined) throw badInput('from must be a UTC day written YYYY-MM-DD.', 'range.from');
  const to = parseDay(range.to);
  if (to === undefined) throw badInput('to must be a UTC day written YYYY-MM-DD.', 'range.to');
  if (from > to) throw badInput('from must not be after to.', 'range.from');
  if ((to - from) / DAY_MS + 1 > USAGE_RANGE_MAX_DAYS) throw badInput(`A range spans at most ${USAGE_RANGE_MAX_DAYS} days.`, 'range.to');
  return { from: dayOf(from), to: dayOf(to) };
}

/** What one key's analytics read: the range and the grouping. */
export interface UsageQuery extends UsageRange {
  keyId: string;
  groupBy: UsageGroupBy;
}

/** Every day of a range, oldest first. */
export function daysOf(range: UsageRange): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${range.from}T00:00:00Z`); dayOf(ms) <= range.to; ms += DAY_MS) days.push(dayOf(ms));
  return days;
}

/** Sums of one group (a day or a model) before its percentiles are read. */
export interface UsageSums {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  statuses: number[];
  latency: number[];
  outcomes: Map<VerificationCode, number>;
}

export const emptySums = (): UsageSums => ({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  costMicros: 0,
  statuses: new Array<number>(STATUS_CLASSES.length).fill(0),
  latency: new Array<number>(LATENCY_BUCKETS).fill(0),
  outcomes: new Map(),
});

export function addSums(into: UsageSums, more: UsageSums): void {
  into.requests += more.requests;
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.costMicros += more.costMicros;
  more.statuses.forEach((n, i) => (into.statuses[i] = (into.statuses[i] ?? 0) + n));
  more.latency.forEach((n, i) => (into.latency[i] = (into.latency[i] ?? 0) + n));
  for (const [code, n] of more.outcomes) into.outcomes.set(code, (into.outcomes.get(code) ?? 0) + n);
}

/** One group as the schema gives it. */
export interface UsageGroupView {
  key: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  verificationOutcomes: Array<{ code: VerificationCode; count: number }>;
  upstreamStatuses: Array<{ statusClass: StatusClass; count: number }>;
}

export function groupView(key: string, sums: UsageSums): UsageGroupView {
  return {
    key,
    requests: sums.requests,
    inputTokens: sums.inputTokens,
    outputTokens: sums.outputTokens,
    costMicros: sums.costMicros,
    latencyP50Ms: latencyPercentile(sums.latency, 0.5),
    latencyP95Ms: latencyPercentile(sums.latency, 0.95),
    // Most frequent first, then by code, so the answer is stable.
    verificationOutcomes: [...sums.outcomes]
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([code, count]) => ({ code, count })),
    upstreamStatuses: STATUS_CLASSES.map((statusClass, i) => ({ statusClass, count: sums.statuses[i] ?? 0 })).filter((s) => s.count > 0),
  };
}
