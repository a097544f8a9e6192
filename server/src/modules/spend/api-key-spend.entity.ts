import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What one key spent on one model on one UTC day, from the gateway's usage reports, written in batches. */
@Entity('api_key_spend_daily')
export class ApiKeySpendDaily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  apiKeyId: string;

  /** UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  model: string;

  @Column({ type: 'bigint', default: 0 })
  requests: string;

  @Column({ type: 'bigint', default: 0 })
  inputTokens: string;

  @Column({ type: 'bigint', default: 0 })
  outputTokens: string;

  @Column({ type: 'bigint', default: 0 })
  costMicros: string;
}
