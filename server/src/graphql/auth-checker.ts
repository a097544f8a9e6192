import type { AuthCheckerFn } from 'type-graphql';
import type { Context } from './context';
import { DomainError, forbidden, unauthenticated } from './errors';

/** Roles used with @Authorized: a user principal, or a key principal where it is allowed. */
export const Who = { User: 'USER', ApiKey: 'API_KEY' } as const;

/**
 * `@Authorized()` admits signed-in users; `@Authorized(Who.ApiKey)` admits API-key principals too.
 * Anonymous callers get UNAUTHENTICATED; key principals elsewhere get FORBIDDEN.
 */
export const authChecker: AuthCheckerFn<Context> = ({ context }, roles) => {
  const { principal } = context;
  if (principal.kind === 'anonymous') {
    if (principal.authError === 'rate-limited') {
      throw new DomainError('RATE_LIMITED', principal.reason ?? 'Too many requests with this API key.', {
        retryAfterSeconds: principal.retryAfterSeconds ?? 1,
      });
    }
    throw unauthenticated(
      principal.authError === 'expired'
        ? 'Your session has expired. Sign in again.'
        : principal.authError
          ? (principal.reason ?? 'The credentials sent are not valid.')
          : 'Sign in to continue.',
    );
  }
  if (principal.kind === 'apiKey' && !roles.includes(Who.ApiKey)) {
    throw forbidden('An API key can only read its own key and space.');
  }
  return true;
};
