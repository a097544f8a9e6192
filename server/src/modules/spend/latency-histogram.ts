/**
 * Latency of the gateway's calls, kept as counts in fixed buckets per key, UTC day and model (one
 * column per bucket on the daily spend rows), so any range and grouping merges by adding counts.
 * A percentile is read as the upper bound of the bucket it falls in: the resolution is the bucket
 * width (25 ms below 100 ms, at most 2x up to 20 s, 3x from 20 to 60 s); a latency over the last
 * bound reads as that bound.
 */
export const LATENCY_BOUNDS_MS = [25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 20_000, 60_000] as const;

/** One bucket per bound, and the last for everything above it. */
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** The columns of the buckets on api_key_spend_daily: latency00 (<= 25 ms) to latency19 (> 60 s). */
export const LATENCY_COLUMNS: readonly string[] = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `latency${String(i).padStart(2, '0')}`);

/** The bucket of a latency: the first whose bound it does not pass. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i === -1 ? LATENCY_BUCKETS - 1 : i;
}

/** The bucket's upper bound in ms (the last, open bucket reads as the largest bound). */
export const bucketBoundMs = (bucket: number): number => LATENCY_BOUNDS_MS[Math.min(bucket, LATENCY_BOUNDS_MS.length - 1)] as number;

/**
 * The `p`-th percentile (0 < p <= 1) of the counted latencies, as the upper bound of its bucket:
 * the first bucket where the running count reaches ceil(p * total). Null when nothing is counted.
 */
export function latencyPercentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return bucketBoundMs(i);
  }
  return bucketBoundMs(counts.length - 1);
}

/** The class of an upstream HTTP status: 1xx to 5xx. */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];
/** Index into STATUS_CLASSES of a status 100..599. */
export const statusClassIndex = (status: number): number => Math.min(4, Math.max(0, Math.floor(status / 100) - 1));
