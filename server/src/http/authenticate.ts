import type { Loaders, Principal } from '../core/context';
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
};

/** Who is calling: a user (JWT), an API key (pk_...), or nobody. */
export async function resolvePrincipal(
  authorization: string | undefined,
  services: Pick<Services, 'verification' | 'tokens' | 'organizations'>,
  loaders: Loaders,
): Promise<Principal> {
  const token = bearerToken(authorization);
  if (!token) return authorization ? { kind: 'anonymous', authError: 'invalid' } : { kind: 'anonymous' };

  if (token.startsWith('pk_')) {
    // The cached hot path: a key used on /graphql is a use like any other (counted, rate limited).
    const result = await services.verification.verify(token);
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

  const check = await services.tokens.check(token);
  if (!check.ok) return { kind: 'anonymous', authError: check.reason };
  if (check.kind === 'local') {
    const user = await loaders.user.load(check.userId);
    return user ? { kind: 'user', userId: user.id } : { kind: 'anonymous', authError: 'unknown-user', reason: 'This account no longer exists.' };
  }
  const user = await services.organizations.findUserByEmail(check.email);
  return user
    ? { kind: 'user', userId: user.id }
    : { kind: 'anonymous', authError: 'unknown-user', reason: 'This account is not known to Pulze API Keys.' };
}
