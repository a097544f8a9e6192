import type { DataSource, QueryRunner } from 'typeorm';

export interface TimedQuery {
  sql: string;
  start: number;
  end: number;
}

const timed = new WeakSet<QueryRunner>();
let recording: TimedQuery[] | undefined;

/**
 * The statements the data source runs while `fn` runs, each with when it was sent and when its
 * answer came back, and the longest chain of them that ran one after another (a statement sent
 * after another one's answer is a round trip later than it).
 */
export async function traceQueries<T>(
  dataSource: DataSource,
  fn: () => Promise<T>,
): Promise<{ result: T; queries: TimedQuery[]; chain: number }> {
  const queries: TimedQuery[] = [];
  const original = dataSource.createQueryRunner.bind(dataSource);
  const patched = (mode?: 'master' | 'slave'): QueryRunner => {
    const runner = original(mode);
    // SQLite hands out one runner for every statement: it is timed once, for whichever trace runs.
    if (timed.has(runner)) return runner;
    timed.add(runner);
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    (runner as unknown as { query: typeof query }).query = async (...args: unknown[]) => {
      const sql = String(args[0]);
      const into = recording;
      const start = performance.now();
      try {
        return await query(...args);
      } finally {
        if (into && !/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(sql)) into.push({ sql, start, end: performance.now() });
      }
    };
    return runner;
  };
  (dataSource as unknown as { createQueryRunner: typeof patched }).createQueryRunner = patched;
  recording = queries;
  try {
    const result = await fn();
    return { result, queries, chain: longestChain(queries) };
  } finally {
    recording = undefined;
    (dataSource as unknown as { createQueryRunner: typeof original }).createQueryRunner = original;
  }
}

/** The most statements of which each was sent after the one before it had answered. */
export function longestChain(queries: TimedQuery[]): number {
  const sorted = [...queries].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((q, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= q.start) before = Math.max(before, depth[j]!);
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}
