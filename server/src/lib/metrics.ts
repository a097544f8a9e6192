import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type VerifyVia = 'http' | 'graphql';

/** Numbers other parts keep themselves and the registry reads when scraped. */
export interface MetricSources {
  cacheStats(): { hits: number; misses: number; size: number };
  usageStats(): { pending: number; failedFlushes: number };
}

/**
 * Prometheus metrics of one server: verifications by code and path, their latency, cache hits,
 * usage still to be written. Labels are codes and paths only: never a key, id or person.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly verifications: Counter<'via' | 'code'>;
  private readonly verifySeconds: Histogram<'via'>;

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'pulze_api_keys_' });
    this.verifications = new Counter({
      name: 'pulze_api_keys_verifications_total',
      help: 'Key verifications answered, by code and by path (http forward-auth or graphql).',
      labelNames: ['via', 'code'],
      registers: [this.registry],
    });
    this.verifySeconds = new Histogram({
      name: 'pulze_api_keys_verification_duration_seconds',
      help: 'Time to answer a key verification, from request to verdict.',
      labelNames: ['via'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
      registers: [this.registry],
    });
    new Gauge({
      name: 'pulze_api_keys_verification_cache_entries',
      help: 'Keys whose facts this node holds in memory.',
      registers: [this.registry],
      collect() {
        this.set(sources.cacheStats().size);
      },
    });
    new Gauge({
      name: 'pulze_api_keys_verification_cache_lookups',
      help: 'Fact look-ups of known and unknown keys since start, answered from memory (hit) or the database (miss).',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        const { hits, misses } = sources.cacheStats();
        this.set({ result: 'hit' }, hits);
        this.set({ result: 'miss' }, misses);
      },
    });
    new Gauge({
      name: 'pulze_api_keys_usage_pending_requests',
      help: 'Key uses counted in memory and not yet written to the database.',
      registers: [this.registry],
      collect() {
        this.set(sources.usageStats().pending);
      },
    });
    new Gauge({
      name: 'pulze_api_keys_usage_failed_flushes',
      help: 'Usage flushes that failed since start (their counts are kept and retried).',
      registers: [this.registry],
      collect() {
        this.set(sources.usageStats().failedFlushes);
      },
    });
  }

  /** Starts a timer; call the result with the verification code when the verdict is known. */
  startVerification(via: VerifyVia): (code: string) => void {
    const started = performance.now();
    return (code) => {
      this.verifySecondsOf(via).observe((performance.now() - started) / 1000);
      this.verificationsOf(via, code).inc();
    };
  }

  // The series of the hot path, bound once: prom-client otherwise hashes the labels on every call.
  private readonly boundSeconds = new Map<string, ReturnType<Histogram<'via'>['labels']>>();
  private readonly boundCounts = new Map<string, ReturnType<Counter<'via' | 'code'>['labels']>>();

  private verifySecondsOf(via: VerifyVia): ReturnType<Histogram<'via'>['labels']> {
    let series = this.boundSeconds.get(via);
    if (!series) this.boundSeconds.set(via, (series = this.verifySeconds.labels({ via })));
    return series;
  }

  /** One series per path and code: both come from closed lists, so the map stays small. */
  private verificationsOf(via: VerifyVia, code: string): ReturnType<Counter<'via' | 'code'>['labels']> {
    const id = `${via}|${code}`;
    let series = this.boundCounts.get(id);
    if (!series) this.boundCounts.set(id, (series = this.verifications.labels({ via, code })));
    return series;
  }

  /** Serves `GET /metrics` on its own port, apart from the public API. */
  async listen(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const address = server.address() as AddressInfo;
    return {
      url: `http://${host}:${address.port}/metrics`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}
