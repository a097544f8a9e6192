import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { LATENCY_COLUMNS } from './latency-histogram';

/**
 * What one key spent on one model on one UTC day, from the gateway's usage reports, written in
 * batches: requests, tokens, cost, upstream status classes and a latency histogram. Bounded
 * storage: one row per key, day and model, never one per call; rows past USAGE_RETENTION_DAYS are swept.
 */
@Entity('api_key_spend_daily')
@Index('IDX_api_key_spend_daily_org_day', ['organizationId', 'day'])
@Index('IDX_api_key_spend_daily_day', ['day'])
export class ApiKeySpendDaily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  apiKeyId: string;

  /** UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  model: string;

  /** The key's organization, so an organization's ranking reads only its own rows of a range. */
  @Column({ type: 'varchar', length: 36, default: '' })
  organizationId: string;

  @Column({ type: 'bigint', default: 0 })
  requests: string;

  @Column({ type: 'bigint', default: 0 })
  inputTokens: string;

  @Column({ type: 'bigint', default: 0 })
  outputTokens: string;

  @Column({ type: 'bigint', default: 0 })
  costMicros: string;

  /** Calls by the upstream's HTTP status class. */
  @Column({ type: 'bigint', default: 0 })
  status1xx: string;

  @Column({ type: 'bigint', default: 0 })
  status2xx: string;

  @Column({ type: 'bigint', default: 0 })
  status3xx: string;

  @Column({ type: 'bigint', default: 0 })
  status4xx: string;

  @Column({ type: 'bigint', default: 0 })
  status5xx: string;

  /** Calls per latency bucket: latency00 .. latency19, bounds in latency-histogram.ts. */
  [latencyBucket: `latency${number}`]: string;
}

// The bucket columns, one per bound, declared in a loop rather than twenty times by hand.
for (const name of LATENCY_COLUMNS) Column({ type: 'bigint', default: 0 })(ApiKeySpendDaily.prototype, name);
