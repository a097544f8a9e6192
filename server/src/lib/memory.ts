import v8 from 'node:v8';

const mb = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;

export interface MemoryReport {
  /** process.memoryUsage(), in MB: resident set, V8 heap reserved and used, memory outside the heap. */
  rssMb: number;
  heapTotalMb: number;
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** V8's heap by space (new, old, code, large objects...): MB used of MB committed. */
  heapSpaces: Record<string, { usedMb: number; committedMb: number }>;
}

/** What the process holds, split into the V8 heap and what lies outside it. */
export function memoryReport(): MemoryReport {
  const usage = process.memoryUsage();
  const heapSpaces: MemoryReport['heapSpaces'] = {};
  for (const space of v8.getHeapSpaceStatistics()) {
    heapSpaces[space.space_name] = { usedMb: mb(space.space_used_size), committedMb: mb(space.physical_space_size) };
  }
  return {
    rssMb: mb(usage.rss),
    heapTotalMb: mb(usage.heapTotal),
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    heapSpaces,
  };
}

export const MEMORY_REPORT_MESSAGE = 'memory after a forced collection';
