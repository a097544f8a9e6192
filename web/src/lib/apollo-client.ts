import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { clearSession, getToken } from './auth-storage';
import { GRAPHQL_PATH } from './config';
import { errorCode } from './errors';

/** One client for the app: sends the session's JWT and ends the session on UNAUTHENTICATED. */
export function createApolloClient(): ApolloClient {
  const authLink = new SetContextLink((prevContext) => {
    const token = getToken();
    return {
      headers: {
        ...(prevContext.headers as Record<string, string> | undefined),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    };
  });

  const errorLink = new ErrorLink(({ error, operation }) => {
    if (operation.operationName === 'Login') return;
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && (error.statusCode === 401 || errorCode(error) === 'UNAUTHENTICATED'));
    if (unauthenticated) clearSession('expired');
  });

  const httpLink = new HttpLink({ uri: GRAPHQL_PATH });

  return new ApolloClient({
    link: ApolloLink.from([errorLink, authLink, httpLink]),
    cache: new InMemoryCache({
      typePolicies: {
        // Pages of keys are cached per argument set; each is replaced whole on refetch.
        ApiKeyPage: { keyFields: false },
        ApiKeyUsage: { keyFields: false },
        SubscriptionInfo: { keyFields: false },
        Organization: { fields: { subscription: { merge: true }, spaces: { merge: false } } },
        ApiKey: { fields: { usage: { merge: true } } },
      },
    }),
  });
}
