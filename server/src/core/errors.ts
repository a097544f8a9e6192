import type { ErrorCode } from '@pulze/shared';

/**
 * An error the client may see: a message written for people and a stable code. Services throw
 * these; the API's edges (GraphQL, HTTP) turn them into answers.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const unauthenticated = (message = 'Sign in to continue.') => new DomainError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => new DomainError('FORBIDDEN', message);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found.`);
export const badInput = (message: string, field?: string) =>
  new DomainError('BAD_USER_INPUT', message, field ? { field } : {});
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', message, { retryAfterSeconds });
export const planUpgradeRequired = () =>
  new DomainError('PLAN_UPGRADE_REQUIRED', 'API keys require Pulze X Suite. Upgrade your plan to use them.');
export const subscriptionInactive = () =>
  new DomainError('SUBSCRIPTION_INACTIVE', 'Your Pulze X Suite subscription is not active; API keys do not work until it is.');
