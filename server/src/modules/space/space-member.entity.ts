import type { SpaceRole } from '@pulze/shared';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('space_members')
@Index('IDX_space_members_user', ['userId'])
export class SpaceMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  spaceId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 20 })
  role: SpaceRole;
}
