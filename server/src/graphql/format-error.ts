import { randomUUID } from 'node:crypto';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { DomainError } from '../core/errors';
import { isDatabaseUnavailable } from '../lib/database-errors';
import { describeError, type Logger } from '../lib/logger';

/** Codes of GraphQL's and Apollo's own request errors (parse, validation, coercion, malformed request), passed through as they are. */
export const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

const APQ_HASH_MISMATCH = 'provided sha does not match query';

/**
 * The one place that turns errors into what clients see. Domain errors keep their code and
 * message; GraphQL's own validation errors pass; everything else becomes INTERNAL_SERVER_ERROR
 * with a fixed message, and is logged (without the client's variables) for operators. A database
 * that does not answer is SERVICE_UNAVAILABLE (retry later), with an `errorId` as well.
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
    // Inputs refused by their declared constraints: the first constraint's message, and the field.
    if (original instanceof ArgumentValidationError) {
      const first = firstViolation(original.extensions.validationErrors as ValidationError[] | undefined);
      return {
        message: first?.message ?? 'The input is not valid.',
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'BAD_USER_INPUT', ...(first ? { field: first.field } : {}) },
      };
    }
    // GraphQL's own parse, validation and variable-coercion errors: written for clients already.
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      return { message: withoutEchoedValues(formatted.message), ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
    }
    // Apollo's persisted-query check refuses a query that does not match its hash without a code.
    if (original instanceof GraphQLError && original.message === APQ_HASH_MISMATCH) {
      return { message: 'The query does not match its persisted-query hash.', extensions: { code: 'BAD_REQUEST' } };
    }
    const errorId = randomUUID();
    // The database is away, too slow or saturated: a temporary refusal the client may retry.
    if (isDatabaseUnavailable(original)) {
      logger.warn({ errorId, ...describeError(original), path: formatted.path }, 'database unavailable during a GraphQL operation');
      return {
        message: 'The service is temporarily unavailable. Please try again in a moment.',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'SERVICE_UNAVAILABLE', errorId },
      };
    }
    logger.error({ errorId, ...describeError(original), path: formatted.path }, 'unexpected error in GraphQL operation');
    return {
      message: 'Something went wrong on our side. Please try again.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

/**
 * GraphQL's coercion errors repeat the value they refuse (`Variable "$input" got invalid value
 * "pk_..." at "input.expiresAt"`, `String cannot represent a non string value: ...`): a key pasted
 * into the wrong field would come back in the answer. The value is left out, and anything shaped
 * like a key is masked, so no error message ever echoes a key.
 */
export function withoutEchoedValues(message: string): string {
  return message
    .replace(/^(Variable "\$[^"]+" got invalid value) .*?( at "[^"]*")?; /s, '$1$2; ')
    .replace(/(cannot represent [^:]*value): .*$/s, '$1.')
    .replace(/pk_[0-9A-Za-z]+/g, 'pk_…');
}

/** The error at the bottom of a chain of GraphQLError wrappers. */
function innermost(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/** The first broken constraint, depth first, with the name of its field. */
function firstViolation(errors: ValidationError[] | undefined): { field: string; message: string } | undefined {
  for (const error of errors ?? []) {
    const message = error.constraints ? Object.values(error.constraints)[0] : undefined;
    if (message) return { field: error.property, message };
    const nested = firstViolation(error.children);
    if (nested) return nested;
  }
  return undefined;
}
