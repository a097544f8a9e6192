import type { OrgRole, SpaceRole } from '@pulze/shared';
import { IsNull, type DataSource } from 'typeorm';
import { OrganizationMember } from '../organization/organization-member.entity';
import { Space } from '../space/space.entity';
import { SpaceMember } from '../space/space-member.entity';
import { policies, type Roles } from './policies';

/**
 * The signed-in user's roles, read once per request (two queries) and then answered from memory.
 */
export class UserAccess {
  private orgRolesPromise?: Promise<Map<string, OrgRole>>;
  private spaceRolesPromise?: Promise<Map<string, SpaceRole>>;

  constructor(
    readonly userId: string,
    private readonly dataSource: DataSource,
  ) {}

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

  async rolesFor(space: Pick<Space, 'id' | 'organizationId'>): Promise<Roles> {
    const [org, spaces] = await Promise.all([this.orgRole(space.organizationId), this.spaceRoles()]);
    return { org, space: spaces.get(space.id) };
  }

  /** Ids of the spaces of an organization this user can see, deleted spaces excluded. */
  async visibleSpaces(organizationId: string): Promise<Space[]> {
    const org = await this.orgRole(organizationId);
    if (org === undefined) return [];
    const all = await this.dataSource.getRepository(Space).find({
      where: { organizationId, deletedAt: IsNull() },
      order: { name: 'ASC', id: 'ASC' },
    });
    const spaceRoles = await this.spaceRoles();
    return all.filter((s) => policies.canSeeSpace({ org, space: spaceRoles.get(s.id) }));
  }
}
