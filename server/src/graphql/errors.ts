import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '@pulze/shared';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../lib/logger';

/** An error the client may see: a message written for people and a stable code. */
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
export const planUpgradeRequired = () =>
  new DomainError('PLAN_UPGRADE_REQUIRED', 'API keys require Pulze X Suite. Upgrade your plan to use them.');
export const subscriptionInactive = () =>
  new DomainError('SUBSCRIPTION_INACTIVE', 'Your Pulze X Suite subscription is not active; API keys do not work until it is.');

const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/**
 * The one place that turns errors into what clients see. Domain errors keep their code and
 * message; GraphQL's own validation errors pass; everything else becomes INTERNAL_SERVER_ERROR
 * with a fixed message, and is logged (without the client's variables) for operators.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = innermost(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: original.code, ...original.details },
      };
    }
    // GraphQL's own parse, validation and variable-coercion errors: written for clients already.
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
    }
    const errorId = randomUUID();
    logger.error({ errorId, ...describeError(original), path: formatted.path }, 'unexpected error in GraphQL operation');
    return {
      message: 'Something went wrong on our side. Please try again.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

/** The error at the bottom of a chain of GraphQLError wrappers. */
function innermost(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/**
 * What operators see of an unexpected error: its class and driver code, never its message
 * (driver messages quote SQL and data), stack or parameters.
 */
export function describeError(error: unknown): { type: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}) };
}
