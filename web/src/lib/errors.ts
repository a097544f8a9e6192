import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';
import type { ErrorCode } from '@pulze/shared';

/** The `extensions.code` of the first GraphQL error, if the error carries one. */
export function errorCode(error: unknown): ErrorCode | string | undefined {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
  if (ServerError.is(error)) {
    // Some servers answer errors with a non-2xx status and a GraphQL body.
    try {
      const body = JSON.parse(error.bodyText) as { errors?: { extensions?: { code?: unknown } }[] };
      const code = body.errors?.[0]?.extensions?.code;
      if (typeof code === 'string') return code;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

export type ErrorKind = 'network' | 'server' | 'code';

/** What went wrong, in words a person can act on. */
export function describeError(error: unknown): { kind: ErrorKind; title: string; message: string } {
  const code = errorCode(error);
  if (code) {
    const first = CombinedGraphQLErrors.is(error) ? error.errors[0]?.message : undefined;
    switch (code) {
      case 'INTERNAL_SERVER_ERROR':
        return { kind: 'server', title: 'Something went wrong on our side', message: 'The server could not answer this request. Try again in a moment.' };
      case 'RATE_LIMITED':
        return { kind: 'code', title: 'Too many requests', message: 'Wait a moment and try again.' };
      case 'FORBIDDEN':
        return { kind: 'code', title: 'Not allowed', message: first ?? 'You do not have permission to do this.' };
      case 'NOT_FOUND':
        return { kind: 'code', title: 'Not found', message: first ?? 'It may have been removed.' };
      default:
        return { kind: 'code', title: 'Request failed', message: first ?? code };
    }
  }
  if (ServerError.is(error) || ServerParseError.is(error)) {
    const status = error.statusCode;
    return {
      kind: 'server',
      title: 'Something went wrong on our side',
      message: `The server answered with an error (HTTP ${status}). Try again in a moment.`,
    };
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return {
      kind: 'network',
      title: 'Cannot reach the server',
      message: 'Check your connection. We could not reach the Pulze API.',
    };
  }
  return {
    kind: 'server',
    title: 'Something went wrong',
    message: error instanceof Error ? error.message : 'Unknown error.',
  };
}
