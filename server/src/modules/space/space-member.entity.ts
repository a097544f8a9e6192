import type { SpaceRole } from '@pulze/shared';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../user/user.entity';
import { Space } from './space.entity';

@Entity('space_members')
@Index('IDX_space_members_user', ['userId'])
export class SpaceMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  spaceId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 20 })
  role: SpaceRole;

  @ManyToOne(() => Space, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'spaceId', foreignKeyConstraintName: 'FK_space_members_space' })
  private readonly spaceRef?: Space;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_space_members_user' })
  private readonly userRef?: User;

}
