import fs from 'node:fs';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

// autocannon rebuilds a request that has a setupRequest from all of its options on every request
// (two Object.assign over some fifty properties): about 30 µs of this process's CPU a request, taken
// from the cores the server shares. A templated request here carries `nextRaw` instead, and its
// bytes are built by autocannon's own builder from the request's few defaults: the same bytes, a
// tenth of the work. Requests without it are built as autocannon builds them.
type RawRequest = { nextRaw?: () => Buffer; requestBuffer?: Buffer };
const requireHere = createRequire(__filename);
const buildFrom = requireHere('autocannon/lib/httpRequestBuilder') as (defaults: object) => (request: object) => Buffer;
const iterator = (requireHere('autocannon/lib/requestIterator') as { prototype: { rebuildRequest(this: { currentRequest?: RawRequest; resetted: boolean }): unknown } }).prototype;
const rebuild = iterator.rebuildRequest;
iterator.rebuildRequest = function rebuildRequest() {
  const raw = this.currentRequest?.nextRaw;
  if (!raw || !this.currentRequest) return rebuild.call(this);
  this.resetted = false;
  return (this.currentRequest.requestBuffer = raw());
};

/**
 * The load generator, run as its own process: `node dist/bench/load.js <spec.json>`. Drives one
 * URL with autocannon and prints one JSON line with throughput, latency percentiles and errors.
 * A response counts as an error when its status is not the expected one or, for GraphQL, when its
 * body carries `errors` or lacks the expected text.
 */
export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  connections: number;
  /** Seconds of measured load; ignored when `amount` is set. */
  duration: number;
  /** Seconds of unmeasured load first. */
  warmup: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  headers?: Record<string, string>;
  body?: string;
  /** One key per line; `{KEY}` in headers and body is replaced with the next one. */
  keysFile?: string;
  /** The key to start from in keysFile (so a warm-up and the measured run use different keys). */
  keyOffset?: number;
  expectStatus: number;
  /** Text every good body contains. */
  expectBody?: string;
  /** The process that serves `url` (a floor or the server): its CPU per response is measured too (Linux). */
  servedByPid?: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  keysUsed: number;
  /** No response arrived within the run: the latencies are then only a lower bound (the run's length). */
  noResponse?: boolean;
  /** CPU time (user + system) the load generator spent per response: what it takes from the cores it shares. */
  loadCpuMicros: number;
  /** CPU time (user + system) the serving process spent per response, when it could be read. */
  serverCpuMicros?: number;
}

/** A process's CPU time so far (user + system, µs) from /proc; undefined where it cannot be read. */
function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: Linux reports CPU times in /proc in hundredths of a second on every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;

function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] as number;
}

async function drive(spec: LoadSpec, seconds: number, amount: number | undefined, keys: string[], start: number): Promise<LoadResult> {
  let next = start;
  let errors = 0;
  const latencies: number[] = [];
  const templated = keys.length > 0;
  const fill = (text: string, key: string) => text.split('{KEY}').join(key);
  const url = new URL(spec.url);
  const build = buildFrom({ method: spec.method, path: url.pathname + url.search, hostname: url.hostname, port: url.port });
  const requests = [
    {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body === undefined ? {} : { body: spec.body }),
      ...(templated && {
        // Kept so that autocannon asks for a new request each time (see rebuildRequest above).
        setupRequest: (req: Record<string, unknown>) => req,
        nextRaw: () => {
          const key = keys[next++ % keys.length] as string;
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(spec.headers ?? {})) headers[name] = fill(value, key);
          return build({ headers, ...(spec.body === undefined ? {} : { body: fill(spec.body, key) }) });
        },
      }),
      onResponse: (status: number, body: string) => {
        if (status !== spec.expectStatus || (spec.expectBody !== undefined && !body.includes(spec.expectBody)) || body.includes('"errors"')) {
          errors++;
        }
      },
    },
  ];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const servedFrom = processCpuMicros(spec.servedByPid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        ...(amount ? { amount } : { duration: seconds }),
        requests: requests as autocannon.Request[],
        timeout: 30,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
    });
  });
  const elapsed = (performance.now() - started) / 1000;
  const spent = process.cpuUsage(cpu);
  const sorted = Float64Array.from(latencies).sort();
  const loadCpuMicros = Math.round((spent.user + spent.system) / Math.max(1, sorted.length));
  const servedTo = processCpuMicros(spec.servedByPid);
  const serverCpuMicros = servedFrom !== undefined && servedTo !== undefined && sorted.length ? Math.round((servedTo - servedFrom) / sorted.length) : undefined;
  if (!sorted.length) {
    const bound = elapsed * 1000;
    return { requests: 0, seconds: elapsed, perSecond: 0, p50: bound, p95: bound, p99: bound, errors: errors + result.errors + result.timeouts, keysUsed: 0, noResponse: true, loadCpuMicros };
  }
  return {
    requests: sorted.length,
    seconds: elapsed,
    perSecond: sorted.length / elapsed,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    errors: errors + result.errors + result.timeouts,
    keysUsed: templated ? Math.min(keys.length, next - start) : 1,
    loadCpuMicros,
    ...(serverCpuMicros === undefined ? {} : { serverCpuMicros }),
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;
  const keys = spec.keysFile ? fs.readFileSync(spec.keysFile, 'utf8').split('\n').filter(Boolean) : [];
  const offset = spec.keyOffset ?? 0;
  let warmKeys = 0;
  if (spec.warmup > 0) warmKeys = (await drive(spec, spec.warmup, undefined, keys, offset)).keysUsed;
  const result = await drive(spec, spec.duration, spec.amount, keys, offset + warmKeys);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
