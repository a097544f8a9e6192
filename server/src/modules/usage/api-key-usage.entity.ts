import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Requests per key per UTC day, written in batches by the usage recorder. */
@Entity('api_key_usage_daily')
export class ApiKeyUsageDaily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  apiKeyId: string;

  /** UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'bigint', default: 0 })
  requests: string;
}
