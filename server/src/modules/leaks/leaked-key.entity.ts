import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';
import { ApiKey } from '../api-key/api-key.entity';
import { Organization } from '../organization/organization.entity';

/**
 * A key revoked because a secret scanner found it in public: where (the URL may be empty) and in
 * what (`source`, e.g. `commit`). One row per key, written in the transaction that revokes it.
 */
@Entity('leaked_keys')
// The banner's read: one organization's revocations, newest first.
@Index('IDX_leaked_keys_org_recent', ['organizationId', 'revokedAt'])
export class LeakedKey {
  @IdColumn()
  id: string;

  @Index('UQ_leaked_keys_key', { unique: true })
  @RefColumn()
  apiKeyId: string;

  @RefColumn()
  organizationId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 100 })
  source: string;

  @TimestampColumn()
  revokedAt: Date;

  @ManyToOne(() => ApiKey, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'apiKeyId', foreignKeyConstraintName: 'FK_leaked_keys_key' })
  private readonly apiKeyRef?: ApiKey;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organizationId', foreignKeyConstraintName: 'FK_leaked_keys_organization' })
  private readonly organizationRef?: Organization;
}
