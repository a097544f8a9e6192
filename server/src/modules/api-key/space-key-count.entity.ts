import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { RefColumn } from '../../lib/columns';
import { Organization } from '../organization/organization.entity';
import { Space } from '../space/space.entity';

/**
 * How many live (not removed) keys a space holds, kept in the same transaction as every key
 * creation and removal (see key-counts.ts). A list's `totalCount` is the sum over the spaces it
 * shows, so counting never reads the keys themselves. A deleted space keeps its count; lists
 * leave deleted spaces out, so their keys drop out of every total.
 */
@Entity('space_key_counts')
export class SpaceKeyCount {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  spaceId: string;

  @RefColumn()
  organizationId: string;

  @Column({ type: 'int', default: 0 })
  liveKeys: number;

  @ManyToOne(() => Space, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'spaceId', foreignKeyConstraintName: 'FK_space_key_counts_space' })
  private readonly spaceRef?: Space;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organizationId', foreignKeyConstraintName: 'FK_space_key_counts_organization' })
  private readonly organizationRef?: Organization;
}
