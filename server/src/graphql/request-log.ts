import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../lib/logger';
import type { Principal, RequestContext } from '../core/context';

/** What one operation's log line says. */
export interface OperationLog {
  operationName: string | null;
  type: string | null;
  principal: Principal['kind'];
  /** `performance.now()` when the operation started. */
  started: number;
  /** The codes of the errors the client saw, if any. */
  codes?: readonly string[] | undefined;
}

/**
 * One log line per GraphQL operation: its name and type, who asked (kind of principal), how long
 * it took and the error codes it answered. Never the variables, the query text or the response.
 */
export function logOperation(logger: Logger, { operationName, type, principal, started, codes }: OperationLog): void {
  logger.info(
    {
      operation: operationName,
      type,
      principal,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(codes?.length ? { errors: codes } : {}),
    },
    'graphql',
  );
}

/** The log line of every operation the GraphQL server runs. */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response }) {
          // The formatted errors: their codes are what the client saw.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          logOperation(logger, {
            operationName: operationName ?? null,
            type: operation?.operation ?? null,
            principal: contextValue.principal.kind,
            started,
            codes: errors?.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
          });
        },
      };
    },
  };
}
