import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { RequestContext } from '../core/context';
import { safeName, tracer } from '../lib/tracing';

/**
 * A span per GraphQL operation (`graphql.operation`, renamed `query viewer` and the like once
 * known): its type and name, the kind of principal (and a key principal's key id), and the error
 * codes answered. Never the query text, the variables or the response.
 */
export function tracingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const span = tracer.startSpan('graphql.operation');
      // Without a tracer provider nothing is recorded: no hooks.
      if (!span.isRecording()) return {};
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const name = operationName ? safeName(operationName) : undefined;
          span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
          span.setAttributes({ 'graphql.operation.type': operation.operation, ...(name ? { 'graphql.operation.name': name } : {}) });
        },
        async willSendResponse({ contextValue, response }) {
          const principal = contextValue.principal;
          const attributes: Attributes = { 'pulze.principal.kind': principal.kind };
          if (principal.kind === 'apiKey') attributes['pulze.key.id'] = principal.keyId;
          // The formatted errors: their codes are what the client saw.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors?.length) {
            attributes['graphql.error.codes'] = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.setAttributes(attributes);
          span.end();
        },
      };
    },
  };
}
