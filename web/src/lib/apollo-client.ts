import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { clearSession } from './auth-storage';
import { GRAPHQL_PATH } from './config';
import { errorCode } from './errors';
import { persistedQueriesLink } from './persisted-queries';

/**
 * One client for the app. The session travels as the HttpOnly cookie the API set on sign-in
 * (same origin: the web server forwards /graphql to the API), so no token is handled here; every
 * request is a POST with `content-type: application/json`, which the API's CSRF prevention
 * requires. Operations go out as automatic persisted queries (persisted-queries.ts). An
 * UNAUTHENTICATED answer ends the session in this browser.
 */
export function createApolloClient(): ApolloClient {
  const errorLink = new ErrorLink(({ error, operation }) => {
    if (operation.operationName === 'Login' || operation.operationName === 'Logout') return;
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && (error.statusCode === 401 || errorCode(error) === 'UNAUTHENTICATED'));
    if (unauthenticated) clearSession('expired');
  });

  const httpLink = new HttpLink({ uri: GRAPHQL_PATH, credentials: 'same-origin' });
  const persisted = persistedQueriesLink();

  return new ApolloClient({
    link: ApolloLink.from([errorLink, ...(persisted ? [persisted] : []), httpLink]),
    cache: new InMemoryCache({
      typePolicies: {
        // Pages of keys are cached per argument set; each is replaced whole on refetch.
        ApiKeyPage: { keyFields: false },
        ApiKeyUsage: { keyFields: false },
        SubscriptionInfo: { keyFields: false },
        Organization: { fields: { subscription: { merge: true }, spaces: { merge: false } } },
        ApiKey: { fields: { usage: { merge: true } } },
        // Each audit event names its key as it was then (name, masked preview): never merge them by id.
        AuditKey: { keyFields: false },
        AuditActor: { keyFields: false },
        AuditEventPage: { keyFields: false },
      },
    }),
  });
}
