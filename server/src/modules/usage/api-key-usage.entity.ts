import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../lib/columns';
import { ApiKey } from '../api-key/api-key.entity';

/** Requests per key per UTC day, and the day's latest use, written in batches by the usage recorder. */
@Entity('api_key_usage_daily')
export class ApiKeyUsageDaily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  apiKeyId: string;

  /** UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'bigint', default: 0 })
  requests: string;

  /**
   * The latest use of the key on this day. A key's newest daily row says when it was last used
   * (ApiKey.lastUsedAt); null on rows written before rows carried it.
   */
  @TimestampColumn({ nullable: true })
  lastUsedAt: Date | null;

  @ManyToOne(() => ApiKey, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'apiKeyId', foreignKeyConstraintName: 'FK_api_key_usage_daily_key' })
  private readonly apiKeyRef?: ApiKey;
}
