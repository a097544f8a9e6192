import { Entity, Index, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '../../lib/columns';

/**
 * Sessions ended by `logout` before their expiry: their token id (`jti`) is refused from then on.
 * A row is useless once the token would have expired anyway, so the list is purged by `expiresAt`.
 */
@Entity('revoked_sessions')
@Index('IDX_revoked_sessions_expires', ['expiresAt'])
export class RevokedSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  tokenId: string;

  @TimestampColumn()
  expiresAt: Date;
}
