import { ORG_ROLES, SPACE_ROLES, type OrgRole, type SpaceRole } from '@pulze/shared';
import type { DataSource } from 'typeorm';

/** Every organization and space role of one user. */
export interface MembershipRoles {
  org: Map<string, OrgRole>;
  space: Map<string, SpaceRole>;
}

/** What a local session token's caller needs checked before anything else runs. */
export interface SessionCaller {
  /** The token's user still exists. */
  userExists: boolean;
  /** The token was signed out (its id is on the revocation list). */
  revoked: boolean;
  roles: MembershipRoles;
}

// One statement, one round trip: the user's row, the token's revocation and every membership, as
// rows of (kind, ref, role). Each part is a seek of a primary key or of the userId index.
const SESSION_CALLER_SQL = `SELECT 'user' AS kind, u.id AS ref, NULL AS role FROM users u WHERE u.id = ?
UNION ALL SELECT 'revoked', r.tokenId, NULL FROM revoked_sessions r WHERE r.tokenId = ?
UNION ALL SELECT 'org', o.organizationId, o.role FROM organization_members o WHERE o.userId = ?
UNION ALL SELECT 'space', s.spaceId, s.role FROM space_members s WHERE s.userId = ?`;

interface CallerRow {
  kind: 'user' | 'revoked' | 'org' | 'space';
  ref: string;
  role: string | null;
}

const orgRoles = new Set<string>(ORG_ROLES);
const spaceRoles = new Set<string>(SPACE_ROLES);

/**
 * The caller of a local session token, read in one statement rather than four (the user, the
 * revocation list, organization roles, space roles): every signed-in request starts with it.
 */
export async function readSessionCaller(dataSource: DataSource, userId: string, tokenId: string): Promise<SessionCaller> {
  const rows = (await dataSource.query(SESSION_CALLER_SQL, [userId, tokenId, userId, userId])) as CallerRow[];
  const caller: SessionCaller = { userExists: false, revoked: false, roles: { org: new Map(), space: new Map() } };
  for (const { kind, ref, role } of rows) {
    if (kind === 'user') caller.userExists = true;
    else if (kind === 'revoked') caller.revoked = true;
    else if (kind === 'org' && role !== null && orgRoles.has(role)) caller.roles.org.set(ref, role as OrgRole);
    else if (kind === 'space' && role !== null && spaceRoles.has(role)) caller.roles.space.set(ref, role as SpaceRole);
  }
  return caller;
}
