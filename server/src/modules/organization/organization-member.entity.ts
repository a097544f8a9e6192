import type { OrgRole } from '@pulze/shared';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('organization_members')
@Index('IDX_organization_members_user', ['userId'])
export class OrganizationMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  organizationId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 20 })
  role: OrgRole;
}
