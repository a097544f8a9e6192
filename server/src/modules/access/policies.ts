import type { OrgRole } from '@pulze/shared';
import type { Principal, Roles } from '../../core/context';
import { DomainError } from '../../core/errors';

export type { Roles };

const isOrgAdmin = (r: Roles) => r.org === 'OWNER' || r.org === 'ADMIN';

/**
 * "May this principal do X to Y", straight from the role table of the product spec.
 * Every function takes the caller's roles in the organization and the space concerned.
 */
export const policies = {
  /** Org OWNER/ADMIN see every space; others see the spaces where they have a role. */
  canSeeSpace: (r: Roles) => r.org !== undefined && (isOrgAdmin(r) || r.space !== undefined),
  canCreateKey: (r: Roles) => r.org !== undefined && (isOrgAdmin(r) || r.space === 'ADMIN' || r.space === 'EDITOR'),
  canRemoveKey: (r: Roles, ownsKey: boolean) =>
    r.org !== undefined && (isOrgAdmin(r) || r.space === 'ADMIN' || (ownsKey && r.space === 'EDITOR')),
  canManageSpaces: (orgRole: OrgRole | undefined) => orgRole === 'OWNER' || orgRole === 'ADMIN',
  /** Disable, enable, roll, rename and the address allowlist: whoever may remove the key (SPEC section 4). */
  canChangeKey: (r: Roles, ownsKey: boolean) => policies.canRemoveKey(r, ownsKey),
  /** An organization's key policies (the maximum lifetime of new keys): its owners and admins. */
  canSetKeyPolicy: (orgRole: OrgRole | undefined) => orgRole === 'OWNER' || orgRole === 'ADMIN',
  /**
   * Whose audit events a person may read: every event of the organization for its owners and
   * admins, those of the spaces they administer for space admins, none for anyone else.
   */
  auditScope: (orgRole: OrgRole | undefined, adminOfSpaces: string[]): 'organization' | { spaceIds: string[] } | 'none' =>
    orgRole === 'OWNER' || orgRole === 'ADMIN' ? 'organization' : orgRole && adminOfSpaces.length ? { spaceIds: adminOfSpaces } : 'none',
  /** A key revoked by the leak response: organization owners and admins hear of it, and the key's owner while they see its space. */
  canSeeLeakRevocation: (r: Roles, ownsKey: boolean) => isOrgAdmin(r) || (ownsKey && policies.canSeeSpace(r)),
};

/** Roles used with @Authorized: a user principal, or a key principal where it is allowed. */
export const Who = { User: 'USER', ApiKey: 'API_KEY' } as const;

export { keyAvailability, type KeyAvailability } from '@pulze/shared';

/** The refusal of anything an API key may not read or do. */
export const outsideKeyScope = () => new DomainError('FORBIDDEN', 'An API key can only read its own key and space.');

/**
 * An API key used as a credential reads its own key and its own space, and nothing else.
 * Throws FORBIDDEN for anything else; does nothing for other principals.
 */
export function checkKeyScope(principal: Principal, target: { keyId: string } | { spaceId: string }): void {
  if (principal.kind !== 'apiKey') return;
  const own = 'keyId' in target ? principal.keyId === target.keyId : principal.spaceId === target.spaceId;
  if (!own) throw outsideKeyScope();
}
