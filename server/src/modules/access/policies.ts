import type { OrgRole, SpaceRole } from '@pulze/shared';

/**
 * "May this principal do X to Y", straight from the role table of the product spec.
 * Every function takes the caller's roles in the organization and the space concerned.
 */
export interface Roles {
  org: OrgRole | undefined;
  space: SpaceRole | undefined;
}

const isOrgAdmin = (r: Roles) => r.org === 'OWNER' || r.org === 'ADMIN';

export const policies = {
  /** Org OWNER/ADMIN see every space; others see the spaces where they have a role. */
  canSeeSpace: (r: Roles) => r.org !== undefined && (isOrgAdmin(r) || r.space !== undefined),
  canCreateKey: (r: Roles) => r.org !== undefined && (isOrgAdmin(r) || r.space === 'ADMIN' || r.space === 'EDITOR'),
  canRemoveKey: (r: Roles, ownsKey: boolean) =>
    r.org !== undefined &&
    (isOrgAdmin(r) || r.space === 'ADMIN' || (ownsKey && r.space === 'EDITOR')),
  canManageSpaces: (orgRole: OrgRole | undefined) => orgRole === 'OWNER' || orgRole === 'ADMIN',
};
