import type { Loaders, Principal } from '../core/context';
import { DomainError } from '../core/errors';
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

/**
 * Who is calling: a user (session token, as a Bearer token or the web app's cookie, or an
 * identity-provider token), an API key (pk_...), or nobody.
 */
export async function resolvePrincipal(
  { authorization, sessionCookie, clientAddress }: Credentials,
  services: Pick<Services, 'verification' | 'tokens' | 'auth'>,
  loaders: Loaders,
): Promise<Principal> {
  if (!authorization && sessionCookie) return sessionPrincipal(sessionCookie, services, loaders, true);
  const token = bearerToken(authorization);
  if (!token) return authorization ? { kind: 'anonymous', authError: 'invalid' } : { kind: 'anonymous' };

  if (token.startsWith('pk_')) {
    // The cached hot path: a key used on /graphql is a use like any other (counted, rate limited,
    // and its failures limited per client address like those of /v1/keys/verify).
    const result = await services.verification.verify(token, clientAddress, clientAddress);
    if (result.valid && result.keyId && result.spaceId && result.organizationId) {
      return { kind: 'apiKey', keyId: result.keyId, spaceId: result.spaceId, organizationId: result.organizationId };
    }
    if (result.code === 'RATE_LIMITED') {
      return {
        kind: 'anonymous',
        authError: 'rate-limited',
        reason: KEY_REFUSALS.RATE_LIMITED,
        retryAfterSeconds: result.retryAfterSeconds ?? 1,
      };
    }
    return { kind: 'anonymous', authError: 'api-key-refused', reason: KEY_REFUSALS[result.code] ?? 'The API key is not valid.' };
  }
  return sessionPrincipal(token, services, loaders, false);
}

const SIGNED_OUT = 'This session has been signed out.';

async function sessionPrincipal(
  token: string,
  services: Pick<Services, 'tokens' | 'auth'>,
  loaders: Loaders,
  fromCookie: boolean,
): Promise<Principal> {
  const check = await services.tokens.check(token);
  if (!check.ok) return { kind: 'anonymous', authError: check.reason };
  if (check.kind === 'local') {
    const [user, revoked] = await Promise.all([loaders.user.load(check.userId), services.auth.isRevoked(check.tokenId)]);
    if (revoked) return { kind: 'anonymous', authError: 'invalid', reason: SIGNED_OUT };
    return user
      ? { kind: 'user', userId: user.id, session: { tokenId: check.tokenId, expiresAt: check.expiresAt } }
      : { kind: 'anonymous', authError: 'unknown-user', reason: 'This account no longer exists.' };
  }
  // The cookie only ever holds a session token of this server.
  if (fromCookie) return { kind: 'anonymous', authError: 'invalid' };
  try {
    const user = await services.auth.userForProvider(check.identity);
    return { kind: 'user', userId: user.id };
  } catch (error) {
    if (error instanceof DomainError) return { kind: 'anonymous', authError: 'unknown-user', reason: error.message };
    throw error;
  }
}
