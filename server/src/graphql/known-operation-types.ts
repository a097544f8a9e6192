import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an operation whose type the schema has no root for (a `subscription` here), at
 * validation: GRAPHQL_VALIDATION_FAILED and 400, instead of an execution error. graphql-js 17 has
 * this rule as `KnownOperationTypesRule`; 16 finds out only when it executes.
 */
export const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: node }));
    }
  },
});
