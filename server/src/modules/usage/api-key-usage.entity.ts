import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ApiKey } from '../api-key/api-key.entity';

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

  @ManyToOne(() => ApiKey, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'apiKeyId', foreignKeyConstraintName: 'FK_api_key_usage_daily_key' })
  private readonly apiKeyRef?: ApiKey;
}
