import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Verification answers for one key on one UTC day, by the model named at verification ('' when
 * none) and code (VALID and the refusals of a known key), written in batches with the spend rows.
 */
@Entity('api_key_verification_daily')
@Index('IDX_api_key_verification_daily_day', ['day'])
export class ApiKeyVerificationDaily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  apiKeyId: string;

  /** UTC day, YYYY-MM-DD. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  model: string;

  /** A VerificationCode. */
  @PrimaryColumn({ type: 'varchar', length: 30 })
  code: string;

  @Column({ type: 'bigint', default: 0 })
  count: string;
}
