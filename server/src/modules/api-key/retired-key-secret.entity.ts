import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { RefColumn, TimestampColumn } from '../../lib/columns';
import { ApiKey } from './api-key.entity';

/**
 * A secret a key no longer has: the previous secret a second roll pushed out of `previousKeyHash`.
 * Kept (as its SHA-256, never the secret) so that it answers REVOKED, like any rolled-away secret,
 * rather than NOT_FOUND. One row per roll, written in the roll's transaction; verification reads
 * it only for a hash no key has (the miss path). Kept for RETIRED_SECRET_RETENTION_DAYS and at most
 * the newest RETIRED_SECRETS_PER_KEY per key (retired-secret-retention.ts); a pruned one is NOT_FOUND.
 */
@Entity('api_key_retired_secrets')
// One key's newest rows (the per-key cap); the oldest rows of all keys (the age limit).
@Index('IDX_api_key_retired_secrets_key', ['apiKeyId', 'retiredAt'])
@Index('IDX_api_key_retired_secrets_retired', ['retiredAt'])
export class RetiredKeySecret {
  /** Hex SHA-256 of the whole key, unique among every key's secrets. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  keyHash: string;

  @RefColumn()
  apiKeyId: string;

  /** When the secret left the key (the roll that pushed it out). */
  @TimestampColumn()
  retiredAt: Date;

  @ManyToOne(() => ApiKey, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'apiKeyId', foreignKeyConstraintName: 'FK_api_key_retired_secrets_key' })
  private readonly apiKeyRef?: ApiKey;
}
