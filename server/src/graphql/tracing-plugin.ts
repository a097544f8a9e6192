import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { Principal, RequestContext } from '../core/context';
import { safeName, tracer } from '../lib/tracing';

/** One operation's span: named once the operation is known, ended with who asked and the codes answered. */
export interface OperationSpan {
  resolved(type: string, operationName: string | null | undefined): void;
  finish(principal: Principal, codes: readonly string[] | undefined): void;
}

const UNRECORDED: OperationSpan = { resolved: () => undefined, finish: () => undefined };

/**
 * A span per GraphQL operation (`graphql.operation`, renamed `query viewer` and the like once
 * known): its type and name, the kind of principal (and a key principal's key id), and the error
 * codes answered. Never the query text, the variables or the response.
 */
export function operationSpan(): OperationSpan {
  const span = tracer.startSpan('graphql.operation');
  // Without a tracer provider nothing is recorded.
  if (!span.isRecording()) return UNRECORDED;
  return {
    resolved(type, operationName) {
      const name = operationName ? safeName(operationName) : undefined;
      span.updateName(name ? `${type} ${name}` : type);
      span.setAttributes({ 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) });
    },
    finish(principal, codes) {
      const attributes: Attributes = { 'pulze.principal.kind': principal.kind };
      if (principal.kind === 'apiKey') attributes['pulze.key.id'] = principal.keyId;
      if (codes?.length) {
        attributes['graphql.error.codes'] = [...codes];
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.setAttributes(attributes);
      span.end();
    },
  };
}

/** The span of every operation the GraphQL server runs. */
export function tracingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const span = operationSpan();
      // Without a tracer provider nothing is recorded: no hooks.
      if (span === UNRECORDED) return {};
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation) span.resolved(operation.operation, operationName);
        },
        async willSendResponse({ contextValue, response }) {
          // The formatted errors: their codes are what the client saw.
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          span.finish(contextValue.principal, errors?.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
        },
      };
    },
  };
}
