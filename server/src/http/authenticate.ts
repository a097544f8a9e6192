import type { Principal } from '../core/context';
import { DomainError } from '../core/errors';
import type { MembershipRoles } from '../modules/access/session-caller';
import type { Services } from '../services';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization ? BEARER.exec(authorization)?.[1] : undefined;
}

const KEY_REFUSALS: Record<string, string> = {
  MALFORMED: 'The API key is malformed.',
  NOT_FOUND: 'The API key is not valid.',
  REVOKED: 'The API key has been removed.',
  SPACE_NOT_FOUND: 'The space of this API key has been deleted.',
  PLAN_UPGRADE_REQUIRED: 'API keys require Pulze X Suite.',
  SUBSCRIPTION_INACTIVE: 'The subscription of this organization is not active.',
  RATE_LIMITED: 'Too many requests with this API key.',
  EXPIRED: 'The API key has expired.',
  DISABLED: 'The API key is disabled.',
  IP_NOT_ALLOWED: 'The API key may not be used from this address.',
};

/** The credentials a request carries: its Authorization header and the web app's session cookie. */
export interface Credentials {
  authorization: string | undefined;
  /** The session cookie's value; used only when there is no Authorization header. */
  sessionCookie?: string | undefined;
  /** The caller's address: an API key with an address allowlist is checked against it. */
  clientAddress?: string | undefined;
}

/** Who is calling, and a signed-in user's roles when checking the session already read them. */
export interface Caller {
  principal: Principal;
  roles?: MembershipRoles;
}

const caller = (principal: Principal): Caller => ({ principal });

/**
 * Who is calling: a user (session token, as a Bearer token or the web app's cookie, or an
 * identity-provider token), an API key (pk_...), or nobody.
 */
export async function resolveCaller(
  { authorization, sessionCookie, clientAddress }: Credentials,
  services: Pick<Services, 'verification' | 'tokens' | 'auth'>,
): Promise<Caller> {
  if (!authorization && sessionCookie) return sessionCaller(sessionCookie, services, true);
  const token = bearerToken(authorization);
  if (!token) return caller(authorization ? { kind: 'anonymous', authError: 'invalid' } : { kind: 'anonymous' });

  if (token.startsWith('pk_')) {
    // The cached hot path: a key used on /graphql is a use like any other (counted, rate limited,
    // and its failures limited per client address like those of /v1/keys/verify).
    const result = await services.verification.verify(token, clientAddress, clientAddress);
    if (result.valid && result.keyId && result.spaceId && result.organizationId) {
      return caller({ kind: 'apiKey', keyId: result.keyId, spaceId: result.spaceId, organizationId: result.organizationId });
    }
    if (result.code === 'RATE_LIMITED') {
      return caller({
        kind: 'anonymous',
        authError: 'rate-limited',
        reason: KEY_REFUSALS.RATE_LIMITED,
        retryAfterSeconds: result.retryAfterSeconds ?? 1,
      });
    }
    return caller({ kind: 'anonymous', authError: 'api-key-refused', reason: KEY_REFUSALS[result.code] ?? 'The API key is not valid.' });
  }
  return sessionCaller(token, services, false);
}

const SIGNED_OUT = 'This session has been signed out.';

async function sessionCaller(token: string, services: Pick<Services, 'tokens' | 'auth'>, fromCookie: boolean): Promise<Caller> {
  const check = await services.tokens.check(token);
  if (!check.ok) return caller({ kind: 'anonymous', authError: check.reason });
  if (check.kind === 'local') {
    // The user, the revocation list and the roles in one round trip.
    const found = await services.auth.sessionCaller(check.userId, check.tokenId);
    if (found.revoked) return caller({ kind: 'anonymous', authError: 'invalid', reason: SIGNED_OUT });
    if (!found.userExists) return caller({ kind: 'anonymous', authError: 'unknown-user', reason: 'This account no longer exists.' });
    return { principal: { kind: 'user', userId: check.userId, session: { tokenId: check.tokenId, expiresAt: check.expiresAt } }, roles: found.roles };
  }
  // The cookie only ever holds a session token of this server.
  if (fromCookie) return caller({ kind: 'anonymous', authError: 'invalid' });
  try {
    const user = await services.auth.userForProvider(check.identity);
    return caller({ kind: 'user', userId: user.id });
  } catch (error) {
    if (error instanceof DomainError) return caller({ kind: 'anonymous', authError: 'unknown-user', reason: error.message });
    throw error;
  }
}
