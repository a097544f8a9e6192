import type { AuthCheckerFn } from 'type-graphql';
import type { RequestContext } from '../core/context';
import { rateLimited, unauthenticated } from '../core/errors';
import { outsideKeyScope, Who } from '../modules/access/policies';

/**
 * `@Authorized()` admits signed-in users; `@Authorized(Who.ApiKey)` admits API-key principals too.
 * Anonymous callers get UNAUTHENTICATED; key principals elsewhere get FORBIDDEN.
 */
export const authChecker: AuthCheckerFn<RequestContext> = ({ context }, roles) => {
  const { principal } = context;
  if (principal.kind === 'anonymous') {
    if (principal.authError === 'rate-limited') {
      throw rateLimited(principal.reason ?? 'Too many requests with this API key.', principal.retryAfterSeconds ?? 1);
    }
    throw unauthenticated(
      principal.authError === 'expired'
        ? 'Your session has expired. Sign in again.'
        : principal.authError
          ? (principal.reason ?? 'The credentials sent are not valid.')
          : 'Sign in to continue.',
    );
  }
  if (principal.kind === 'apiKey' && !roles.includes(Who.ApiKey)) throw outsideKeyScope();
  return true;
};
