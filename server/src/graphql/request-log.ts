import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../lib/logger';
import type { RequestContext } from '../core/context';

/**
 * One log line per GraphQL operation: its name and type, who asked (kind of principal), how long
 * it took and the error codes it answered. Never the variables, the query text or the response.
 */
export function requestLogPlugin(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response }) {
          // The formatted errors: their codes are what the client saw.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          logger.info(
            {
              operation: operationName ?? null,
              type: operation?.operation ?? null,
              principal: contextValue.principal.kind,
              ms: Math.round((performance.now() - started) * 10) / 10,
              ...(errors?.length ? { errors: errors.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR') } : {}),
            },
            'graphql',
          );
        },
      };
    },
  };
}
