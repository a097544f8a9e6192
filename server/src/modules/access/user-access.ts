import type { OrgRole, SpaceRole } from '@pulze/shared';
import type { DataSource } from 'typeorm';
import type { Access, Roles } from '../../core/context';
import { OrganizationMember } from '../organization/organization-member.entity';
import { SpaceMember } from '../space/space-member.entity';
import type { MembershipRoles } from './session-caller';

/**
 * The signed-in user's roles, read once per request (two queries, or none when the session's
 * check already read them) and then answered from memory.
 */
export class UserAccess implements Access {
  private orgRolesPromise?: Promise<Map<string, OrgRole>>;
  private spaceRolesPromise?: Promise<Map<string, SpaceRole>>;

  constructor(
    readonly userId: string,
    private readonly dataSource: DataSource,
    roles?: MembershipRoles,
  ) {
    if (roles) {
      this.orgRolesPromise = Promise.resolve(roles.org);
      this.spaceRolesPromise = Promise.resolve(roles.space);
    }
  }

  orgRoles(): Promise<Map<string, OrgRole>> {
    return (this.orgRolesPromise ??= this.dataSource
      .getRepository(OrganizationMember)
      .find({ where: { userId: this.userId } })
      .then((rows) => new Map(rows.map((m) => [m.organizationId, m.role]))));
  }

  spaceRoles(): Promise<Map<string, SpaceRole>> {
    return (this.spaceRolesPromise ??= this.dataSource
      .getRepository(SpaceMember)
      .find({ where: { userId: this.userId } })
      .then((rows) => new Map(rows.map((m) => [m.spaceId, m.role]))));
  }

  async orgRole(organizationId: string): Promise<OrgRole | undefined> {
    return (await this.orgRoles()).get(organizationId);
  }

  async rolesFor(space: { id: string; organizationId: string }): Promise<Roles> {
    const [org, spaces] = await Promise.all([this.orgRole(space.organizationId), this.spaceRoles()]);
    return { org, space: spaces.get(space.id) };
  }
}
